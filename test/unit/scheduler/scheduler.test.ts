// The scheduler in an in-process cluster on a FakeClock (no kubelet): what a user sees of it
// through the API — pods bound through pods/binding with PodScheduled=True and a Scheduled event,
// pods that fit nowhere marked PodScheduled=False/Unschedulable with a FailedScheduling event,
// retries when the cluster changes, preemption (nominatedNodeName, DisruptionTarget, Preempted),
// scheduling gates, other schedulers' pods, and WaitForFirstConsumer volumes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { R } from "../../../src/client/interface.js";
import { createReadyNode, startCluster, type TestCluster } from "../../helpers/cluster.js";
import { apiPod, node, type NodeOpts, type PodOpts } from "./fixtures.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const EVENTS = { group: "events.k8s.io", version: "v1", resource: "events" };

async function withCluster(fn: (c: TestCluster) => Promise<void>, groups: string[] = ["scheduler"]): Promise<void> {
  const c = await startCluster({ groups });
  try {
    await fn(c);
  } finally {
    await c.stop();
  }
}

async function addNodes(c: TestCluster, ...nodes: [string, NodeOpts?][]): Promise<void> {
  for (const [n, o] of nodes) await createReadyNode(c, node(n, o));
}

const getPod = (c: TestCluster, name: string, ns = "default") => c.client.get(R.pods, ns, name) as Promise<KubeObject & { spec: Obj; status: Obj }>;

function condition(p: KubeObject, type: string): Obj | undefined {
  return ((p.status as Obj | undefined)?.conditions ?? []).find((x: Obj) => x.type === type);
}

async function podEvents(c: TestCluster, name: string, ns = "default"): Promise<Obj[]> {
  return ((await c.client.list(EVENTS, ns)).items as Obj[]).filter((e) => e.regarding?.name === name);
}

async function boundTo(c: TestCluster, name: string, ns = "default"): Promise<string> {
  return c.until(async () => (await getPod(c, name, ns)).spec.nodeName as string | undefined, { what: `${name} bound` });
}

/** The PodScheduled=False condition, once the scheduler has written it (with the given message when given). */
async function unschedulable(c: TestCluster, name: string, message?: string): Promise<Obj> {
  return c.until(
    async () => {
      const cond = condition(await getPod(c, name), "PodScheduled");
      return cond?.status === "False" && cond.reason === "Unschedulable" && (message === undefined || cond.message === message) && cond;
    },
    { what: `${name} unschedulable${message ? `: ${message}` : ""}` },
  );
}

function priorityClass(name: string, value: number): KubeObject {
  return { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value } as KubeObject;
}

function withPriorityClass(p: KubeObject, className: string): KubeObject {
  (p.spec as Obj).priorityClassName = className;
  return p;
}

describe("scheduler: binding", () => {
  it("binds a pending pod through pods/binding, sets PodScheduled=True and records Scheduled", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { cpu: "1" }], ["n2", { cpu: "2" }]);
      await c.client.create(R.pods, "default", apiPod("web", { cpu: "1500m" }));
      assert.equal(await boundTo(c, "web"), "n2", "only n2 has room");
      const p = await getPod(c, "web");
      assert.deepEqual(condition(p, "PodScheduled"), { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: "2026-01-01T00:00:00Z" });
      assert.ok(!(p.metadata.managedFields ?? []).some((f) => f.manager === "kube-scheduler"), "a binding writes no managedFields entry, unlike an update of spec.nodeName");
      const ev = await c.until(async () => (await podEvents(c, "web")).find((e) => e.reason === "Scheduled"), { what: "Scheduled event" });
      assert.equal(ev.type, "Normal");
      assert.equal(ev.action, "Binding");
      assert.equal(ev.note, "Successfully assigned default/web to n2");
      assert.equal(ev.reportingController, "default-scheduler");
      assert.match(ev.reportingInstance, /^default-scheduler-/);
      assert.deepEqual([ev.regarding.kind, ev.regarding.namespace, ev.regarding.uid], ["Pod", "default", p.metadata.uid]);
    }));

  it("pods for another scheduler are left alone", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"]);
      const mine = apiPod("theirs");
      (mine.spec as Obj).schedulerName = "my-scheduler";
      await c.client.create(R.pods, "default", mine);
      await c.client.create(R.pods, "default", apiPod("ours"));
      await boundTo(c, "ours");
      for (let i = 0; i < 5; i++) {
        c.clock.advance(60_000);
        await c.settle();
      }
      const p = await getPod(c, "theirs");
      assert.equal(p.spec.nodeName, undefined);
      assert.equal(condition(p, "PodScheduled"), undefined);
      assert.deepEqual(await podEvents(c, "theirs"), []);
    }));
});

describe("scheduler: unschedulable pods", () => {
  it("are marked PodScheduled=False with reason Unschedulable and a FailedScheduling event", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { cpu: "1" }], ["n2", { taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }] }]);
      await c.client.create(R.pods, "default", apiPod("big", { cpu: "2" }));
      const message =
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: infra}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
      const cond = await unschedulable(c, "big");
      assert.deepEqual(
        { type: cond.type, status: cond.status, reason: cond.reason, message: cond.message, lastTransitionTime: cond.lastTransitionTime },
        { type: "PodScheduled", status: "False", reason: "Unschedulable", message, lastTransitionTime: "2026-01-01T00:00:00Z" },
      );
      const ev = await c.until(async () => (await podEvents(c, "big")).find((e) => e.reason === "FailedScheduling"), { what: "FailedScheduling" });
      assert.deepEqual([ev.type, ev.action, ev.note, ev.reportingController], ["Warning", "Scheduling", message, "default-scheduler"]);
      assert.equal((await getPod(c, "big")).spec.nodeName, undefined);
    }));

  it("the FailedScheduling note is cut at 1024 bytes, the condition keeps the whole message", () =>
    withCluster(async (c) => {
      for (let i = 0; i < 20; i++) await addNodes(c, [`n${i}`, { taints: [{ key: `example.com/a-rather-long-taint-key-for-node-number-${i}`, value: "x", effect: "NoSchedule" }] }]);
      await c.client.create(R.pods, "default", apiPod("p"));
      const cond = await unschedulable(c, "p");
      assert.ok(cond.message.length > 1024, `${cond.message.length}`);
      assert.match(cond.message, /preemption: 0\/20 nodes are available: 20 Preemption is not helpful for scheduling\.$/);
      const ev = await c.until(async () => (await podEvents(c, "p")).find((e) => e.reason === "FailedScheduling"), { what: "FailedScheduling" });
      assert.equal(ev.note.length, 1024);
      assert.equal(ev.note, `${cond.message.slice(0, 1020)} ...`);
    }));

  it("the PodScheduled=False condition carries lastProbeTime: null as Go encodes it", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { cpu: "1" }]);
      await c.client.create(R.pods, "default", apiPod("big", { cpu: "2" }));
      const cond = await unschedulable(c, "big");
      assert.ok("lastProbeTime" in cond && cond.lastProbeTime === null, JSON.stringify(cond));
    }));

  it("with no nodes at all", () =>
    withCluster(async (c) => {
      await c.client.create(R.pods, "default", apiPod("p"));
      const cond = await unschedulable(c, "p");
      assert.equal(cond.message, "no nodes available to schedule pods");
    }));

  it("are retried when a node is added", () =>
    withCluster(async (c) => {
      await addNodes(c, ["small", { cpu: "1" }]);
      await c.client.create(R.pods, "default", apiPod("p", { cpu: "2" }));
      await unschedulable(c, "p");
      await addNodes(c, ["large", { cpu: "4" }]);
      assert.equal(await boundTo(c, "p"), "large");
      const cond = condition(await getPod(c, "p"), "PodScheduled");
      assert.deepEqual([cond?.status, cond?.reason, cond?.message], ["True", undefined, undefined], "binding clears the reason and message");
      const reasons = (await podEvents(c, "p")).map((e) => e.reason);
      assert.deepEqual(reasons.sort(), ["FailedScheduling", "Scheduled"]);
    }));

  it("are retried when a pod on a full node is deleted", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { cpu: "1" }]);
      await c.client.create(R.pods, "default", apiPod("hog", { cpu: "800m" }));
      await boundTo(c, "hog");
      await c.client.create(R.pods, "default", apiPod("p", { cpu: "500m" }));
      await unschedulable(c, "p");
      await c.client.delete(R.pods, "default", "hog", { gracePeriodSeconds: 0 });
      assert.equal(await boundTo(c, "p"), "n1");
    }));

  it("are retried when a node's taint is removed", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { taints: [{ key: "maintenance", effect: "NoSchedule" }] }]);
      await c.client.create(R.pods, "default", apiPod("p"));
      await unschedulable(c, "p", "0/1 nodes are available: 1 node(s) had untolerated taint {maintenance: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
      await c.client.patch(R.nodes, "", "n1", "merge", { spec: { taints: null } });
      assert.equal(await boundTo(c, "p"), "n1");
    }));

  it("are retried when a node gets the label they select", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"]);
      await c.client.create(R.pods, "default", apiPod("p", { nodeSelector: { disk: "ssd" } }));
      await unschedulable(c, "p", "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
      await c.client.patch(R.nodes, "", "n1", "merge", { metadata: { labels: { disk: "ssd" } } });
      assert.equal(await boundTo(c, "p"), "n1");
    }));

  it("are retried when the pod itself changes (a toleration added)", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] }]);
      await c.client.create(R.pods, "default", apiPod("p"));
      await unschedulable(c, "p");
      await c.client.patch(R.pods, "default", "p", "strategic", { spec: { tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }] } });
      assert.equal(await boundTo(c, "p"), "n1");
    }));

  it("a pod that keeps failing the same way gets its FailedScheduling repeats counted in a series", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { cpu: "1" }]);
      await c.client.create(R.pods, "default", apiPod("p", { cpu: "2" }));
      await unschedulable(c, "p");
      // no event helps the pod: it is retried every 5 minutes or so from the unschedulable queue
      const ev = await c.until(
        async () => (await podEvents(c, "p")).find((e) => e.reason === "FailedScheduling" && e.series?.count >= 2),
        { what: "a series", stepMs: 10_000, maxFakeMs: 20 * 60_000 },
      );
      assert.equal(ev.note, "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
      // as client-go's events recorder keys events by the regarding reference (resourceVersion
      // included), the first attempt's event names the pod before its status was written
      const all = (await podEvents(c, "p")).filter((e) => e.reason === "FailedScheduling");
      assert.equal(all.length, 2, JSON.stringify(all.map((e) => [e.regarding.resourceVersion, e.series])));
      assert.equal((await getPod(c, "p")).spec.nodeName, undefined);
    }));

  it("a pending pod deleted leaves no trace in the scheduler", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { cpu: "1" }]);
      await c.client.create(R.pods, "default", apiPod("p", { cpu: "2" }));
      await unschedulable(c, "p");
      await c.client.delete(R.pods, "default", "p", { gracePeriodSeconds: 0 });
      await c.client.create(R.pods, "default", apiPod("q", { cpu: "1" }));
      assert.equal(await boundTo(c, "q"), "n1");
      const sched = (c.controlPlane.manager as any).runnables.find((r: any) => r.name === "kube-scheduler");
      assert.deepEqual(sched.queue.stats(), { active: 0, backoff: 0, unschedulable: 0, gated: 0, inflight: 0 });
    }));

  it("gated pods wait for their scheduling gates to be removed", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"]);
      await c.client.create(R.pods, "default", apiPod("p", { schedulingGates: [{ name: "example.com/quota" }] }));
      c.clock.advance(10_000);
      await c.settle();
      let p = await getPod(c, "p");
      assert.equal(p.spec.nodeName, undefined);
      assert.deepEqual([condition(p, "PodScheduled")?.reason, condition(p, "PodScheduled")?.message], ["SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates"]);
      p = await getPod(c, "p");
      await c.client.update(R.pods, "default", { ...p, spec: { ...p.spec, schedulingGates: [] } } as KubeObject);
      assert.equal(await boundTo(c, "p"), "n1");
    }));
});

describe("scheduler: spreading", () => {
  it("spreads a burst of pods evenly over equal nodes", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"], ["n2"], ["n3"]);
      for (let i = 0; i < 9; i++) await c.client.create(R.pods, "default", apiPod(`p${i}`, { cpu: "100m", memory: "128Mi" }));
      const perNode: Record<string, number> = {};
      for (let i = 0; i < 9; i++) {
        const n = await boundTo(c, `p${i}`);
        perNode[n] = (perNode[n] ?? 0) + 1;
      }
      assert.deepEqual(perNode, { n1: 3, n2: 3, n3: 3 });
    }));

  it("replicas with required anti-affinity take one node each; the extra one waits for a node", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"], ["n2"], ["n3"]);
      const affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "etcd" } }, topologyKey: "kubernetes.io/hostname" }] } };
      for (let i = 0; i < 4; i++) await c.client.create(R.pods, "default", apiPod(`etcd-${i}`, { labels: { app: "etcd" }, affinity }));
      const nodes = await Promise.all([0, 1, 2].map((i) => boundTo(c, `etcd-${i}`)));
      assert.deepEqual(nodes.sort(), ["n1", "n2", "n3"]);
      await unschedulable(c, "etcd-3", "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
      await addNodes(c, ["n4"]);
      assert.equal(await boundTo(c, "etcd-3"), "n4");
    }));

  it("DoNotSchedule topology spread keeps zones within maxSkew", () =>
    withCluster(async (c) => {
      const zone = (z: string): NodeOpts => ({ labels: { "topology.kubernetes.io/zone": z } });
      await addNodes(c, ["a1", zone("a")], ["a2", zone("a")], ["b1", zone("b")]);
      const tsc = [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } }];
      const perZone: Record<string, number> = {};
      for (let i = 0; i < 6; i++) {
        await c.client.create(R.pods, "default", apiPod(`web-${i}`, { labels: { app: "web" }, topologySpreadConstraints: tsc }));
        const n = await boundTo(c, `web-${i}`);
        perZone[n[0]!] = (perZone[n[0]!] ?? 0) + 1;
      }
      assert.deepEqual(perZone, { a: 3, b: 3 }, "by nodes alone zone a (two nodes) would take 4");
    }));

  it("spreads the pods a Service selects away from each other (system default spreading)", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"], ["n2"]);
      // n1 holds two web pods but is emptier than n2 by resources
      for (const [name, nodeName, o] of [
        ["web-0", "n1", { labels: { app: "web" }, cpu: "100m", memory: "100Mi" }],
        ["web-1", "n1", { labels: { app: "web" }, cpu: "100m", memory: "100Mi" }],
        ["batch", "n2", { cpu: "1", memory: "1Gi" }],
      ] as [string, string, PodOpts][])
        await c.client.create(R.pods, "default", apiPod(name, { ...o, nodeName }));
      await c.client.create(R.pods, "default", apiPod("lone", { labels: { app: "lone" }, cpu: "100m", memory: "100Mi" }));
      assert.equal(await boundTo(c, "lone"), "n1", "no service: resources decide");
      await c.client.create(R.services, "default", { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } } as KubeObject);
      await c.until(async () => (await c.client.list(R.services, "default")).items.some((s) => s.metadata.name === "web"));
      await c.settle();
      await c.client.create(R.pods, "default", apiPod("web-2", { labels: { app: "web" }, cpu: "100m", memory: "100Mi" }));
      assert.equal(await boundTo(c, "web-2"), "n2");
    }));
});

describe("scheduler: DaemonSet-style pods", () => {
  it("a pod pinned by matchFields metadata.name to a tainted node says why", () =>
    withCluster(async (c) => {
      await addNodes(c, ["w1"], ["w2"], ["cp", { taints: [{ key: "node-role.kubernetes.io/control-plane", value: "", effect: "NoSchedule" }] }]);
      const pinned = (name: string, nodeName: string, o: PodOpts = {}) =>
        apiPod(name, { ...o, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }] } } } });
      await c.client.create(R.pods, "default", pinned("agent-w2", "w2"));
      assert.equal(await boundTo(c, "agent-w2"), "w2");
      await c.client.create(R.pods, "default", pinned("agent-cp", "cp"));
      await unschedulable(
        c,
        "agent-cp",
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
      await c.client.create(R.pods, "default", pinned("agent-cp2", "cp", { tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }] }));
      assert.equal(await boundTo(c, "agent-cp2"), "cp");
    }));
});

describe("scheduler: preemption", () => {
  it("a high-priority pod evicts a lower-priority pod and takes its place", () =>
    withCluster(async (c) => {
      await c.client.create(R.priorityclasses, "", priorityClass("low", 100));
      await c.client.create(R.priorityclasses, "", priorityClass("high", 1000));
      await addNodes(c, ["n1", { cpu: "1" }]);
      await c.client.create(R.pods, "default", withPriorityClass(apiPod("victim", { cpu: "800m" }), "low"));
      await boundTo(c, "victim");
      const preemptor = await c.client.create(R.pods, "default", withPriorityClass(apiPod("preemptor", { cpu: "500m" }), "high"));

      // the preemptor is nominated to the node while the victim terminates
      const p = await c.until(async () => {
        const x = await getPod(c, "preemptor");
        return x.status.nominatedNodeName && x;
      }, { what: "nominatedNodeName" });
      assert.equal(p.status.nominatedNodeName, "n1");
      assert.equal(p.spec.nodeName, undefined);
      const failed = await unschedulable(c, "preemptor");
      assert.equal(failed.message, "0/1 nodes are available: 1 Insufficient cpu.", "preemption found a node: no preemption: ... suffix");

      const victim = await c.until(async () => {
        const v = await getPod(c, "victim");
        return v.metadata.deletionTimestamp ? v : undefined;
      }, { what: "victim deleted" });
      const dt = condition(victim, "DisruptionTarget");
      assert.deepEqual([dt?.status, dt?.reason, dt?.message], ["True", "PreemptionByScheduler", "default-scheduler: preempting to accommodate a higher priority pod"]);
      assert.equal(victim.metadata.deletionGracePeriodSeconds, 30, "victims get their grace period");
      const ev = await c.until(async () => (await podEvents(c, "victim")).find((e) => e.reason === "Preempted"), { what: "Preempted event" });
      assert.deepEqual([ev.type, ev.action, ev.note], ["Normal", "Preempting", `Preempted by pod ${preemptor.metadata.uid} on node n1`]);
      assert.deepEqual([ev.related?.kind, ev.related?.name, ev.related?.uid], ["Pod", "preemptor", preemptor.metadata.uid]);

      // a lower-priority newcomer cannot take the room being made for the preemptor
      await c.client.create(R.pods, "default", withPriorityClass(apiPod("latecomer", { cpu: "500m" }), "low"));

      // the kubelet would now stop the victim's containers; play it and remove the pod
      await c.client.delete(R.pods, "default", "victim", { gracePeriodSeconds: 0 });
      assert.equal(await boundTo(c, "preemptor"), "n1");
      const latecomer = await unschedulable(c, "latecomer");
      assert.match(latecomer.message, /^0\/1 nodes are available: 1 Insufficient cpu\. preemption: /);
    }));

  it("a victim that is already gone gets no Preempted event", () =>
    withCluster(async (c) => {
      await c.client.create(R.priorityclasses, "", priorityClass("low", 100));
      await c.client.create(R.priorityclasses, "", priorityClass("high", 1000));
      await addNodes(c, ["n1", { cpu: "1" }]);
      await c.client.create(R.pods, "default", withPriorityClass(apiPod("victim", { cpu: "800m" }), "low"));
      await boundTo(c, "victim");
      // the victim finishes and is removed just as the scheduler goes to delete it: its DELETE gets a 404
      const schedulerClient = c.controlPlane.context.clientFor("kube-scheduler");
      const del = schedulerClient.delete.bind(schedulerClient);
      schedulerClient.delete = async (gvr, ns, name, opts) => {
        if (gvr.resource === "pods" && name === "victim") await c.client.delete(R.pods, ns, name, { gracePeriodSeconds: 0 });
        return del(gvr, ns, name, opts);
      };
      await c.client.create(R.pods, "default", withPriorityClass(apiPod("preemptor", { cpu: "500m" }), "high"));
      assert.equal(await boundTo(c, "preemptor"), "n1");
      await c.until(async () => (await podEvents(c, "preemptor")).some((e) => e.reason === "Scheduled"), { what: "Scheduled event" });
      assert.deepEqual((await podEvents(c, "victim")).map((e) => e.reason), ["Scheduled"]);
    }));

  it("pods do not preempt pods of equal priority", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1", { cpu: "1" }]);
      await c.client.create(R.pods, "default", apiPod("first", { cpu: "800m" }));
      await boundTo(c, "first");
      await c.client.create(R.pods, "default", apiPod("second", { cpu: "500m" }));
      await unschedulable(c, "second", "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
      assert.equal((await getPod(c, "first")).metadata.deletionTimestamp, undefined);
    }));

  it("a PriorityClass with preemptionPolicy Never does not preempt", () =>
    withCluster(async (c) => {
      await c.client.create(R.priorityclasses, "", { ...priorityClass("polite", 1000), preemptionPolicy: "Never" } as KubeObject);
      await addNodes(c, ["n1", { cpu: "1" }]);
      await c.client.create(R.pods, "default", apiPod("first", { cpu: "800m" }));
      await boundTo(c, "first");
      await c.client.create(R.pods, "default", withPriorityClass(apiPod("second", { cpu: "500m" }), "polite"));
      await unschedulable(c, "second", "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
    }));
});

describe("scheduler: volumes", () => {
  const claim = (name: string, extra: Obj = {}): KubeObject =>
    ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...extra } }) as KubeObject;
  const withClaim = (p: KubeObject, claimName: string) => {
    (p.spec as Obj).volumes = [{ name: "data", persistentVolumeClaim: { claimName } }];
    return p;
  };

  it("a WaitForFirstConsumer claim is provisioned on the node the pod is scheduled to", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"], ["n2", { labels: { disk: "ssd" } }]);
      const sc = await c.until(async () => (await c.client.list(R.storageclasses, "")).items.find((s) => s.metadata.name === "standard"), { what: "default class" });
      assert.equal((sc as Obj).volumeBindingMode, "WaitForFirstConsumer");
      await c.client.create(R.persistentvolumeclaims, "default", claim("data"));
      c.clock.advance(1000);
      await c.settle();
      const pending = await c.client.get(R.persistentvolumeclaims, "default", "data");
      assert.equal((pending.status as Obj).phase, "Pending", "nothing is provisioned before a pod uses the claim");
      await c.client.create(R.pods, "default", withClaim(apiPod("db", { nodeSelector: { disk: "ssd" } }), "data"));
      assert.equal(await boundTo(c, "db"), "n2");
      const pvc = await c.client.get(R.persistentvolumeclaims, "default", "data");
      assert.equal(pvc.metadata.annotations?.["volume.kubernetes.io/selected-node"], "n2");
      assert.equal((pvc.status as Obj).phase, "Bound", "the pod is bound only once its claim is");
      const pv = await c.client.get(R.persistentvolumes, "", (pvc.spec as Obj).volumeName);
      assert.deepEqual((pv.spec as Obj).nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values, ["n2"]);
    }, ["scheduler", "storage"]));

  it("a pod whose claim does not exist waits for it", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"]);
      await c.client.create(R.pods, "default", withClaim(apiPod("db"), "data"));
      await unschedulable(c, "db", '0/1 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
      await c.client.create(R.persistentvolumeclaims, "default", claim("data"));
      assert.equal(await boundTo(c, "db"), "n1");
    }, ["scheduler", "storage"]));

  it("a claim bound to a volume of another node keeps the pod off this one", () =>
    withCluster(async (c) => {
      await addNodes(c, ["n1"], ["n2"]);
      await c.client.create(R.persistentvolumeclaims, "default", claim("data"));
      await c.client.create(R.pods, "default", withClaim(apiPod("first", { nodeSelector: { "kubernetes.io/hostname": "n1" } }), "data"));
      assert.equal(await boundTo(c, "first"), "n1");
      await c.client.delete(R.pods, "default", "first", { gracePeriodSeconds: 0 });
      await c.client.create(R.pods, "default", withClaim(apiPod("second", { nodeSelector: { "kubernetes.io/hostname": "n2" } }), "data"));
      await unschedulable(
        c,
        "second",
        "0/2 nodes are available: 1 node(s) didn't match PersistentVolume's node affinity, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
      );
      await c.client.create(R.pods, "default", withClaim(apiPod("third"), "data"));
      assert.equal(await boundTo(c, "third"), "n1");
    }, ["scheduler", "storage"]));
});
