// apiextensions.k8s.io/v1 customresourcedefinitions (upstream apiextensions-apiserver
// pkg/registry/customresourcedefinition). Stored only; serving the custom resources is the CRD
// registrar's job. status.storedVersions always lists the current storage version.
import type { FieldError } from "../../../apimachinery/field-errors.js";
import { fieldErrors } from "../../../apimachinery/field-errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { formatTime } from "../../../util/clock.js";
import { defineResource } from "../../definition.js";
import { asArray, asObject, asString, ensureObject, specOf } from "../strategy-helpers.js";

/** The finalizer upstream's CRD REST adds on delete, removed once all custom resources are gone. */
export const CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

/** Adds the version marked storage: true to status.storedVersions when it is not there yet. */
export function recordStorageVersion(crd: KubeObject): void {
  const storage = asArray(specOf(crd).versions)
    .map((v) => asObject(v) ?? {})
    .find((v) => v.storage === true);
  if (!storage) return;
  const status = ensureObject(crd, "status");
  const stored = asArray(status.storedVersions).filter((v): v is string => typeof v === "string");
  const name = asString(storage.name);
  if (!stored.includes(name)) status.storedVersions = [...stored, name];
}

/** metadata.name must be <plural>.<group>; the CRD registrar derives the served resource from it. */
export function validateCRDName(crd: KubeObject): FieldError[] {
  const spec = specOf(crd);
  const expected = `${asString(asObject(spec.names)?.plural)}.${asString(spec.group)}`;
  return crd.metadata.name === expected ? [] : [fieldErrors.invalid("metadata.name", crd.metadata.name ?? "", 'must be spec.names.plural+"."+spec.group')];
}

/**
 * upstream's CRD delete: the CRD gets the cleanup finalizer and a Terminating condition and stays
 * until the finalizer controller has removed its custom resources (src/apiextensions/finalizer.ts).
 */
export function beginCRDDelete(crd: KubeObject, now: string): boolean {
  const finalizers = crd.metadata.finalizers ?? [];
  if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) crd.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
  const status = ensureObject(crd, "status");
  const conditions = asArray(status.conditions).map((c) => asObject(c) ?? {});
  const terminating = {
    type: "Terminating",
    status: "True",
    lastTransitionTime: now,
    reason: "InstanceDeletionPending",
    message: "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
  };
  const idx = conditions.findIndex((c) => c.type === "Terminating");
  if (idx < 0) conditions.push(terminating);
  else if (conditions[idx]!.status !== "True") conditions[idx] = terminating;
  else conditions[idx] = { ...terminating, lastTransitionTime: conditions[idx]!.lastTransitionTime };
  status.conditions = conditions;
  return true;
}

export const customresourcedefinitions = defineResource({
  group: "apiextensions.k8s.io",
  version: "v1",
  kind: "CustomResourceDefinition",
  plural: "customresourcedefinitions",
  singular: "customresourcedefinition",
  namespaced: false,
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  schema: "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
  subresources: { status: true },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
    prepareForCreate: (_ctx, crd) => recordStorageVersion(crd),
    prepareForUpdate: (_ctx, crd) => recordStorageVersion(crd),
    validate: (_ctx, crd) => validateCRDName(crd),
    beginDelete: (ctx, crd) => beginCRDDelete(crd, formatTime(ctx.clock.now())),
  },
});
