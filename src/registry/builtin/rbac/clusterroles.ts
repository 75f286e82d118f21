// rbac.authorization.k8s.io/v1 clusterroles (upstream pkg/registry/rbac/clusterrole): names are path
// segments, and a PUT may create one. Escalation checks belong to authorization, not the strategy.
import { defineResource } from "../../definition.js";

export const clusterroles = defineResource({
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "ClusterRole",
  plural: "clusterroles",
  singular: "clusterrole",
  namespaced: false,
  schema: "io.k8s.api.rbac.v1.ClusterRole",
  strategy: {
    nameValidation: "PathSegment",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
});
