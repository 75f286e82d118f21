// Helpers for the apps controller cluster tests: objects, a stand-in for kubelets (pod status
// written through the status subresource), and waiting until the controllers are idle.
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { formatTime } from "../../../../src/util/clock.js";
import type { TestCluster } from "../../../helpers/cluster.js";

export const NS = "default";

export interface DeploymentOptions {
  replicas?: number;
  image?: string;
  strategy?: Record<string, unknown>;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  annotations?: Record<string, string>;
}

export function deploymentObject(name: string, o: DeploymentOptions = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: o.image ?? "nginx" }] } },
      ...(o.strategy ? { strategy: o.strategy } : {}),
      ...(o.minReadySeconds !== undefined ? { minReadySeconds: o.minReadySeconds } : {}),
      ...(o.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: o.progressDeadlineSeconds } : {}),
      ...(o.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: o.revisionHistoryLimit } : {}),
      ...(o.paused ? { paused: true } : {}),
    },
  };
}

export function replicaSetObject(name: string, replicas: number, o: { minReadySeconds?: number; labels?: Record<string, string> } = {}): KubeObject {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name },
    spec: {
      replicas,
      ...(o.minReadySeconds ? { minReadySeconds: o.minReadySeconds } : {}),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "nginx" }] } },
    },
  };
}

type Pod = KubeObject & { spec?: Record<string, unknown>; status?: { phase?: string; conditions?: { type: string; status: string }[] } };

export function isReady(p: Pod): boolean {
  return !!p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
}

export async function listPods(c: TestCluster, labelSelector?: string): Promise<Pod[]> {
  const l = await c.client.list(R.pods, NS, labelSelector ? { labelSelector } : {});
  return (l.items as Pod[]).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
}

export async function listReplicaSets(c: TestCluster): Promise<(KubeObject & { spec: any; status?: any })[]> {
  const l = await c.client.list(R.replicasets, NS);
  return (l.items as (KubeObject & { spec: any; status?: any })[]).sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : a.metadata.creationTimestamp! > b.metadata.creationTimestamp! ? 1 : a.metadata.name! < b.metadata.name! ? -1 : 1));
}

/** What a kubelet reports once a pod's containers run and pass readiness. */
export async function markReady(c: TestCluster, pod: Pod): Promise<void> {
  const now = formatTime(c.clock.now());
  const fresh = (await c.client.get(R.pods, NS, pod.metadata.name!)) as Pod;
  await c.client.update(
    R.pods,
    NS,
    {
      ...fresh,
      status: {
        ...(fresh.status ?? {}),
        phase: "Running",
        conditions: [
          { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: now },
          { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: now },
          { type: "ContainersReady", status: "True", lastProbeTime: null, lastTransitionTime: now },
          { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now },
        ],
        startTime: now,
      },
    } as KubeObject,
    { subresource: "status" },
  );
}

export async function markAllReady(c: TestCluster, labelSelector?: string): Promise<number> {
  let n = 0;
  for (const p of await listPods(c, labelSelector)) {
    if (isReady(p)) continue;
    await markReady(c, p);
    n++;
  }
  return n;
}

/** The highest resourceVersion among the objects the apps controllers touch. */
async function latestRV(c: TestCluster): Promise<string> {
  const rvs = await Promise.all([R.pods, R.replicasets, R.deployments, R.replicationcontrollers].map((g) => c.client.list(g, NS)));
  return rvs.map((l) => l.metadata.resourceVersion).join("/");
}

/**
 * Lets the controllers run until nothing changes any more, moving the fake clock a little so
 * that retries with backoff fire, but far less than any deadline a test depends on.
 */
export async function quiesce(c: TestCluster, opts: { stepMs?: number; maxRounds?: number } = {}): Promise<void> {
  let last = "";
  let stable = 0;
  for (let i = 0; i < (opts.maxRounds ?? 400); i++) {
    await c.settle(30);
    const rv = await latestRV(c);
    if (rv === last) {
      // a few rounds past the ReplicaSet status write window (50 ms)
      if (++stable >= 5) return;
    } else stable = 0;
    last = rv;
    c.clock.advance(opts.stepMs ?? 20);
  }
  throw new Error("controllers did not quiesce");
}

export async function events(c: TestCluster, kind?: string, name?: string): Promise<string[]> {
  const l = await c.client.list(R.events, NS);
  return (l.items as (KubeObject & { involvedObject: { kind: string; name: string }; reason: string; message: string; type: string })[])
    .filter((e) => (!kind || e.involvedObject.kind === kind) && (!name || e.involvedObject.name === name))
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.type} ${e.reason} ${e.message}`);
}

export function condition(obj: KubeObject, type: string): { type: string; status: string; reason?: string; message?: string; lastUpdateTime?: string; lastTransitionTime?: string } | undefined {
  return ((obj as any).status?.conditions ?? []).find((c: { type: string }) => c.type === type);
}
