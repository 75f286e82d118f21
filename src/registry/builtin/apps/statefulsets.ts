// apps/v1 statefulsets (upstream pkg/registry/apps/statefulset). Only some spec fields may change;
// the selector is covered by that rule (upstream reports no separate selector error here).
import type { FieldError } from "../../../apimachinery/field-errors.js";
import { fieldErrors } from "../../../apimachinery/field-errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { asString, semanticEqual, specOf } from "../strategy-helpers.js";

/** Spec fields an update may change. */
export const STATEFULSET_MUTABLE_SPEC_FIELDS = [
  "replicas",
  "ordinals",
  "template",
  "updateStrategy",
  "revisionHistoryLimit",
  "persistentVolumeClaimRetentionPolicy",
  "minReadySeconds",
] as const;

export const STATEFULSET_FORBIDDEN_UPDATE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

function immutablePart(obj: KubeObject): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...specOf(obj) };
  for (const f of STATEFULSET_MUTABLE_SPEC_FIELDS) delete spec[f];
  spec.podManagementPolicy = asString(spec.podManagementPolicy) || "OrderedReady";
  return spec;
}

export function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return semanticEqual(immutablePart(obj), immutablePart(old)) ? [] : [fieldErrors.forbidden("spec", STATEFULSET_FORBIDDEN_UPDATE)];
}

export const statefulsets = defineResource({
  group: "apps",
  version: "v1",
  kind: "StatefulSet",
  plural: "statefulsets",
  singular: "statefulset",
  namespaced: true,
  shortNames: ["sts"],
  categories: ["all"],
  schema: "io.k8s.api.apps.v1.StatefulSet",
  subresources: {
    status: true,
    scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: "spec.selector" },
  },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => validateStatefulSetUpdate(obj, old),
  },
});
