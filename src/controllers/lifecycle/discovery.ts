// What the garbage collector, the namespace controller and the disruption controller learn from
// discovery (upstream: a discovery client and a RESTMapper): the served resources with their kinds,
// scope and verbs, which version of a group is preferred, and a notification when the set changes
// (CRDs come and go).
//
// Two sources: the API server's own registry, when the control plane hands one over
// (`ControllerContext.discovery`, see `registryDiscovery`), or — until then — the built-in
// resources of this server plus the established CRDs read through an informer.
import type { KubeObject } from "../../apimachinery/types.js";
import type { GroupVersionResourceRef } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";

export interface DiscoveredResource {
  group: string;
  version: string;
  /** The resource (plural) name. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
  /** True in the group's preferred version (upstream ServerPreferredResources). */
  preferred: boolean;
}

export interface ResourceDiscovery {
  /** Every served resource in every served version (no subresources). */
  resources(): DiscoveredResource[];
  /** Calls fn after the served resources changed; returns an unsubscribe function. */
  onChange(fn: () => void): () => void;
}

/** The part of the registry `registryDiscovery` reads (structural, so no registry import here). */
export interface RegistryLike {
  groups(): { group: string; versions: string[] }[];
  resources(group: string, version: string): { plural: string; kind: string; namespaced: boolean; verbs?: readonly string[] }[];
  onChange(fn: () => void): () => void;
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"] as const;

/** Discovery straight from the API server's registry: built-ins and CRs exactly as served. */
export function registryDiscovery(registry: RegistryLike): ResourceDiscovery {
  return {
    resources() {
      const out: DiscoveredResource[] = [];
      for (const { group, versions } of registry.groups()) {
        versions.forEach((version, i) => {
          for (const def of registry.resources(group, version))
            out.push({ group, version, resource: def.plural, kind: def.kind, namespaced: def.namespaced, verbs: def.verbs ?? ALL_VERBS, preferred: i === 0 });
        });
      }
      return out;
    },
    onChange: (fn) => registry.onChange(fn),
  };
}

const NOT_REVIEWS = ALL_VERBS;
const NS_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"] as const;

/** The built-in resources this server serves ([group, version, resource, kind, namespaced]). */
const BUILTIN: [string, string, string, string, boolean, (readonly string[])?][] = [
  ["", "v1", "namespaces", "Namespace", false, NS_VERBS],
  ["", "v1", "pods", "Pod", true],
  ["", "v1", "services", "Service", true],
  ["", "v1", "endpoints", "Endpoints", true],
  ["", "v1", "configmaps", "ConfigMap", true],
  ["", "v1", "secrets", "Secret", true],
  ["", "v1", "serviceaccounts", "ServiceAccount", true],
  ["", "v1", "nodes", "Node", false],
  ["", "v1", "events", "Event", true],
  ["", "v1", "persistentvolumes", "PersistentVolume", false],
  ["", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true],
  ["", "v1", "resourcequotas", "ResourceQuota", true],
  ["", "v1", "limitranges", "LimitRange", true],
  ["", "v1", "replicationcontrollers", "ReplicationController", true],
  ["", "v1", "podtemplates", "PodTemplate", true],
  ["apps", "v1", "deployments", "Deployment", true],
  ["apps", "v1", "replicasets", "ReplicaSet", true],
  ["apps", "v1", "statefulsets", "StatefulSet", true],
  ["apps", "v1", "daemonsets", "DaemonSet", true],
  ["apps", "v1", "controllerrevisions", "ControllerRevision", true],
  ["batch", "v1", "jobs", "Job", true],
  ["batch", "v1", "cronjobs", "CronJob", true],
  ["autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true],
  ["autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true],
  ["coordination.k8s.io", "v1", "leases", "Lease", true],
  ["discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true],
  ["events.k8s.io", "v1", "events", "Event", true],
  ["networking.k8s.io", "v1", "ingresses", "Ingress", true],
  ["networking.k8s.io", "v1", "ingressclasses", "IngressClass", false],
  ["networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true],
  ["networking.k8s.io", "v1", "ipaddresses", "IPAddress", false],
  ["networking.k8s.io", "v1", "servicecidrs", "ServiceCIDR", false],
  ["policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true],
  ["rbac.authorization.k8s.io", "v1", "roles", "Role", true],
  ["rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true],
  ["rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false],
  ["rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false],
  ["storage.k8s.io", "v1", "storageclasses", "StorageClass", false],
  ["storage.k8s.io", "v1", "csidrivers", "CSIDriver", false],
  ["storage.k8s.io", "v1", "csinodes", "CSINode", false],
  ["storage.k8s.io", "v1", "volumeattachments", "VolumeAttachment", false],
  ["storage.k8s.io", "v1", "csistoragecapacities", "CSIStorageCapacity", true],
  ["scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false],
  ["node.k8s.io", "v1", "runtimeclasses", "RuntimeClass", false],
  ["certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", false],
  ["admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false],
  ["admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false],
  ["admissionregistration.k8s.io", "v1", "validatingadmissionpolicies", "ValidatingAdmissionPolicy", false],
  ["admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", false],
  ["apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false],
  ["apiregistration.k8s.io", "v1", "apiservices", "APIService", false],
  ["flowcontrol.apiserver.k8s.io", "v1", "flowschemas", "FlowSchema", false],
  ["flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", "PriorityLevelConfiguration", false],
];

/** The built-in table (exported for the test that keeps it equal to the registry's built-ins). */
export function builtinDiscoveredResources(): DiscoveredResource[] {
  // the first version listed for a group is its preferred one
  const preferred = new Map<string, string>();
  return BUILTIN.map(([group, version, resource, kind, namespaced, verbs]) => {
    if (!preferred.has(group)) preferred.set(group, version);
    return { group, version, resource, kind, namespaced, verbs: verbs ?? NOT_REVIEWS, preferred: preferred.get(group) === version };
  });
}

/** Kubernetes version ordering (GA > beta > alpha, higher numbers first); -1 when a sorts first. */
export function compareKubeAwareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return undefined;
    return { major: Number(m[1]), stage: m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  if (pa.stage !== pb.stage) return pb.stage - pa.stage;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}

/** The resources an established CRD serves. */
export function crdResources(crd: KubeObject): DiscoveredResource[] {
  const spec = (crd.spec ?? {}) as {
    group?: string;
    scope?: string;
    names?: { plural?: string; kind?: string };
    versions?: { name?: string; served?: boolean }[];
  };
  const conditions = ((crd.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? []).filter(Boolean);
  if (!conditions.some((c) => c.type === "Established" && c.status === "True")) return [];
  if (!spec.group || !spec.names?.plural || !spec.names.kind) return [];
  const versions = (spec.versions ?? [])
    .filter((v) => v.served && v.name)
    .map((v) => v.name!)
    .sort(compareKubeAwareVersions);
  return versions.map((version, i) => ({
    group: spec.group!,
    version,
    resource: spec.names!.plural!,
    kind: spec.names!.kind!,
    namespaced: spec.scope !== "Cluster",
    verbs: ALL_VERBS,
    preferred: i === 0,
  }));
}

const CRDS: GroupVersionResourceRef = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" };

/** Built-ins plus the established CRDs seen through the shared CRD informer. */
function informerDiscovery(ctx: ControllerContext): ResourceDiscovery {
  const informer = ctx.informers.informerFor(CRDS);
  const listeners = new Set<() => void>();
  const builtins = builtinDiscoveredResources();
  let signature = "";
  const notify = () => {
    const next = JSON.stringify(informer.list().flatMap(crdResources));
    if (next === signature) return;
    signature = next;
    for (const fn of listeners) fn();
  };
  informer.addEventHandler({ onAdd: notify, onUpdate: notify, onDelete: notify });
  return {
    resources: () => [...builtins, ...informer.list().flatMap(crdResources)],
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

const cache = new WeakMap<ControllerContext, ResourceDiscovery>();

/**
 * The discovery of a control plane: `ctx.discovery` when the control plane provides one (the
 * registry's), else built-ins plus CRDs. One instance per context.
 */
export function discoveryFor(ctx: ControllerContext): ResourceDiscovery {
  let d = cache.get(ctx);
  if (!d) {
    d = (ctx as ControllerContext & { discovery?: ResourceDiscovery }).discovery ?? informerDiscovery(ctx);
    cache.set(ctx, d);
  }
  return d;
}

/** RESTMapper: kind → resource, from one snapshot of discovery. */
export class RestMapper {
  private readonly byGVK = new Map<string, DiscoveredResource>();
  private readonly byGK = new Map<string, DiscoveredResource>();

  constructor(resources: DiscoveredResource[]) {
    for (const r of resources) {
      this.byGVK.set(`${r.group}/${r.version}/${r.kind}`, r);
      const gk = `${r.group}/${r.kind}`;
      if (r.preferred || !this.byGK.has(gk)) this.byGK.set(gk, r);
    }
  }

  /** The resource of apiVersion/kind: that version when served, else the group's preferred one. */
  mapping(apiVersion: string, kind: string): DiscoveredResource | undefined {
    const i = apiVersion.indexOf("/");
    const group = i < 0 ? "" : apiVersion.slice(0, i);
    const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
    return this.byGVK.get(`${group}/${version}/${kind}`) ?? this.byGK.get(`${group}/${kind}`);
  }
}

export function gvrOf(r: DiscoveredResource): GroupVersionResourceRef {
  return { group: r.group, version: r.version, resource: r.resource };
}

export function apiVersionOfResource(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}
