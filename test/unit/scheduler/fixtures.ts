// Builders of nodes and pods for the scheduler tests (what simulated kubelets and controllers
// would create), plus a cache-only harness for plugin and algorithm tests.
import type { KubeObject } from "../../../src/apimachinery/types.js";
import type { LabelSelector } from "../../../src/apimachinery/labels.js";
import { Profile, seededRandom } from "../../../src/scheduler/algorithm.js";
import { SchedulerCache } from "../../../src/scheduler/cache.js";
import { CycleState, type Handle } from "../../../src/scheduler/framework.js";
import { interPodAffinity } from "../../../src/scheduler/plugins/inter-pod-affinity.js";
import { balancedAllocation, nodeAffinity, nodeName, nodePorts, nodeResourcesFit, nodeUnschedulable, taintToleration } from "../../../src/scheduler/plugins/node-plugins.js";
import { podTopologySpread } from "../../../src/scheduler/plugins/pod-topology-spread.js";
import { PodInfo } from "../../../src/scheduler/types.js";

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  ephemeral?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
}

let uidSeq = 0;

export function node(name: string, o: NodeOpts = {}): KubeObject {
  const capacity = {
    cpu: o.cpu ?? "4",
    memory: o.memory ?? "8Gi",
    pods: o.pods ?? "110",
    "ephemeral-storage": o.ephemeral ?? "100Gi",
    ...o.extra,
  };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      uid: `node-uid-${name}`,
      labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", ...o.labels },
    },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
    },
  };
}

export interface PodOpts {
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: unknown;
  tolerations?: unknown[];
  priority?: number;
  hostPort?: number;
  topologySpreadConstraints?: unknown[];
  initContainers?: unknown[];
  overhead?: Record<string, string>;
  extra?: Record<string, string>;
  uid?: string;
  ownerReferences?: unknown[];
  volumes?: unknown[];
  schedulingGates?: unknown[];
  preemptionPolicy?: string;
  startTime?: string;
}

export function pod(name: string, o: PodOpts = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  Object.assign(requests, o.extra ?? {});
  const container: Record<string, unknown> = { name: "c", image: "registry.k8s.io/pause:3.10", resources: Object.keys(requests).length ? { requests } : {} };
  if (o.hostPort) container.ports = [{ containerPort: 80, hostPort: o.hostPort, protocol: "TCP" }];
  const spec: Record<string, unknown> = { containers: [container], schedulerName: "default-scheduler" };
  if (o.nodeName) spec.nodeName = o.nodeName;
  if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
  if (o.affinity) spec.affinity = o.affinity;
  if (o.tolerations) spec.tolerations = o.tolerations;
  if (o.priority !== undefined) spec.priority = o.priority;
  if (o.topologySpreadConstraints) spec.topologySpreadConstraints = o.topologySpreadConstraints;
  if (o.initContainers) spec.initContainers = o.initContainers;
  if (o.overhead) spec.overhead = o.overhead;
  if (o.volumes) spec.volumes = o.volumes;
  if (o.schedulingGates) spec.schedulingGates = o.schedulingGates;
  if (o.preemptionPolicy) spec.preemptionPolicy = o.preemptionPolicy;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: o.namespace ?? "default",
      uid: o.uid ?? `pod-uid-${name}-${++uidSeq}`,
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences as never } : {}),
    },
    spec,
    status: { phase: "Pending", ...(o.startTime ? { startTime: o.startTime } : {}) },
  };
}

/** A cache and a default profile without any API server. */
export function harness(opts: { seed?: number; defaultSelector?: (p: PodInfo) => LabelSelector | undefined; namespaces?: Record<string, Record<string, string>> } = {}) {
  const cache = new SchedulerCache();
  const handle: Handle = {
    cache,
    namespaceLabels: (ns) => opts.namespaces?.[ns] ?? {},
    namespacesMatching: (sel) => Object.entries(opts.namespaces ?? {}).filter(([, l]) => sel.matches(l)).map(([n]) => n),
    defaultSelector: (p) => opts.defaultSelector?.(p),
    pvc: () => undefined,
    pv: () => undefined,
    storageClass: () => undefined,
    pvsOfClass: () => [],
  };
  const profile = new Profile(
    handle,
    [
      { plugin: nodeUnschedulable },
      { plugin: nodeName },
      { plugin: taintToleration, weight: 3 },
      { plugin: nodeAffinity, weight: 2 },
      { plugin: nodePorts },
      { plugin: nodeResourcesFit, weight: 1 },
      { plugin: podTopologySpread(handle), weight: 2 },
      { plugin: interPodAffinity(handle), weight: 2 },
      { plugin: balancedAllocation, weight: 1 },
    ],
    { random: seededRandom(opts.seed ?? 1) },
  );
  return {
    cache,
    handle,
    profile,
    addNode: (n: KubeObject) => cache.addNode(n),
    addPod: (p: KubeObject) => cache.addPod(p),
    /** Schedules and assumes the pod; returns the node or the error message. */
    schedule(p: KubeObject): string {
      const info = new PodInfo(p);
      const r = profile.schedulePod(new CycleState(), info);
      cache.assumePod(info.withNodeName(r.node));
      return r.node;
    },
    tryMessage(p: KubeObject): string {
      try {
        return `scheduled:${profile.schedulePod(new CycleState(), new PodInfo(p)).node}`;
      } catch (err) {
        return (err as Error).message;
      }
    },
  };
}

/**
 * Creates nodes through the API as a kubelet would, then drops the not-ready taint admission puts
 * on new nodes (what the node lifecycle controller does once they report Ready).
 */
export async function createNodes(client: import("../../../src/client/interface.js").Client, nodes: KubeObject[]): Promise<void> {
  const { R } = await import("../../../src/client/interface.js");
  for (const n of nodes) {
    const created = await client.create(R.nodes, "", n);
    const want = (n.spec as { taints?: unknown[] } | undefined)?.taints ?? [];
    const have = (created.spec as { taints?: unknown[] } | undefined)?.taints ?? [];
    if (JSON.stringify(want) !== JSON.stringify(have)) await client.patch(R.nodes, "", n.metadata.name!, "merge", { spec: { taints: want.length ? want : null } });
  }
}

/** A pod for the API (no uid, the server assigns it). */
export function apiPod(name: string, o: PodOpts = {}): KubeObject {
  const p = pod(name, o);
  delete p.metadata.uid;
  delete p.status;
  return p;
}
