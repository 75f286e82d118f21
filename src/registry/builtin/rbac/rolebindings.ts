// rbac.authorization.k8s.io/v1 rolebindings (upstream pkg/registry/rbac/rolebinding): names are path
// segments, and a PUT may create one. Escalation checks belong to authorization, not the strategy.
import { defineResource } from "../../definition.js";
import { immutableRoleRef } from "./role-ref.js";

export const rolebindings = defineResource({
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "RoleBinding",
  plural: "rolebindings",
  singular: "rolebinding",
  namespaced: true,
  schema: "io.k8s.api.rbac.v1.RoleBinding",
  strategy: {
    nameValidation: "PathSegment",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => immutableRoleRef(obj, old),
  },
});
