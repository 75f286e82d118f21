// Table-driven decoding of a typed protobuf message into the JSON object model: the value Go's
// encoding/json produces for the object that the message unmarshals into. So, as for a Go client's
// JSON body: fields are in Go declaration order; non-pointer fields tagged omitempty are left out
// when zero (gogo writes them anyway); non-pointer structs are always present (`"status": {}`,
// `"creationTimestamp": null`); absent pointers/slices/maps without omitempty are null; embedded
// structs are inlined; map keys are sorted; []byte is base64; and the types with their own
// MarshalJSON (Time, Quantity, IntOrString, RawExtension, ...) take their JSON forms.
import { Buffer } from "node:buffer";
import { formatDuration, formatMicroTime, formatTime } from "./go-format.js";
import { MESSAGES } from "./wire-table.js";
import type { FieldRow } from "./table.js";
import { Reader, WireError, WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT } from "./wire.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Range = readonly [number, number];

/** Nesting limit for messages (JSONSchemaProps is recursive); deeper input is a 400, not a stack overflow. */
export const MAX_DEPTH = 500;

const SCALAR_WIRE: Readonly<Record<string, number>> = {
  double: WIRE_FIXED64,
  float: WIRE_FIXED32,
  int32: WIRE_VARINT,
  int64: WIRE_VARINT,
  uint32: WIRE_VARINT,
  uint64: WIRE_VARINT,
  sint32: WIRE_VARINT,
  sint64: WIRE_VARINT,
  fixed32: WIRE_FIXED32,
  fixed64: WIRE_FIXED64,
  sfixed32: WIRE_FIXED32,
  sfixed64: WIRE_FIXED64,
  bool: WIRE_VARINT,
  string: WIRE_BYTES,
  bytes: WIRE_BYTES,
  // internal: an int64 kept exact (metav1.Duration)
  bigint64: WIRE_VARINT,
};

const isScalar = (type: string) => SCALAR_WIRE[type] !== undefined;

type Scalar = string | number | boolean | bigint | Buffer;

function readScalar(r: Reader, type: string): Scalar {
  switch (type) {
    case "string": {
      const [s, e] = r.lengthDelimited();
      return (r.buf as Buffer).toString("utf8", s, e);
    }
    case "bytes": {
      const [s, e] = r.lengthDelimited();
      return (r.buf as Buffer).subarray(s, e);
    }
    case "int32":
      return r.int32();
    case "int64":
      return r.int64();
    case "bigint64":
      return r.int64Big();
    case "uint32":
      return r.uint32();
    case "uint64":
      return r.uint64();
    case "sint32":
      return r.sint32();
    case "sint64":
      return r.sint64();
    case "bool":
      return r.bool();
    case "double":
      return r.double();
    case "float":
      return r.float();
    case "fixed32":
      return r.fixed32();
    case "sfixed32":
      return r.sfixed32();
    case "fixed64":
      return r.fixed64();
    case "sfixed64":
      return r.sfixed64();
    default:
      throw new Error(`internal: ${type} is not a scalar type`);
  }
}

function scalarJson(v: Scalar): Json {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new WireError(`json: unsupported value: ${v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : "NaN"}`);
    return v;
  }
  if (typeof v === "bigint") return Number(v);
  if (Buffer.isBuffer(v)) return v.toString("base64");
  return v;
}

function zeroScalar(type: string): Json {
  return type === "string" ? "" : type === "bool" ? false : 0;
}

function isEmptyScalar(v: Scalar): boolean {
  if (Buffer.isBuffer(v)) return v.length === 0;
  return v === "" || v === 0 || v === false || v === 0n;
}

/** Sets a property even when the key is "__proto__" (map keys come from the client). */
function put(obj: Record<string, Json>, key: string, value: Json): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

const ASCII = /^[\x00-\x7f]*$/;

/** A map as a JSON object with the keys in the order Go's encoding/json writes them: by their bytes. */
function sortedObject(map: Map<string, Json>): Record<string, Json> {
  const keys = [...map.keys()];
  if (keys.every((k) => ASCII.test(k))) keys.sort();
  else {
    const bytes = new Map(keys.map((k) => [k, Buffer.from(k, "utf8")]));
    keys.sort((a, b) => Buffer.compare(bytes.get(a)!, bytes.get(b)!));
  }
  const obj: Record<string, Json> = {};
  for (const k of keys) put(obj, k, map.get(k)!);
  return obj;
}

// ---- per-message field indexes -----------------------------------------------------------------

/** A table row with its flags spelled out (compiled once per message). */
interface Field {
  num: number;
  json: string;
  type: string;
  scalar: boolean;
  /** Expected wire type of one value. */
  wire: number;
  repeated: boolean;
  map: boolean;
  omitempty: boolean;
  pointer: boolean;
  inline: boolean;
}

interface Index {
  fields: Field[];
  byNumber: Map<number, Field>;
  /** For error messages: the message name without its package. */
  shortName: string;
}

const indexes = new Map<string, Index>();

function indexFor(key: string, rows: readonly FieldRow[]): Index {
  let idx = indexes.get(key);
  if (!idx) {
    const fields = rows.map(([num, json, type, flags]): Field => {
      const scalar = isScalar(type);
      return {
        num,
        json,
        type,
        scalar,
        wire: scalar ? SCALAR_WIRE[type]! : WIRE_BYTES,
        repeated: flags.includes("r"),
        map: flags.includes("m"),
        omitempty: flags.includes("o"),
        pointer: flags.includes("p"),
        inline: flags.includes("i"),
      };
    });
    idx = { fields, byNumber: new Map(fields.map((f) => [f.num, f])), shortName: key.slice(key.lastIndexOf(".") + 1) };
    indexes.set(key, idx);
  }
  return idx;
}

/** Decoded but not yet converted field values of one message, by field number. */
type Fields = Map<number, Scalar | Json[] | Map<string, Json> | Range[]>;

function wrongWireType(got: number, field: Field): never {
  throw new WireError(`proto: wrong wireType = ${got} for field ${field.json || field.type}`);
}

export class Decoder {
  constructor(readonly buf: Buffer) {}

  /** The JSON form of message `type` made of the given byte ranges (several ranges merge, as in proto). */
  message(type: string, ranges: readonly Range[], depth: number): Json {
    if (depth > MAX_DEPTH) throw new WireError(`proto: exceeded the maximum nesting depth of ${MAX_DEPTH}`);
    const entry = MESSAGES[type];
    if (entry === undefined) throw new Error(`internal: no protobuf message ${type}`);
    if (typeof entry === "string") return this.special(entry, type, ranges, depth);
    const idx = indexFor(type, entry);
    const fields: Fields = new Map();
    for (const [s, e] of ranges) this.readFields(idx, s, e, fields, depth);
    return this.emit(idx.fields, fields, depth);
  }

  private readFields(idx: Index, start: number, end: number, fields: Fields, depth: number): void {
    const r = new Reader(this.buf, start, end);
    while (!r.done) {
      const [num, wt] = r.tag(idx.shortName);
      const f = idx.byNumber.get(num);
      if (!f) {
        r.skip(wt);
        continue;
      }
      if (f.map) {
        if (wt !== WIRE_BYTES) wrongWireType(wt, f);
        const [s, e] = r.lengthDelimited();
        let map = fields.get(num) as Map<string, Json> | undefined;
        if (!map) fields.set(num, (map = new Map()));
        this.mapEntry(f.type, s, e, map, depth);
      } else if (f.repeated) {
        let list = fields.get(num) as Json[] | undefined;
        if (!list) fields.set(num, (list = []));
        if (f.scalar) {
          if (wt === WIRE_BYTES && f.wire !== WIRE_BYTES) {
            // packed repeated scalars
            const [s, e] = r.lengthDelimited();
            const packed = new Reader(this.buf, s, e);
            while (!packed.done) list.push(scalarJson(readScalar(packed, f.type)));
          } else {
            if (wt !== f.wire) wrongWireType(wt, f);
            list.push(scalarJson(readScalar(r, f.type)));
          }
        } else {
          if (wt !== WIRE_BYTES) wrongWireType(wt, f);
          list.push(this.message(f.type, [r.lengthDelimited()], depth + 1));
        }
      } else if (f.scalar) {
        if (wt !== f.wire) wrongWireType(wt, f);
        fields.set(num, readScalar(r, f.type));
      } else {
        if (wt !== WIRE_BYTES) wrongWireType(wt, f);
        const range = r.lengthDelimited();
        const prev = fields.get(num) as Range[] | undefined;
        if (prev) prev.push(range);
        else fields.set(num, [range]);
      }
    }
  }

  /** One entry of a map<string, V> field: key = 1, value = 2; a missing part is its zero value. */
  private mapEntry(valueType: string, start: number, end: number, map: Map<string, Json>, depth: number): void {
    const r = new Reader(this.buf, start, end);
    let key = "";
    let value: Json | undefined;
    const ranges: Range[] = [];
    while (!r.done) {
      const [num, wt] = r.tag("MapEntry");
      if (num === 1) {
        if (wt !== WIRE_BYTES) throw new WireError(`proto: wrong wireType = ${wt} for field key`);
        key = readScalar(r, "string") as string;
      } else if (num === 2) {
        if (isScalar(valueType)) {
          if (wt !== SCALAR_WIRE[valueType]) throw new WireError(`proto: wrong wireType = ${wt} for field value`);
          value = scalarJson(readScalar(r, valueType));
        } else {
          if (wt !== WIRE_BYTES) throw new WireError(`proto: wrong wireType = ${wt} for field value`);
          ranges.push(r.lengthDelimited());
        }
      } else r.skip(wt);
    }
    if (!isScalar(valueType)) value = this.message(valueType, ranges, depth + 1);
    map.set(key, value ?? (valueType === "bytes" ? "" : zeroScalar(valueType)));
  }

  private emit(fieldList: readonly Field[], fields: Fields, depth: number): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const f of fieldList) {
      const v = fields.get(f.num);
      if (f.map) {
        if (v === undefined) {
          if (!f.omitempty) out[f.json] = null;
          continue;
        }
        out[f.json] = sortedObject(v as Map<string, Json>);
      } else if (f.repeated) {
        if (v === undefined) {
          if (!f.omitempty) out[f.json] = null;
          continue;
        }
        out[f.json] = v as Json[];
      } else if (f.scalar) {
        if (v === undefined) {
          if (f.pointer || f.type === "bytes") {
            if (!f.omitempty) out[f.json] = null;
          } else if (!f.omitempty) out[f.json] = zeroScalar(f.type);
          continue;
        }
        if (f.omitempty && !f.pointer && isEmptyScalar(v as Scalar)) continue;
        out[f.json] = scalarJson(v as Scalar);
      } else {
        if (v === undefined && f.pointer) {
          if (!f.omitempty) out[f.json] = null;
          continue;
        }
        const value = this.message(f.type, (v as Range[] | undefined) ?? [], depth + 1);
        if (f.inline) {
          Object.assign(out, value);
          continue;
        }
        // A Go named slice (ExtraValue, Verbs) is empty for omitempty when it has no items.
        if (f.omitempty && !f.pointer && (value === null || (Array.isArray(value) && value.length === 0))) {
          const entry = MESSAGES[f.type];
          if (typeof entry === "string" && entry.startsWith("items:")) continue;
        }
        out[f.json] = value;
      }
    }
    return out;
  }

  /** Reads the fields of a hand-coded message into raw values. */
  private raw(key: string, rows: readonly FieldRow[], ranges: readonly Range[], depth: number): Fields {
    const idx = indexFor(key, rows);
    const fields: Fields = new Map();
    for (const [s, e] of ranges) this.readFields(idx, s, e, fields, depth);
    return fields;
  }

  private special(codec: string, type: string, ranges: readonly Range[], depth: number): Json {
    switch (codec) {
      case "time":
      case "microtime": {
        const f = this.raw(`${type}#`, TIME_ROWS, ranges, depth);
        const seconds = f.get(1) as number | undefined;
        const nanos = (f.get(2) as number | undefined) ?? 0;
        // Zero time (nothing set, or Go's zero instant 0001-01-01T00:00:00Z) is null.
        if ((seconds === undefined || seconds === GO_ZERO_TIME_UNIX) && nanos === 0) return null;
        const s = codec === "time" ? formatTime(seconds ?? 0, nanos) : formatMicroTime(seconds ?? 0, nanos);
        if (s === undefined) throw new WireError(`${type}: time out of range: ${seconds}s`);
        return s;
      }
      case "duration": {
        const f = this.raw(`${type}#`, DURATION_ROWS, ranges, depth);
        return formatDuration((f.get(1) as bigint | undefined) ?? 0n);
      }
      case "quantity": {
        const f = this.raw(`${type}#`, QUANTITY_ROWS, ranges, depth);
        return (f.get(1) as string | undefined) ?? "0";
      }
      case "intorstring": {
        const f = this.raw(`${type}#`, INT_OR_STRING_ROWS, ranges, depth);
        const kind = (f.get(1) as number | undefined) ?? 0;
        if (kind === 0) return (f.get(2) as number | undefined) ?? 0;
        if (kind === 1) return (f.get(3) as string | undefined) ?? "";
        throw new WireError("impossible IntOrString.Type");
      }
      case "rawjson":
      case "json": {
        const f = this.raw(`${type}#`, RAW_ROWS, ranges, depth);
        const raw = f.get(1) as Buffer | undefined;
        if (!raw || raw.length === 0) return null;
        try {
          return JSON.parse(raw.toString("utf8")) as Json;
        } catch (err) {
          throw new WireError(`${type}: the embedded JSON is invalid: ${(err as Error).message}`);
        }
      }
      case "schemaorarray":
      case "schemaorstringarray": {
        const schema = type.replace(/Or(Array|StringArray)$/, "");
        const rows: FieldRow[] = [
          [1, "schema", schema, "p"],
          [2, "items", codec === "schemaorarray" ? schema : "string", "r"],
        ];
        const f = this.raw(`${type}#`, rows, ranges, depth);
        const list = f.get(2) as Json[] | undefined;
        if (list && list.length > 0) return list;
        const s = f.get(1) as Range[] | undefined;
        return s ? this.message(schema, s, depth + 1) : null;
      }
      case "schemaorbool": {
        const schema = type.replace(/OrBool$/, "");
        const f = this.raw(`${type}#`, [[1, "allows", "bool", ""], [2, "schema", schema, "p"]], ranges, depth);
        const s = f.get(2) as Range[] | undefined;
        if (s) return this.message(schema, s, depth + 1);
        return f.get(1) === true;
      }
      default: {
        if (codec.startsWith("items:")) {
          if (ranges.length === 0) return null; // a nil slice
          const f = this.raw(`${type}#`, [[1, "items", codec.slice("items:".length), "r"]], ranges, depth);
          return (f.get(1) as Json[] | undefined) ?? [];
        }
        throw new Error(`internal: unknown protobuf codec ${codec} of ${type}`);
      }
    }
  }
}

/** Unix seconds of Go's zero time.Time (0001-01-01T00:00:00Z), which metav1.Time marshals as null. */
const GO_ZERO_TIME_UNIX = -62135596800;

const TIME_ROWS: readonly FieldRow[] = [
  [1, "seconds", "int64", ""],
  [2, "nanos", "int32", ""],
];
const DURATION_ROWS: readonly FieldRow[] = [[1, "duration", "bigint64", ""]];
const QUANTITY_ROWS: readonly FieldRow[] = [[1, "string", "string", ""]];
const INT_OR_STRING_ROWS: readonly FieldRow[] = [
  [1, "type", "int64", ""],
  [2, "intVal", "int32", ""],
  [3, "strVal", "string", ""],
];
const RAW_ROWS: readonly FieldRow[] = [[1, "raw", "bytes", ""]];
