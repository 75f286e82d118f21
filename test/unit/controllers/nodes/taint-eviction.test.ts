// The taint eviction controller (upstream pkg/controller/tainteviction) with simulated kubelets:
// NoExecute taints evict pods that do not tolerate them at once and pods tolerating them for
// tolerationSeconds when that runs out (the DefaultTolerationSeconds admission plugin gives every
// pod 300 s for not-ready and unreachable); each eviction gets the pod a DisruptionTarget condition
// and a TaintManagerEviction event; removing the taint cancels what is pending.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { R } from "../../../../src/client/interface.js";
import { nodeControllersOf } from "../../../../src/controllers/nodes/index.js";
import type { TestCluster } from "../../../helpers/cluster.js";
import { condition, eventLines, get, kubeletCluster, namespace, node, pod, runningPod, secondsBetween, taintsOf, type Obj } from "./helpers.js";

const UNREACHABLE = "node.kubernetes.io/unreachable";
const DISRUPTION = { type: "DisruptionTarget", status: "True", reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint" };

async function taint(c: TestCluster, nodeName: string, taints: Obj[]): Promise<Obj> {
  const n = await node(c, nodeName);
  return (await c.client.update(R.nodes, "", { ...n, spec: { ...n.spec, taints: [...taintsOf(n), ...taints] } })) as Obj;
}

async function untaint(c: TestCluster, nodeName: string, key: string): Promise<void> {
  const n = await node(c, nodeName);
  const rest = taintsOf(n).filter((t) => t.key !== key);
  await c.client.update(R.nodes, "", { ...n, spec: { ...n.spec, taints: rest.length ? rest : undefined } });
}

const deleting = async (c: TestCluster, ns: string, name: string) => {
  const p = await get(c, R.pods, ns, name);
  return !p || !!p.metadata.deletionTimestamp;
};

const disruption = (p: Obj | undefined) => {
  const d = condition(p, "DisruptionTarget");
  return d && { type: d.type, status: d.status, reason: d.reason, message: d.message };
};

describe("taint eviction controller", () => {
  it("evicts pods that do not tolerate a NoExecute taint at once, the others when their toleration runs out", async () => {
    const { c } = await kubeletCluster(2);
    try {
      const ns = await namespace(c, "evict");
      const keep = ["example.com/keep"];
      await runningPod(c, ns, pod("intolerant", "node-1", {}, { finalizers: keep }));
      await runningPod(c, ns, pod("for-60s", "node-1", { tolerations: [{ key: "maintenance", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }] }, { finalizers: keep }));
      await runningPod(c, ns, pod("forever", "node-1", { tolerations: [{ key: "maintenance", operator: "Equal", value: "now", effect: "NoExecute" }] }));
      await runningPod(c, ns, pod("elsewhere", "node-2"));

      await taint(c, "node-1", [{ key: "maintenance", value: "now", effect: "NoExecute" }]);
      const addedAt = c.clock.now();

      // at once: the DisruptionTarget condition, then the delete (the kubelet stops it; the finalizer keeps it visible)
      const evicted = await c.until(async () => {
        const p = await get(c, R.pods, ns, "intolerant");
        return p?.metadata.deletionTimestamp ? p : undefined;
      }, { what: "intolerant pod deleted" });
      assert.ok(c.clock.now() - addedAt <= 200, "at once (the fake clock's first step)");
      assert.deepEqual(disruption(evicted), DISRUPTION);
      assert.equal(evicted.metadata.deletionGracePeriodSeconds, 30, "an ordinary delete: the pod's grace period");
      assert.ok(
        (await eventLines(c, "intolerant", ns)).includes(`Pod/intolerant Normal TaintManagerEviction: Marking for deletion Pod ${ns}/intolerant [taint-eviction-controller]`),
        (await eventLines(c, "intolerant", ns)).join("\n"),
      );
      assert.equal(await deleting(c, ns, "for-60s"), false);

      // tolerationSeconds counts from when the taint was seen
      await c.until(async () => c.clock.now() - addedAt >= 59_000, { stepMs: 1000, what: "59 s" });
      assert.equal(await deleting(c, ns, "for-60s"), false, "not before 60 s");
      const late = await c.until(async () => {
        const p = await get(c, R.pods, ns, "for-60s");
        return p?.metadata.deletionTimestamp ? p : undefined;
      }, { stepMs: 1000, what: "for-60s deleted" });
      assert.deepEqual(disruption(late), DISRUPTION);
      const lateBy = secondsBetween(new Date(addedAt).toISOString(), condition(late, "DisruptionTarget")!.lastTransitionTime);
      assert.ok(lateBy >= 60 && lateBy <= 61, `evicted ${lateBy}s after the taint`);

      // tolerating forever, or on another node: left alone
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start > 120_000, { stepMs: 10_000, what: "2 min" });
      assert.equal(await deleting(c, ns, "forever"), false);
      assert.equal(await deleting(c, ns, "elsewhere"), false);
      assert.equal(disruption(await get(c, R.pods, ns, "forever")), undefined);

      for (const name of ["intolerant", "for-60s"]) await c.client.patch(R.pods, ns, name, "merge", { metadata: { finalizers: null } });
    } finally {
      await c.stop();
    }
  });

  it("removing the taint cancels pending evictions", async () => {
    const { c } = await kubeletCluster(1);
    try {
      const ns = await namespace(c, "cancel");
      await runningPod(c, ns, pod("waiting", "node-1", { tolerations: [{ key: "maintenance", operator: "Exists", effect: "NoExecute", tolerationSeconds: 120 }] }));
      await taint(c, "node-1", [{ key: "maintenance", effect: "NoExecute" }]);
      await c.settle();
      const scheduled = nodeControllersOf(c.controlPlane.context)!.eviction.scheduledEvictions();
      assert.deepEqual(Object.keys(scheduled), [`${ns}/waiting`]);
      assert.equal(scheduled[`${ns}/waiting`], c.clock.now() + 120_000);

      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 30_000, { stepMs: 5000, what: "30 s" });
      await untaint(c, "node-1", "maintenance");
      await c.until(async () => (await eventLines(c, "waiting", ns)).some((l) => l.includes("Cancelling")), { what: "cancel event" });
      assert.ok((await eventLines(c, "waiting", ns)).includes(`Pod/waiting Normal TaintManagerEviction: Cancelling deletion of Pod ${ns}/waiting [taint-eviction-controller]`));
      await c.until(() => c.clock.now() - start >= 200_000, { stepMs: 10_000, what: "past the toleration" });
      assert.equal(await deleting(c, ns, "waiting"), false);
    } finally {
      await c.stop();
    }
  });

  it("a pod bound to a node that already has the taint is evicted at once", async () => {
    const { c } = await kubeletCluster(1);
    try {
      const ns = await namespace(c, "late");
      await taint(c, "node-1", [{ key: "maintenance", effect: "NoExecute" }]);
      await c.settle();
      await c.client.create(R.pods, ns, pod("late", "node-1"));
      await c.until(async () => deleting(c, ns, "late"), { what: "late pod evicted" });
    } finally {
      await c.stop();
    }
  });

  it("the first toleration that matches a taint decides how long (GetMatchingTolerations)", async () => {
    const { c } = await kubeletCluster(1);
    try {
      const ns = await namespace(c, "first");
      // tolerates maintenance forever (first match); the catch-all 10 s toleration is not used for it
      await runningPod(c, ns, pod("first-wins", "node-1", { tolerations: [{ key: "maintenance", operator: "Exists", effect: "NoExecute" }, { operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }] }));
      // the other order: the 10 s toleration matches first
      await runningPod(c, ns, pod("ten-seconds", "node-1", { tolerations: [{ operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }, { key: "maintenance", operator: "Exists", effect: "NoExecute" }] }));
      await taint(c, "node-1", [{ key: "maintenance", effect: "NoExecute" }]);
      const start = c.clock.now();
      await c.until(async () => deleting(c, ns, "ten-seconds"), { stepMs: 1000, what: "ten-seconds evicted" });
      assert.ok(c.clock.now() - start >= 10_000);
      await c.until(() => c.clock.now() - start >= 60_000, { stepMs: 5000, what: "a minute" });
      assert.equal(await deleting(c, ns, "first-wins"), false);
    } finally {
      await c.stop();
    }
  });

  it("pods on an unreachable node go after their tolerationSeconds: 300 s by DefaultTolerationSeconds", async () => {
    const { c, fleet } = await kubeletCluster(3);
    try {
      const ns = await namespace(c, "unreachable");
      const defaulted = await runningPod(c, ns, pod("defaulted", "node-2"));
      assert.deepEqual(defaulted.spec.tolerations, [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ]);
      await runningPod(c, ns, pod("quick", "node-2", { tolerations: [{ key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }] }));
      await runningPod(c, ns, pod("none", "node-2", { tolerations: [{ key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 0 }] }));

      fleet.stopKubelet("node-2");
      const noExecute = await c.until(async () => taintsOf(await node(c, "node-2")).find((t) => t.key === UNREACHABLE && t.effect === "NoExecute"), {
        stepMs: 1000,
        what: "unreachable:NoExecute",
      });
      const at = (name: string) =>
        c.until(async () => {
          const p = await get(c, R.pods, ns, name);
          return p?.metadata.deletionTimestamp ? p : undefined;
        }, { stepMs: 1000, what: `${name} evicted` });
      // the kubelet is gone: evicted pods stay Terminating, their DisruptionTarget condition tells when
      // (the fake clock moves in 1 s steps: a deadline is met within the step)
      const after = (p: Obj) => secondsBetween(noExecute.timeAdded, condition(p, "DisruptionTarget")!.lastTransitionTime);
      const none = await at("none");
      assert.ok(after(none) >= 0 && after(none) <= 2, `tolerationSeconds 0: evicted ${after(none)}s after the taint`);
      const quick = await at("quick");
      assert.ok(after(quick) >= 30 && after(quick) <= 31, `tolerationSeconds 30: evicted ${after(quick)}s after the taint`);
      assert.equal(await deleting(c, ns, "defaulted"), false);
      const slow = await at("defaulted");
      assert.ok(after(slow) >= 300 && after(slow) <= 301, `default toleration: evicted ${after(slow)}s after the taint`);
      assert.deepEqual(disruption(slow), DISRUPTION);

      // the kubelet returns and finishes the deletions
      await fleet.startKubelet("node-2");
      await c.until(async () => (await c.client.list(R.pods, ns)).items.length === 0, { stepMs: 1000, maxFakeMs: 120_000, what: "pods gone" });
    } finally {
      await c.stop();
    }
  });
});
