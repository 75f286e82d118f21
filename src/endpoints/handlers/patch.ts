// PATCH: each patch type is a transform applied inside the store's optimistic retry loop, so a
// conflicting concurrent write just re-applies the patch to the fresh object.
import { errors } from "../../apimachinery/errors.js";
import { isPlainObject, type KubeObject } from "../../apimachinery/types.js";
import { applyJsonPatch, parseJsonPatch } from "../patch/json-patch.js";
import { applyMergePatch } from "../patch/merge-patch.js";
import { StrategicMergePatcher } from "../patch/strategic-merge-patch.js";
import type { ResourceDefinition } from "../../registry/definition.js";
import { mediaTypeOf, parseBody } from "./body.js";
import { parseDryRun, parseFieldManager } from "./options.js";
import { negotiate, respondObject, schemaNameOf, type HandlerScope } from "./scope.js";
import { parseFieldValidation, patchDocumentProblems, validatePatchedFields } from "../field-validation/index.js";

export const JSON_PATCH = "application/json-patch+json";
export const MERGE_PATCH = "application/merge-patch+json";
export const STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
export const APPLY_PATCH = "application/apply-patch+yaml";

/** Patch types a resource accepts: strategic merge only for built-in kinds (apply: not yet). */
export function supportedPatchTypes(def: ResourceDefinition): string[] {
  return def.customResource ? [JSON_PATCH, MERGE_PATCH] : [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH];
}



export async function handlePatch(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const mediaType = mediaTypeOf(scope.req.headers["content-type"]);
  const supported = supportedPatchTypes(scope.def);
  if (!supported.includes(mediaType)) throw errors.unsupportedMediaType(supported);
  if (!scope.body || scope.body.length === 0) throw errors.badRequest("the request body is empty; a patch is required");
  const patch = parseBody(scope.body, "application/json");
  const fieldValidation = parseFieldValidation(scope.query, "PatchOptions");
  const patchProblems = fieldValidation === "Ignore" ? [] : patchDocumentProblems(scope.body.toString("utf8"), mediaType === JSON_PATCH);
  let apply: (current: KubeObject) => KubeObject;
  if (mediaType === JSON_PATCH) {
    const ops = parseJsonPatch(patch);
    apply = (current) => applyJsonPatch(current, ops) as KubeObject;
  } else if (mediaType === STRATEGIC_MERGE_PATCH) {
    if (!isPlainObject(patch)) throw errors.badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
    const schemas = scope.schemas();
    const name = schemaNameOf(scope);
    const root = name ? schemas.get(name) : undefined;
    const patcher = new StrategicMergePatcher(schemas);
    apply = (current) => patcher.apply(current, patch, root) as KubeObject;
  } else {
    if (!isPlainObject(patch)) throw errors.badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
    apply = (current) => applyMergePatch(current, patch) as KubeObject;
  }
  const dryRun = parseDryRun(scope.query, "PatchOptions");
  const fieldManager = parseFieldManager(scope.query, "PatchOptions");
  const name = scope.info.name;
  const res = await scope.rest.update!(
    scope.ctx,
    name,
    (current) => {
      if (!current) throw errors.notFound({ group: scope.def.group, resource: scope.def.plural }, name);
      const patched = apply(current);
      if (!isPlainObject(patched)) throw errors.badRequest("the patch produced something that is not an object");
      validatePatchedFields(scope.ctx, fieldValidation, scope.schemas(), schemaNameOf(scope), patched, patchProblems);
      if (scope.info.subresource === "" || scope.info.subresource === "status") scope.def.defaults?.(patched);
      return patched;
    },
    { dryRun, ...(fieldManager ? { fieldManager } : {}) },
  );
  respondObject(scope, res.created ? 201 : 200, res.object, format);
}
