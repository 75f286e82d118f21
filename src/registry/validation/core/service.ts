// Services (upstream ValidateService / ValidateServiceUpdate). Fields upstream defaults (type,
// sessionAffinity, protocol, targetPort, traffic policies, allocateLoadBalancerNodePorts) are not
// reported missing; clusterIP allocation happens elsewhere.
import type { KubeObject } from "../../../apimachinery/types.js";
import { dnsLabel, dnsSubdomain, isIPv6, nonSpecialIP, portNumOrName, qualifiedName, validateLabelMap, validCIDR, validIP, validPortNum } from "../common.js";
import { goServicePortKey } from "../go-format.js";
import { type FieldError, type Obj, GoValue, fieldErrors, isNum, obj, objOr, objs, root, str, strs } from "../helpers.js";
import { PROTOCOLS } from "./enums.js";

const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const AFFINITIES = ["ClientIP", "None"];
const LB_SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges";

const typeOf = (spec: Obj): string => str(spec.type) || "ClusterIP";
const isHeadless = (spec: Obj): boolean => {
  const ips = strs(spec.clusterIPs);
  return ips.length === 1 && ips[0] === "None";
};
const externallyAccessible = (spec: Obj): boolean => {
  const t = typeOf(spec);
  return t === "LoadBalancer" || t === "NodePort" || (t === "ClusterIP" && strs(spec.externalIPs).length > 0);
};

function clusterIPsRelated(spec: Obj): FieldError[] {
  if (typeOf(spec) === "ExternalName") return [];
  const errs: FieldError[] = [];
  const sp = root("spec");
  const cipsPath = sp.child("clusterIPs");
  const clusterIP = str(spec.clusterIP);
  const clusterIPs = strs(spec.clusterIPs);
  if (clusterIP) {
    if (clusterIPs.length === 0) errs.push(fieldErrors.required(cipsPath));
    else if (clusterIPs[0] !== clusterIP) errs.push(fieldErrors.invalid(cipsPath, clusterIPs, "first value must match `clusterIP`"));
  } else if (clusterIPs.length) errs.push(fieldErrors.invalid(cipsPath, clusterIPs, "must be empty when `clusterIP` is not specified"));
  const seen = new Set<string>();
  strs(spec.ipFamilies).forEach((f, i) => {
    if (f !== "IPv4" && f !== "IPv6") errs.push(fieldErrors.notSupported(sp.child("ipFamilies").index(i), f, ["IPv4", "IPv6"]));
    if (seen.has(f)) errs.push(fieldErrors.duplicate(sp.child("ipFamilies").index(i), f));
    seen.add(f);
  });
  if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) {
    const pol = str(spec.ipFamilyPolicy);
    const valid = ["PreferDualStack", "RequireDualStack", "SingleStack"];
    if (!valid.includes(pol)) errs.push(fieldErrors.notSupported(sp.child("ipFamilyPolicy"), pol, valid));
  }
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === "None") {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errs.push(fieldErrors.invalid(cipsPath, clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validIP(ip, cipsPath.index(i));
    if (e.length) invalidIPs = true;
    errs.push(...e);
  });
  if (clusterIPs.length > 2) errs.push(fieldErrors.invalid(cipsPath, clusterIPs, "may only hold up to 2 values"));
  if (invalidIPs) return errs;
  if (clusterIPs.length > 1) {
    const fams = clusterIPs.map((ip) => (isIPv6(ip) ? 6 : 4));
    const dual = fams.length === 2 ? fams[0] !== fams[1] : false;
    if (!dual) errs.push(fieldErrors.invalid(cipsPath, clusterIPs, "may specify no more than one IP for each IP family"));
  }
  const families = strs(spec.ipFamilies);
  if (!isHeadless(spec) && clusterIPs.length && families.length) {
    clusterIPs.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === "IPv4" && isIPv6(ip)) errs.push(fieldErrors.invalid(cipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === "IPv6" && !isIPv6(ip)) errs.push(fieldErrors.invalid(cipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function loadBalancerClass(svc: Obj, old: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const p = root("spec", "loadBalancerClass");
  const isLB = typeOf(svc) === "LoadBalancer";
  if (old && typeOf(old) === "LoadBalancer" && isLB && (svc.loadBalancerClass ?? null) !== (old.loadBalancerClass ?? null))
    errs.push(fieldErrors.invalid(p, svc.loadBalancerClass ?? null, "may not change once set"));
  if (isLB) {
    if (typeof svc.loadBalancerClass === "string") errs.push(...qualifiedName(svc.loadBalancerClass, p));
  } else if (svc.loadBalancerClass !== undefined && svc.loadBalancerClass !== null) errs.push(fieldErrors.forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
  return errs;
}

export function validateService(svc: KubeObject): FieldError[] {
  const spec = objOr(svc.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const ann = svc.metadata.annotations ?? {};
  const hints = ann["service.kubernetes.io/topology-aware-hints"];
  const mode = ann["service.kubernetes.io/topology-mode"];
  if (hints !== undefined && mode !== undefined && hints !== mode)
    errs.push(fieldErrors.invalid(root("metadata", "annotations").key("service.kubernetes.io/topology-mode"), mode, "must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified"));
  const type = typeOf(spec);
  const ports = objs(spec.ports);
  const headless = isHeadless(spec);
  if (ports.length === 0 && !headless && type !== "ExternalName") errs.push(fieldErrors.required(sp.child("ports")));
  switch (type) {
    case "LoadBalancer":
    case "NodePort":
      if (headless) errs.push(fieldErrors.invalid(sp.child("clusterIPs").index(0), "None", `may not be set to 'None' for ${type} services`));
      break;
    case "ExternalName": {
      if (strs(spec.clusterIPs).length > 0) errs.push(fieldErrors.forbidden(sp.child("clusterIPs"), "may not be set for ExternalName services"));
      if (strs(spec.ipFamilies).length > 0) errs.push(fieldErrors.forbidden(sp.child("ipFamilies"), "may not be set for ExternalName services"));
      if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) errs.push(fieldErrors.forbidden(sp.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
      const cname = str(spec.externalName).replace(/\.$/, "");
      if (cname) errs.push(...dnsSubdomain(cname, sp.child("externalName")));
      else errs.push(fieldErrors.required(sp.child("externalName")));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const pp = sp.child("ports").index(i);
    const name = str(port.name);
    if (ports.length > 1 && !name) errs.push(fieldErrors.required(pp.child("name")));
    else if (name) {
      errs.push(...dnsLabel(name, pp.child("name")));
      if (names.has(name)) errs.push(fieldErrors.duplicate(pp.child("name"), name));
      else names.add(name);
    }
    errs.push(...validPortNum(isNum(port.port) ? port.port : 0, pp.child("port")));
    const proto = str(port.protocol);
    if (proto && !PROTOCOLS.includes(proto)) errs.push(fieldErrors.notSupported(pp.child("protocol"), proto, PROTOCOLS));
    const target = port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === "" ? port.port : port.targetPort;
    errs.push(...portNumOrName(target, pp.child("targetPort")));
    if (typeof port.appProtocol === "string") errs.push(...qualifiedName(port.appProtocol, pp.child("appProtocol")));
  });
  if (obj(spec.selector)) errs.push(...validateLabelMap(spec.selector, sp.child("selector")));
  const affinity = str(spec.sessionAffinity) || "None";
  if (!AFFINITIES.includes(affinity)) errs.push(fieldErrors.notSupported(sp.child("sessionAffinity"), affinity, AFFINITIES));
  if (affinity === "ClientIP") {
    const cfg = obj(spec.sessionAffinityConfig);
    const timeout = obj(cfg?.clientIP)?.timeoutSeconds;
    if (isNum(timeout) && (timeout <= 0 || timeout > 86400))
      errs.push(fieldErrors.invalid(sp.child("sessionAffinityConfig", "clientIP", "timeoutSeconds"), timeout, "must be greater than 0 and less than 86400"));
  } else if (affinity === "None" && obj(spec.sessionAffinityConfig)) {
    errs.push(fieldErrors.forbidden(sp.child("sessionAffinityConfig"), "must not be set when session affinity is None"));
  }
  errs.push(...clusterIPsRelated(spec));
  strs(spec.externalIPs).forEach((ip, i) => {
    const e = validIP(ip, sp.child("externalIPs").index(i));
    errs.push(...(e.length ? e : nonSpecialIP(ip, sp.child("externalIPs").index(i))));
  });
  if (!TYPES.includes(type)) errs.push(fieldErrors.notSupported(sp.child("type"), type, TYPES));
  if (type === "ClusterIP")
    ports.forEach((port, i) => {
      if (isNum(port.nodePort) && port.nodePort !== 0) errs.push(fieldErrors.forbidden(sp.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    if (!isNum(port.nodePort) || port.nodePort === 0) return;
    const key = `${str(port.protocol) || "TCP"}/${port.nodePort}`;
    if (nodePorts.has(key)) errs.push(fieldErrors.duplicate(sp.child("ports").index(i).child("nodePort"), port.nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const proto = str(port.protocol) || "TCP";
    const num = isNum(port.port) ? port.port : 0;
    const key = `${proto}/${num}`;
    if (seen.has(key)) errs.push(fieldErrors.duplicate(sp.child("ports").index(i), new GoValue(goServicePortKey(proto, num))));
    seen.add(key);
  });
  const ranges = strs(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    const fp = sp.child("LoadBalancerSourceRanges");
    if (type !== "LoadBalancer") errs.push(fieldErrors.forbidden(fp, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...validCIDR(r.trim(), fp.index(i))));
  } else if (ann[LB_SOURCE_RANGES] !== undefined) {
    const fp = root("metadata", "annotations").key(LB_SOURCE_RANGES);
    if (type !== "LoadBalancer") errs.push(fieldErrors.forbidden(fp, "may only be used when `type` is 'LoadBalancer'"));
    const v = ann[LB_SOURCE_RANGES]!.trim();
    if (v) for (const c of v.split(",")) errs.push(...validCIDR(c.trim(), fp));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== "LoadBalancer")
    errs.push(fieldErrors.forbidden(sp.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"));
  errs.push(...loadBalancerClass(spec, undefined).map((e) => e));
  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(fieldErrors.invalid(sp.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services"));
  } else if (etp && etp !== "Cluster" && etp !== "Local") errs.push(fieldErrors.notSupported(sp.child("externalTrafficPolicy"), etp, ["Cluster", "Local"]));
  const needsHC = type === "LoadBalancer" && etp === "Local";
  const hc = isNum(spec.healthCheckNodePort) ? spec.healthCheckNodePort : 0;
  if (!needsHC) {
    if (hc !== 0) errs.push(fieldErrors.invalid(sp.child("healthCheckNodePort"), hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc !== 0) errs.push(...validPortNum(hc, sp.child("healthCheckNodePort")));
  if (spec.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== null) {
    const itp = str(spec.internalTrafficPolicy);
    if (itp !== "Cluster" && itp !== "Local") errs.push(fieldErrors.notSupported(sp.child("internalTrafficPolicy"), itp, ["Cluster", "Local"]));
  }
  if (typeof spec.trafficDistribution === "string" && spec.trafficDistribution !== "PreferClose")
    errs.push(fieldErrors.notSupported(sp.child("trafficDistribution"), spec.trafficDistribution, ["PreferClose"]));
  return errs;
}

export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const spec = objOr(svc.spec);
  const oldSpec = objOr(old.spec);
  const errs: FieldError[] = [];
  const cipsPath = root("spec", "clusterIPs");
  const t = typeOf(spec);
  const ot = typeOf(oldSpec);
  if (t !== "ExternalName" && ot !== "ExternalName" && !(isHeadless(spec) && isHeadless(oldSpec))) {
    const n = strs(spec.clusterIPs);
    const o = strs(oldSpec.clusterIPs);
    if (n.length === o.length) {
      o.forEach((ip, i) => {
        if (ip !== n[i]) errs.push(fieldErrors.invalid(cipsPath.index(i), n, "may not change once set"));
      });
    } else if (o.length > n.length) {
      if (n.length === 0) errs.push(fieldErrors.invalid(cipsPath.index(0), n, "primary clusterIP can not be unset"));
      if (o.length && n.length && n[0] !== o[0]) errs.push(fieldErrors.invalid(cipsPath.index(0), n, "may not change once set"));
      if (n.length === 1 && str(spec.ipFamilyPolicy) !== "SingleStack")
        errs.push(fieldErrors.invalid(root("spec", "ipFamilyPolicy"), spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    } else if (o.length && n[0] !== o[0]) errs.push(fieldErrors.invalid(cipsPath.index(0), n, "may not change once set"));
  }
  if (t !== "ExternalName" && ot !== "ExternalName" && isHeadless(spec) === isHeadless(oldSpec) && !isHeadless(spec)) {
    const n = strs(spec.ipFamilies);
    const o = strs(oldSpec.ipFamilies);
    const fp = root("spec", "ipFamilies").index(0);
    if (n.length === o.length) {
      o.forEach((f, i) => {
        if (f !== n[i]) errs.push(fieldErrors.invalid(fp, n, "may not change once set"));
      });
    } else if (o.length > n.length) {
      if (strs(spec.clusterIPs).length === 0) errs.push(fieldErrors.invalid(fp, n, "primary ipFamily can not be unset"));
      if (n.length && n[0] !== o[0]) errs.push(fieldErrors.invalid(fp, strs(spec.clusterIPs), "may not change once set"));
      if (n.length === 1 && str(spec.ipFamilyPolicy) !== "SingleStack")
        errs.push(fieldErrors.invalid(root("spec", "ipFamilyPolicy"), spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    } else if (o.length && n.length && n[0] !== o[0]) errs.push(fieldErrors.invalid(fp, strs(spec.clusterIPs), "may not change once set"));
  }
  errs.push(...loadBalancerClass(spec, oldSpec).filter((e) => e.detail === "may not change once set"));
  const needsHC = (s: Obj) => typeOf(s) === "LoadBalancer" && str(s.externalTrafficPolicy) === "Local";
  if (needsHC(oldSpec) && needsHC(spec) && (spec.healthCheckNodePort ?? 0) !== (oldSpec.healthCheckNodePort ?? 0))
    errs.push(fieldErrors.forbidden(root("spec", "healthCheckNodePort"), "field is immutable"));
  errs.push(...validateService(svc));
  return errs;
}

