// Helpers for the StatefulSet and DaemonSet cluster tests: objects, nodes, and playing the kubelet
// (pod status through the status subresource) where no kubelet group runs.
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { formatTime } from "../../../../src/util/clock.js";
import type { TestCluster } from "../../../helpers/cluster.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;

export function statefulSet(name: string, spec: Obj = {}, meta: Obj = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, ...meta },
    spec: {
      replicas: 3,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "nginx:1.25" }] } },
      ...spec,
    },
  };
}

export function daemonSet(name: string, spec: Obj = {}, meta: Obj = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, ...meta },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "nginx:1.25" }] } },
      ...spec,
    },
  };
}

export function node(name: string, labels: Record<string, string> = {}, spec: Obj = {}): KubeObject {
  return { apiVersion: "v1", kind: "Node", metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } }, spec };
}

export async function pods(c: TestCluster, ns: string, labelSelector?: string): Promise<KubeObject[]> {
  return (await c.client.list(R.pods, ns, labelSelector ? { labelSelector } : {})).items;
}

export function names(objs: KubeObject[]): string[] {
  return objs.map((o) => o.metadata.name!).sort();
}

/** What a kubelet would report: Running and Ready (or not), through pods/status. */
export async function setPodReady(c: TestCluster, pod: KubeObject, ready = true, phase = "Running"): Promise<KubeObject> {
  for (let i = 0; ; i++) {
    const cur = structuredClone(await c.client.get(R.pods, pod.metadata.namespace!, pod.metadata.name!)) as Obj;
    cur.status = {
      ...(cur.status ?? {}),
      phase,
      conditions: [{ type: "Ready", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: formatTime(c.clock.now()) }],
    };
    try {
      return await c.client.update(R.pods, pod.metadata.namespace!, cur as KubeObject, { subresource: "status" });
    } catch (err) {
      if (i > 5) throw err;
    }
  }
}

/** Marks every pod matching the selector that is not yet ready as ready. */
export async function readyAll(c: TestCluster, ns: string, labelSelector: string): Promise<number> {
  let n = 0;
  for (const p of await pods(c, ns, labelSelector)) {
    if (p.metadata.deletionTimestamp) continue;
    const ready = ((p.status as Obj | undefined)?.conditions ?? []).some((x: Obj) => x.type === "Ready" && x.status === "True");
    if (!ready) {
      await setPodReady(c, p);
      n++;
    }
  }
  return n;
}

export async function events(c: TestCluster, ns: string, involvedName?: string): Promise<Obj[]> {
  await c.settle(40);
  const list = (await c.client.list(R.events, ns)).items as Obj[];
  return list.filter((e) => !involvedName || e.involvedObject?.name === involvedName);
}

export async function revisions(c: TestCluster, ns: string): Promise<KubeObject[]> {
  return (await c.client.list(R.controllerrevisions, ns)).items.sort((a, b) => (a.revision as number) - (b.revision as number));
}
