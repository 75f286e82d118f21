// storage.k8s.io/v1 storageclasses (upstream pkg/registry/storage/storageclass): parameters,
// provisioner, reclaimPolicy and volumeBindingMode are fixed at creation.
import type { FieldError } from "../../../apimachinery/field-errors.js";
import { fieldErrors } from "../../../apimachinery/field-errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { asString, immutableString, semanticEqual } from "../strategy-helpers.js";

const reclaimPolicy = (o: KubeObject) => asString(o.reclaimPolicy) || "Delete";
const volumeBindingMode = (o: KubeObject) => asString(o.volumeBindingMode) || "Immediate";

export function validateStorageClassUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!semanticEqual(obj.parameters, old.parameters)) errs.push(fieldErrors.forbidden("parameters", "updates to parameters are forbidden."));
  if (asString(obj.provisioner) !== asString(old.provisioner)) errs.push(fieldErrors.forbidden("provisioner", "updates to provisioner are forbidden."));
  if (reclaimPolicy(obj) !== reclaimPolicy(old)) errs.push(fieldErrors.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
  errs.push(...immutableString("volumeBindingMode", volumeBindingMode(obj), volumeBindingMode(old)));
  return errs;
}

export const storageclasses = defineResource({
  group: "storage.k8s.io",
  version: "v1",
  kind: "StorageClass",
  plural: "storageclasses",
  singular: "storageclass",
  namespaced: false,
  shortNames: ["sc"],
  schema: "io.k8s.api.storage.v1.StorageClass",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => validateStorageClassUpdate(obj, old),
  },
});
