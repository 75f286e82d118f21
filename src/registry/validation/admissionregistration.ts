// admissionregistration.k8s.io/v1 (upstream pkg/apis/admissionregistration/validation): webhook
// configurations in depth, ValidatingAdmissionPolicy(Binding) structure only — CEL expressions are
// not compiled here (upstream reports compile errors as spec.validations[i].expression errors).
import type { KubeObject } from "../../apimachinery/types.js";
import { dns1035, inclusiveRange, validateLabelSelector } from "./common.js";
import { type FieldError, FieldPath, type Obj, fieldErrors, isNum, obj, objOr, objs, root, str, strs } from "./helpers.js";
import { dns1123SubdomainErrors } from "../../apimachinery/validation.js";

const FAILURE_POLICIES = ["Fail", "Ignore"];
const MATCH_POLICIES = ["Equivalent", "Exact"];
const SIDE_EFFECTS = ["None", "NoneOnDryRun"];
const OPERATIONS = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];

function fullyQualifiedName(p: FieldPath, name: string): FieldError[] {
  if (!name) return [fieldErrors.required(p)];
  const e = dns1123SubdomainErrors(name);
  if (e.length) return [fieldErrors.invalid(p, name, e.join(","))];
  if (name.split(".").length < 3) return [fieldErrors.invalid(p, name, "should be a domain with at least three segments separated by dots")];
  return [];
}

function rule(r: Obj, p: FieldPath, withOperations: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (withOperations) {
    const ops = strs(r.operations);
    if (ops.length === 0) errs.push(fieldErrors.required(p.child("operations")));
    if (ops.length > 1 && ops.includes("*")) errs.push(fieldErrors.invalid(p.child("operations"), ops, "if '*' is present, must not specify other operations"));
    ops.forEach((o, i) => {
      if (!OPERATIONS.includes(o)) errs.push(fieldErrors.notSupported(p.child("operations").index(i), o, OPERATIONS));
    });
  }
  if (strs(r.apiGroups).length === 0) errs.push(fieldErrors.required(p.child("apiGroups")));
  if (strs(r.apiVersions).length === 0) errs.push(fieldErrors.required(p.child("apiVersions")));
  strs(r.apiVersions).forEach((v, i) => {
    if (v === "") errs.push(fieldErrors.required(p.child("apiVersions").index(i)));
  });
  if (strs(r.resources).length === 0) errs.push(fieldErrors.required(p.child("resources")));
  const scope = r.scope;
  if (scope !== undefined && scope !== null && !["*", "Cluster", "Namespaced"].includes(str(scope)))
    errs.push(fieldErrors.notSupported(p.child("scope"), str(scope), ["*", "Cluster", "Namespaced"]));
  return errs;
}

function webhookURL(p: FieldPath, url: string): FieldError[] {
  const form = "; desired format: https://host[/path]";
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [fieldErrors.required(p, `url must be a valid URL: parse ${JSON.stringify(url)}: invalid URI for request${form}`)];
  }
  const errs: FieldError[] = [];
  const scheme = u.protocol.replace(/:$/, "");
  if (scheme !== "https") errs.push(fieldErrors.invalid(p, scheme, `'https' is the only allowed URL scheme${form}`));
  if (!u.host) errs.push(fieldErrors.invalid(p, u.host, `host must be specified${form}`));
  if (u.username || u.password) errs.push(fieldErrors.invalid(p, u.password ? `${u.username}:${u.password}` : u.username, "user information is not permitted in the URL"));
  if (u.hash) errs.push(fieldErrors.invalid(p, u.hash.slice(1), "fragments are not permitted in the URL"));
  if (u.search) errs.push(fieldErrors.invalid(p, u.search.slice(1), "query parameters are not permitted in the URL"));
  return errs;
}

function webhookService(p: FieldPath, svc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(svc.name)) errs.push(fieldErrors.required(p.child("name"), "service name is required"));
  if (!str(svc.namespace)) errs.push(fieldErrors.required(p.child("namespace"), "service namespace is required"));
  const port = isNum(svc.port) ? svc.port : 443;
  if (port < 1 || port > 65535) errs.push(fieldErrors.invalid(p.child("port"), port, `port is not valid: ${inclusiveRange(1, 65535)}`));
  if (typeof svc.path === "string") {
    const path = svc.path;
    if (!path.startsWith("/")) errs.push(fieldErrors.invalid(p.child("path"), path, "must start with a '/'"));
    else if (path !== "/" && path.endsWith("/")) errs.push(fieldErrors.invalid(p.child("path"), path, "must not end with a '/'"));
  }
  return errs;
}

function webhook(h: Obj, p: FieldPath, mutating: boolean): FieldError[] {
  const errs = fullyQualifiedName(p.child("name"), str(h.name));
  objs(h.rules).forEach((r, i) => errs.push(...rule(r, p.child("rules").index(i), true)));
  const fp = str(h.failurePolicy);
  if (fp && !FAILURE_POLICIES.includes(fp)) errs.push(fieldErrors.notSupported(p.child("failurePolicy"), fp, FAILURE_POLICIES));
  const mp = str(h.matchPolicy);
  if (mp && !MATCH_POLICIES.includes(mp)) errs.push(fieldErrors.notSupported(p.child("matchPolicy"), mp, MATCH_POLICIES));
  if (mutating) {
    const rp = str(h.reinvocationPolicy);
    if (rp && rp !== "Never" && rp !== "IfNeeded") errs.push(fieldErrors.notSupported(p.child("reinvocationPolicy"), rp, ["IfNeeded", "Never"]));
  }
  if (h.sideEffects === undefined || h.sideEffects === null) errs.push(fieldErrors.required(p.child("sideEffects"), `must specify one of ${SIDE_EFFECTS.join(", ")}`));
  else if (!SIDE_EFFECTS.includes(str(h.sideEffects))) errs.push(fieldErrors.notSupported(p.child("sideEffects"), str(h.sideEffects), SIDE_EFFECTS));
  if (isNum(h.timeoutSeconds) && (h.timeoutSeconds > 30 || h.timeoutSeconds < 1))
    errs.push(fieldErrors.invalid(p.child("timeoutSeconds"), h.timeoutSeconds, "the timeout value must be between 1 and 30 seconds"));
  if (obj(h.namespaceSelector)) errs.push(...validateLabelSelector(h.namespaceSelector, p.child("namespaceSelector")));
  if (obj(h.objectSelector)) errs.push(...validateLabelSelector(h.objectSelector, p.child("objectSelector")));
  const cc = objOr(h.clientConfig);
  const cp = p.child("clientConfig");
  const hasURL = typeof cc.url === "string";
  const svc = obj(cc.service);
  if (hasURL === !!svc) errs.push(fieldErrors.required(cp, "exactly one of url or service is required"));
  else if (hasURL) errs.push(...webhookURL(cp.child("url"), str(cc.url)));
  else if (svc) errs.push(...webhookService(cp.child("service"), svc));
  return errs;
}

function reviewVersions(versions: unknown, p: FieldPath): FieldError[] {
  const list = strs(versions);
  if (list.length === 0) return [fieldErrors.required(p, "must specify one of v1, v1beta1")];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let accepted = false;
  list.forEach((v, i) => {
    if (seen.has(v)) errs.push(fieldErrors.duplicate(p.index(i), v));
    seen.add(v);
    if (v === "v1" || v === "v1beta1") accepted = true;
    else errs.push(...dns1035(v, p.index(i)));
  });
  if (!accepted) errs.push(fieldErrors.invalid(p, list, "must include at least one of v1, v1beta1"));
  return errs;
}

function configuration(cfg: KubeObject, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(cfg.webhooks).forEach((h, i) => {
    const p = root("webhooks").index(i);
    errs.push(...webhook(h, p, mutating));
    errs.push(...reviewVersions(h.admissionReviewVersions, p.child("admissionReviewVersions")));
    const name = str(h.name);
    if (name) {
      if (names.has(name)) errs.push(fieldErrors.duplicate(p.child("name"), name));
      else names.add(name);
    }
  });
  return errs;
}

export const validateValidatingWebhookConfiguration = (c: KubeObject): FieldError[] => configuration(c, false);
export const validateMutatingWebhookConfiguration = (c: KubeObject): FieldError[] => configuration(c, true);

export function validateValidatingAdmissionPolicy(vap: KubeObject): FieldError[] {
  const spec = objOr(vap.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const pk = obj(spec.paramKind);
  if (pk) {
    const pp = sp.child("paramKind");
    if (!str(pk.apiVersion)) errs.push(fieldErrors.required(pp.child("apiVersion")));
    if (!str(pk.kind)) errs.push(fieldErrors.required(pp.child("kind")));
  }
  const mc = obj(spec.matchConstraints);
  if (!mc) errs.push(fieldErrors.required(sp.child("matchConstraints")));
  else {
    const mp = sp.child("matchConstraints");
    const rules = objs(mc.resourceRules);
    if (rules.length === 0) errs.push(fieldErrors.required(mp.child("resourceRules")));
    rules.forEach((r, i) => errs.push(...rule(r, mp.child("resourceRules").index(i), true)));
    const pol = str(mc.matchPolicy);
    if (pol && !MATCH_POLICIES.includes(pol)) errs.push(fieldErrors.notSupported(mp.child("matchPolicy"), pol, MATCH_POLICIES));
  }
  const validations = objs(spec.validations);
  if (validations.length === 0 && objs(spec.auditAnnotations).length === 0)
    errs.push(fieldErrors.required(sp.child("validations"), "validations or auditAnnotations must contain at least one item"));
  validations.forEach((v, i) => {
    const vp = sp.child("validations").index(i);
    if (!str(v.expression).trim()) errs.push(fieldErrors.required(vp.child("expression"), "expression is not specified"));
    const reason = str(v.reason);
    if (reason && !["Unauthorized", "Forbidden", "Invalid", "RequestEntityTooLarge"].includes(reason))
      errs.push(fieldErrors.notSupported(vp.child("reason"), reason, ["Unauthorized", "Forbidden", "Invalid", "RequestEntityTooLarge"]));
  });
  const fp = str(spec.failurePolicy);
  if (fp && !FAILURE_POLICIES.includes(fp)) errs.push(fieldErrors.notSupported(sp.child("failurePolicy"), fp, FAILURE_POLICIES));
  return errs;
}

export function validateValidatingAdmissionPolicyBinding(b: KubeObject): FieldError[] {
  const spec = objOr(b.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  if (!str(spec.policyName)) errs.push(fieldErrors.required(sp.child("policyName")));
  const actions = strs(spec.validationActions);
  const ap = sp.child("validationActions");
  if (actions.length === 0) errs.push(fieldErrors.required(ap, "at least one validation action is required"));
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (seen.has(a)) errs.push(fieldErrors.duplicate(ap.index(i), a));
    seen.add(a);
    if (!["Audit", "Deny", "Warn"].includes(a)) errs.push(fieldErrors.notSupported(ap.index(i), a, ["Audit", "Deny", "Warn"]));
  });
  if (seen.has("Deny") && seen.has("Warn")) errs.push(fieldErrors.invalid(ap, actions, "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
  return errs;
}

