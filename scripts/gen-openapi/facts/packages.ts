// Upstream Go packages of the built-in API types, as the OpenAPI definition names spell them
// (io.k8s.api.apps.v1.Deployment), with the API group they serve and the prefixes the
// client-node generator uses for its class names (CoreV1EndpointPort) and API classes
// (RbacAuthorizationV1Api).

export interface ApiPackage {
  /** Definition name prefix without the version: "io.k8s.api.apps". */
  pkg: string;
  /** API group of the kinds in the package ("" for core). */
  group: string;
  /** client-node class prefix used when two packages have a type of the same name. */
  classPrefix: string;
  /** client-node API class prefix ("RbacAuthorization" for RbacAuthorizationV1Api). */
  apiPrefix: string;
}

export const API_PACKAGES: readonly ApiPackage[] = [
  { pkg: "io.k8s.api.admissionregistration", group: "admissionregistration.k8s.io", classPrefix: "Admissionregistration", apiPrefix: "Admissionregistration" },
  { pkg: "io.k8s.api.apiserverinternal", group: "internal.apiserver.k8s.io", classPrefix: "Apiserverinternal", apiPrefix: "InternalApiserver" },
  { pkg: "io.k8s.api.apps", group: "apps", classPrefix: "Apps", apiPrefix: "Apps" },
  { pkg: "io.k8s.api.authentication", group: "authentication.k8s.io", classPrefix: "Authentication", apiPrefix: "Authentication" },
  { pkg: "io.k8s.api.authorization", group: "authorization.k8s.io", classPrefix: "Authorization", apiPrefix: "Authorization" },
  { pkg: "io.k8s.api.autoscaling", group: "autoscaling", classPrefix: "Autoscaling", apiPrefix: "Autoscaling" },
  { pkg: "io.k8s.api.batch", group: "batch", classPrefix: "Batch", apiPrefix: "Batch" },
  { pkg: "io.k8s.api.certificates", group: "certificates.k8s.io", classPrefix: "Certificates", apiPrefix: "Certificates" },
  { pkg: "io.k8s.api.coordination", group: "coordination.k8s.io", classPrefix: "Coordination", apiPrefix: "Coordination" },
  { pkg: "io.k8s.api.core", group: "", classPrefix: "Core", apiPrefix: "Core" },
  { pkg: "io.k8s.api.discovery", group: "discovery.k8s.io", classPrefix: "Discovery", apiPrefix: "Discovery" },
  { pkg: "io.k8s.api.events", group: "events.k8s.io", classPrefix: "Events", apiPrefix: "Events" },
  { pkg: "io.k8s.api.flowcontrol", group: "flowcontrol.apiserver.k8s.io", classPrefix: "Flowcontrol", apiPrefix: "FlowcontrolApiserver" },
  { pkg: "io.k8s.api.networking", group: "networking.k8s.io", classPrefix: "Networking", apiPrefix: "Networking" },
  { pkg: "io.k8s.api.node", group: "node.k8s.io", classPrefix: "Node", apiPrefix: "Node" },
  { pkg: "io.k8s.api.policy", group: "policy", classPrefix: "Policy", apiPrefix: "Policy" },
  { pkg: "io.k8s.api.rbac", group: "rbac.authorization.k8s.io", classPrefix: "Rbac", apiPrefix: "RbacAuthorization" },
  { pkg: "io.k8s.api.resource", group: "resource.k8s.io", classPrefix: "Resource", apiPrefix: "Resource" },
  { pkg: "io.k8s.api.scheduling", group: "scheduling.k8s.io", classPrefix: "Scheduling", apiPrefix: "Scheduling" },
  { pkg: "io.k8s.api.storage", group: "storage.k8s.io", classPrefix: "Storage", apiPrefix: "Storage" },
  { pkg: "io.k8s.api.storagemigration", group: "storagemigration.k8s.io", classPrefix: "Storagemigration", apiPrefix: "Storagemigration" },
  { pkg: "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions", group: "apiextensions.k8s.io", classPrefix: "Apiextensions", apiPrefix: "Apiextensions" },
  { pkg: "io.k8s.kube-aggregator.pkg.apis.apiregistration", group: "apiregistration.k8s.io", classPrefix: "Apiregistration", apiPrefix: "Apiregistration" },
  // meta/v1 types carry no group; their classes are plain V1ObjectMeta.
  { pkg: "io.k8s.apimachinery.pkg.apis.meta", group: "", classPrefix: "", apiPrefix: "" },
];

/** Unversioned apimachinery packages: definition prefix and client-node class prefix. */
export const UNVERSIONED_PACKAGES: readonly { pkg: string; classPrefix: string }[] = [
  { pkg: "io.k8s.apimachinery.pkg.api.resource", classPrefix: "" },
  { pkg: "io.k8s.apimachinery.pkg.util.intstr", classPrefix: "" },
  { pkg: "io.k8s.apimachinery.pkg.runtime", classPrefix: "" },
  { pkg: "io.k8s.apimachinery.pkg.version", classPrefix: "Version" },
];

/** "io.k8s.kube-aggregator.pkg" -> "IoK8sKubeAggregatorPkg" (the kubernetes-models alias spelling). */
export function pascalOf(dotted: string): string {
  return dotted
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}
