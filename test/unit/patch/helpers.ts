// Shared fixtures for the patch tests: the schema index of the built-in kinds, a strategic merge
// patch runner that deep-freezes its inputs, a directive finder and an ApiError matcher.
import assert from "node:assert/strict";
import { ApiError } from "../../../src/apimachinery/errors.js";
import { StrategicMergePatcher } from "../../../src/endpoints/patch/strategic-merge-patch.js";
import { createOpenApiService } from "../../../src/openapi/index.js";
import type { Schema } from "../../../src/openapi/schema.js";
import { Registry } from "../../../src/registry/registry.js";

export type Json = Record<string, unknown>;

export const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";
export const STATEFULSET = "io.k8s.api.apps.v1.StatefulSet";
export const POD = "io.k8s.api.core.v1.Pod";
export const NODE = "io.k8s.api.core.v1.Node";
export const CONFIGMAP = "io.k8s.api.core.v1.ConfigMap";

export const schemas = createOpenApiService(new Registry()).schemas;

export function rootSchema(name: string): Schema {
  const s = schemas.get(name);
  assert.ok(s, `schema ${name} is published`);
  return s;
}

/** Freezes value and everything reachable from it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

export const clone = <T>(v: T): T => structuredClone(v);

/** Paths of every key starting with "$" anywhere in value ("spec.containers[0].$patch"). */
export function directivePaths(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => directivePaths(v, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    return [...(k.startsWith("$") ? [p] : []), ...directivePaths(v, p)];
  });
}

/** Paths of the objects and arrays inside value that are frozen (i.e. taken over from a frozen input). */
export function frozenInside(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v !== "object" || v === null) return;
    if (Object.isFrozen(v)) out.push(path || "<root>");
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(value, "");
  return out;
}

export interface ExpectedError {
  code: number;
  reason?: string;
  message?: string | RegExp;
}

export function assertApiError(fn: () => unknown, want: ExpectedError): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, want.code, `code (message: ${err.message})`);
    if (want.reason !== undefined) assert.equal(err.reason, want.reason);
    if (typeof want.message === "string") assert.equal(err.message, want.message);
    else if (want.message) assert.match(err.message, want.message);
    return true;
  });
}

const patcher = new StrategicMergePatcher(schemas);

/**
 * Applies a strategic merge patch with the given root schema after deep-freezing both inputs,
 * and checks the invariants every successful patch keeps: inputs unchanged, no directive left.
 */
export function smp(root: string, original: Json, patch: Json): Json {
  const before = { original: JSON.stringify(original), patch: JSON.stringify(patch) };
  deepFreeze(original);
  deepFreeze(patch);
  const result = patcher.apply(original, patch, rootSchema(root));
  assert.equal(JSON.stringify(original), before.original, "original must not change");
  assert.equal(JSON.stringify(patch), before.patch, "patch must not change");
  assert.deepEqual(directivePaths(result), [], "no directive may reach the result");
  return result;
}

/** A strategic merge patch table row. */
export interface SmpCase {
  name: string;
  root?: string;
  original: Json;
  patch: Json;
  expected?: Json;
  error?: ExpectedError;
  todo?: string;
}

export function smpCaseBody(c: SmpCase, defaultRoot: string): () => void {
  return () => {
    const root = c.root ?? defaultRoot;
    if (c.error) {
      assertApiError(() => smp(root, c.original, c.patch), c.error);
      return;
    }
    assert.deepEqual(smp(root, c.original, c.patch), c.expected);
  };
}

/** Deep copy of base with edit applied: expected results written as "the original, except ...". */
export function edited<T>(base: T, edit: (copy: T) => void): T {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}
