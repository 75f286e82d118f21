// rbac.authorization.k8s.io/v1 defaulting (pkg/apis/rbac/v1/defaults.go): the API group of role
// references and of User/Group subjects. Roles' `rules` has no omitempty, so Go writes null for a
// role without rules (aggregated ClusterRoles start that way).
import type { KubeObject } from "../../apimachinery/types.js";
import { type Json, ensureChild, defaultString, items } from "./util.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** SetDefaults_Subject. */
function defaultSubject(subject: Json): void {
  if (subject.kind === "User" || subject.kind === "Group") defaultString(subject, "apiGroup", RBAC_GROUP);
}

/** SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding and their subjects. */
export function defaultBinding(binding: KubeObject): void {
  const roleRef = ensureChild(binding as Json, "roleRef");
  if (roleRef) defaultString(roleRef, "apiGroup", RBAC_GROUP);
  for (const subject of items(binding as Json, "subjects")) defaultSubject(subject);
}

export function defaultRole(role: KubeObject): void {
  if (role.rules === undefined) role.rules = null;
}
