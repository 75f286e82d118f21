// Shared fixtures for the field manager tests: the real published schemas, the SchemaTypes /
// FieldManager over them, scopes for the common kinds, and small builders for field paths and
// FieldsV1 documents so that expectations read like upstream's managedFields.
import assert from "node:assert/strict";
import { ApiError } from "../../../src/apimachinery/errors.js";
import type { KubeObject, ManagedFieldsEntry } from "../../../src/apimachinery/types.js";
import { createOpenApiService } from "../../../src/openapi/index.js";
import type { Schema } from "../../../src/openapi/schema.js";
import { FieldManager, type FieldManagerScope } from "../../../src/registry/fieldmanager/field-manager.js";
import { FieldSet, type FieldPath } from "../../../src/registry/fieldmanager/field-set.js";
import { SchemaTypes } from "../../../src/registry/fieldmanager/schema-types.js";
import { Registry } from "../../../src/registry/registry.js";

export type Json = Record<string, any>;

export const schemas = createOpenApiService(new Registry()).schemas;
export const types = new SchemaTypes(schemas);
export const fm = new FieldManager(types);

export const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";
export const POD = "io.k8s.api.core.v1.Pod";
export const CONFIGMAP = "io.k8s.api.core.v1.ConfigMap";
export const SERVICE = "io.k8s.api.core.v1.Service";

export function rootSchema(name: string): Schema {
  const s = schemas.get(name);
  assert.ok(s, `schema ${name} is published`);
  return s;
}

/** 2024-05-01T10:00:00Z plus `seconds`: deterministic clocks for entries. */
export const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);
export const at = (seconds: number) => T0 + seconds * 1000;
export const stamp = (seconds: number) => new Date(at(seconds)).toISOString().replace(/\.\d{3}Z$/, "Z");

const SCOPES: Record<string, { apiVersion: string; hasStatus: boolean }> = {
  [DEPLOYMENT]: { apiVersion: "apps/v1", hasStatus: true },
  [POD]: { apiVersion: "v1", hasStatus: true },
  [CONFIGMAP]: { apiVersion: "v1", hasStatus: false },
  [SERVICE]: { apiVersion: "v1", hasStatus: true },
};

export function scope(schemaName: string, opts: { subresource?: string; now?: number; apiVersion?: string } = {}): FieldManagerScope {
  const base = SCOPES[schemaName];
  assert.ok(base, `no scope preset for ${schemaName}`);
  return {
    schema: rootSchema(schemaName),
    apiVersion: opts.apiVersion ?? base.apiVersion,
    subresource: opts.subresource ?? "",
    hasStatus: base.hasStatus,
    now: opts.now ?? T0,
  };
}

/** Path builders: f("spec","replicas") → ["f:spec","f:replicas"]; k({name:"web"}) → `k:{"name":"web"}`. */
export const f = (...names: string[]): string[] => names.map((n) => `f:${n}`);
export const k = (keys: Record<string, unknown>): string => `k:${JSON.stringify(Object.fromEntries(Object.keys(keys).sort().map((x) => [x, keys[x]])))}`;
export const v = (value: unknown): string => `v:${JSON.stringify(value)}`;

/** The set of path strings (SMD Path.String()) of a FieldsV1 document, sorted: compact assertions. */
export function pathsOf(fieldsV1: unknown): string[] {
  return [...FieldSet.fromFieldsV1(fieldsV1)].map(render).sort();
}

/** Path strings of a FieldSet (sorted). */
export function setPaths(set: FieldSet): string[] {
  return [...set].map(render).sort();
}

/** A compact, unambiguous rendering of a path for assertions: f:a/k:{..}/f:b. */
export function render(path: FieldPath): string {
  return path.join("/");
}

export function entry(obj: KubeObject, manager: string, operation?: "Apply" | "Update", subresource?: string): ManagedFieldsEntry | undefined {
  return obj.metadata.managedFields?.find(
    (e) => e.manager === manager && (operation === undefined || e.operation === operation) && (subresource === undefined || (e.subresource ?? "") === subresource),
  );
}

/** The FieldsV1 of one manager's entry (fails when the manager has none). */
export function fieldsOf(obj: KubeObject, manager: string, operation?: "Apply" | "Update", subresource?: string): Json {
  const e = entry(obj, manager, operation, subresource);
  assert.ok(e, `no managedFields entry for ${manager} ${operation ?? ""} in ${JSON.stringify(obj.metadata.managedFields)}`);
  return e.fieldsV1 as Json;
}

/** managedFields summarised as "manager/Operation[/subresource]" in order. */
export function managers(obj: KubeObject): string[] {
  return (obj.metadata.managedFields ?? []).map((e) => [e.manager, e.operation, ...(e.subresource ? [e.subresource] : [])].join("/"));
}

export const clone = <T>(x: T): T => structuredClone(x);

export function deployment(name = "web", spec: Json = {}, meta: Json = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", ...meta },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }] } },
      ...spec,
    },
  } as KubeObject;
}

export function configMap(name = "cm", data: Record<string, string> = { a: "1" }, meta: Json = {}): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", ...meta }, data } as KubeObject;
}

/** What the store would add on create: identity metadata the field manager must never track. */
export function persisted<T extends KubeObject>(obj: T, rv = "10"): T {
  const o = clone(obj);
  o.metadata.uid ??= "0b5d3b4e-0000-4000-8000-000000000001";
  o.metadata.resourceVersion = rv;
  o.metadata.creationTimestamp ??= stamp(0);
  if (o.kind === "Deployment") o.metadata.generation ??= 1;
  return o;
}

/** Runs FieldManager.update on copies and returns the next object (live is never modified). */
export function update(live: KubeObject | undefined, next: KubeObject, manager: string, sc: FieldManagerScope): KubeObject {
  const before = live ? JSON.stringify(live) : undefined;
  const out = clone(next);
  fm.update(live ? clone(live) : undefined, out, manager, sc);
  if (live) assert.equal(JSON.stringify(live), before, "update must not modify live");
  return out;
}

export function apply(live: KubeObject | undefined, config: KubeObject, manager: string, sc: FieldManagerScope, force = false): KubeObject {
  const before = live ? JSON.stringify(live) : undefined;
  const out = fm.apply(live ? clone(live) : undefined, clone(config), manager, force, sc);
  if (live) assert.equal(JSON.stringify(live), before, "apply must not modify live");
  return out;
}

/** Asserts that fn throws a 409 apply conflict; returns the ApiError. */
export function assertConflict(fn: () => unknown, message: string, causes?: { message: string; field: string }[]): ApiError {
  let caught: ApiError | undefined;
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    caught = err;
    return true;
  });
  const err = caught!;
  assert.equal(err.code, 409);
  assert.equal(err.reason, "Conflict");
  assert.equal(err.message, message);
  if (causes) {
    const got = (err.details?.causes ?? []).map((c) => ({ reason: c.reason, message: c.message, field: c.field }));
    assert.deepEqual(
      got,
      causes.map((c) => ({ reason: "FieldManagerConflict", ...c })),
    );
  }
  return err;
}
