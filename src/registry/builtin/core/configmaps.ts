// core/v1 configmaps (upstream pkg/registry/core/configmap).
import type { FieldError } from "../../../apimachinery/field-errors.js";
import { fieldErrors } from "../../../apimachinery/field-errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { semanticEqual } from "../strategy-helpers.js";

export const IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set";

/** Once `immutable: true` is stored, it stays and the listed data fields may not change. */
export function immutableDataErrors(obj: KubeObject, old: KubeObject, dataFields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldErrors.forbidden("immutable", IMMUTABLE_WHEN_SET));
  for (const f of dataFields) if (!semanticEqual(obj[f], old[f])) errs.push(fieldErrors.forbidden(f, IMMUTABLE_WHEN_SET));
  return errs;
}

export const configmaps = defineResource({
  group: "",
  version: "v1",
  kind: "ConfigMap",
  plural: "configmaps",
  singular: "configmap",
  namespaced: true,
  shortNames: ["cm"],
  schema: "io.k8s.api.core.v1.ConfigMap",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => immutableDataErrors(obj, old, ["data", "binaryData"]),
  },
});
