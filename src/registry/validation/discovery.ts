// discovery.k8s.io/v1 EndpointSlices (upstream pkg/apis/discovery/validation).
import type { KubeObject } from "../../apimachinery/types.js";
import { dnsLabel, nonSpecialIP, parseIP, isIPv6, qualifiedName, validateLabelMap, immutable } from "./common.js";
import { dns1123LabelErrors, dns1123SubdomainErrors, nameErrors } from "../../apimachinery/validation.js";
import { type FieldError, FieldPath, fieldErrors, objOr, objs, root, str, strs } from "./helpers.js";
import { PROTOCOLS } from "./core/enums.js";

const ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"];

function fqdn(p: FieldPath, name: string): FieldError[] {
  if (!name) return [fieldErrors.required(p)];
  const n = name.endsWith(".") ? name.slice(0, -1) : name;
  const e = dns1123SubdomainErrors(n);
  if (e.length) return [fieldErrors.invalid(p, n, e.join(","))];
  if (n.split(".").length < 2) return [fieldErrors.invalid(p, n, "should be a domain with at least two segments separated by dots")];
  for (const label of n.split(".")) {
    const le = dns1123LabelErrors(label);
    if (le.length) return [fieldErrors.invalid(p, label, le.join(","))];
  }
  return [];
}

/** The API server's own slice carries its (often loopback) advertise address; see core Endpoints. */
const isOwnSlice = (es: KubeObject): boolean => es.metadata.name === "kubernetes" && es.metadata.namespace === "default";

export function validateEndpointSlice(es: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const own = isOwnSlice(es);
  const at = str(es.addressType);
  if (!ADDRESS_TYPES.includes(at)) errs.push(fieldErrors.notSupported("addressType", at, ADDRESS_TYPES));
  const eps = objs(es.endpoints);
  const ep = root("endpoints");
  if (eps.length > 1000) errs.push(fieldErrors.tooMany(ep, eps.length, 1000));
  eps.forEach((e, i) => {
    const ip = ep.index(i);
    const ap = ip.child("addresses");
    const addrs = strs(e.addresses);
    if (addrs.length === 0) errs.push(fieldErrors.required(ap, "must contain at least 1 address"));
    else if (addrs.length > 100) errs.push(fieldErrors.tooMany(ap, addrs.length, 100));
    addrs.forEach((a, j) => {
      if (at === "IPv4") {
        if (parseIP(a) !== 4) errs.push(fieldErrors.invalid(ap.index(j), a, "must be a valid IPv4 address"));
        else if (!own) errs.push(...nonSpecialIP(a, ap.index(j)));
      } else if (at === "IPv6") {
        if (!isIPv6(a)) errs.push(fieldErrors.invalid(ap.index(j), a, "must be a valid IPv6 address"));
        else if (!own) errs.push(...nonSpecialIP(a, ap.index(j)));
      } else if (at === "FQDN") errs.push(...fqdn(ap.index(j), a));
    });
    if (typeof e.nodeName === "string") for (const m of nameErrors("DNS1123Subdomain", e.nodeName)) errs.push(fieldErrors.invalid(ip.child("nodeName"), e.nodeName, m));
    const topo = objOr(e.deprecatedTopology);
    if (Object.keys(topo).length > 16) errs.push(fieldErrors.tooMany(ip.child("deprecatedTopology"), Object.keys(topo).length, 16));
    errs.push(...validateLabelMap(e.deprecatedTopology, ip.child("deprecatedTopology")));
    if (typeof e.hostname === "string") errs.push(...dnsLabel(e.hostname, ip.child("hostname")));
  });
  const ports = objs(es.ports);
  const pp = root("ports");
  if (ports.length > 100) errs.push(fieldErrors.tooMany(pp, ports.length, 100));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const ip = pp.index(i);
    const name = str(port.name);
    if (name) errs.push(...dnsLabel(name, ip.child("name")));
    if (names.has(name)) errs.push(fieldErrors.duplicate(ip.child("name"), name));
    else names.add(name);
    const proto = str(port.protocol) || "TCP";
    if (!PROTOCOLS.includes(proto)) errs.push(fieldErrors.notSupported(ip.child("protocol"), proto, PROTOCOLS));
    if (typeof port.appProtocol === "string") errs.push(...qualifiedName(port.appProtocol, ip.child("appProtocol")));
  });
  return errs;
}

export function validateEndpointSliceUpdate(es: KubeObject, old: KubeObject): FieldError[] {
  return [...validateEndpointSlice(es), ...immutable(str(es.addressType), str(old.addressType), "addressType")];
}
