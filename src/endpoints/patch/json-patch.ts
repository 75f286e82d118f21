// JSON patch (RFC 6902) with the fast-json-patch library; failures read as upstream reports them.
import fastJsonPatch, { type Operation } from "fast-json-patch";
import { ApiError, errors } from "../../apimachinery/errors.js";

/** Upstream caps the number of operations of one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

const goType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "boolean" ? "bool" : typeof v);

export function parseJsonPatch(value: unknown): Operation[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw errors.badRequest(`json: cannot unmarshal ${goType(value)} into Go value of type jsonpatch.Patch`);
  if (value.length > MAX_JSON_PATCH_OPERATIONS)
    throw errors.requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${value.length}`);
  for (const op of value) {
    if (typeof op !== "object" || op === null || Array.isArray(op))
      throw errors.badRequest(`json: cannot unmarshal ${goType(op)} into Go value of type jsonpatch.Operation`);
  }
  return value as Operation[];
}

/** The parent container and last key of a JSON pointer, when the parent is an object. */
function parentObject(doc: unknown, pointer: string): { parent: Record<string, unknown>; key: string } | undefined {
  const parts = pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const key = parts.pop();
  if (key === undefined) return undefined;
  let node: unknown = doc;
  for (const p of parts) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[p];
  }
  if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
  return { parent: node as Record<string, unknown>, key };
}

/**
 * Applies the operations in order on a copy (values are copied, never shared with the request),
 * with evanphx/json-patch v4's leniencies upstream relies on: `replace` of a missing object member
 * sets it, and `test` for null passes on a missing member.
 */
export function applyJsonPatch(doc: unknown, ops: Operation[]): unknown {
  let current = structuredClone(doc);
  try {
    for (const original of ops) {
      const op = structuredClone(original);
      if (op.op === "replace" || op.op === "test") {
        const target = parentObject(current, op.path);
        if (target && !(target.key in target.parent)) {
          if (op.op === "test" && op.value === null) continue;
          if (op.op === "replace") (op as { op: string }).op = "add";
        }
      }
      current = fastJsonPatch.applyOperation(current, op, true, true).newDocument;
    }
    return current;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // upstream: NewGenericServerResponse(422, ...) — a generic Invalid whose text omits the cause
    throw new ApiError(422, "Invalid", "the server rejected our request due to an error in our request", {});
  }
}
