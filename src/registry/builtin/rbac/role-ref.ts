// A binding's roleRef cannot change (upstream ValidateRoleBindingUpdate and its cluster twin); the
// error prints the new RoleRef as Go's %#v of the internal rbac.RoleRef.
import type { FieldError } from "../../../apimachinery/field-errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { asObject, asString, goQuote, invalidGoValue, semanticEqual } from "../strategy-helpers.js";

export function goRoleRef(value: unknown): string {
  const r = asObject(value) ?? {};
  return `rbac.RoleRef{APIGroup:${goQuote(asString(r.apiGroup))}, Kind:${goQuote(asString(r.kind))}, Name:${goQuote(asString(r.name))}}`;
}

export function immutableRoleRef(obj: KubeObject, old: KubeObject): FieldError[] {
  if (semanticEqual(obj.roleRef, old.roleRef)) return [];
  return [invalidGoValue("roleRef", goRoleRef(obj.roleRef), "cannot change roleRef")];
}
