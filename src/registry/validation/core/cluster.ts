// Namespaces, Nodes, Endpoints, ReplicationControllers, LimitRanges and ResourceQuotas
// (upstream pkg/apis/core/validation).
import { labelValueErrors, qualifiedNameErrors } from "../../../apimachinery/labels.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { FIELD_IMMUTABLE, dnsLabel, labelName, nonNegativeOpt, nonSpecialIP, parseCIDR, qualifiedName, validCIDR, validIP, validPortNum } from "../common.js";
import { type FieldError, GoValue, type Obj, arr, fieldErrors, isNum, obj, objOr, objs, root, str, strs, sortedKeys } from "../helpers.js";
import { nameErrors } from "../../../apimachinery/validation.js";
import { type Quantity, cmp, quantity, quantityString } from "../quantity.js";
import { PROTOCOLS } from "./enums.js";
import { validatePodTemplateSpec } from "./pod-spec.js";
import { resourceQuantityValue, validateContainerResourceName, validateResourceName } from "./resources.js";
import { taintEffect } from "./scheduling.js";

const STANDARD_FINALIZERS = new Set(["kubernetes", "kubernetes.io/pv-protection", "kubernetes.io/pvc-protection"]);

export function validateNamespace(ns: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const p = root("spec", "finalizers");
  for (const f of strs(objOr(ns.spec).finalizers)) {
    errs.push(...qualifiedName(f, p));
    if (!f.includes("/") && !STANDARD_FINALIZERS.has(f)) errs.push(fieldErrors.invalid(p, f, "name is neither a standard finalizer name nor is it fully qualified"));
  }
  return errs;
}

function nodeTaints(taints: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const p = root("metadata", "taints");
  const unique = new Map<string, Set<string>>();
  objs(taints).forEach((t, i) => {
    const ip = p.index(i);
    const key = str(t.key);
    const effect = str(t.effect);
    errs.push(...labelName(key, ip.child("key")));
    const m = labelValueErrors(str(t.value));
    if (m.length) errs.push(fieldErrors.invalid(ip.child("value"), str(t.value), m.join(";")));
    errs.push(...taintEffect(effect, false, ip.child("effect")));
    if (unique.get(effect)?.has(key)) {
      errs.push({ type: "FieldValueDuplicate", field: ip.toString(), badValue: goTaint(t), detail: "taints must be unique by key and effect pair" });
      return;
    }
    if (!unique.has(effect)) unique.set(effect, new Set());
    unique.get(effect)!.add(key);
  });
  return errs;
}

function goTaint(t: Obj): GoValue {
  return new GoValue(`core.Taint{Key:${JSON.stringify(str(t.key))}, Value:${JSON.stringify(str(t.value))}, Effect:${JSON.stringify(str(t.effect))}, TimeAdded:<nil>}`);
}

function nodeResources(node: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = objOr(node.status);
  for (const field of ["capacity", "allocatable"]) {
    const m = objOr(status[field]);
    for (const k of sortedKeys(m)) {
      const q = quantity(m[k]);
      if (q) errs.push(...resourceQuantityValue(k, q, root("status", field, k)));
    }
  }
  return errs;
}

export function validateNode(node: KubeObject): FieldError[] {
  const spec = objOr(node.spec);
  const errs: FieldError[] = [];
  if (arr(spec.taints).length) errs.push(...nodeTaints(spec.taints));
  errs.push(...nodeResources(node));
  const cidrs = strs(spec.podCIDRs);
  const p = root("spec", "podCIDRs");
  cidrs.forEach((c, i) => errs.push(...validCIDR(c, p.index(i))));
  if (cidrs.length > 1) {
    const fams = cidrs.map(parseCIDR);
    if (cidrs.length > 2 || fams[0] === fams[1]) errs.push(fieldErrors.invalid(p, cidrs, "may specify no more than one CIDR for each IP family"));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(fieldErrors.duplicate(p.index(i), c));
      seen.add(c);
    });
  }
  return errs;
}

export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const spec = objOr(node.spec);
  const oldSpec = objOr(old.spec);
  const errs: FieldError[] = [];
  errs.push(...nodeResources(node));
  const oldCIDRs = strs(oldSpec.podCIDRs);
  const newCIDRs = strs(spec.podCIDRs);
  const msg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) errs.push(fieldErrors.forbidden(root("spec", "podCIDRs"), msg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(fieldErrors.forbidden(root("spec", "podCIDRs"), msg)));
  }
  if (str(oldSpec.providerID) && str(oldSpec.providerID) !== str(spec.providerID))
    errs.push(fieldErrors.forbidden(root("spec", "providerID"), 'node updates may not change providerID except from "" to valid'));
  if (arr(spec.taints).length) errs.push(...nodeTaints(spec.taints));
  if (str(spec.externalID) !== str(oldSpec.externalID)) errs.push(fieldErrors.forbidden(root("spec", "externalID"), "may not be updated"));
  return errs;
}

/**
 * The API server's own "kubernetes" Endpoints carries its advertise address, which on this
 * single-process server is usually loopback; upstream's reconciler never writes loopback there, so
 * that one object is spared the special-IP check (every other Endpoints is checked as upstream does).
 */
const isOwnEndpoints = (ep: KubeObject): boolean => ep.metadata.name === "kubernetes" && ep.metadata.namespace === "default";

export function validateEndpoints(ep: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const own = isOwnEndpoints(ep);
  objs(ep.subsets).forEach((ss, i) => {
    const p = root("subsets").index(i);
    if (arr(ss.addresses).length === 0 && arr(ss.notReadyAddresses).length === 0)
      errs.push(fieldErrors.required(p, "must specify `addresses` or `notReadyAddresses`"));
    for (const kind of ["addresses", "notReadyAddresses"])
      objs(ss[kind]).forEach((a, j) => {
        const ap = p.child(kind).index(j);
        const ip = str(a.ip);
        errs.push(...validIP(ip, ap.child("ip")));
        if (str(a.hostname)) errs.push(...dnsLabel(str(a.hostname), ap.child("hostname")));
        if (typeof a.nodeName === "string") for (const m of nameErrors("DNS1123Subdomain", a.nodeName)) errs.push(fieldErrors.invalid(ap.child("nodeName"), a.nodeName, m));
        if (!own) errs.push(...nonSpecialIP(ip, ap.child("ip")));
      });
    const ports = objs(ss.ports);
    ports.forEach((port, j) => {
      const pp = p.child("ports").index(j);
      const name = str(port.name);
      if (ports.length > 1 && !name) errs.push(fieldErrors.required(pp.child("name")));
      else if (name) errs.push(...dnsLabel(name, pp.child("name")));
      errs.push(...validPortNum(isNum(port.port) ? port.port : 0, pp.child("port")));
      const proto = str(port.protocol);
      if (proto && !PROTOCOLS.includes(proto)) errs.push(fieldErrors.notSupported(pp.child("protocol"), proto, PROTOCOLS));
      if (typeof port.appProtocol === "string") errs.push(...qualifiedName(port.appProtocol, pp.child("appProtocol")));
    });
  });
  return errs;
}

export function validateReplicationController(rc: KubeObject): FieldError[] {
  const spec = objOr(rc.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  errs.push(...nonNegativeOpt(spec.minReadySeconds, sp.child("minReadySeconds")));
  const selector = (obj(spec.selector) ?? {}) as Record<string, string>;
  if (Object.keys(selector).length === 0) errs.push(fieldErrors.required(sp.child("selector")));
  errs.push(...nonNegativeOpt(spec.replicas, sp.child("replicas")));
  const tmpl = obj(spec.template);
  const tp = sp.child("template");
  if (!tmpl) errs.push(fieldErrors.required(tp));
  else {
    const labels = (obj(objOr(tmpl.metadata).labels) ?? {}) as Record<string, string>;
    if (Object.keys(selector).length && !Object.entries(selector).every(([k, v]) => labels[k] === v))
      errs.push(fieldErrors.invalid(tp.child("metadata", "labels"), labels, "`selector` does not match template `labels`"));
    errs.push(...validatePodTemplateSpec(tmpl, tp));
    const tspec = objOr(tmpl.spec);
    const rp = str(tspec.restartPolicy) || "Always";
    if (rp !== "Always") errs.push(fieldErrors.notSupported(tp.child("spec", "restartPolicy"), rp, ["Always"]));
    if (isNum(tspec.activeDeadlineSeconds)) errs.push(fieldErrors.forbidden(tp.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicationController is not Supported"));
  }
  return errs;
}

const LIMIT_TYPES = new Set(["Pod", "Container", "PersistentVolumeClaim"]);

export function validateLimitRange(lr: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const fp = root("spec", "limits");
  const types = new Set<string>();
  objs(objOr(lr.spec).limits).forEach((limit, i) => {
    const ip = fp.index(i);
    const type = str(limit.type);
    const tErrs = qualifiedNameErrors(type).map((m) => fieldErrors.invalid(ip.child("type"), type, m));
    if (!tErrs.length && !type.includes("/") && !LIMIT_TYPES.has(type)) tErrs.push(fieldErrors.invalid(ip.child("type"), type, "must be a standard limit type or fully qualified"));
    errs.push(...tErrs);
    if (types.has(type)) errs.push(fieldErrors.duplicate(ip.child("type"), type));
    types.add(type);
    const nameFn = type === "Pod" || type === "Container" ? validateContainerResourceName : validateResourceName;
    const keys = new Set<string>();
    const read = (field: string): Map<string, Quantity> => {
      const m = new Map<string, Quantity>();
      const o = objOr(limit[field]);
      for (const k of sortedKeys(o)) {
        errs.push(...nameFn(k, ip.child(field).key(k)));
        keys.add(k);
        const q = quantity(o[k]);
        if (q) m.set(k, q);
      }
      return m;
    };
    const max = read("max");
    const min = read("min");
    let defaults = new Map<string, Quantity>();
    let defaultRequests = new Map<string, Quantity>();
    if (type === "Pod") {
      if (Object.keys(objOr(limit.default)).length) errs.push(fieldErrors.forbidden(ip.child("default"), "may not be specified when `type` is 'Pod'"));
      if (Object.keys(objOr(limit.defaultRequest)).length) errs.push(fieldErrors.forbidden(ip.child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
    } else {
      defaults = read("default");
      defaultRequests = read("defaultRequest");
    }
    if (type === "PersistentVolumeClaim" && !min.has("storage") && !max.has("storage"))
      errs.push(fieldErrors.required(ip.child("limits"), "either minimum or maximum storage value is required, but neither was provided"));
    const ratios = read("maxLimitRequestRatio");
    for (const k of [...keys].sort()) {
      const mn = min.get(k);
      const mx = max.get(k);
      const d = defaults.get(k);
      const dr = defaultRequests.get(k);
      const r = ratios.get(k);
      const s = (q: Quantity) => quantityString(q);
      if (mn && mx && cmp(mn, mx) > 0) errs.push(fieldErrors.invalid(ip.child("min").key(k), s(mn), `min value ${s(mn)} is greater than max value ${s(mx)}`));
      if (dr && mn && cmp(mn, dr) > 0) errs.push(fieldErrors.invalid(ip.child("defaultRequest").key(k), s(dr), `min value ${s(mn)} is greater than default request value ${s(dr)}`));
      if (dr && mx && cmp(dr, mx) > 0) errs.push(fieldErrors.invalid(ip.child("defaultRequest").key(k), s(dr), `default request value ${s(dr)} is greater than max value ${s(mx)}`));
      if (dr && d && cmp(dr, d) > 0) errs.push(fieldErrors.invalid(ip.child("defaultRequest").key(k), s(dr), `default request value ${s(dr)} is greater than default limit value ${s(d)}`));
      if (d && mn && cmp(mn, d) > 0) errs.push(fieldErrors.invalid(ip.child("default").key(k), s(mn), `min value ${s(mn)} is greater than default value ${s(d)}`));
      if (d && mx && cmp(d, mx) > 0) errs.push(fieldErrors.invalid(ip.child("default").key(k), s(mx), `default value ${s(d)} is greater than max value ${s(mx)}`));
      if (r && r.nano < 1_000_000_000n) errs.push(fieldErrors.invalid(ip.child("maxLimitRequestRatio").key(k), s(r), `ratio ${s(r)} is less than 1`));
      if (r && mn && mx && mn.nano > 0n) {
        const limit = Number(mx.nano) / Number(mn.nano);
        if (Number(r.nano) / 1e9 > limit) errs.push(fieldErrors.invalid(ip.child("maxLimitRequestRatio").key(k), s(r), `ratio ${s(r)} is greater than max/min = ${limit.toFixed(6)}`));
      }
      const overcommit = !k.startsWith("hugepages-") && (!k.includes("/") || k.includes("kubernetes.io/"));
      if (!overcommit && d && dr && cmp(d, dr) !== 0)
        errs.push(fieldErrors.invalid(ip.child("defaultRequest").key(k), s(dr), `default value ${s(d)} must equal to defaultRequest value ${s(dr)} in ${k}`));
    }
  });
  return errs;
}

const QUOTA_RESOURCES = new Set([
  "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports",
  "services.loadbalancers", "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
  "limits.ephemeral-storage", "cpu", "memory", "ephemeral-storage",
]);
const QUOTA_SCOPES = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity", "VolumeAttributesClass"];

function quotaResourceName(name: string, p: ReturnType<typeof root>): FieldError[] {
  const errs = validateResourceName(name, p);
  if (!name.includes("/") && !QUOTA_RESOURCES.has(name) && !name.startsWith("hugepages-") && !name.startsWith("requests.hugepages-"))
    errs.push(fieldErrors.invalid(p, name, "must be a standard resource for quota"));
  return errs;
}

function quotaSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const hp = root("spec", "hard");
  const hard = objOr(spec.hard);
  for (const k of sortedKeys(hard)) {
    errs.push(...quotaResourceName(k, hp.key(k)));
    const q = quantity(hard[k]);
    if (q) errs.push(...resourceQuantityValue(k, q, hp.key(k)));
  }
  const scopes = strs(spec.scopes);
  if (scopes.length) {
    const sp = root("spec", "scopes");
    for (const s of scopes) if (!QUOTA_SCOPES.includes(s)) errs.push(fieldErrors.invalid(sp, scopes, "unsupported scope"));
    const set = new Set(scopes);
    if ((set.has("BestEffort") && set.has("NotBestEffort")) || (set.has("Terminating") && set.has("NotTerminating")))
      errs.push(fieldErrors.invalid(sp, scopes, "conflicting scopes"));
  }
  const sel = obj(spec.scopeSelector);
  if (sel) {
    const mp = root("spec", "scopeSelector", "matchExpressions");
    for (const req of objs(sel.matchExpressions)) {
      const scope = str(req.scopeName);
      const op = str(req.operator);
      if (!QUOTA_SCOPES.includes(scope)) errs.push(fieldErrors.invalid(mp.child("scopeName"), scope, "unsupported scope"));
      if (["BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity"].includes(scope) && op !== "Exists")
        errs.push(
          fieldErrors.invalid(
            mp.child("operator"),
            op,
            "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
          ),
        );
      const values = strs(req.values);
      if (op === "In" || op === "NotIn") {
        if (values.length === 0) errs.push(fieldErrors.required(mp.child("values"), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
      } else if (op === "Exists" || op === "DoesNotExist") {
        if (values.length) errs.push(fieldErrors.invalid(mp.child("values"), values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
      } else errs.push(fieldErrors.invalid(mp.child("operator"), op, "not a valid selector operator"));
    }
  }
  return errs;
}

export function validateResourceQuota(rq: KubeObject): FieldError[] {
  return quotaSpec(objOr(rq.spec));
}

export function validateResourceQuotaUpdate(rq: KubeObject, old: KubeObject): FieldError[] {
  const errs = quotaSpec(objOr(rq.spec));
  const n = new Set(strs(objOr(rq.spec).scopes));
  const o = new Set(strs(objOr(old.spec).scopes));
  if (n.size !== o.size || [...n].some((s) => !o.has(s))) errs.push(fieldErrors.invalid(root("spec", "scopes"), strs(objOr(rq.spec).scopes), FIELD_IMMUTABLE));
  return errs;
}
