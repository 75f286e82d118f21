// Test-only protobuf encoder driven by the same table as the decoder: JSON object model → bytes.
// With `gogo: true` it writes what Go's gogo-generated marshalers write (what kubectl sends):
// fields in field-number order, every non-pointer scalar and struct even when zero, pointers only
// when set, map entries sorted by key — so recorded kubectl bodies can be compared byte for byte.
import { Buffer } from "node:buffer";
import { MESSAGES } from "../../../src/protobuf/messages.js";
import type { FieldRow } from "../../../src/protobuf/table.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export interface EncodeOptions {
  gogo?: boolean;
}

/** Low-level writer: varints (as 64-bit two's complement), tags, length-delimited values. */
export class Writer {
  private parts: Buffer[] = [];

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }

  raw(b: Uint8Array): this {
    this.parts.push(Buffer.from(b));
    return this;
  }

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    return this.raw(Uint8Array.from(out));
  }

  tag(field: number, wireType: number): this {
    return this.varint((BigInt(field) << 3n) | BigInt(wireType));
  }

  lengthDelimited(field: number, payload: Uint8Array): this {
    return this.tag(field, 2).varint(payload.length).raw(payload);
  }

  string(field: number, s: string): this {
    return this.lengthDelimited(field, Buffer.from(s, "utf8"));
  }

  fixed64(field: number, v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return this.tag(field, 1).raw(b);
  }
}

const SCALARS = new Set(["string", "bytes", "int32", "int64", "uint32", "uint64", "bool", "double", "float"]);

function writeScalar(w: Writer, field: number, type: string, v: Json): void {
  switch (type) {
    case "string":
      w.string(field, v as string);
      return;
    case "bytes":
      w.lengthDelimited(field, Buffer.from(v as string, "base64"));
      return;
    case "bool":
      w.tag(field, 0).varint(v ? 1 : 0);
      return;
    case "double":
      w.fixed64(field, v as number);
      return;
    case "float": {
      const b = Buffer.alloc(4);
      b.writeFloatLE(v as number);
      w.tag(field, 5).raw(b);
      return;
    }
    default:
      w.tag(field, 0).varint(BigInt(v as number));
  }
}

function zeroOf(type: string): Json {
  return type === "string" ? "" : type === "bool" ? false : 0;
}

/** Parses Go duration strings ("1h0m0s", "1.5s", "300ms", "-2µs") into nanoseconds. */
export function parseGoDuration(s: string): bigint {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const neg = s.startsWith("-");
  const body = s.replace(/^[-+]/, "");
  if (body === "0") return 0n;
  let total = 0;
  const re = /([0-9.]+)(ns|us|µs|ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(body))) {
    total += Number(m[1]) * units[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== body.length) throw new Error(`bad duration ${s}`);
  return BigInt(Math.round(neg ? -total : total));
}

function timeMessage(v: Json, micro: boolean): Buffer {
  if (v === null) return Buffer.alloc(0);
  const ms = Date.parse(v as string);
  const seconds = Math.floor(ms / 1000);
  const frac = (v as string).match(/\.(\d+)Z$/)?.[1] ?? "";
  const nanos = micro ? Number(frac.padEnd(9, "0").slice(0, 9)) : 0;
  return new Writer().tag(1, 0).varint(seconds).tag(2, 0).varint(nanos).bytes();
}

function specialMessage(codec: string, type: string, v: Json, opts: EncodeOptions): Buffer {
  const w = new Writer();
  switch (codec) {
    case "time":
    case "microtime":
      return timeMessage(v, codec === "microtime");
    case "duration":
      return w.tag(1, 0).varint(parseGoDuration(v as string)).bytes();
    case "quantity":
      return w.string(1, v as string).bytes();
    case "intorstring":
      if (typeof v === "number") return w.tag(1, 0).varint(0).tag(2, 0).varint(v).string(3, "").bytes();
      return w.tag(1, 0).varint(1).tag(2, 0).varint(0).string(3, v as string).bytes();
    case "rawjson":
    case "json":
      return v === null ? w.bytes() : w.lengthDelimited(1, Buffer.from(JSON.stringify(v))).bytes();
    case "schemaorarray": {
      const schema = type.replace(/OrArray$/, "");
      if (Array.isArray(v)) for (const s of v) w.lengthDelimited(2, encodeMessage(schema, s, opts));
      else if (v !== null) w.lengthDelimited(1, encodeMessage(schema, v, opts));
      return w.bytes();
    }
    case "schemaorbool": {
      const schema = type.replace(/OrBool$/, "");
      w.tag(1, 0).varint(v === false ? 0 : 1);
      if (typeof v === "object" && v !== null) w.lengthDelimited(2, encodeMessage(schema, v, opts));
      return w.bytes();
    }
    case "schemaorstringarray": {
      const schema = type.replace(/OrStringArray$/, "");
      if (Array.isArray(v)) for (const s of v) w.string(2, s as string);
      else if (v !== null) w.lengthDelimited(1, encodeMessage(schema, v, opts));
      return w.bytes();
    }
    default:
      if (codec.startsWith("items:")) {
        const elem = codec.slice("items:".length);
        for (const x of (v as Json[] | null) ?? []) {
          if (SCALARS.has(elem)) writeScalar(w, 1, elem, x);
          else w.lengthDelimited(1, encodeMessage(elem, x, opts));
        }
        return w.bytes();
      }
      throw new Error(`no encoder for codec ${codec}`);
  }
}

/** Encodes a value of message `type` (the JSON form) into the typed protobuf message. */
export function encodeMessage(type: string, value: Json, opts: EncodeOptions = {}): Buffer {
  const entry = MESSAGES[type];
  if (entry === undefined) throw new Error(`no message ${type}`);
  if (typeof entry === "string") return specialMessage(entry, type, value, opts);
  const obj = (value ?? {}) as Obj;
  const w = new Writer();
  const rows = [...entry].sort((a, b) => a[0] - b[0]);
  for (const row of rows) writeField(w, row, obj, opts);
  return w.bytes();
}

function writeField(w: Writer, row: FieldRow, obj: Obj, opts: EncodeOptions): void {
  const [num, json, type, flags] = row;
  const scalar = SCALARS.has(type);
  const v = flags.includes("i") ? obj : obj[json];
  if (flags.includes("m")) {
    if (v === undefined || v === null) return;
    for (const key of Object.keys(v as Obj).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
      const entry = new Writer().string(1, key);
      const x = (v as Obj)[key]!;
      if (scalar) writeScalar(entry, 2, type, x);
      else entry.lengthDelimited(2, encodeMessage(type, x, opts));
      w.lengthDelimited(num, entry.bytes());
    }
    return;
  }
  if (flags.includes("r")) {
    for (const x of (v as Json[] | null | undefined) ?? []) {
      if (scalar) writeScalar(w, num, type, x);
      else w.lengthDelimited(num, encodeMessage(type, x, opts));
    }
    return;
  }
  const pointer = flags.includes("p");
  if (v === undefined || v === null) {
    // Absent: gogo still writes non-pointer values (zero scalars, empty structs); not nil pointers or a nil []byte.
    if (!opts.gogo || pointer || type === "bytes") return;
    if (scalar) writeScalar(w, num, type, zeroOf(type));
    else w.lengthDelimited(num, encodeMessage(type, null, opts));
    return;
  }
  if (scalar) writeScalar(w, num, type, v);
  else w.lengthDelimited(num, encodeMessage(type, v, opts));
}

/** The body of a request: "k8s\0" + runtime.Unknown{typeMeta, raw, contentEncoding: "", contentType: ""}. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const typeMeta = new Writer().string(1, apiVersion).string(2, kind).bytes();
  const unknown = new Writer().lengthDelimited(1, typeMeta).lengthDelimited(2, raw).string(3, "").string(4, "").bytes();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
}

/** Encodes a whole object (apiVersion/kind in the envelope) as a client would send it. */
export function encodeObject(message: string, obj: Obj, opts: EncodeOptions = { gogo: true }): Buffer {
  const { apiVersion, kind, ...rest } = obj;
  return envelope(apiVersion as string, kind as string, encodeMessage(message, rest, opts));
}
