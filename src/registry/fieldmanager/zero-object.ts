// The "live object" of a create: upstream compares a created object against a new, empty object
// of its kind (scope.Creater.New), as the typed converter renders it. That rendering is Go's
// runtime.DefaultUnstructuredConverter over the zero struct: omitempty fields holding a zero scalar,
// nil pointer, nil slice or nil map are left out; other nil pointers, slices and maps are null;
// struct fields are always there (omitempty never drops a struct), as {} with their own zero
// fields, or as the value a custom marshaller gives a zero (Time: null, Quantity: "0"). So a zero
// Deployment is {metadata: {creationTimestamp: null}, spec: {selector: null, template: {metadata:
// {creationTimestamp: null}, spec: {containers: null}}, strategy: {}}, status: {}}: a struct or
// list the create fills in where the zero has null or {} is not itself "added" (no '.').
//
// The Go facts (omitempty, pointer, slice, map, inline) come from the protobuf wire table of the
// built-in kinds; kinds without one (custom resources) start from an empty object.
import { protobufMessageFor } from "../../protobuf/index.js";
import { MESSAGES } from "../../protobuf/wire-table.js";

type Json = unknown;

/** Zero renderings of the types with hand-written codecs (their ToUnstructured/MarshalJSON of a zero). */
const CODEC_ZERO: Record<string, Json> = {
  time: null,
  microtime: null,
  rawjson: null,
  json: null,
  quantity: "0",
  intorstring: 0,
  duration: "0s",
};

const SCALAR_ZERO: Record<string, Json> = {
  string: "",
  bool: false,
  bytes: null,
  double: 0,
  float: 0,
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  sint32: 0,
  sint64: 0,
  fixed32: 0,
  fixed64: 0,
  sfixed32: 0,
  sfixed64: 0,
};

const cache = new Map<string, Record<string, Json>>();

function zeroStruct(message: string, depth: number): Record<string, Json> {
  const cached = cache.get(message);
  if (cached) return structuredClone(cached);
  const out: Record<string, Json> = {};
  const entry = MESSAGES[message];
  if (entry === undefined || typeof entry === "string" || depth > 32) return out;
  for (const [, json, type, flags] of entry) {
    if (flags.includes("i")) {
      Object.assign(out, zeroStruct(type, depth + 1));
      continue;
    }
    const omitempty = flags.includes("o");
    // nil pointers, slices and maps; zero scalars (bytes: a nil slice)
    if (flags.includes("p") || flags.includes("r") || flags.includes("m")) {
      if (!omitempty) out[json] = null;
      continue;
    }
    if (type in SCALAR_ZERO) {
      if (!omitempty) out[json] = SCALAR_ZERO[type];
      continue;
    }
    const sub = MESSAGES[type];
    if (typeof sub === "string") {
      // named slices (items:<type>) are nil; other codecs render their zero struct
      if (sub.startsWith("items:")) {
        if (!omitempty) out[json] = null;
      } else out[json] = CODEC_ZERO[sub] ?? null;
    } else {
      // a struct value: never omitted
      out[json] = zeroStruct(type, depth + 1);
    }
  }
  if (depth === 0) cache.set(message, structuredClone(out));
  return out;
}

/** The zero object of a kind as upstream's field manager sees it on create ({} for kinds without a table). */
export function zeroObject(apiVersion: string, kind: string): Record<string, Json> {
  const message = protobufMessageFor(apiVersion, kind);
  return message ? zeroStruct(message, 0) : {};
}
