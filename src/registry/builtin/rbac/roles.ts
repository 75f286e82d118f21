// rbac.authorization.k8s.io/v1 roles (upstream pkg/registry/rbac/role): names are path
// segments, and a PUT may create one. Escalation checks belong to authorization, not the strategy.
import { defineResource } from "../../definition.js";

export const roles = defineResource({
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "Role",
  plural: "roles",
  singular: "role",
  namespaced: true,
  schema: "io.k8s.api.rbac.v1.Role",
  strategy: {
    nameValidation: "PathSegment",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
});
