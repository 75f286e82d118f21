// resource.Quantity as upstream writes it back: a Quantity field is parsed on decode and serialised
// with Quantity.String(), so "1024Mi" is stored as "1Gi", "0.5" as "500m" and "1000m" as "1"; and
// every ResourceList (container resources, PVC requests, quota, limit ranges, node capacity, ...)
// is rounded up to milli precision first (core/v1 SetDefaults_ResourceList).
//
// Two details of ParseQuantity matter for the exact text: a value already written in canonical
// form keeps the client's own string (so "1.500" stays "1.500"), and the result is parsed again
// when the stored object is decoded on the way out (a BinarySI "1953.125Ki" prints "2000", which
// reads back as decimal "2k"). canonicalQuantity therefore applies the decode/encode step until
// it is stable, which is what a client reads after a write.
import { formatQuantity } from "../printers/quantity.js";
import { type Json, obj } from "./util.js";

type Format = "DecimalSI" | "BinarySI" | "DecimalExponent";

const NANO = 1_000_000_000n;
const MILLI_IN_NANO = 1_000_000n;
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POWERS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const INT64_MAX = (1n << 63n) - 1n;

interface Parsed {
  text: string;
  negative: boolean;
  /** digits before and after the decimal point */
  whole: string;
  fraction: string;
  format: Format;
  /** base-10 exponent (decimal formats) or base-2 exponent (BinarySI) of the suffix */
  exponent: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;

function parse(text: string): Parsed | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const [, sign = "", whole = "", fraction = "", suffix = ""] = m;
  if (whole === "" && fraction === "") return undefined;
  let format: Format;
  let exponent: number;
  if (suffix in DECIMAL_EXPONENTS) {
    format = "DecimalSI";
    exponent = DECIMAL_EXPONENTS[suffix]!;
  } else if (suffix in BINARY_POWERS) {
    format = "BinarySI";
    exponent = BINARY_POWERS[suffix]!;
  } else {
    const e = /^[eE]([+-]?\d+)$/.exec(suffix);
    if (!e) return undefined;
    format = "DecimalExponent";
    exponent = Number(e[1]);
    if (!Number.isSafeInteger(exponent)) return undefined;
  }
  return { text, negative: sign === "-", whole, fraction, format, exponent };
}

/** |value| in nano-units, rounded up (away from zero) to nano precision as ParseQuantity does. */
function magnitudeInNanos(p: Parsed): bigint {
  let num = BigInt((p.whole || "0") + p.fraction);
  let den = 10n ** BigInt(p.fraction.length);
  if (p.format === "BinarySI") {
    num *= 1n << BigInt(p.exponent);
  } else if (p.exponent >= 0) {
    num *= 10n ** BigInt(p.exponent);
  } else {
    den *= 10n ** BigInt(-p.exponent);
  }
  num *= NANO;
  return (num + den - 1n) / den;
}

/**
 * ParseQuantity keeps the client's string (and an int64 amount at `scale`) when the fast path
 * applies and the text is already canonical; undefined otherwise.
 */
function keptString(p: Parsed): { scale: number } | undefined {
  // parseQuantityString drops leading zeros of the whole part ("" counts as "0")
  const whole = p.whole.replace(/^0+/, "") || "0";
  let precision: number;
  if (p.format === "BinarySI") {
    if (p.fraction.length > 0) return undefined;
    // float32(exponent)*3/10 truncated, as upstream estimates binary precision
    precision = 15 - whole.length - Math.trunc((p.exponent * 3) / 10) - 1;
  } else {
    precision = 18 - (whole.length + p.fraction.length);
  }
  if (precision < 0) return undefined;
  const scale = (p.format === "BinarySI" ? 0 : p.exponent) - p.fraction.length;
  if (scale < -9) return undefined;
  const shifted = whole + p.fraction;
  const value = BigInt(shifted);
  const amount = p.format === "BinarySI" ? value << BigInt(p.exponent) : value;
  if (amount > INT64_MAX) return undefined;
  if (p.format === "BinarySI") {
    return p.exponent % 10 === 0 && (value & 7n) !== 0n ? { scale } : undefined;
  }
  return scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0" ? { scale } : undefined;
}

/** Quantity.String() of a value given in nano-units and a format. */
function formatNanos(nanos: bigint, format: Format): string {
  const sign = nanos < 0n ? "-" : "";
  const abs = nanos < 0n ? -nanos : nanos;
  if (format === "BinarySI" && abs % NANO === 0n && abs / NANO >= 1024n) {
    const n = abs / NANO;
    // a multiple of 1024 takes a binary suffix; any other integer prints as a plain number
    return n % 1024n === 0n ? formatQuantity(`${sign}${n / 1024n}Ki`) : `${sign}${n}`;
  }
  // BinarySI below 1024 or with a fraction prints in decimal form, like DecimalSI
  return formatQuantity(format === "DecimalExponent" ? `${sign}${abs}e-9` : `${sign}${abs}n`);
}

/** One decode + encode of a quantity text, optionally through ResourceList's RoundUp(milli). */
function reencode(text: string, roundToMilli: boolean): string | undefined {
  if (text === "0") return text;
  const p = parse(text);
  if (!p) return undefined;
  const kept = keptString(p);
  if (kept && (!roundToMilli || kept.scale >= -3)) return p.text;
  let nanos = magnitudeInNanos(p);
  if (roundToMilli) nanos = ((nanos + MILLI_IN_NANO - 1n) / MILLI_IN_NANO) * MILLI_IN_NANO;
  return formatNanos(p.negative ? -nanos : nanos, p.format);
}

/**
 * The text a client reads back for a Quantity field it wrote (a JSON string or number). Values
 * that are not quantities are returned unchanged (decoding rejects them upstream; validation
 * reports them here).
 */
export function canonicalQuantity(value: unknown, roundToMilli = false): unknown {
  let text: string;
  if (typeof value === "string") text = value.trim();
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else return value;
  for (let i = 0; i < 4; i++) {
    const next = reencode(text, roundToMilli);
    if (next === undefined) return value;
    if (next === text) break;
    text = next;
  }
  return text;
}

/** Canonicalises o[key] in place when it is set. */
export function defaultQuantityField(o: Json | undefined, key: string): void {
  if (o && o[key] !== undefined && o[key] !== null) o[key] = canonicalQuantity(o[key]);
}

/**
 * core/v1 SetDefaults_ResourceList on the map at o[key]: each value rounded up to milli and
 * canonical. Every ResourceList field is omitempty, so an empty or null map is not written back.
 */
export function defaultResourceList(o: Json | undefined, key: string): void {
  if (!o) return;
  if (o[key] === null) {
    delete o[key];
    return;
  }
  const list = obj(o[key]);
  if (!list) return;
  const names = Object.keys(list);
  if (names.length === 0) delete o[key];
  for (const name of names) list[name] = canonicalQuantity(list[name], true);
}

/** The canonical form of every value of the map at o[key] (a ResourceList upstream does not round). */
export function canonicalQuantityMap(o: Json | undefined, key: string): void {
  const list = obj(o?.[key]);
  if (!list) return;
  for (const name of Object.keys(list)) list[name] = canonicalQuantity(list[name]);
}
