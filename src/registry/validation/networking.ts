// networking.k8s.io/v1 (upstream pkg/apis/networking/validation): Ingresses, IngressClasses and
// NetworkPolicies.
import type { KubeObject } from "../../apimachinery/types.js";
import { nameErrors, pathSegmentErrors } from "../../apimachinery/validation.js";
import { dns1035, dnsSubdomain, parseCIDR, parseIP, portNameErrors, regexError, validCIDR, validPortNum, validateLabelSelector } from "./common.js";
import { type FieldError, FieldPath, type Obj, GoValue, fieldErrors, isNum, obj, objOr, objs, root, str, strs } from "./helpers.js";

const PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"];
const BAD_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
const BAD_SUFFIXES = ["/..", "/."];
const WILDCARD = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function wildcardErrors(host: string): string[] {
  const errs: string[] = [];
  if (host.length > 253) errs.push("must be no more than 253 characters");
  if (!WILDCARD.test(host))
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
        "*.example.com",
      ),
    );
  return errs;
}

function hostErrors(host: string, p: FieldPath): FieldError[] {
  if (host.includes("*")) return wildcardErrors(host).map((m) => fieldErrors.invalid(p, host, m));
  return dnsSubdomain(host, p);
}

function backend(b: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const res = obj(b.resource);
  const svc = obj(b.service);
  if (res && svc) return [fieldErrors.invalid(p, "", "cannot set both resource and service backends")];
  if (res) {
    const rp = p.child("resource");
    if (typeof res.apiGroup === "string") errs.push(...dnsSubdomain(res.apiGroup, rp.child("apiGroup")));
    const kind = str(res.kind);
    if (!kind) errs.push(fieldErrors.required(rp.child("kind"), "kind is required"));
    else for (const m of pathSegmentErrors(kind)) errs.push(fieldErrors.invalid(rp.child("kind"), kind, m));
    const name = str(res.name);
    if (!name) errs.push(fieldErrors.required(rp.child("name"), "name is required"));
    else for (const m of pathSegmentErrors(name)) errs.push(fieldErrors.invalid(rp.child("name"), name, m));
  } else if (svc) {
    const name = str(svc.name);
    if (!name) errs.push(fieldErrors.required(p.child("service", "name")));
    else errs.push(...dns1035(name, p.child("service", "name")));
    const port = objOr(svc.port);
    const pname = str(port.name);
    const pnum = isNum(port.number) ? port.number : 0;
    if (pname && pnum) errs.push(fieldErrors.invalid(p, "", "cannot set both port name & port number"));
    else if (pname) for (const m of portNameErrors(pname)) errs.push(fieldErrors.invalid(p.child("service", "port", "name"), pname, m));
    else if (pnum) errs.push(...validPortNum(pnum, p.child("service", "port", "number")));
    else errs.push(fieldErrors.required(p, "port name or number is required"));
  } else errs.push(fieldErrors.invalid(p, "", "resource or service backend is required"));
  return errs;
}

function httpPath(path: Obj, p: FieldPath): FieldError[] {
  if (path.pathType === undefined || path.pathType === null) return [fieldErrors.required(p.child("pathType"), "pathType must be specified")];
  const errs: FieldError[] = [];
  const pt = str(path.pathType);
  const value = str(path.path);
  switch (pt) {
    case "Exact":
    case "Prefix":
      if (!value.startsWith("/")) errs.push(fieldErrors.invalid(p.child("path"), value, "must be an absolute path"));
      if (value) {
        for (const seq of BAD_SEQUENCES) if (value.includes(seq)) errs.push(fieldErrors.invalid(p.child("path"), value, `must not contain '${seq}'`));
        for (const suf of BAD_SUFFIXES) if (value.endsWith(suf)) errs.push(fieldErrors.invalid(p.child("path"), value, `cannot end with '${suf}'`));
      }
      break;
    case "ImplementationSpecific":
      if (value && !value.startsWith("/")) errs.push(fieldErrors.invalid(p.child("path"), value, "must be an absolute path"));
      break;
    default:
      errs.push(fieldErrors.notSupported(p.child("pathType"), pt, PATH_TYPES));
  }
  errs.push(...backend(objOr(path.backend), p.child("backend")));
  return errs;
}

export function validateIngress(ing: KubeObject): FieldError[] {
  const spec = objOr(ing.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const rules = objs(spec.rules);
  if (rules.length === 0 && !obj(spec.defaultBackend))
    errs.push(fieldErrors.invalid(sp, new GoValue(Array.isArray(spec.rules) ? "[]networking.IngressRule{}" : "[]networking.IngressRule(nil)"), "either `defaultBackend` or `rules` must be specified"));
  if (obj(spec.defaultBackend)) errs.push(...backend(objOr(spec.defaultBackend), sp.child("defaultBackend")));
  rules.forEach((rule, i) => {
    const rp = sp.child("rules").index(i);
    const host = str(rule.host);
    if (host) {
      if (parseIP(host)) errs.push(fieldErrors.invalid(rp.child("host"), host, "must be a DNS name, not an IP address"));
      errs.push(...hostErrors(host, rp.child("host")));
    }
    const http = obj(rule.http);
    if (http) {
      const hp = rp.child("http");
      const paths = objs(http.paths);
      if (paths.length === 0) errs.push(fieldErrors.required(hp.child("paths")));
      paths.forEach((path, j) => errs.push(...httpPath(path, hp.child("paths").index(j))));
    }
  });
  objs(spec.tls).forEach((tls, i) => {
    strs(tls.hosts).forEach((h, j) => errs.push(...hostErrors(h, sp.child("tls").index(i).child("hosts").index(j))));
  });
  if (typeof spec.ingressClassName === "string")
    for (const m of nameErrors("DNS1123Subdomain", spec.ingressClassName)) errs.push(fieldErrors.invalid(sp.child("ingressClassName"), spec.ingressClassName, m));
  return errs;
}

export function validateIngressCreate(ing: KubeObject): FieldError[] {
  const errs = validateIngress(ing);
  const ann = ing.metadata.annotations?.["kubernetes.io/ingress.class"];
  const cls = objOr(ing.spec).ingressClassName;
  if (ann !== undefined && typeof cls === "string" && ann !== cls)
    errs.push(fieldErrors.invalid(root("annotations").child("kubernetes.io/ingress.class"), ann, "must match `ingressClassName` when both are specified"));
  return errs;
}

export function validateIngressClass(ic: KubeObject): FieldError[] {
  const spec = objOr(ic.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const controller = str(spec.controller);
  const cp = sp.child("controller");
  if (!controller) errs.push(fieldErrors.required(cp));
  else {
    if (controller.length > 250) errs.push(fieldErrors.tooLong(cp, "", 250));
    const idx = controller.indexOf("/");
    const host = idx < 0 ? controller : controller.slice(0, idx);
    if (idx < 0 || !host || !controller.slice(idx + 1)) errs.push(fieldErrors.invalid(cp, controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
    else errs.push(...dnsSubdomain(host, cp).map((e) => ({ ...e, badValue: host })));
  }
  const params = obj(spec.parameters);
  if (params) {
    const pp = sp.child("parameters");
    if (typeof params.apiGroup === "string") errs.push(...dnsSubdomain(params.apiGroup, pp.child("apiGroup")));
    const kind = str(params.kind);
    if (!kind) errs.push(fieldErrors.required(pp.child("kind"), "kind is required"));
    else for (const m of pathSegmentErrors(kind)) errs.push(fieldErrors.invalid(pp.child("kind"), kind, m));
    const name = str(params.name);
    if (!name) errs.push(fieldErrors.required(pp.child("name"), "name is required"));
    else for (const m of pathSegmentErrors(name)) errs.push(fieldErrors.invalid(pp.child("name"), name, m));
    const scope = str(params.scope) || "Cluster";
    if (scope !== "Cluster" && scope !== "Namespace") errs.push(fieldErrors.notSupported(pp.child("scope"), scope, ["Cluster", "Namespace"]));
    if (scope === "Namespace" && !str(params.namespace)) errs.push(fieldErrors.required(pp.child("namespace"), "`parameters.scope` is set to 'Namespace'"));
    if (scope === "Cluster" && params.namespace !== undefined) errs.push(fieldErrors.forbidden(pp.child("namespace"), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

function cidrContains(cidr: string, inner: string): boolean {
  const [a, abits] = cidr.split("/") as [string, string];
  const [b, bbits] = inner.split("/") as [string, string];
  if (parseIP(a) !== parseIP(b)) return false;
  const toBits = (ip: string): string =>
    parseIP(ip) === 4
      ? ip.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("")
      : (() => {
          const [h, t = undefined] = ip.split("::");
          const head = h ? h.split(":") : [];
          const tail = t === undefined ? [] : t ? t.split(":") : [];
          const groups = [...head, ...Array(8 - head.length - tail.length).fill("0"), ...tail];
          return groups.map((g) => parseInt(g, 16).toString(2).padStart(16, "0")).join("");
        })();
  const n = Number(abits);
  return Number(bbits) > n && toBits(a).slice(0, n) === toBits(b).slice(0, n);
}

function peer(pe: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (obj(pe.podSelector)) {
    n++;
    errs.push(...validateLabelSelector(pe.podSelector, p.child("podSelector")));
  }
  if (obj(pe.namespaceSelector)) {
    n++;
    errs.push(...validateLabelSelector(pe.namespaceSelector, p.child("namespaceSelector")));
  }
  const ipb = obj(pe.ipBlock);
  if (ipb) {
    n++;
    const bp = p.child("ipBlock");
    const cidr = str(ipb.cidr);
    if (!cidr) errs.push(fieldErrors.required(bp.child("cidr")));
    else {
      errs.push(...validCIDR(cidr, bp.child("cidr")));
      if (parseCIDR(cidr))
        strs(ipb.except).forEach((ex, i) => {
          const ep = bp.child("except").index(i);
          const e = validCIDR(ex, ep);
          errs.push(...e);
          if (!e.length && !cidrContains(cidr, ex)) errs.push(fieldErrors.invalid(ep, ex, "must be a strict subset of `cidr`"));
        });
    }
  }
  if (n === 0) errs.push(fieldErrors.required(p, "must specify a peer"));
  else if (n > 1 && ipb) errs.push(fieldErrors.forbidden(p, "may not specify both ipBlock and another peer"));
  return errs;
}

function npPort(port: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const proto = str(port.protocol);
  if (proto && !["TCP", "UDP", "SCTP"].includes(proto)) errs.push(fieldErrors.notSupported(p.child("protocol"), proto, ["TCP", "UDP", "SCTP"]));
  const end = isNum(port.endPort) ? port.endPort : undefined;
  if (port.port !== undefined && port.port !== null) {
    if (typeof port.port === "string") {
      if (end !== undefined) errs.push(fieldErrors.invalid(p.child("endPort"), end, "may not be specified when `port` is non-numeric"));
      for (const m of portNameErrors(port.port)) errs.push(fieldErrors.invalid(p.child("port"), port.port, m));
    } else {
      const num = isNum(port.port) ? port.port : 0;
      errs.push(...validPortNum(num, p.child("port")));
      if (end !== undefined) {
        if (end < num) errs.push(fieldErrors.invalid(p.child("endPort"), num, "must be greater than or equal to `port`"));
        errs.push(...validPortNum(end, p.child("endPort")));
      }
    }
  } else if (end !== undefined) errs.push(fieldErrors.invalid(p.child("endPort"), end, "may not be specified when `port` is not specified"));
  return errs;
}

export function validateNetworkPolicy(np: KubeObject): FieldError[] {
  const spec = objOr(np.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(spec.podSelector ?? {}, sp.child("podSelector")));
  for (const [dir, peers] of [["ingress", "from"], ["egress", "to"]] as const) {
    objs(spec[dir]).forEach((rule, i) => {
      const rp = sp.child(dir).index(i);
      objs(rule.ports).forEach((port, j) => errs.push(...npPort(port, rp.child("ports").index(j))));
      objs(rule[peers]).forEach((pe, j) => errs.push(...peer(pe, rp.child(peers).index(j))));
    });
  }
  const types = strs(spec.policyTypes);
  if (types.length > 2) {
    errs.push(fieldErrors.invalid(sp.child("policyTypes"), types, "may not specify more than two policyTypes"));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== "Ingress" && t !== "Egress") errs.push(fieldErrors.notSupported(sp.child("policyTypes").index(i), t, ["Ingress", "Egress"]));
  });
  return errs;
}

