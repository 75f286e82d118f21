import { decodeObjectBody, expectedTypeOf } from "./body.js";
import { parseDryRun, parseFieldManager } from "./options.js";
import { negotiate, respondObject, type HandlerScope } from "./scope.js";

export async function handleCreate(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const { kind, apiVersion } = expectedTypeOf(scope);
  const obj = decodeObjectBody(scope, kind, apiVersion);
  if (!scope.info.subresource) scope.def.defaults?.(obj);
  const dryRun = parseDryRun(scope.query, "CreateOptions");
  const fieldManager = parseFieldManager(scope.query, "CreateOptions");
  const created = await scope.rest.create!(scope.ctx, obj, { dryRun, ...(fieldManager ? { fieldManager } : {}) });
  respondObject(scope, 201, created as typeof obj, format);
}
