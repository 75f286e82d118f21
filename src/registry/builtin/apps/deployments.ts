// apps/v1 deployments (upstream pkg/registry/apps/deployment). Generation also moves when only the
// annotations change, because the controller copies them onto the ReplicaSets.
import { defineResource } from "../../definition.js";
import { immutableLabelSelector, specOf } from "../strategy-helpers.js";

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
    generation: "specAndAnnotations",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => immutableLabelSelector("spec.selector", specOf(obj).selector, specOf(old).selector),
  },
});
