// JSON values of a custom resource as CEL values, typed by the schema (upstream
// k8s.io/apiserver/pkg/cel/common/values.go UnstructuredToVal): integers become int (bigint),
// numbers double, format byte/duration/date/date-time strings bytes/duration/timestamp,
// int-or-string values int or string, maps Map, objects instances of their object type's class
// (only the properties present, so has() tells presence). Also CEL equality over these values.
import { Environment, Optional } from "@marcbachmann/cel-js";
import type { DeclType, ObjectDeclType } from "./types.js";

/** The base class of every schema object type's values: own properties are the present fields. */
export class CelObject {}

const objectClasses = new WeakMap<ObjectDeclType, typeof CelObject>();

/** The runtime class of an object type (one per type, as the CEL library tells types by constructor). */
export function objectClassOf(t: ObjectDeclType): typeof CelObject {
  let c = objectClasses.get(t);
  if (!c) {
    c = class extends CelObject {};
    objectClasses.set(t, c);
  }
  return c;
}

// the library's duration class is not exported; take it from a value it makes
interface CelDurationValue {
  readonly seconds: bigint;
  readonly nanos: number;
}
type DurationCtor = new (seconds: bigint, nanos: number) => CelDurationValue;
const DurationClass = (new Environment().evaluate('duration("0s")') as object).constructor as DurationCtor;

export function isCelDuration(v: unknown): v is CelDurationValue {
  return v instanceof DurationClass;
}

export function celDuration(totalNanos: bigint): CelDurationValue {
  const seconds = totalNanos / 1_000_000_000n;
  return new DurationClass(seconds, Number(totalNanos - seconds * 1_000_000_000n));
}

export function durationNanos(d: CelDurationValue): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "µs": 1_000n,
  "μs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

/** Nanoseconds of a duration string as format "duration" accepts it (Go durations plus d and w). */
export function parseDurationString(text: string): bigint | undefined {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)\s*(?:ns|us|µs|μs|ms|s|m|h|d|w)\s*)+$/.exec(text.trim());
  if (!m || text.trim() === "0") return text.trim() === "0" ? 0n : undefined;
  let total = 0n;
  for (const part of text.trim().replace(/^[+-]/, "").matchAll(/(\d+(?:\.\d*)?|\.\d+)\s*(ns|us|µs|μs|ms|s|m|h|d|w)/g)) {
    const [whole = "", frac = ""] = part[1]!.split(".");
    const unit = UNIT_NANOS[part[2]!]!;
    total += BigInt(whole || "0") * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
  }
  return m[1] === "-" ? -total : total;
}

function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw new Error(`Invalid byte formatted string ${text}`);
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** Per-validation memo of converted objects and lists (a rule's value is shared by nested rules). */
export type ConversionCache = WeakMap<DeclType, WeakMap<object, unknown>>;

export function newConversionCache(): ConversionCache {
  return new WeakMap();
}

/** The CEL value of a JSON value of the given type (upstream UnstructuredToVal). */
export function toCelValue(t: DeclType, v: unknown, cache?: ConversionCache): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "object" && cache) {
    let byType = cache.get(t);
    if (!byType) cache.set(t, (byType = new WeakMap()));
    if (byType.has(v)) return byType.get(v);
    const converted = convert(t, v, cache);
    byType.set(v, converted);
    return converted;
  }
  return convert(t, v, cache);
}

function convert(t: DeclType, v: unknown, cache: ConversionCache | undefined): unknown {
  switch (t.kind) {
    case "int":
      return typeof v === "number" ? BigInt(Math.trunc(v)) : v;
    case "double":
      return typeof v === "bigint" ? Number(v) : v;
    case "dyn":
      return typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v;
    case "bytes":
      return typeof v === "string" ? decodeBase64(v) : v;
    case "duration": {
      if (typeof v !== "string") return v;
      const nanos = parseDurationString(v);
      if (nanos === undefined) throw new Error(`Invalid duration ${v}`);
      return celDuration(nanos);
    }
    case "timestamp": {
      if (typeof v !== "string") return v;
      const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
      if (Number.isNaN(d.getTime())) throw new Error(`Invalid date-time formatted string ${v}`);
      return d;
    }
    case "string":
    case "bool":
      return v;
    case "list":
      return Array.isArray(v) ? v.map((e) => toCelValue(t.elem, e, cache)) : v;
    case "map": {
      if (typeof v !== "object" || Array.isArray(v)) return v;
      const m = new Map<string, unknown>();
      for (const [k, e] of Object.entries(v as Record<string, unknown>)) if (e !== undefined) m.set(k, toCelValue(t.elem, e, cache));
      return m;
    }
    case "object": {
      if (typeof v !== "object" || Array.isArray(v)) return v;
      const o = new (objectClassOf(t))() as Record<string, unknown>;
      const json = v as Record<string, unknown>;
      for (const [name, f] of t.fields) {
        const e = json[f.property];
        if (e !== undefined) o[name] = toCelValue(f.type, e, cache);
      }
      return o;
    }
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** CEL equality (heterogeneous numbers compare by value; objects field by field). */
export function celEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) {
    return typeof a === "number" || typeof b === "number" ? Number(a) === Number(b) : a === b;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (isCelDuration(a)) return isCelDuration(b) && durationNanos(a) === durationNanos(b);
  if (a instanceof Uint8Array) return b instanceof Uint8Array && compareBytes(a, b);
  if (a instanceof Optional) {
    if (!(b instanceof Optional) || a.hasValue() !== b.hasValue()) return false;
    return !a.hasValue() || celEqual(a.value(), b.value());
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((e, i) => celEqual(e, b[i]));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !celEqual(v, b.get(k))) return false;
    return true;
  }
  const eq = (a as { celEquals?: (o: unknown) => boolean }).celEquals;
  if (typeof eq === "function") return eq.call(a, b);
  if (a.constructor !== b.constructor) return false;
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => k in bo && celEqual((a as Record<string, unknown>)[k], bo[k]));
}
