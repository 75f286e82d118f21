// Helpers for the node controller tests (node lifecycle, taint eviction, pod GC): clusters with or
// without simulated kubelets, pods pinned to nodes, and readers for conditions, taints and events.
import { ApiError } from "../../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import type { ClusterOptions } from "../../../../src/controlplane/context.js";
import { KubeletFleet, kubeletFleetOf } from "../../../../src/kubelet/index.js";
import { formatMicroTime, formatTime } from "../../../../src/util/clock.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;
/** An API object with loosely typed fields. */
export type Kube = KubeObject & Obj;

/** A cluster running the node controllers and `nodes` simulated kubelets (node-1, node-2, ...). */
export async function kubeletCluster(nodes = 3, groups: string[] = []): Promise<{ c: TestCluster; fleet: KubeletFleet }> {
  const c = await startCluster({ groups: ["nodes", "kubelet", ...groups], cluster: { nodes } });
  const fleet = kubeletFleetOf(c.controlPlane.context)!;
  const names = fleet.nodeNames();
  // the kubelets register, report Ready, and the node lifecycle controller drops the not-ready taint
  await c.until(async () => {
    const list = (await c.client.list(R.nodes, "")).items;
    return list.length === names.length && list.every((n) => readyStatus(n) === "True" && taintsOf(n).length === 0);
  }, { what: "ready, untainted nodes" });
  await serviceAccount(c, "default");
  return { c, fleet };
}

/** A cluster with the node controllers and no kubelet: nodes are written by the test. */
export async function bareCluster(groups: string[] = [], options: Obj = {}): Promise<TestCluster> {
  const c = await startCluster({ groups: ["nodes", ...groups], cluster: { nodes: 0, ...options } as Partial<ClusterOptions> });
  await serviceAccount(c, "default");
  return c;
}

export async function serviceAccount(c: TestCluster, ns: string): Promise<void> {
  await c.until(async () => (await get(c, R.serviceaccounts, ns, "default")) !== undefined, { what: `ServiceAccount ${ns}/default` });
}

export async function namespace(c: TestCluster, name: string): Promise<string> {
  await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  await serviceAccount(c, name);
  return name;
}

export async function get(c: TestCluster, gvr: Parameters<TestCluster["client"]["get"]>[0], ns: string, name: string): Promise<Kube | undefined> {
  try {
    return (await c.client.get(gvr, ns, name)) as Kube;
  } catch (err) {
    if (err instanceof ApiError && err.reason === "NotFound") return undefined;
    throw err;
  }
}

export const node = (c: TestCluster, name: string): Promise<Kube> => c.client.get(R.nodes, "", name) as Promise<Kube>;

export function condition(o: Obj | undefined, type: string): Obj | undefined {
  return ((o?.status?.conditions ?? []) as Obj[]).find((x) => x.type === type);
}

export const readyStatus = (o: Obj | undefined): string | undefined => condition(o, "Ready")?.status;

export function taintsOf(n: Obj | KubeObject): Obj[] {
  return ((n.spec as Obj | undefined)?.taints ?? []) as Obj[];
}

/** "key:Effect" of each taint, sorted. */
export function taintKeys(n: Obj | KubeObject): string[] {
  return taintsOf(n)
    .map((t) => `${t.key}:${t.effect}`)
    .sort();
}

export function pod(name: string, nodeName: string | undefined, spec: Obj = {}, meta: Obj = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...meta },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "app", image: "nginx:1.27" }], ...spec },
  };
}

export async function runningPod(c: TestCluster, ns: string, p: KubeObject): Promise<Obj> {
  await c.client.create(R.pods, ns, p);
  return c.until(async () => {
    const cur = await get(c, R.pods, ns, p.metadata.name!);
    return cur?.status?.phase === "Running" && readyStatus(cur) === "True" && cur;
  }, { what: `pod ${p.metadata.name} running and ready` });
}

export async function events(c: TestCluster, ns = ""): Promise<Obj[]> {
  await c.settle(40);
  return (await c.client.list(R.events, ns)).items as Obj[];
}

/** "Kind/name type reason: message [component]" for each event about `name`. */
export async function eventLines(c: TestCluster, name: string, ns = ""): Promise<string[]> {
  return (await events(c, ns))
    .filter((e) => e.involvedObject?.name === name)
    .map((e) => `${e.involvedObject.kind}/${e.involvedObject.name} ${e.type} ${e.reason}: ${e.message} [${e.source?.component ?? ""}]`);
}

/** Seconds between two RFC 3339 times. */
export const secondsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;

/** Posts the node's conditions as a kubelet would (Ready True/False with a fresh heartbeat). */
export async function postReady(c: TestCluster, name: string, status: "True" | "False", extra: Obj[] = []): Promise<Obj> {
  for (let attempt = 0; ; attempt++) {
    const cur = await node(c, name);
    const now = formatTime(c.clock.now());
    const prev = condition(cur, "Ready");
    const ready =
      status === "True"
        ? { type: "Ready", status, reason: "KubeletReady", message: "kubelet is posting ready status" }
        : { type: "Ready", status, reason: "KubeletNotReady", message: "container runtime network not ready" };
    const conditions = [
      ...extra.map((x) => ({ lastHeartbeatTime: now, lastTransitionTime: now, ...x })),
      { ...ready, lastHeartbeatTime: now, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now },
    ];
    try {
      return (await c.client.update(R.nodes, "", { ...cur, status: { ...cur.status, conditions } }, { subresource: "status" })) as Obj;
    } catch (err) {
      if (attempt > 5 || !(err instanceof ApiError && err.reason === "Conflict")) throw err;
    }
  }
}

/** Creates or renews the node's Lease in kube-node-lease (a kubelet's heartbeat). */
export async function renewLease(c: TestCluster, name: string): Promise<void> {
  const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: formatMicroTime(c.clock.now()) };
  const cur = await get(c, R.leases, "kube-node-lease", name);
  if (!cur) await c.client.create(R.leases, "kube-node-lease", { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace: "kube-node-lease" }, spec });
  else await c.client.update(R.leases, "kube-node-lease", { ...cur, spec });
}

/**
 * Registers a Node as a kubelet does (with its Ready condition in the create) plus its Lease, and
 * waits for the node lifecycle controller to drop the not-ready taint of TaintNodesByCondition.
 */
export async function readyNode(c: TestCluster, name: string, labels: Record<string, string> = {}): Promise<Kube> {
  const now = formatTime(c.clock.now());
  await c.client.create(R.nodes, "", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } },
    status: { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: now, lastTransitionTime: now }] },
  });
  await renewLease(c, name);
  return c.until(async () => {
    const n = await node(c, name);
    return taintsOf(n).length === 0 ? n : undefined;
  }, { what: `node ${name} untainted` });
}
