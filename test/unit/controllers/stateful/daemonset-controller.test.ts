// The DaemonSet controller in an in-process cluster on a FakeClock, with nodes created by the test
// and pod readiness reported through pods/status (no scheduler or kubelet runs here: daemon pods
// stay bound to their node by affinity only).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { targetNodeName } from "../../../../src/controllers/stateful/daemon-utils.js";
import { createReadyNode, startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { daemonSet, events, node, pods, readyAll, revisions, setPodReady, type Obj } from "./helpers.js";

let c: TestCluster;
let nsSeq = 0;

async function namespace(): Promise<string> {
  const ns = `ds-${++nsSeq}`;
  await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  return ns;
}

async function getDs(ns: string, name: string): Promise<KubeObject & { status: Obj; spec: Obj }> {
  return (await c.client.get(R.daemonsets, ns, name)) as KubeObject & { status: Obj; spec: Obj };
}

function byNode(list: KubeObject[]): Record<string, KubeObject[]> {
  const out: Record<string, KubeObject[]> = {};
  for (const p of list) (out[targetNodeName(p) ?? "?"] ??= []).push(p);
  return out;
}

const isReady = (p: KubeObject) => ((p.status as Obj | undefined)?.conditions ?? []).some((x: Obj) => x.type === "Ready" && x.status === "True");

before(async () => {
  c = await startCluster({ groups: ["stateful"] });
  // three worker nodes and one control-plane node with upstream's taint
  for (const n of ["w1", "w2", "w3"]) await createReadyNode(c, node(n, { pool: n === "w3" ? "b" : "a" }));
  await createReadyNode(c, node("cp", { "node-role.kubernetes.io/control-plane": "" }, { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }));
});
after(async () => {
  await c.stop();
});

describe("DaemonSet controller", () => {
  it("runs one pod per eligible node, pinned by node affinity, and reports status", async () => {
    const ns = await namespace();
    await c.client.create(R.daemonsets, ns, daemonSet("agent"));
    const list = await c.until(async () => {
      const l = await pods(c, ns);
      return l.length === 3 && l;
    }, { what: "3 daemon pods" });
    const nodes = byNode(list);
    assert.deepEqual(Object.keys(nodes).sort(), ["w1", "w2", "w3"], "the tainted control-plane node is skipped");
    const p = nodes.w1![0]!;
    assert.match(p.metadata.name!, /^agent-[a-z0-9]{5}$/);
    assert.equal(p.metadata.generateName, "agent-");
    const spec = p.spec as Obj;
    assert.deepEqual(spec.affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["w1"] }] }] } } });
    assert.equal(spec.nodeName, undefined, "the scheduler binds daemon pods");
    assert.equal(spec.tolerations.length, 6);
    const ds = await getDs(ns, "agent");
    const hash = p.metadata.labels!["controller-revision-hash"]!;
    assert.ok(hash);
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    const before = await c.until(async () => {
      const d = await getDs(ns, "agent");
      return d.status.currentNumberScheduled === 3 && d;
    }, { what: "status" });
    assert.deepEqual(before.status, { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 0, observedGeneration: 1, updatedNumberScheduled: 3, numberUnavailable: 3 });
    await readyAll(c, ns, "app=agent");
    const after = await c.until(async () => {
      const d = await getDs(ns, "agent");
      return d.status.numberAvailable === 3 && d;
    }, { what: "available" });
    assert.deepEqual(after.status, { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 3 });

    const revs = await revisions(c, ns);
    assert.equal(revs.length, 1);
    assert.equal(revs[0]!.metadata.name, `agent-${hash}`);
    assert.deepEqual(revs[0]!.metadata.labels, { app: "agent", "controller-revision-hash": hash });
    assert.equal(revs[0]!.revision, 1);
    const msgs = (await events(c, ns, "agent")).map((e) => `${e.reason} ${e.message} ${e.source.component}`);
    for (const q of list) assert.ok(msgs.includes(`SuccessfulCreate Created pod: ${q.metadata.name} daemonset-controller`), msgs.join("\n"));
  });

  it("follows node selectors, tolerations and node changes", async () => {
    const ns = await namespace();
    await c.client.create(
      R.daemonsets,
      ns,
      daemonSet("sel", { template: { metadata: { labels: { app: "sel" } }, spec: { nodeSelector: { pool: "a" }, containers: [{ name: "c", image: "busybox" }] } } }),
    );
    await c.until(async () => Object.keys(byNode(await pods(c, ns))).sort().join() === "w1,w2", { what: "pods on pool a" });
    // a new matching node gets a pod
    await createReadyNode(c, node("w4", { pool: "a" }));
    await c.until(async () => Object.keys(byNode(await pods(c, ns))).sort().join() === "w1,w2,w4", { what: "pod on the new node" });
    // a node leaving the pool loses its pod
    await c.client.patch(R.nodes, "", "w4", "merge", { metadata: { labels: { pool: "c" } } });
    await c.until(async () => Object.keys(byNode(await pods(c, ns))).sort().join() === "w1,w2", { what: "pod removed from w4" });
    const msgs = (await events(c, ns, "sel")).map((e) => e.reason);
    assert.ok(msgs.includes("SuccessfulDelete"));
    await c.client.delete(R.nodes, "", "w4");

    // tolerating the control-plane taint adds that node
    const ns2 = await namespace();
    await c.client.create(
      R.daemonsets,
      ns2,
      daemonSet("tol", { template: { metadata: { labels: { app: "tol" } }, spec: { tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }], containers: [{ name: "c", image: "busybox" }] } } }),
    );
    await c.until(async () => Object.keys(byNode(await pods(c, ns2))).sort().join() === "cp,w1,w2,w3", { what: "pods including the control plane" });
    const p = (await pods(c, ns2))[0]!;
    assert.equal((p.spec as Obj).tolerations.length, 7);
  });

  it("rolls out within maxUnavailable, oldest revision replaced node by node", async () => {
    const ns = await namespace();
    await c.client.create(R.daemonsets, ns, daemonSet("ru", { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } } }));
    await c.until(async () => (await pods(c, ns)).length === 3 && (await readyAll(c, ns, "app=ru")) >= 0 && (await getDs(ns, "ru")).status.numberAvailable === 3, { what: "3 available" });
    const oldHash = (await pods(c, ns))[0]!.metadata.labels!["controller-revision-hash"];
    await c.client.patch(R.daemonsets, ns, "ru", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:1.26" }] } } } });
    let maxDown = 0;
    await c.until(
      async () => {
        const list = (await pods(c, ns)).filter((p) => !p.metadata.deletionTimestamp);
        const down = 3 - list.filter(isReady).length;
        maxDown = Math.max(maxDown, down);
        // play the kubelet slowly: at most one new pod becomes ready per step
        const notReady = list.find((p) => !isReady(p));
        if (notReady) await setPodReady(c, notReady);
        const d = await getDs(ns, "ru");
        return d.status.updatedNumberScheduled === 3 && d.status.numberAvailable === 3 && d.status.observedGeneration === 2;
      },
      { what: "rollout" },
    );
    assert.ok(maxDown <= 1, `at most one node without a ready pod, saw ${maxDown}`);
    const list = await pods(c, ns);
    assert.equal(list.length, 3);
    assert.ok(list.every((p) => p.metadata.labels!["controller-revision-hash"] !== oldHash && (p.spec as Obj).containers[0].image === "nginx:1.26"));
    const revs = await revisions(c, ns);
    assert.deepEqual(
      revs.map((r) => r.revision),
      [1, 2],
    );
  });

  it("surges a new pod next to the old one with maxSurge", async () => {
    const ns = await namespace();
    await c.client.create(R.daemonsets, ns, daemonSet("surge", { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
    await c.until(async () => (await pods(c, ns)).length === 3 && (await readyAll(c, ns, "app=surge")) >= 0 && (await getDs(ns, "surge")).status.numberAvailable === 3, { what: "3 available" });
    await c.client.patch(R.daemonsets, ns, "surge", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:1.26" }] } } } });
    let maxPods = 0;
    let minReady = 3;
    await c.until(
      async () => {
        const list = (await pods(c, ns)).filter((p) => !p.metadata.deletionTimestamp);
        maxPods = Math.max(maxPods, list.length);
        const nodes = byNode(list);
        minReady = Math.min(minReady, Object.values(nodes).filter((ps) => ps.some(isReady)).length);
        const notReady = list.find((p) => !isReady(p));
        if (notReady) await setPodReady(c, notReady);
        const d = await getDs(ns, "surge");
        return d.status.updatedNumberScheduled === 3 && d.status.numberAvailable === 3 && list.length === 3 && d.status.observedGeneration === 2;
      },
      { what: "surge rollout" },
    );
    assert.equal(maxPods, 4, "one surge pod at a time");
    assert.equal(minReady, 3, "every node kept a ready pod");
  });

  it("replaces pods only when deleted with OnDelete, and rolls back to an earlier revision", async () => {
    const ns = await namespace();
    await c.client.create(R.daemonsets, ns, daemonSet("od", { updateStrategy: { type: "OnDelete" } }));
    const first = await c.until(async () => {
      const l = await pods(c, ns);
      return l.length === 3 && l;
    }, { what: "3 pods" });
    const h1 = first[0]!.metadata.labels!["controller-revision-hash"]!;
    await c.client.patch(R.daemonsets, ns, "od", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:2" }] } } } });
    const h2 = await c.until(async () => {
      const r = (await revisions(c, ns)).at(-1);
      return r && r.revision === 2 && (r.metadata.labels!["controller-revision-hash"] as string);
    }, { what: "revision 2" });
    await c.until(async () => (await getDs(ns, "od")).status.observedGeneration === 2, { what: "observed" });
    assert.equal((await getDs(ns, "od")).status.updatedNumberScheduled, undefined, "no pod is updated: zero is omitted");
    assert.ok((await pods(c, ns)).every((p) => p.metadata.labels!["controller-revision-hash"] === h1));
    await c.client.delete(R.pods, ns, first[0]!.metadata.name!);
    await c.until(async () => (await pods(c, ns)).filter((p) => p.metadata.labels!["controller-revision-hash"] === h2).length === 1, { what: "replacement on the new revision" });

    // kubectl rollout undo: the revision-1 data as a strategic merge patch
    const rev1 = (await revisions(c, ns)).find((r) => r.revision === 1)!;
    await c.client.patch(R.daemonsets, ns, "od", "strategic", rev1.data);
    await c.until(async () => {
      const revs = await revisions(c, ns);
      return revs.length === 2 && revs.at(-1)!.metadata.name === rev1.metadata.name && revs.at(-1)!.revision === 3;
    }, { what: "revision 1 renumbered to 3" });
    const d = await c.until(async () => {
      const d = await getDs(ns, "od");
      return d.status.observedGeneration === 3 && d.status.updatedNumberScheduled === 2 && d;
    }, { what: "status after undo" });
    assert.equal(d.spec.template.spec.containers[0].image, "nginx:1.25");
  });

  it("kills failed daemon pods with a warning and recreates them", async () => {
    const ns = await namespace();
    await c.client.create(R.daemonsets, ns, daemonSet("fail", { template: { metadata: { labels: { app: "fail" } }, spec: { nodeSelector: { "kubernetes.io/hostname": "w1" }, containers: [{ name: "c", image: "x" }] } } }));
    const p = await c.until(async () => (await pods(c, ns))[0], { what: "daemon pod" });
    await setPodReady(c, p, false, "Failed");
    const q = await c.until(async () => {
      const q = (await pods(c, ns))[0];
      return q && q.metadata.uid !== p.metadata.uid && q;
    }, { what: "replacement" });
    assert.equal(targetNodeName(q), "w1");
    const ev = (await events(c, ns, "fail")).find((e) => e.reason === "FailedDaemonPod")!;
    assert.equal(ev.type, "Warning");
    assert.equal(ev.message, `Found failed daemon pod ${ns}/${p.metadata.name} on node w1, will try to kill it`);
  });

  it("keeps revisionHistoryLimit old revisions", async () => {
    const ns = await namespace();
    await c.client.create(R.daemonsets, ns, daemonSet("hist", { revisionHistoryLimit: 1, template: { metadata: { labels: { app: "hist" } }, spec: { nodeSelector: { none: "x" }, containers: [{ name: "c", image: "x" }] } } }));
    for (const v of [2, 3, 4]) {
      await c.until(async () => (await revisions(c, ns)).some((r) => r.revision === v - 1), { what: `revision ${v - 1}` });
      await c.client.patch(R.daemonsets, ns, "hist", "merge", { spec: { template: { metadata: { labels: { app: "hist", v: String(v) } } } } });
    }
    await c.until(async () => {
      const revs = await revisions(c, ns);
      return revs.length === 2 && revs.map((r) => r.revision).join() === "3,4";
    }, { what: "history truncated to 1 + current" });
  });

  it("goes quiet once converged (no status writes, events or requeue loops)", async () => {
    const ns = await namespace();
    await c.client.create(R.daemonsets, ns, daemonSet("quiet", { minReadySeconds: 3 }));
    await c.until(
      async () => {
        await readyAll(c, ns, "app=quiet");
        return (await getDs(ns, "quiet")).status.numberAvailable === 3;
      },
      { what: "3 available after minReadySeconds", stepMs: 1000 },
    );
    await c.settle(100);
    const snapshot = async () => [(await getDs(ns, "quiet")).metadata.resourceVersion, (await events(c, ns)).length, (await c.client.list(R.pods, ns)).metadata.resourceVersion];
    const before = await snapshot();
    for (let i = 0; i < 30; i++) {
      c.clock.advance(10_000);
      await c.settle();
    }
    assert.deepEqual(await snapshot(), before);
  });
});

