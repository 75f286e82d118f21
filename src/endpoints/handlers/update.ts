import { expectedTypeOf } from "../pipeline/target.js";
import { updateObject } from "../pipeline/writes.js";
import { decodedBody, decodeObjectBody, objectBodyMediaType } from "./body.js";
import { writeOptions } from "./options.js";
import { negotiate, respondObject, type HandlerScope } from "./scope.js";

/** PUT: replace the object (or its subresource) with the body. */
export async function handleUpdate(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const { kind, apiVersion } = expectedTypeOf(scope.target);
  // as upstream: the body's media type, then the options, and only then the body itself
  objectBodyMediaType(scope, kind, apiVersion);
  const opts = writeOptions(scope.query, "UpdateOptions");
  const obj = decodeObjectBody(scope, kind, apiVersion);
  const res = await updateObject(scope.target, obj, opts, decodedBody(scope));
  respondObject(scope, res.created ? 201 : 200, res.object, format);
}
