// apps/v1 replicasets (upstream pkg/registry/apps/replicaset).
import { defineResource } from "../../definition.js";
import { immutableLabelSelector, specOf } from "../strategy-helpers.js";

export const replicasets = defineResource({
  group: "apps",
  version: "v1",
  kind: "ReplicaSet",
  plural: "replicasets",
  singular: "replicaset",
  namespaced: true,
  shortNames: ["rs"],
  categories: ["all"],
  schema: "io.k8s.api.apps.v1.ReplicaSet",
  subresources: {
    status: true,
    scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: "spec.selector" },
  },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => immutableLabelSelector("spec.selector", specOf(obj).selector, specOf(old).selector),
  },
});
