// Helpers shared by the admission plugins: loose JSON accessors, upstream's admission.NewForbidden
// (the resource name from the request, else the object's name or generateName, else "Unknown"),
// utilerrors.Aggregate's message, and the cache lookups that give the watch cache a moment to
// catch up before a miss is believed (upstream's live lookups after an informer miss).
import { setImmediate as nextTurn } from "node:timers/promises";
import { ApiError, errors } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { AdmissionAttributes } from "../interfaces.js";

export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objs = (v: unknown): Json[] => arr(v).map(obj).filter((o): o is Json => o !== undefined);
export const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The object's spec, created when missing. */
export function specOf(o: KubeObject): Json {
  let spec = obj(o.spec);
  if (!spec) o.spec = spec = {};
  return spec;
}

/** The name upstream's admission.NewForbidden reports (extractResourceName). */
export function forbiddenName(a: AdmissionAttributes): string {
  if (a.name) return a.name;
  const m = a.object?.metadata;
  if (!m) return "Unknown";
  return m.name || m.generateName || "Unknown";
}

/** admission.NewForbidden(a, err): a Forbidden error is passed through, anything else wrapped. */
export function forbidden(a: AdmissionAttributes, message: string): ApiError {
  return errors.forbidden({ group: a.resource.group, resource: a.resource.resource }, forbiddenName(a), message);
}

/** utilerrors.NewAggregate(errs).Error(): one message as is, several deduplicated in brackets. */
export function aggregateMessage(messages: string[]): string {
  const seen: string[] = [];
  for (const m of messages) if (!seen.includes(m)) seen.push(m);
  if (seen.length <= 1) return seen[0] ?? "";
  return `[${seen.join(", ")}]`;
}

/** Event-loop turns a lookup waits for the watch cache before it believes a miss. */
export const CACHE_MISS_TURNS = 8;

/**
 * Reads through `read` until it finds something or `turns` event-loop turns have passed: a write
 * that just returned may not have reached the watch cache yet (upstream falls back to a live GET).
 * No timers are involved, so this never waits on the Clock.
 */
export async function lookup<T>(read: () => T | undefined, turns = CACHE_MISS_TURNS): Promise<T | undefined> {
  let found = read();
  for (let i = 0; found === undefined && i < turns; i++) {
    await nextTurn();
    found = read();
  }
  return found;
}

/** strconv.ParseBool. */
export function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return undefined;
}

/** Upstream's "newest first, then by name" order of default classes (creationTimestamp has second precision). */
export function newestFirst(a: KubeObject, b: KubeObject): number {
  const ta = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
  if (ta !== tb) return tb - ta;
  const na = a.metadata.name ?? "";
  const nb = b.metadata.name ?? "";
  return na < nb ? -1 : na > nb ? 1 : 0;
}

export const isPod = (a: AdmissionAttributes): boolean => a.resource.group === "" && a.resource.resource === "pods";
