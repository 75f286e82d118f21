// rbac.authorization.k8s.io/v1 clusterrolebindings (upstream pkg/registry/rbac/clusterrolebinding): names are path
// segments, and a PUT may create one. Escalation checks belong to authorization, not the strategy.
import { defineResource } from "../../definition.js";
import { immutableRoleRef } from "./role-ref.js";

export const clusterrolebindings = defineResource({
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "ClusterRoleBinding",
  plural: "clusterrolebindings",
  singular: "clusterrolebinding",
  namespaced: false,
  schema: "io.k8s.api.rbac.v1.ClusterRoleBinding",
  strategy: {
    nameValidation: "PathSegment",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => immutableRoleRef(obj, old),
  },
});
