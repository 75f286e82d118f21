// JSON patch (RFC 6902) with the fast-json-patch library; failures read as upstream reports them.
import fastJsonPatch, { type Operation } from "fast-json-patch";
import { ApiError, errors } from "../../apimachinery/errors.js";

/** Upstream caps the number of operations of one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

export function parseJsonPatch(value: unknown): Operation[] {
  if (!Array.isArray(value)) throw errors.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  if (value.length > MAX_JSON_PATCH_OPERATIONS)
    throw errors.requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${value.length}`);
  return value as Operation[];
}

export function applyJsonPatch(doc: unknown, ops: Operation[]): unknown {
  try {
    return fastJsonPatch.applyPatch(structuredClone(doc), ops, true, true).newDocument;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // upstream: NewGenericServerResponse(422, ...) — a generic Invalid whose text omits the cause
    throw new ApiError(422, "Invalid", "the server rejected our request due to an error in our request", {});
  }
}
