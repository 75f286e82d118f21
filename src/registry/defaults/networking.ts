// networking.k8s.io/v1 defaulting (pkg/apis/networking/v1/defaults.go, Kubernetes 1.33). Ingress
// (pathType is required in v1), IPAddress and ServiceCIDR have no defaulter.
import type { KubeObject } from "../../apimachinery/types.js";
import { type Json, child, defaultNil, ensureChild, isEmptyCollection, items, obj } from "./util.js";

/** SetDefaults_NetworkPolicy, SetDefaults_NetworkPolicyPort; podSelector is a struct Go always writes. */
export function defaultNetworkPolicy(np: KubeObject): void {
  const spec = obj(np.spec);
  if (!spec) return;
  ensureChild(spec, "podSelector");
  if (isEmptyCollection(spec.policyTypes)) {
    spec.policyTypes = isEmptyCollection(spec.egress) ? ["Ingress"] : ["Ingress", "Egress"];
  }
  for (const direction of ["ingress", "egress"]) {
    for (const rule of items(spec, direction)) {
      for (const port of items(rule, "ports")) defaultNil(port, "protocol", "TCP");
    }
  }
}

/** SetDefaults_IngressClass: parameters are cluster-scoped unless said otherwise. */
export function defaultIngressClass(ic: KubeObject): void {
  const parameters = child(obj(ic.spec), "parameters");
  if (parameters) defaultNil(parameters as Json, "scope", "Cluster");
}
