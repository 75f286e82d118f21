// rbac.authorization.k8s.io/v1 (upstream pkg/apis/rbac/validation). roleRef immutability is the
// built-in strategies' check.
import type { KubeObject } from "../../apimachinery/types.js";
import { pathSegmentErrors, nameErrors } from "../../apimachinery/validation.js";
import { selectorConvertible, validateLabelSelector } from "./common.js";
import { goLabelSelector } from "./go-format.js";
import { type FieldError, FieldPath, type Obj, fieldErrors, invalidGo, obj, objOr, objs, root, str, strs } from "./helpers.js";

const GROUP = "rbac.authorization.k8s.io";

function policyRule(rule: Obj, namespaced: boolean, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (strs(rule.verbs).length === 0) errs.push(fieldErrors.required(p.child("verbs"), "verbs must contain at least one value"));
  const urls = strs(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced) errs.push(fieldErrors.invalid(p.child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"));
    if (strs(rule.apiGroups).length || strs(rule.resources).length || strs(rule.resourceNames).length)
      errs.push(fieldErrors.invalid(p.child("nonResourceURLs"), urls, "rules cannot apply to both regular resources and non-resource URLs"));
    return errs;
  }
  if (strs(rule.apiGroups).length === 0) errs.push(fieldErrors.required(p.child("apiGroups"), "resource rules must supply at least one api group"));
  if (strs(rule.resources).length === 0) errs.push(fieldErrors.required(p.child("resources"), "resource rules must supply at least one resource"));
  return errs;
}

export function validateRole(role: KubeObject): FieldError[] {
  return objs(role.rules).flatMap((r, i) => policyRule(r, true, root("rules").index(i)));
}

export function validateClusterRole(role: KubeObject): FieldError[] {
  const errs = objs(role.rules).flatMap((r, i) => policyRule(r, false, root("rules").index(i)));
  const agg = obj(role.aggregationRule);
  if (agg) {
    const sels = objs(agg.clusterRoleSelectors);
    const sp = root("aggregationRule", "clusterRoleSelectors");
    if (sels.length === 0) errs.push(fieldErrors.required(sp, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
    sels.forEach((s, i) => {
      errs.push(...validateLabelSelector(s, sp.index(i), false));
      if (!selectorConvertible(s)) errs.push(invalidGo(sp.index(i), goLabelSelector(s), "invalid label selector."));
    });
  }
  return errs;
}

function subject(s: Obj, namespaced: boolean, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s.name);
  if (!name) errs.push(fieldErrors.required(p.child("name")));
  const kind = str(s.kind);
  const group = str(s.apiGroup);
  switch (kind) {
    case "ServiceAccount":
      if (name) for (const m of nameErrors("DNS1123Subdomain", name)) errs.push(fieldErrors.invalid(p.child("name"), name, m));
      if (group) errs.push(fieldErrors.notSupported(p.child("apiGroup"), group, [""]));
      if (!namespaced && !str(s.namespace)) errs.push(fieldErrors.required(p.child("namespace")));
      break;
    case "User":
    case "Group":
      // v1 defaulting fills an empty apiGroup
      if (group && group !== GROUP) errs.push(fieldErrors.notSupported(p.child("apiGroup"), group, [GROUP]));
      break;
    default:
      errs.push(fieldErrors.notSupported(p.child("kind"), kind, ["ServiceAccount", "User", "Group"]));
  }
  return errs;
}

function binding(b: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = objOr(b.roleRef);
  const group = str(ref.apiGroup) || GROUP;
  if (group !== GROUP) errs.push(fieldErrors.notSupported(root("roleRef", "apiGroup"), group, [GROUP]));
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (!kinds.includes(str(ref.kind))) errs.push(fieldErrors.notSupported(root("roleRef", "kind"), str(ref.kind), kinds));
  const name = str(ref.name);
  if (!name) errs.push(fieldErrors.required(root("roleRef", "name")));
  else for (const m of pathSegmentErrors(name)) errs.push(fieldErrors.invalid(root("roleRef", "name"), name, m));
  objs(b.subjects).forEach((s, i) => errs.push(...subject(s, namespaced, root("subjects").index(i))));
  return errs;
}

export const validateRoleBinding = (b: KubeObject): FieldError[] => binding(b, true);
export const validateClusterRoleBinding = (b: KubeObject): FieldError[] => binding(b, false);
