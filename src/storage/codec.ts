// Objects are stored as JSON without metadata.resourceVersion; the revision of the write is
// stamped on every read (upstream's APIObjectVersioner), so the RV can never disagree with storage.
import type { KubeObject } from "../apimachinery/types.js";
import type { KeyValue } from "./backend.js";

/** The stored text of the watch cache's (frozen) objects, so comparing against them costs no encode. */
const encodings = new WeakMap<KubeObject, string>();

export function encodeObject(obj: KubeObject): string {
  const known = encodings.get(obj);
  if (known !== undefined) return known;
  const rv = obj.metadata.resourceVersion;
  if (rv === undefined) return JSON.stringify(obj);
  const metadata = { ...obj.metadata };
  delete metadata.resourceVersion;
  return JSON.stringify({ ...obj, metadata });
}

/** Recursively freezes a decoded object: cached objects are shared and must never be mutated. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function decodeObject(kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * A decoded, frozen object for the watch cache, remembered with its stored text (encoding it again
 * gives exactly that text: the decoded resourceVersion is the one member encodeObject leaves out).
 */
export function decodeFrozen(kv: KeyValue): KubeObject {
  const obj = deepFreeze(decodeObject(kv));
  encodings.set(obj, kv.value);
  return obj;
}

/**
 * A mutable deep copy of a JSON object: exactly JSON.parse(JSON.stringify(value)) — undefined
 * members dropped (null in arrays), non-finite numbers null, toJSON honoured — but a walk instead
 * of a text round trip, several times faster on the write path's objects.
 */
export function deepCopy<T>(value: T): T {
  if (value === undefined) return value;
  const out = copyJson(value);
  // a top-level value JSON cannot encode (a function): fail as the text round trip does
  if (out === SKIP) return JSON.parse(JSON.stringify(value)) as T;
  return out as T;
}

const SKIP = Symbol("skip");

/** One JSON value's copy; SKIP for what JSON.stringify leaves out (undefined, functions, symbols). */
function copyJson(v: unknown): unknown {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    case "object": {
      if (v === null) return null;
      if (Array.isArray(v)) {
        const n = v.length;
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const c = copyJson(v[i]);
          out[i] = c === SKIP ? null : c;
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === "function") {
        // Dates, Maps, class instances: whatever their JSON text says
        const text = JSON.stringify(v);
        return text === undefined ? SKIP : JSON.parse(text);
      }
      const out: Record<string, unknown> = {};
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const c = copyJson((v as Record<string, unknown>)[k]);
        if (c === SKIP) continue;
        if (k === "__proto__") Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
        else out[k] = c;
      }
      return out;
    }
    case "bigint":
      // JSON.stringify throws on BigInt: keep that behaviour
      return JSON.parse(JSON.stringify(v));
    default:
      return SKIP;
  }
}
