// rbac.authorization.k8s.io printers: RoleBinding and ClusterRoleBinding. Role and ClusterRole use
// the default table (NAME, CREATED AT), as upstream registers no printer for them.
import type { KubeObject } from "../../apimachinery/types.js";
import type { PrintContext, Printer } from "../printer.js";
import { ageColumn, ageOf, column, list, nameColumn, nameOf, printer, str } from "./util.js";

/** Upstream rbac.SubjectsStrings: users, groups and `namespace/name` service accounts. */
export function subjectsStrings(subjects: unknown[]): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects) {
    switch (str(s, "kind")) {
      case "ServiceAccount":
        serviceAccounts.push(`${str(s, "namespace")}/${str(s, "name")}`);
        break;
      case "User":
        users.push(str(s, "name"));
        break;
      case "Group":
        groups.push(str(s, "name"));
        break;
    }
  }
  return { users, groups, serviceAccounts };
}

function bindingCells(o: KubeObject, ctx: PrintContext): unknown[] {
  const { users, groups, serviceAccounts } = subjectsStrings(list(o, "subjects"));
  return [
    nameOf(o),
    `${str(o, "roleRef", "kind")}/${str(o, "roleRef", "name")}`,
    ageOf(o, ctx),
    users.join(", "),
    groups.join(", "),
    serviceAccounts.join(", "),
  ];
}

function bindingColumns(roleRefDoc: string, what: string) {
  return [
    nameColumn(),
    column("Role", "string", roleRefDoc),
    ageColumn(),
    column("Users", "string", `Users in the ${what}`, 1),
    column("Groups", "string", `Groups in the ${what}`, 1),
    column("ServiceAccounts", "string", `ServiceAccounts in the ${what}`, 1),
  ];
}

export const roleBindingPrinter: Printer = printer(bindingColumns("RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.", "roleBinding"), bindingCells);

export const clusterRoleBindingPrinter: Printer = printer(
  bindingColumns("RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.", "clusterRoleBinding"),
  bindingCells,
);
