import { errors } from "../../apimachinery/errors.js";
import { decodeObjectBody, expectedTypeOf } from "./body.js";
import { checkFields } from "./create.js";
import { fieldManagerFor, fieldTracking, managerName } from "./field-manager.js";
import { parseDryRun, parseFieldManager } from "./options.js";
import { negotiate, respondObject, type HandlerScope } from "./scope.js";

/** PUT: replace the object (or its subresource) with the body. */
export async function handleUpdate(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const { kind, apiVersion } = expectedTypeOf(scope);
  const obj = decodeObjectBody(scope, kind, apiVersion);
  checkFields(scope, obj, kind, apiVersion, "UpdateOptions");
  if (scope.info.subresource === "" || scope.info.subresource === "status") scope.def.defaults?.(obj);
  const name = scope.info.name;
  if (obj.metadata.name && obj.metadata.name !== name)
    throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  obj.metadata.name = name;
  const dryRun = parseDryRun(scope.query, "UpdateOptions");
  const fieldManager = parseFieldManager(scope.query, "UpdateOptions");
  const tracking = fieldTracking(scope, fieldManagerFor(scope), managerName(scope, fieldManager));
  const res = await scope.rest.update!(
    scope.ctx,
    name,
    (current) => {
      const next = structuredClone(obj);
      tracking.onObject(current, next);
      return next;
    },
    { dryRun, ...(fieldManager ? { fieldManager } : {}), ...tracking.options },
  );
  respondObject(scope, res.created ? 201 : 200, res.object, format);
}
