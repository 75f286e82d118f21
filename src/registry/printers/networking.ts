// networking.k8s.io printers: Ingress, IngressClass, NetworkPolicy, ServiceCIDR, IPAddress.
import type { Printer } from "../printer.js";
import { loadBalancerIngress } from "./core.js";
import { ageColumn, ageOf, column, formatLabelSelector, get, has, list, nameColumn, nameOf, obj, printer, str } from "./util.js";

/** Upstream formatHosts: up to three hosts, `*` when no rule names a host. */
export function formatIngressHosts(rules: unknown[]): string {
  const hosts: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    const host = str(rule, "host");
    if (!more && host !== "") hosts.push(host);
  }
  if (hosts.length === 0) return "*";
  const text = hosts.join(",");
  return more ? `${text} + ${rules.length - max} more...` : text;
}

export const ingressPrinter: Printer = printer(
  [
    nameColumn(),
    column("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
    column("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
    column("Address", "string", "Address is a list containing ingress points for the load-balancer"),
    column("Ports", "string", "Ports of TLS configurations that open"),
    ageColumn(),
  ],
  (o, ctx) => [
    nameOf(o),
    has(o, "spec", "ingressClassName") ? str(o, "spec", "ingressClassName") : "<none>",
    formatIngressHosts(list(o, "spec", "rules")),
    // The server prints wide, so addresses are never truncated.
    loadBalancerIngress(list(o, "status", "loadBalancer", "ingress")),
    list(o, "spec", "tls").length > 0 ? "80, 443" : "80",
    ageOf(o, ctx),
  ],
);

export const ingressClassPrinter: Printer = printer(
  [
    nameColumn(),
    column("Controller", "string", "Controller that is responsible for handling this class"),
    column("Parameters", "string", "A reference to a resource with additional parameters"),
    ageColumn(),
  ],
  (o, ctx) => {
    let parameters = "<none>";
    if (has(o, "spec", "parameters")) {
      const p = obj(o, "spec", "parameters");
      parameters = str(p, "kind");
      if (has(p, "apiGroup")) parameters += `.${str(p, "apiGroup")}`;
      parameters += `/${str(p, "name")}`;
    }
    return [nameOf(o), str(o, "spec", "controller"), parameters, ageOf(o, ctx)];
  },
);

export const networkPolicyPrinter: Printer = printer(
  [nameColumn(), column("Pod-Selector", "string", "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace."), ageColumn()],
  // spec.podSelector is a struct, never nil: a missing one selects everything.
  (o, ctx) => [nameOf(o), formatLabelSelector(obj(o, "spec", "podSelector")), ageOf(o, ctx)],
);

export const serviceCIDRPrinter: Printer = printer(
  [nameColumn(), column("CIDRs", "string", "CIDRs defines the IP blocks in CIDR notation (e.g. \"192.168.0.0/24\" or \"2001:db8::/64\") from which to assign service cluster IPs. Max of two CIDRs is allowed, one of each IP family. This field is immutable."), ageColumn()],
  (o, ctx) => [nameOf(o), list(o, "spec", "cidrs").map((c) => (typeof c === "string" ? c : "")).join(","), ageOf(o, ctx)],
);

export const ipAddressPrinter: Printer = printer(
  [nameColumn(), column("ParentRef", "string", "ParentRef references the resource that an IPAddress is attached to. An IPAddress must reference a parent object.")],
  (o, ctx) => {
    let parent = "<none>";
    const ref = get(o, "spec", "parentRef");
    if (ref !== undefined && ref !== null) {
      const resource = str(ref, "resource");
      const group = str(ref, "group");
      parent = (group === "" ? resource : `${resource}.${group}`).toLowerCase();
      if (str(ref, "namespace") !== "") parent += `/${str(ref, "namespace")}`;
      parent += `/${str(ref, "name")}`;
    }
    // Upstream prints an AGE cell although the table declares no Age column.
    return [nameOf(o), parent, ageOf(o, ctx)];
  },
);
