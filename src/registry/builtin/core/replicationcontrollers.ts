// core/v1 replicationcontrollers (upstream pkg/registry/core/replicationcontroller). Deleting one
// without a propagation policy orphans its pods, as before server-side garbage collection.
import { defineResource } from "../../definition.js";
import { statusOf } from "../strategy-helpers.js";

export const replicationcontrollers = defineResource({
  group: "",
  version: "v1",
  kind: "ReplicationController",
  plural: "replicationcontrollers",
  singular: "replicationcontroller",
  namespaced: true,
  shortNames: ["rc"],
  categories: ["all"],
  schema: "io.k8s.api.core.v1.ReplicationController",
  subresources: {
    status: true,
    scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: "spec.selector" },
  },
  fieldSelectors: {
    "status.replicas": (o) => String(typeof statusOf(o).replicas === "number" ? statusOf(o).replicas : 0),
  },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    defaultGarbageCollectionPolicy: "OrphanDependents",
  },
});
