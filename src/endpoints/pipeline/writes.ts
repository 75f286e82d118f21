// The write pipeline shared by HTTP and the loopback client: field validation (and pruning of
// unknown fields), defaulting, field ownership, then the REST storage (which runs the strategy,
// validation, admission and optimistic concurrency). Patches are transforms inside the store's
// retry loop, so a concurrent write just re-applies the patch to the fresh object.
import { ApiError, errors } from "../../apimachinery/errors.js";
import { addWarning } from "../../registry/context.js";
import { yamlDuplicateKeys } from "../field-validation/yaml-keys.js";
import { FieldPath, fieldErrors } from "../../apimachinery/field-errors.js";
import { isPlainObject, type KubeObject } from "../../apimachinery/types.js";
import type { ResourceDefinition } from "../../registry/definition.js";
import type { DeleteOptions, DeleteResult } from "../../registry/rest.js";
import {
  patchDocumentProblems,
  schemaFieldDecoder,
  validateBodyFields,
  validatePatchedFields,
  type DecodedBody,
  type FieldDecoder,
  type FieldValidationMode,
} from "../field-validation/index.js";
import { applyJsonPatch, parseJsonPatch } from "../patch/json-patch.js";
import { applyMergePatch } from "../patch/merge-patch.js";
import { StrategicMergePatcher } from "../patch/strategic-merge-patch.js";
import { fieldTracking, managerName } from "./field-ownership.js";
import { expectedTypeOf, schemaNameOf, writesMainObject, type OperationTarget } from "./target.js";

export const JSON_PATCH = "application/json-patch+json";
export const MERGE_PATCH = "application/merge-patch+json";
export const STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
export const APPLY_PATCH = "application/apply-patch+yaml";

export type PatchType = typeof JSON_PATCH | typeof MERGE_PATCH | typeof STRATEGIC_MERGE_PATCH | typeof APPLY_PATCH;

/** Patch types a resource accepts: strategic merge only for built-in kinds. */
export function supportedPatchTypes(def: ResourceDefinition): string[] {
  return def.customResource ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];
}

export interface WriteOptions {
  dryRun: boolean;
  fieldManager?: string | undefined;
  fieldValidation: FieldValidationMode;
}

const versionOf = (apiVersion: string) => apiVersion.split("/").pop()!;

/** How the object written to this endpoint is decoded: the kind's own pruning (custom resources) or its published schema. */
function fieldDecoderOf(t: OperationTarget): FieldDecoder | undefined {
  const prune = t.def.prune;
  if (prune && writesMainObject(t)) return (obj) => prune(obj);
  return schemaFieldDecoder(t.schemas(), schemaNameOf(t));
}

function checkBody(t: OperationTarget, obj: KubeObject, opts: WriteOptions, body: DecodedBody): void {
  const { kind, apiVersion } = expectedTypeOf(t);
  validateBodyFields(t.ctx, opts.fieldValidation, fieldDecoderOf(t), obj, body, { kind, version: versionOf(apiVersion) });
}

const storeOptions = (opts: WriteOptions) => ({ dryRun: opts.dryRun, ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}) });

/** POST of a new object (body: the request text, for field validation's document order). */
export async function createObject(t: OperationTarget, obj: KubeObject, opts: WriteOptions, body: DecodedBody = { yaml: false }): Promise<KubeObject> {
  checkBody(t, obj, opts, body);
  if (!t.ctx.subresource) t.def.defaults?.(obj);
  const { onObject } = fieldTracking(t, managerName(t, opts.fieldManager));
  onObject(undefined, obj);
  return (await t.rest.create!(t.ctx, obj, storeOptions(opts))) as KubeObject;
}

/** PUT: replace the object (or a subresource) with obj. */
export async function updateObject(
  t: OperationTarget,
  obj: KubeObject,
  opts: WriteOptions,
  body: DecodedBody = { yaml: false },
): Promise<{ object: KubeObject; created: boolean }> {
  checkBody(t, obj, opts, body);
  if (writesMainObject(t)) t.def.defaults?.(obj);
  const name = t.ctx.name;
  if (obj.metadata.name && obj.metadata.name !== name)
    throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  obj.metadata.name = name;
  const tracking = fieldTracking(t, managerName(t, opts.fieldManager));
  return t.rest.update!(
    t.ctx,
    name,
    (current) => {
      const next = structuredClone(obj);
      tracking.onObject(current, next);
      return next;
    },
    { ...storeOptions(opts), ...tracking.options },
  );
}

export interface PatchOptions extends WriteOptions {
  force?: boolean;
}

const patchOptionsInvalid = (field: string, err: ReturnType<typeof fieldErrors.required>) =>
  errors.invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [{ ...err, field }]);

/**
 * PATCH with any patch type. `patch` is the parsed body; `text` the raw body when available
 * (duplicate-field detection). Apply creates a missing object.
 */
export async function patchObject(
  t: OperationTarget,
  type: PatchType,
  patch: unknown,
  opts: PatchOptions,
  text?: string,
): Promise<{ object: KubeObject; created: boolean }> {
  const supported = supportedPatchTypes(t.def);
  if (!supported.includes(type)) throw errors.unsupportedMediaType(supported);
  const apply = type === APPLY_PATCH;
  if (opts.force !== undefined && !apply) throw patchOptionsInvalid("force", fieldErrors.forbidden(FieldPath.root("force"), "may not be specified for non-apply patch"));
  const name = t.ctx.name;
  const manager = managerName(t, opts.fieldManager);
  const tracking = fieldTracking(t, manager);
  const afterPatch = (patched: KubeObject) => {
    if (writesMainObject(t)) t.def.defaults?.(patched);
  };
  let transform: (current: KubeObject | undefined) => KubeObject;
  if (apply) {
    if (!opts.fieldManager) throw patchOptionsInvalid("fieldManager", fieldErrors.required(FieldPath.root("fieldManager"), "is required for apply patch"));
    if (!isPlainObject(patch)) throw errors.badRequest("error decoding YAML: the applied configuration must be an object");
    const { kind, apiVersion } = expectedTypeOf(t);
    // the configuration as the client sent it: kubectl's applies write it to the last-applied annotation
    const sent = structuredClone(patch);
    const cfg = patch as KubeObject;
    // upstream versionCheckManager: the configuration's group, version and kind are the endpoint's
    const applied = groupVersionKindOf(cfg);
    const expected = groupVersionKindOf({ apiVersion, kind });
    if (applied.group !== expected.group || applied.version !== expected.version || applied.kind !== expected.kind)
      throw errors.badRequest(`invalid object type: ${applied.group}/${applied.version}, Kind=${applied.kind}`);
    const sentManagedFields = isPlainObject(cfg.metadata) ? (cfg.metadata as Record<string, unknown>).managedFields : undefined;
    if (Array.isArray(sentManagedFields) && sentManagedFields.every((e) => isPlainObject(e))) throw errors.badRequest("metadata.managedFields must be nil");
    if (!isPlainObject(cfg.metadata)) cfg.metadata = {};
    if (cfg.metadata.name && cfg.metadata.name !== name)
      throw errors.badRequest(`the name of the object (${cfg.metadata.name}) does not match the name on the URL (${name})`);
    cfg.metadata.name = name;
    checkApplyConfiguration(t, cfg, opts, text, apiVersion);
    const fo = tracking.ownership;
    transform = (current) => {
      if (!fo || t.ctx.subresource === "scale") throw errors.unsupportedMediaType(supported.filter((s) => s !== APPLY_PATCH));
      const result = fo.manager.apply(current, structuredClone(cfg), manager, opts.force === true, fo.scope, { sent });
      afterPatch(result);
      return result;
    };
  } else {
    const problems = opts.fieldValidation === "Ignore" || text === undefined ? [] : patchDocumentProblems(text, type === JSON_PATCH);
    let applyPatch: (current: KubeObject) => unknown;
    if (type === JSON_PATCH) {
      const ops = parseJsonPatch(patch);
      applyPatch = (current) => applyJsonPatch(current, ops);
    } else {
      if (!isPlainObject(patch)) throw errors.badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
      if (type === STRATEGIC_MERGE_PATCH) {
        const schemas = t.schemas();
        const schemaName = schemaNameOf(t);
        const patcher = new StrategicMergePatcher(schemas);
        const root = schemaName ? schemas.get(schemaName) : undefined;
        applyPatch = (current) => patcher.apply(current, patch, root);
      } else {
        applyPatch = (current) => applyMergePatch(current, patch);
      }
    }
    transform = (current) => {
      if (!current) throw errors.notFound({ group: t.def.group, resource: t.def.plural }, name);
      const patched = applyPatch(current);
      if (!isPlainObject(patched)) throw errors.badRequest("the patch produced something that is not an object");
      const obj = patched as KubeObject;
      validatePatchedFields(t.ctx, opts.fieldValidation, fieldDecoderOf(t), obj, problems);
      afterPatch(obj);
      tracking.onObject(current, obj);
      return obj;
    };
  }
  return t.rest.update!(t.ctx, name, transform, {
    ...storeOptions(opts),
    ...(apply ? { forceAllowCreate: true } : { ...tracking.options }),
  });
}

/** An object's group, version and kind as upstream reads them from unstructured data (a malformed apiVersion: all empty). */
function groupVersionKindOf(obj: { apiVersion?: unknown; kind?: unknown }): { group: string; version: string; kind: string } {
  const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  const kind = typeof obj.kind === "string" ? obj.kind : "";
  if (apiVersion === "" || apiVersion === "/") return { group: "", version: "", kind };
  const parts = apiVersion.split("/");
  if (parts.length === 1) return { group: "", version: apiVersion, kind };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]!, kind };
  return { group: "", version: "", kind: "" };
}

/**
 * Upstream's checks of an applied configuration: the body is decoded as YAML (duplicate keys are
 * the YAML decoder's errors or warnings), and a field the schema does not declare cannot be typed
 * by the field manager — a 500 whatever fieldValidation says.
 */
function checkApplyConfiguration(t: OperationTarget, cfg: KubeObject, opts: PatchOptions, text: string | undefined, apiVersion: string): void {
  if (text !== undefined && opts.fieldValidation !== "Ignore") {
    const dups = yamlDuplicateKeys(text);
    if (dups.length && opts.fieldValidation === "Strict")
      throw errors.badRequest(`error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  ${dups.join("\n  ")}`);
    for (const d of dups) addWarning(t.ctx, d);
  }
  const schemaName = schemaNameOf(t);
  if (!schemaName || !t.schemas().has(schemaName)) return;
  const unknown = t.schemas().unknownFields(schemaName, cfg);
  if (unknown.length) {
    // the object's types.NamespacedName: "namespace/name", "/name" when cluster-scoped
    // structured-merge-diff's error list: one error as it is, several under "errors:"
    const problems = unknown.map((u) => `.${u}: field not declared in schema`);
    const detail = problems.length === 1 ? problems[0] : `errors:\n${problems.map((p) => `  ${p}`).join("\n")}`;
    throw new ApiError(500, "", `failed to create typed patch object (${t.ctx.namespace}/${t.ctx.name}; ${apiVersion}, Kind=${t.def.kind}): ${detail}`);
  }
}

export function deleteObject(t: OperationTarget, opts: DeleteOptions): Promise<DeleteResult> {
  return t.rest.delete!(t.ctx, t.ctx.name, opts);
}
