// Protobuf request bodies (Content-Type: application/vnd.kubernetes.protobuf), which client-go's
// typed clients send from 1.32 on (kubectl create <generator>, create token, auth can-i/whoami,
// certificate approve). The body is the 4 magic bytes "k8s\0" and a runtime.Unknown
// {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType} whose raw is the
// typed message of k8s.io/api. It is decoded into the JSON object model — what the same client
// would have sent as JSON — and everything after that is the JSON path.
import { Buffer } from "node:buffer";
import { errors } from "../apimachinery/errors.js";
import type { KubeObject } from "../apimachinery/types.js";
import { Decoder, type Json } from "./decode.js";
import { KINDS } from "./wire-table.js";
import { Reader, WireError, WIRE_BYTES } from "./wire.js";

export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Kinds every group version knows (upstream metav1.AddToGroupVersion). */
const META_KINDS_IN_EVERY_VERSION = new Set([
  "WatchEvent",
  "ListOptions",
  "GetOptions",
  "DeleteOptions",
  "CreateOptions",
  "UpdateOptions",
  "PatchOptions",
  "Status",
  "APIVersions",
  "APIGroupList",
  "APIGroup",
  "APIResourceList",
]);

/** The protobuf message of a kind, if the server decodes it from protobuf (built-in kinds; never custom resources). */
export function protobufMessageFor(apiVersion: string, kind: string): string | undefined {
  const gv = KINDS[apiVersion];
  if (!gv) return undefined;
  return gv[kind] ?? (META_KINDS_IN_EVERY_VERSION.has(kind) ? KINDS["meta.k8s.io/v1"]![kind] : undefined);
}

export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The typed message (a view into the body). */
  raw: Buffer;
  contentEncoding: string;
  contentType: string;
}

/** Reads the magic and the runtime.Unknown; throws WireError with upstream's messages. */
export function decodeEnvelope(body: Buffer): Envelope {
  if (body.length === 0) throw new WireError("empty data");
  if (body.length < PROTOBUF_MAGIC.length || !body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC))
    throw new WireError(`provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(" ")}]`);
  if (body.length === PROTOBUF_MAGIC.length) throw new WireError("empty body");
  const env: Envelope = { apiVersion: "", kind: "", raw: body.subarray(0, 0), contentEncoding: "", contentType: "" };
  const r = new Reader(body, PROTOBUF_MAGIC.length);
  const str = (range: [number, number]) => body.toString("utf8", range[0], range[1]);
  while (!r.done) {
    const [num, wt] = r.tag("Unknown");
    if (num >= 1 && num <= 4 && wt !== WIRE_BYTES) throw new WireError(`proto: wrong wireType = ${wt} for field ${["TypeMeta", "Raw", "ContentEncoding", "ContentType"][num - 1]}`);
    switch (num) {
      case 1: {
        const [s, e] = r.lengthDelimited();
        const tm = new Reader(body, s, e);
        while (!tm.done) {
          const [n, w] = tm.tag("TypeMeta");
          if ((n === 1 || n === 2) && w !== WIRE_BYTES) throw new WireError(`proto: wrong wireType = ${w} for field ${n === 1 ? "APIVersion" : "Kind"}`);
          if (n === 1) env.apiVersion = str(tm.lengthDelimited());
          else if (n === 2) env.kind = str(tm.lengthDelimited());
          else tm.skip(w);
        }
        break;
      }
      case 2: {
        const [s, e] = r.lengthDelimited();
        env.raw = body.subarray(s, e);
        break;
      }
      case 3:
        env.contentEncoding = str(r.lengthDelimited());
        break;
      case 4:
        env.contentType = str(r.lengthDelimited());
        break;
      default:
        r.skip(wt);
    }
  }
  return env;
}

/** upstream summarizeData: the first 30 bytes, as text for JSON-looking data, else hex. */
function summarize(body: Buffer): string {
  if (body.length === 0) return "<empty>";
  const head = body.subarray(0, 30);
  const text = body[0] === 0x7b ? head.toString("utf8") : head.toString("hex");
  return body.length > 30 ? `${text} ...` : text;
}

/** Decodes one typed message (no envelope) of a known protobuf message name into its JSON form. */
export function decodeProtobufMessage(message: string, raw: Buffer): Record<string, Json> {
  return new Decoder(raw).message(message, [[0, raw.length]], 0) as Record<string, Json>;
}

/**
 * Decodes a protobuf request body into the JSON object model, with apiVersion/kind from the
 * envelope (defaulted from `expected` when empty). Malformed input is a 400 BadRequest with
 * upstream's wording; checking that the kind is the endpoint's is left to the caller, as for JSON.
 */
export function decodeProtobufObject(body: Buffer, expected: { apiVersion: string; kind: string }): KubeObject {
  let env: Envelope;
  try {
    env = decodeEnvelope(body);
  } catch (err) {
    if (err instanceof WireError)
      throw errors.badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${err.message} (${summarize(body)})`);
    throw err;
  }
  const apiVersion = env.apiVersion || expected.apiVersion;
  const kind = env.kind || expected.kind;
  const version = apiVersion.slice(apiVersion.indexOf("/") + 1);
  const cannot = (why: string) => errors.badRequest(`${kind} in version "${version}" cannot be handled as a ${expected.kind}: ${why}`);
  const message = protobufMessageFor(apiVersion, kind);
  if (!message) throw cannot(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/runtime/scheme.go:110"`);
  let fields: Record<string, Json>;
  try {
    fields = decodeProtobufMessage(message, env.raw);
  } catch (err) {
    if (err instanceof WireError) throw cannot(err.message);
    if (err instanceof RangeError) throw cannot("proto: the message is nested too deeply");
    throw err;
  }
  return { kind, apiVersion, ...fields } as unknown as KubeObject;
}
