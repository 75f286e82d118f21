import { createObject } from "../pipeline/writes.js";
import { expectedTypeOf } from "../pipeline/target.js";
import { decodedBody, decodeObjectBody, objectBodyMediaType } from "./body.js";
import { writeOptions } from "./options.js";
import { negotiate, respondObject, type HandlerScope } from "./scope.js";

export async function handleCreate(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const { kind, apiVersion } = expectedTypeOf(scope.target);
  // as upstream: the body's media type, then the options, and only then the body itself
  objectBodyMediaType(scope, kind, apiVersion);
  const opts = writeOptions(scope.query, "CreateOptions");
  const obj = decodeObjectBody(scope, kind, apiVersion);
  const created = await createObject(scope.target, obj, opts, decodedBody(scope));
  respondObject(scope, 201, created, format);
}
