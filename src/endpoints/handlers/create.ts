import { createObject } from "../pipeline/writes.js";
import { expectedTypeOf } from "../pipeline/target.js";
import { decodedBody, decodeObjectBody } from "./body.js";
import { writeOptions } from "./options.js";
import { negotiate, respondObject, type HandlerScope } from "./scope.js";

export async function handleCreate(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const { kind, apiVersion } = expectedTypeOf(scope.target);
  const obj = decodeObjectBody(scope, kind, apiVersion);
  const created = await createObject(scope.target, obj, writeOptions(scope.query, "CreateOptions"), decodedBody(scope));
  respondObject(scope, 201, created, format);
}
