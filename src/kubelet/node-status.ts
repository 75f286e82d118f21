// The Node a kubelet registers and the status it keeps posting (upstream kubelet_node_status.go
// initialNode and pkg/kubelet/nodestatus setters): labels, capacity and allocatable, addresses,
// node info, images, the pressure conditions and Ready with the kubelet's reasons and messages.
import { createHash } from "node:crypto";
import type { KubeObject } from "../apimachinery/types.js";
import { formatTime } from "../util/clock.js";
import type { NodeImageStore } from "./images.js";
import type { KubeletOptions } from "./options.js";

export interface NodeIdentity {
  name: string;
  index: number;
  ip: string;
  podCIDR: string | undefined;
  kubeletVersion: string;
}

const UNITS: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** A Kubernetes quantity as a number (plain, decimal and binary suffixes). */
export function quantityValue(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(q.trim());
  if (!m) throw new Error(`invalid quantity ${JSON.stringify(q)}`);
  if (m[2] === "m") return Number(m[1]) / 1000;
  return Number(m[1]) * UNITS[m[2] ?? ""]!;
}

const hex = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);
const uuid = (s: string) => {
  const h = hex(s, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Labels the kubelet sets on its node (and the node controller mirrors to the beta keys). */
export function nodeLabels(id: NodeIdentity, opts: KubeletOptions): Record<string, string> {
  return {
    "beta.kubernetes.io/arch": opts.architecture,
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": opts.architecture,
    "kubernetes.io/hostname": id.name,
    "kubernetes.io/os": "linux",
    ...opts.labels,
  };
}

/** What a machine of a nominal size reports (MemTotal and filesystem sizes are a little under it, never round). */
function reported(nominalKi: number, ratio: number): number {
  let v = Math.floor(nominalKi * ratio);
  if (v % 1024 === 0) v -= 4;
  return Math.max(v, 1);
}

export function nodeCapacity(opts: KubeletOptions): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const memKi = reported(Math.floor(quantityValue(opts.memory) / 1024), 0.9807);
  const storageKi = reported(Math.floor(quantityValue(opts.ephemeralStorage) / 1024), 0.9678);
  const capacity = {
    cpu: opts.cpu,
    "ephemeral-storage": `${storageKi}Ki`,
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: `${memKi}Ki`,
    pods: String(opts.pods),
  };
  // allocatable = capacity - reservations - hard eviction thresholds (memory.available<100Mi, nodefs.available<10%)
  const allocatable = {
    ...capacity,
    "ephemeral-storage": String(Math.floor(storageKi * 1024 * 0.9)),
    memory: `${Math.max(0, memKi - 100 * 1024)}Ki`,
  };
  return { capacity, allocatable };
}

export function nodeInfo(id: NodeIdentity, opts: KubeletOptions): Record<string, string> {
  return {
    machineID: hex(`machine-id:${id.name}`, 32),
    systemUUID: uuid(`system-uuid:${id.name}`),
    bootID: uuid(`boot-id:${id.name}`),
    kernelVersion: opts.kernelVersion,
    osImage: opts.osImage,
    containerRuntimeVersion: opts.containerRuntimeVersion,
    kubeletVersion: id.kubeletVersion,
    kubeProxyVersion: "",
    operatingSystem: "linux",
    architecture: opts.architecture,
  };
}

export type NodeCondition = Record<string, string>;

/** The kubelet's condition setters: pressure conditions (never under pressure here) and Ready. */
export function nodeConditions(previous: NodeCondition[], ready: boolean, now: number): { conditions: NodeCondition[]; events: string[] } {
  const at = formatTime(now);
  const events: string[] = [];
  const set = (type: string, status: string, reason: string, message: string, event: string): NodeCondition => {
    const prev = previous.find((c) => c.type === type);
    const changed = !prev || prev.status !== status;
    if (changed && event) events.push(event);
    return { type, status, lastHeartbeatTime: at, lastTransitionTime: changed ? at : prev.lastTransitionTime!, reason, message };
  };
  const conditions = [
    set("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory"),
    set("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"),
    set("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID"),
  ];
  const prevReady = previous.find((c) => c.type === "Ready");
  const readyCond = ready
    ? set("Ready", "True", "KubeletReady", "kubelet is posting ready status", "")
    : set("Ready", "False", "KubeletNotReady", "container runtime status check may not have completed yet", "");
  // Ready events only on a transition from an earlier Ready condition (upstream ReadyCondition setter)
  if (prevReady && prevReady.status !== readyCond.status) events.push(ready ? "NodeReady" : "NodeNotReady");
  conditions.push(readyCond);
  return { conditions, events };
}

/** The status a kubelet posts (everything but the conditions, which nodeConditions computes). */
export function nodeStatusBody(id: NodeIdentity, opts: KubeletOptions, images: NodeImageStore): Record<string, unknown> {
  const { capacity, allocatable } = nodeCapacity(opts);
  return {
    capacity,
    allocatable,
    addresses: [
      { type: "InternalIP", address: id.ip },
      { type: "Hostname", address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: nodeInfo(id, opts),
    images: images.list(),
    runtimeHandlers: [
      { name: "", features: { recursiveReadOnlyMounts: true, userNamespaces: true } },
      { name: "runc", features: { recursiveReadOnlyMounts: true, userNamespaces: true } },
    ],
    features: { supplementalGroupsPolicy: true },
  };
}

/** The Node object a kubelet registers. */
export function registrationNode(id: NodeIdentity, opts: KubeletOptions, images: NodeImageStore, now: number): KubeObject {
  const spec: Record<string, unknown> = {};
  if (id.podCIDR) {
    spec.podCIDR = id.podCIDR;
    spec.podCIDRs = [id.podCIDR];
  }
  if (opts.taints.length) spec.taints = opts.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect }));
  const { conditions } = nodeConditions([], opts.nodeReadyAfterMs <= 0, now);
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: id.name,
      labels: nodeLabels(id, opts),
      annotations: { "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
    },
    spec,
    status: { ...nodeStatusBody(id, opts, images), conditions },
  };
}

/** Images every node starts with (what a node image ships for the system pods). */
export function seedImages(version: string): string[] {
  return ["registry.k8s.io/pause:3.10", `registry.k8s.io/kube-proxy:${version}`, "docker.io/kindest/kindnetd:v20250512-df8de77b"];
}
