// PATCH: each patch type is a transform applied inside the store's optimistic retry loop, so a
// conflicting concurrent write just re-applies the patch to the fresh object. Server-side apply
// (application/apply-patch+yaml) merges the configuration under field ownership and may create.
import { errors } from "../../apimachinery/errors.js";
import { FieldPath, fieldErrors } from "../../apimachinery/field-errors.js";
import { isPlainObject, type KubeObject } from "../../apimachinery/types.js";
import type { ResourceDefinition } from "../../registry/definition.js";
import { parseFieldValidation, patchDocumentProblems, validateBodyFields, validatePatchedFields } from "../field-validation/index.js";
import { applyJsonPatch, parseJsonPatch } from "../patch/json-patch.js";
import { applyMergePatch } from "../patch/merge-patch.js";
import { StrategicMergePatcher } from "../patch/strategic-merge-patch.js";
import { expectedTypeOf, mediaTypeOf, parseBody } from "./body.js";
import { fieldManagerFor, fieldTracking, managerName } from "./field-manager.js";
import { parseDryRun, parseFieldManager } from "./options.js";
import { negotiate, respondObject, schemaNameOf, type HandlerScope } from "./scope.js";

export const JSON_PATCH = "application/json-patch+json";
export const MERGE_PATCH = "application/merge-patch+json";
export const STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
export const APPLY_PATCH = "application/apply-patch+yaml";

/** Patch types a resource accepts: strategic merge only for built-in kinds. */
export function supportedPatchTypes(def: ResourceDefinition): string[] {
  return def.customResource ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];
}

function parseForce(query: URLSearchParams, apply: boolean): boolean {
  const v = query.get("force");
  if (v === null) return false;
  if (!apply) throw errors.invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [fieldErrors.forbidden(FieldPath.root("force"), "may not be specified for non-apply patch")]);
  return v === "true" || v === "1";
}

export async function handlePatch(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const mediaType = mediaTypeOf(scope.req.headers["content-type"]);
  const supported = supportedPatchTypes(scope.def);
  if (!supported.includes(mediaType)) throw errors.unsupportedMediaType(supported);
  if (!scope.body || scope.body.length === 0) throw errors.badRequest("the request body is empty; a patch is required");
  const apply = mediaType === APPLY_PATCH;
  const dryRun = parseDryRun(scope.query, "PatchOptions");
  const fieldManager = parseFieldManager(scope.query, "PatchOptions");
  const force = parseForce(scope.query, apply);
  const fieldValidation = parseFieldValidation(scope.query, "PatchOptions");
  const fm = fieldManagerFor(scope);
  const manager = managerName(scope, fieldManager);
  const tracking = fieldTracking(scope, fm, manager);
  const name = scope.info.name;
  const gr = { group: scope.def.group, resource: scope.def.plural };
  const afterPatch = (patched: KubeObject) => {
    if (scope.info.subresource === "" || scope.info.subresource === "status") scope.def.defaults?.(patched);
  };

  let transform: (current: KubeObject | undefined) => KubeObject;
  if (apply) {
    if (!fieldManager) throw errors.invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [fieldErrors.required(FieldPath.root("fieldManager"), "is required for apply patch")]);
    const config = parseBody(scope.body, APPLY_PATCH);
    if (!isPlainObject(config)) throw errors.badRequest("error decoding YAML: the applied configuration must be an object");
    const { kind, apiVersion } = expectedTypeOf(scope);
    const cfg = config as KubeObject;
    if (cfg.apiVersion !== apiVersion || cfg.kind !== kind)
      throw errors.badRequest(`the API version in the data (${String(cfg.apiVersion ?? "")}) does not match the expected API version (${apiVersion})`);
    if (!isPlainObject(cfg.metadata)) cfg.metadata = {};
    if (cfg.metadata.name && cfg.metadata.name !== name)
      throw errors.badRequest(`the name of the object (${cfg.metadata.name}) does not match the name on the URL (${name})`);
    cfg.metadata.name = name;
    const text = scope.body.toString("utf8");
    const yaml = !/^\s*[{[]/.test(text);
    validateBodyFields(scope.ctx, fieldValidation, scope.schemas(), schemaNameOf(scope), cfg, { text, yaml }, { kind, version: apiVersion.split("/").pop()! });
    transform = (current) => {
      if (!fm || scope.info.subresource === "scale") throw errors.unsupportedMediaType(supported.filter((t) => t !== APPLY_PATCH));
      const result = fm.manager.apply(current, structuredClone(cfg), manager, force, fm.scope);
      afterPatch(result);
      return result;
    };
  } else {
    const patch = parseBody(scope.body, "application/json");
    const patchProblems = fieldValidation === "Ignore" ? [] : patchDocumentProblems(scope.body.toString("utf8"), mediaType === JSON_PATCH);
    let applyPatch: (current: KubeObject) => unknown;
    if (mediaType === JSON_PATCH) {
      const ops = parseJsonPatch(patch);
      applyPatch = (current) => applyJsonPatch(current, ops);
    } else {
      if (!isPlainObject(patch)) throw errors.badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
      if (mediaType === STRATEGIC_MERGE_PATCH) {
        const schemas = scope.schemas();
        const schemaName = schemaNameOf(scope);
        const patcher = new StrategicMergePatcher(schemas);
        const root = schemaName ? schemas.get(schemaName) : undefined;
        applyPatch = (current) => patcher.apply(current, patch, root);
      } else {
        applyPatch = (current) => applyMergePatch(current, patch);
      }
    }
    transform = (current) => {
      if (!current) throw errors.notFound(gr, name);
      const patched = applyPatch(current);
      if (!isPlainObject(patched)) throw errors.badRequest("the patch produced something that is not an object");
      const obj = patched as KubeObject;
      validatePatchedFields(scope.ctx, fieldValidation, scope.schemas(), schemaNameOf(scope), obj, patchProblems);
      afterPatch(obj);
      tracking.onObject(current, obj);
      return obj;
    };
  }
  const res = await scope.rest.update!(scope.ctx, name, transform, {
    dryRun,
    ...(fieldManager ? { fieldManager } : {}),
    ...(apply ? { forceAllowCreate: true } : { ...tracking.options }),
  });
  respondObject(scope, res.created ? 201 : 200, res.object, format);
}
