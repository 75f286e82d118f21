// The pod garbage collector (upstream pkg/controller/podgc) in a cluster without kubelets: pods
// bound to deleted nodes (after the 40 s quarantine), terminating pods never scheduled or on
// out-of-service nodes, and finished pods beyond --terminated-pod-gc-threshold.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { R } from "../../../../src/client/interface.js";
import { GC_CHECK_PERIOD_MS, QUARANTINE_MS, TERMINATED_POD_GC_THRESHOLD } from "../../../../src/controllers/nodes/pod-gc.js";
import type { TestCluster } from "../../../helpers/cluster.js";
import { bareCluster, condition, eventLines, get, namespace, pod, postReady, readyNode, type Kube } from "./helpers.js";

const KEEP = ["example.com/keep"];

async function setPhase(c: TestCluster, ns: string, name: string, phase: string, extra: Record<string, unknown> = {}): Promise<void> {
  const cur = await c.client.get(R.pods, ns, name);
  await c.client.update(R.pods, ns, { ...cur, status: { ...(cur.status as object), phase, ...extra } }, { subresource: "status" });
}

const release = (c: TestCluster, ns: string, name: string) => c.client.patch(R.pods, ns, name, "merge", { metadata: { finalizers: null } });

describe("pod garbage collector", () => {
  it("uses upstream's periods and threshold", () => {
    assert.equal(GC_CHECK_PERIOD_MS, 20_000);
    assert.equal(QUARANTINE_MS, 40_000);
    assert.equal(TERMINATED_POD_GC_THRESHOLD, 12_500);
  });

  it("deletes pods bound to a deleted node after the quarantine, marking running ones Failed with DisruptionTarget", async () => {
    const c = await bareCluster();
    try {
      const ns = await namespace(c, "orphans");
      await readyNode(c, "w1");
      await readyNode(c, "w2");
      await c.client.create(R.pods, ns, pod("running", "w1", {}, { finalizers: KEEP }));
      await setPhase(c, ns, "running", "Running");
      await c.client.create(R.pods, ns, pod("plain", "w1"));
      await c.client.create(R.pods, ns, pod("finished", "w1", {}, { finalizers: KEEP }));
      await setPhase(c, ns, "finished", "Succeeded");
      await c.client.create(R.pods, ns, pod("safe", "w2"));
      // a health pass (every 5 s) registers the nodes with the node lifecycle controller
      const t = c.clock.now();
      await c.until(async () => c.clock.now() - t >= 6000 && (await eventLines(c, "w1", "default")).some((l) => l.includes("RegisteredNode")), { what: "w1 registered" });

      await c.client.delete(R.nodes, "", "w1");
      const deletedAt = c.clock.now();
      await c.until(async () => (await get(c, R.pods, ns, "plain")) === undefined, { stepMs: 1000, what: "orphan deleted" });
      const waited = c.clock.now() - deletedAt;
      assert.ok(waited >= QUARANTINE_MS && waited <= QUARANTINE_MS + 2 * GC_CHECK_PERIOD_MS, `deleted ${waited / 1000}s after the node`);

      const running = (await get(c, R.pods, ns, "running"))!;
      assert.equal(running.status.phase, "Failed");
      const cond = condition(running, "DisruptionTarget")!;
      assert.deepEqual(
        { type: cond.type, status: cond.status, reason: cond.reason, message: cond.message },
        { type: "DisruptionTarget", status: "True", reason: "DeletionByPodGC", message: "PodGC: node no longer exists" },
      );
      assert.ok(running.metadata.deletionTimestamp);
      assert.equal(running.metadata.deletionGracePeriodSeconds, 0, "force deleted");

      // a finished pod keeps its status: only the delete is sent (markFailedAndDeletePodWithCondition)
      const finished = (await get(c, R.pods, ns, "finished"))!;
      assert.equal(finished.status.phase, "Succeeded");
      assert.equal(condition(finished, "DisruptionTarget"), undefined);
      assert.equal(finished.metadata.deletionGracePeriodSeconds, 0);

      assert.equal((await get(c, R.pods, ns, "safe"))?.metadata.deletionTimestamp, undefined, "pods on existing nodes stay");
      assert.ok((await eventLines(c, "w1", "default")).includes("Node/w1 Normal RemovingNode: Node w1 event: Removing Node w1 from Controller [node-controller]"));
      for (const name of ["running", "finished"]) await release(c, ns, name);
    } finally {
      await c.stop();
    }
  });

  it("keeps pods whose node shows up during the quarantine", async () => {
    const c = await bareCluster();
    try {
      const ns = await namespace(c, "quarantine");
      await c.client.create(R.pods, ns, pod("early", "late-node"));
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 25_000, { stepMs: 1000, what: "25 s" });
      await readyNode(c, "late-node");
      await c.until(() => c.clock.now() - start >= 120_000, { stepMs: 5000, what: "2 min" });
      const p = await get(c, R.pods, ns, "early");
      assert.ok(p && !p.metadata.deletionTimestamp);

      // while a pod bound to a node that never comes goes
      await c.client.create(R.pods, ns, pod("never", "no-such-node"));
      await c.until(async () => (await get(c, R.pods, ns, "never")) === undefined, { stepMs: 5000, what: "orphan deleted" });
    } finally {
      await c.stop();
    }
  });

  it("marks unscheduled terminating pods Failed and force-deletes them", async () => {
    const c = await bareCluster();
    try {
      const ns = await namespace(c, "unscheduled");
      await c.client.create(R.pods, ns, pod("stuck", undefined, {}, { finalizers: KEEP }));
      await c.client.create(R.pods, ns, pod("waiting", undefined));
      await c.client.delete(R.pods, ns, "stuck", { gracePeriodSeconds: 30 });
      const p = await c.until(async () => {
        const cur = await get(c, R.pods, ns, "stuck");
        return cur?.status.phase === "Failed" ? cur : undefined;
      }, { stepMs: 1000, maxFakeMs: GC_CHECK_PERIOD_MS + 1000, what: "stuck pod Failed" });
      assert.equal(p.metadata.deletionGracePeriodSeconds, 0);
      assert.equal(condition(p, "DisruptionTarget"), undefined, "no condition for this case");
      const waiting = await get(c, R.pods, ns, "waiting");
      assert.equal(waiting?.metadata.deletionTimestamp, undefined, "pending pods that are not being deleted stay");
      assert.equal(waiting?.status.phase, "Pending");
      await release(c, ns, "stuck");
    } finally {
      await c.stop();
    }
  });

  it("force-deletes terminating pods on a not-ready node tainted out-of-service", async () => {
    const c = await bareCluster();
    try {
      const ns = await namespace(c, "oos");
      await readyNode(c, "w1");
      await c.client.create(R.pods, ns, pod("p", "w1", {}, { finalizers: KEEP }));
      await setPhase(c, ns, "p", "Running");
      await postReady(c, "w1", "False");
      await c.client.delete(R.pods, ns, "p", {});
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 2 * GC_CHECK_PERIOD_MS, { stepMs: 1000, what: "two GC passes" });
      let cur = (await get(c, R.pods, ns, "p"))!;
      assert.equal(cur.metadata.deletionGracePeriodSeconds, 30, "a not-ready node alone is not enough");
      assert.equal(cur.status.phase, "Running");

      const n = await c.client.get(R.nodes, "", "w1");
      await c.client.update(R.nodes, "", { ...n, spec: { ...(n.spec as object), taints: [{ key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" }] } });
      cur = await c.until(async () => {
        const p = (await get(c, R.pods, ns, "p"))!;
        return p.metadata.deletionGracePeriodSeconds === 0 ? p : undefined;
      }, { stepMs: 1000, maxFakeMs: GC_CHECK_PERIOD_MS + 1000, what: "force deleted" });
      assert.equal(cur.status.phase, "Failed");
      await release(c, ns, "p");
    } finally {
      await c.stop();
    }
  });

  it("deletes finished pods beyond --terminated-pod-gc-threshold: evicted ones first, then the oldest", async () => {
    const c = await bareCluster([], { podGC: { terminatedPodGCThreshold: 3 } });
    try {
      const ns = await namespace(c, "finished");
      const created: Kube[] = [];
      for (const [name, phase, extra] of [
        ["t1", "Succeeded", {}],
        ["t2", "Failed", {}],
        ["t3", "Succeeded", {}],
        ["t4", "Succeeded", {}],
        ["t5", "Failed", {}],
        ["evicted", "Failed", { reason: "Evicted", message: "The node was low on resource: memory." }],
        ["running", "Running", {}],
      ] as [string, string, Record<string, string>][]) {
        created.push((await c.client.create(R.pods, ns, pod(name, undefined))) as Kube);
        await setPhase(c, ns, name, phase, extra);
        c.clock.advance(1000);
      }
      await c.until(async () => (await c.client.list(R.pods, ns)).items.length === 4, { stepMs: 1000, maxFakeMs: 2 * GC_CHECK_PERIOD_MS, what: "3 pods collected" });
      const left = (await c.client.list(R.pods, ns)).items.map((p) => p.metadata.name).sort();
      assert.deepEqual(left, ["running", "t3", "t4", "t5"]);
    } finally {
      await c.stop();
    }
  });
});
