// The objects a fresh cluster has before anyone writes: the four system namespaces, the
// `kubernetes` Service (first address of the service range) with its Endpoints and EndpointSlice
// pointing at this server, and the two system PriorityClasses. Written through the generic store
// (defaulting, validation, admission), created when missing and corrected when stale.
import { ApiError } from "../apimachinery/errors.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { RequestContext } from "../registry/context.js";
import type { StorageSet } from "../registry/storage-set.js";
import type { Clock } from "../util/clock.js";
import { deepEqual } from "../util/deep-equal.js";

export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
export const KUBERNETES_SERVICE_IP = "10.96.0.1";

export interface BootstrapOptions {
  /** Address and port clients use to reach this server (the kubernetes Endpoints). */
  advertiseAddress: string;
  securePort: number;
}

function systemContext(clock: Clock, namespace: string): RequestContext {
  return {
    user: { username: "system:apiserver", groups: ["system:masters", "system:authenticated"] },
    namespace,
    name: "",
    subresource: "",
    warnings: [],
    clock,
  };
}

async function ensure(storage: StorageSet, clock: Clock, group: string, resource: string, obj: KubeObject, fields: string[]): Promise<void> {
  const store = storage.storeOf(group, resource);
  if (!store) return;
  const ctx = systemContext(clock, obj.metadata.namespace ?? "");
  const name = obj.metadata.name!;
  try {
    const current = await store.get(ctx, name, {});
    if (fields.every((f) => deepEqual(current[f], obj[f]))) return;
    await store.update(ctx, name, (cur) => ({ ...cur!, ...Object.fromEntries(fields.map((f) => [f, obj[f]])) }), { dryRun: false });
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === "NotFound")) throw err;
    await store.create(ctx, obj, { dryRun: false });
  }
}

export async function bootstrap(storage: StorageSet, clock: Clock, opts: BootstrapOptions): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(storage, clock, "", "namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name } } }, []);
  }
  await ensure(
    storage,
    clock,
    "",
    "services",
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
      spec: {
        clusterIP: KUBERNETES_SERVICE_IP,
        clusterIPs: [KUBERNETES_SERVICE_IP],
        internalTrafficPolicy: "Cluster",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: opts.securePort }],
        sessionAffinity: "None",
        type: "ClusterIP",
      },
    },
    ["spec"],
  );
  const ipv6 = opts.advertiseAddress.includes(":");
  await ensure(
    storage,
    clock,
    "",
    "endpoints",
    {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "kubernetes", namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
      subsets: [{ addresses: [{ ip: opts.advertiseAddress }], ports: [{ name: "https", port: opts.securePort, protocol: "TCP" }] }],
    },
    ["subsets"],
  );
  await ensure(
    storage,
    clock,
    "discovery.k8s.io",
    "endpointslices",
    {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "kubernetes", namespace: "default", labels: { "kubernetes.io/service-name": "kubernetes" } },
      addressType: ipv6 ? "IPv6" : "IPv4",
      endpoints: [{ addresses: [opts.advertiseAddress], conditions: { ready: true } }],
      ports: [{ name: "https", port: opts.securePort, protocol: "TCP" }],
    },
    ["endpoints", "ports"],
  );
  const priority = (name: string, value: number, description: string): KubeObject => ({
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name },
    value,
    description,
    preemptionPolicy: "PreemptLowerPriority",
  });
  await ensure(storage, clock, "scheduling.k8s.io", "priorityclasses", priority("system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current node."), []);
  await ensure(
    storage,
    clock,
    "scheduling.k8s.io",
    "priorityclasses",
    priority("system-cluster-critical", 2000000000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    [],
  );
}
