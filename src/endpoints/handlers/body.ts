// Request body decoding for writes: JSON or YAML into an object of the endpoint's kind. The size
// limit (3 MiB → 413) is enforced while reading the body, before this runs.
import { parse as parseYaml } from "yaml";
import { errors } from "../../apimachinery/errors.js";
import { isPlainObject, type KubeObject } from "../../apimachinery/types.js";
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE, protobufMessageFor } from "../../protobuf/index.js";
import type { DecodedBody } from "../field-validation/index.js";
import type { HandlerScope } from "./scope.js";

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Parses a JSON or YAML body into a plain value (400 on syntax errors). */
export function parseBody(body: Buffer, mediaType: string): unknown {
  const text = body.toString("utf8");
  if (mediaType === "application/yaml" || mediaType === "application/apply-patch+yaml") {
    try {
      return parseYaml(text, { uniqueKeys: false });
    } catch (err) {
      throw errors.badRequest(`error converting YAML to JSON: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`json: ${(err as Error).message}`);
  }
}

/**
 * The media type of a create or update body, negotiated as upstream's NegotiateInputSerializer
 * (415 for one the endpoint cannot decode). Handlers call it before validating the options.
 */
export function objectBodyMediaType(scope: HandlerScope, expectedKind: string, expectedApiVersion: string): string {
  const mediaType = mediaTypeOf(scope.req.headers["content-type"]) || "application/json";
  // Built-in kinds also come as protobuf (typed clients of client-go >= 0.32); custom resources never.
  const protobuf = protobufMessageFor(expectedApiVersion, expectedKind) !== undefined;
  if (mediaType !== "application/json" && mediaType !== "application/yaml" && !(protobuf && mediaType === PROTOBUF_MEDIA_TYPE))
    throw errors.unsupportedMediaType(["application/json", "application/yaml", ...(protobuf ? [PROTOBUF_MEDIA_TYPE] : [])]);
  return mediaType;
}

/** The object of a create or update (PUT): typed to the endpoint, apiVersion/kind checked or defaulted. */
export function decodeObjectBody(scope: HandlerScope, expectedKind: string, expectedApiVersion: string): KubeObject {
  const mediaType = objectBodyMediaType(scope, expectedKind, expectedApiVersion);
  if (!scope.body || scope.body.length === 0) throw errors.badRequest("the request body is empty; an object is required");
  const value =
    mediaType === PROTOBUF_MEDIA_TYPE
      ? decodeProtobufObject(scope.body, { apiVersion: expectedApiVersion, kind: expectedKind })
      : parseBody(scope.body, mediaType);
  if (!isPlainObject(value)) throw errors.badRequest(`${expectedKind} in version "${expectedApiVersion}" cannot be handled as a ${expectedKind}: the body is not a JSON object`);
  const obj = value as KubeObject;
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectedApiVersion)
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectedApiVersion})`);
  if (obj.kind !== undefined && obj.kind !== expectedKind)
    throw errors.badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${expectedKind})`);
  obj.apiVersion = expectedApiVersion;
  obj.kind = expectedKind;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isPlainObject(obj.metadata)) throw errors.badRequest(`${expectedKind} in version "${expectedApiVersion}" cannot be handled as a ${expectedKind}: metadata must be an object`);
  return obj;
}

/** The request text for field validation (document order of duplicates and unknown fields). */
export function decodedBody(scope: HandlerScope): DecodedBody {
  const mediaType = mediaTypeOf(scope.req.headers["content-type"]) || "application/json";
  const textual = mediaType === "application/json" || mediaType === "application/yaml";
  return { text: textual ? scope.body?.toString("utf8") : undefined, yaml: mediaType === "application/yaml" };
}
