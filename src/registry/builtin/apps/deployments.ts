// apps/v1 deployments (upstream pkg/registry/apps/deployment). Generation also moves when only the
// annotations change, because the controller copies them onto the ReplicaSets.
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { bumpGeneration, immutableLabelSelector, semanticEqual, specOf } from "../strategy-helpers.js";

/**
 * The annotation half of upstream's generation rule (the spec half is strategy.generation "spec"):
 * an update that changes annotations but not the spec still bumps generation.
 */
export function bumpGenerationOnAnnotationChange(obj: KubeObject, old: KubeObject): void {
  if (!semanticEqual(obj.spec, old.spec)) return;
  if (!semanticEqual(obj.metadata.annotations, old.metadata.annotations)) bumpGeneration(obj, old);
}

export const deployments = defineResource({
  group: "apps",
  version: "v1",
  kind: "Deployment",
  plural: "deployments",
  singular: "deployment",
  namespaced: true,
  shortNames: ["deploy"],
  categories: ["all"],
  schema: "io.k8s.api.apps.v1.Deployment",
  subresources: {
    status: true,
    scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: "spec.selector" },
  },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForUpdate: (_ctx, obj, old) => bumpGenerationOnAnnotationChange(obj, old),
    validateUpdate: (_ctx, obj, old) => immutableLabelSelector("spec.selector", specOf(obj).selector, specOf(old).selector),
  },
});
