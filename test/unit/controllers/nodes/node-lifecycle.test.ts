// The node lifecycle controller (upstream pkg/controller/nodelifecycle) with simulated kubelets on
// a FakeClock: node health from Lease renewals and Ready heartbeats, the Unknown conditions after
// --node-monitor-grace-period (50 s since 1.32) or --node-startup-grace-period (60 s), the
// condition taints (TaintNodesByCondition, NoSchedule) and the NoExecute taints the taint eviction
// controller acts on (rate limited per zone; none while every zone is down), MarkPodsNotReady,
// cordoning, and the node events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { DEFAULT_NODE_LIFECYCLE_OPTIONS } from "../../../../src/controllers/nodes/index.js";
import { formatTime } from "../../../../src/util/clock.js";
import {
  bareCluster,
  condition,
  eventLines,
  kubeletCluster,
  node,
  pod,
  postReady,
  readyStatus,
  renewLease,
  runningPod,
  secondsBetween,
  taintKeys,
  taintsOf,
  type Obj,
} from "./helpers.js";

const UNREACHABLE = "node.kubernetes.io/unreachable";
const NOT_READY = "node.kubernetes.io/not-ready";

describe("node lifecycle controller: defaults", () => {
  it("uses kube-controller-manager 1.33's periods", () => {
    assert.equal(DEFAULT_NODE_LIFECYCLE_OPTIONS.nodeMonitorGracePeriodMs, 50_000, "--node-monitor-grace-period is 50s since 1.32 (kubernetes#126287)");
    assert.equal(DEFAULT_NODE_LIFECYCLE_OPTIONS.nodeStartupGracePeriodMs, 60_000);
    assert.equal(DEFAULT_NODE_LIFECYCLE_OPTIONS.nodeMonitorPeriodMs, 5_000);
    assert.equal(DEFAULT_NODE_LIFECYCLE_OPTIONS.evictionLimiterQPS, 0.1);
    assert.equal(DEFAULT_NODE_LIFECYCLE_OPTIONS.unhealthyZoneThreshold, 0.55);
  });
});

describe("node lifecycle controller: registration and condition taints", () => {
  it("records RegisteredNode for each node it sees and RemovingNode when one goes", async () => {
    const { c } = await kubeletCluster(2);
    try {
      const n1 = await node(c, "node-1");
      const registered = (await c.client.list(R.events, "default")).items.filter((e) => (e as Obj).reason === "RegisteredNode") as Obj[];
      const mine = registered.find((e) => e.involvedObject.name === "node-1")!;
      assert.ok(mine, "RegisteredNode event for node-1");
      assert.equal(mine.message, "Node node-1 event: Registered Node node-1 in Controller");
      assert.equal(mine.type, "Normal");
      assert.equal(mine.source.component, "node-controller");
      assert.deepEqual({ kind: mine.involvedObject.kind, uid: mine.involvedObject.uid }, { kind: "Node", uid: n1.metadata.uid });
      assert.equal(registered.filter((e) => e.involvedObject.name === "node-2").length, 1);

      await c.client.delete(R.nodes, "", "node-2");
      await c.until(async () => (await eventLines(c, "node-2")).some((l) => l.includes("RemovingNode")), { stepMs: 1000, what: "RemovingNode" });
      assert.ok((await eventLines(c, "node-2")).includes("Node/node-2 Normal RemovingNode: Node node-2 event: Removing Node node-2 from Controller [node-controller]"));
    } finally {
      await c.stop();
    }
  });

  it("keeps the not-ready:NoSchedule taint of TaintNodesByCondition until the node is Ready, and maps conditions to taints", async () => {
    const c = await bareCluster();
    try {
      const now = formatTime(c.clock.now());
      // a kubelet registers with its conditions (Ready False while the runtime comes up)
      await c.client.create(R.nodes, "", {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "w1", labels: { "kubernetes.io/hostname": "w1" } },
        status: { conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady", message: "starting", lastHeartbeatTime: now, lastTransitionTime: now }] },
      } as KubeObject);
      await renewLease(c, "w1");
      assert.deepEqual(taintKeys(await node(c, "w1")), [`${NOT_READY}:NoSchedule`], "admission taints every new node");
      // several health passes later it is still there (and, the only node being down — a fully
      // disrupted zone — no NoExecute taint is added)
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 20_000, { stepMs: 1000, what: "20 s" });
      await renewLease(c, "w1");
      assert.deepEqual(taintKeys(await node(c, "w1")), [`${NOT_READY}:NoSchedule`]);

      await postReady(c, "w1", "True");
      await c.until(async () => taintsOf(await node(c, "w1")).length === 0, { what: "taints removed once Ready" });

      // pressure conditions become NoSchedule taints, and go with the condition
      await postReady(c, "w1", "True", [
        { type: "MemoryPressure", status: "True", reason: "KubeletHasInsufficientMemory", message: "kubelet has insufficient memory available" },
        { type: "DiskPressure", status: "True", reason: "KubeletHasDiskPressure", message: "kubelet has disk pressure" },
        { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available" },
        { type: "NetworkUnavailable", status: "True", reason: "NoRouteCreated", message: "no route" },
      ]);
      await c.until(async () => taintsOf(await node(c, "w1")).length === 3, { what: "pressure taints" });
      assert.deepEqual(taintKeys(await node(c, "w1")), [
        "node.kubernetes.io/disk-pressure:NoSchedule",
        "node.kubernetes.io/memory-pressure:NoSchedule",
        "node.kubernetes.io/network-unavailable:NoSchedule",
      ]);
      await postReady(c, "w1", "True", [{ type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "ok" }]);
      await c.until(async () => taintsOf(await node(c, "w1")).length === 0, { what: "pressure taints removed" });
    } finally {
      await c.stop();
    }
  });

  it("leaves taints it does not own alone", async () => {
    const c = await bareCluster();
    try {
      const now = formatTime(c.clock.now());
      await c.client.create(R.nodes, "", {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "w1" },
        spec: { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }, { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] },
        status: { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "ok", lastHeartbeatTime: now, lastTransitionTime: now }] },
      } as KubeObject);
      await renewLease(c, "w1");
      await c.until(async () => !taintKeys(await node(c, "w1")).includes(`${NOT_READY}:NoSchedule`), { what: "not-ready taint removed" });
      assert.deepEqual(taintKeys(await node(c, "w1")), ["dedicated:NoSchedule", "node-role.kubernetes.io/control-plane:NoSchedule"]);
    } finally {
      await c.stop();
    }
  });

  it("sets the beta os/arch labels from the stable ones", async () => {
    const c = await bareCluster();
    try {
      await c.client.create(R.nodes, "", {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "w1", labels: { "kubernetes.io/os": "linux", "kubernetes.io/arch": "arm64", "beta.kubernetes.io/arch": "amd64" } },
      } as KubeObject);
      const labels = await c.until(async () => {
        const l = (await node(c, "w1")).metadata.labels ?? {};
        return l["beta.kubernetes.io/os"] ? l : undefined;
      }, { what: "beta labels" });
      assert.equal(labels["beta.kubernetes.io/os"], "linux");
      assert.equal(labels["beta.kubernetes.io/arch"], "arm64");
    } finally {
      await c.stop();
    }
  });
});

describe("node lifecycle controller: node health", () => {
  it("a node whose kubelet stops posting turns Unknown after the grace period, is tainted unreachable, its pods not ready; all recover with the kubelet", async () => {
    const { c, fleet } = await kubeletCluster(3);
    try {
      const p = await runningPod(c, "default", pod("on-2", "node-2"));
      await runningPod(c, "default", pod("on-1", "node-1"));
      const before = await node(c, "node-2");
      const heartbeat = condition(before, "Ready")!.lastHeartbeatTime;

      fleet.stopKubelet("node-2");
      const lease = (await c.client.get(R.leases, "kube-node-lease", "node-2")) as Obj;
      const lastRenew = lease.spec.renewTime as string;
      const stoppedAt = c.clock.now();

      // nothing happens within the grace period
      await c.until(() => c.clock.now() - Date.parse(lastRenew) >= 49_000, { stepMs: 1000, what: "49 s after the last renewal" });
      assert.equal(readyStatus(await node(c, "node-2")), "True", "still Ready within --node-monitor-grace-period");

      const unknown = await c.until(async () => {
        const n = await node(c, "node-2");
        return readyStatus(n) === "Unknown" && n;
      }, { stepMs: 1000, what: "Ready Unknown" });
      const ready = condition(unknown, "Ready")!;
      const elapsed = secondsBetween(lastRenew, ready.lastTransitionTime);
      assert.ok(elapsed >= 50 && elapsed <= 61, `Unknown ${elapsed}s after the last lease renewal (grace 50s, monitor period 5s)`);
      assert.ok(c.clock.now() - stoppedAt < 70_000);
      for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
        const cond = condition(unknown, type)!;
        assert.deepEqual(
          { status: cond.status, reason: cond.reason, message: cond.message, lastHeartbeatTime: cond.lastHeartbeatTime, lastTransitionTime: cond.lastTransitionTime },
          { status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastHeartbeatTime: heartbeat, lastTransitionTime: ready.lastTransitionTime },
          type,
        );
      }

      // the NoSchedule taint follows the condition; the NoExecute one comes from the next health pass
      const tainted = await c.until(async () => {
        const n = await node(c, "node-2");
        return taintsOf(n).length === 2 && n;
      }, { stepMs: 1000, what: "unreachable taints" });
      assert.deepEqual(taintKeys(tainted), [`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
      for (const t of taintsOf(tainted)) assert.ok(t.timeAdded && Date.parse(t.timeAdded) >= Date.parse(ready.lastTransitionTime), "timeAdded set when tainted");
      assert.deepEqual(taintsOf(await node(c, "node-1")), [], "healthy nodes are not tainted");

      // MarkPodsNotReady: pods on the node are not ready any more, with an event each
      const notReady = (await c.client.get(R.pods, "default", p.metadata.name)) as Obj;
      assert.equal(condition(notReady, "Ready")!.status, "False");
      assert.equal(condition(notReady, "Ready")!.lastTransitionTime, ready.lastTransitionTime);
      assert.equal(readyStatus((await c.client.get(R.pods, "default", "on-1")) as Obj), "True", "pods on other nodes are left alone");
      assert.ok((await eventLines(c, "on-2", "default")).includes("Pod/on-2 Warning NodeNotReady: Node is not ready [node-controller]"));
      assert.ok((await eventLines(c, "node-2", "default")).includes("Node/node-2 Normal NodeNotReady: Node node-2 status is now: NodeNotReady [node-controller]"));
      // the pod tolerates unreachable for 300 s (DefaultTolerationSeconds): still there
      assert.equal(((await c.client.get(R.pods, "default", "on-2")) as Obj).metadata.deletionTimestamp, undefined);

      // the kubelet comes back: Ready, taints removed, the pod ready again
      await fleet.startKubelet("node-2");
      await c.until(async () => {
        const n = await node(c, "node-2");
        return readyStatus(n) === "True" && taintsOf(n).length === 0;
      }, { stepMs: 1000, what: "node-2 recovered" });
      await c.until(async () => readyStatus((await c.client.get(R.pods, "default", "on-2")) as Obj) === "True", { stepMs: 1000, maxFakeMs: 60_000, what: "pod ready again" });
    } finally {
      await c.stop();
    }
  });

  it("a node whose kubelet reports NotReady gets the not-ready taints, removed once Ready", async () => {
    const { c, fleet } = await kubeletCluster(3);
    try {
      const agent = fleet.agent("node-3")!;
      agent.ready = false;
      await agent.postStatus(true);
      const n = await c.until(async () => {
        const cur = await node(c, "node-3");
        return taintsOf(cur).length === 2 && cur;
      }, { stepMs: 1000, what: "not-ready taints" });
      assert.deepEqual(taintKeys(n), [`${NOT_READY}:NoExecute`, `${NOT_READY}:NoSchedule`]);
      assert.equal(condition(n, "Ready")!.reason, "KubeletNotReady", "the kubelet's condition is kept (its lease is fresh)");
      // long past the grace period the node is still NotReady, not Unknown: its lease is renewed
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 70_000, { stepMs: 5000, what: "70 s" });
      assert.equal(readyStatus(await node(c, "node-3")), "False");

      agent.ready = true;
      await agent.postStatus(true);
      await c.until(async () => taintsOf(await node(c, "node-3")).length === 0, { stepMs: 1000, what: "taints removed" });
    } finally {
      await c.stop();
    }
  });

  it("a node that never posted status turns Unknown after the startup grace period (60 s)", async () => {
    const c = await bareCluster();
    try {
      const created = await c.client.create(R.nodes, "", { apiVersion: "v1", kind: "Node", metadata: { name: "silent" } } as KubeObject);
      await c.until(() => c.clock.now() - Date.parse(created.metadata.creationTimestamp!) >= 55_000, { stepMs: 1000, what: "55 s" });
      assert.equal(condition(await node(c, "silent"), "Ready"), undefined, "nothing within --node-startup-grace-period");
      const n = await c.until(async () => {
        const cur = await node(c, "silent");
        return readyStatus(cur) === "Unknown" && cur;
      }, { stepMs: 1000, what: "Unknown" });
      const elapsed = secondsBetween(created.metadata.creationTimestamp!, condition(n, "Ready")!.lastTransitionTime);
      assert.ok(elapsed >= 60 && elapsed <= 66, `Unknown after ${elapsed}s`);
      assert.deepEqual(
        (n.status.conditions as Obj[]).map((x) => [x.type, x.status, x.reason, x.message, x.lastHeartbeatTime]),
        ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"].map((t) => [t, "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status.", created.metadata.creationTimestamp]),
      );
      await c.until(async () => taintKeys(await node(c, "silent")).includes(`${UNREACHABLE}:NoSchedule`), { what: "unreachable NoSchedule" });
    } finally {
      await c.stop();
    }
  });

  it("adds no NoExecute taints while every node is down (full disruption), and resumes when one comes back", async () => {
    const { c, fleet } = await kubeletCluster(2);
    try {
      await runningPod(c, "default", pod("p", "node-1"));
      fleet.stopKubelet("node-1");
      fleet.stopKubelet("node-2");
      await c.until(async () => {
        const list = (await c.client.list(R.nodes, "")).items;
        return list.every((n) => readyStatus(n as Obj) === "Unknown" && taintKeys(n).includes(`${UNREACHABLE}:NoSchedule`));
      }, { stepMs: 1000, what: "both nodes Unknown" });
      // well past the eviction rate limit and several health passes: still no NoExecute taint
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 60_000, { stepMs: 5000, what: "a minute" });
      for (const n of (await c.client.list(R.nodes, "")).items) assert.deepEqual(taintKeys(n), [`${UNREACHABLE}:NoSchedule`], n.metadata.name);

      await fleet.startKubelet("node-2");
      await c.until(async () => taintKeys(await node(c, "node-1")).includes(`${UNREACHABLE}:NoExecute`), { stepMs: 1000, what: "node-1 tainted NoExecute once node-2 is back" });
      await c.until(async () => taintsOf(await node(c, "node-2")).length === 0, { stepMs: 1000, what: "node-2 untainted" });
    } finally {
      await c.stop();
    }
  });

  it("taints NoExecute at --node-eviction-rate (one node per 10 s per zone)", async () => {
    const { c, fleet } = await kubeletCluster(5);
    try {
      fleet.stopKubelet("node-1");
      fleet.stopKubelet("node-2");
      const noExecute = async (name: string) => taintsOf(await node(c, name)).find((t) => t.key === UNREACHABLE && t.effect === "NoExecute");
      await c.until(async () => (await noExecute("node-1")) && (await noExecute("node-2")), { stepMs: 1000, maxFakeMs: 120_000, what: "both tainted" });
      const [a, b] = [(await noExecute("node-1"))!.timeAdded, (await noExecute("node-2"))!.timeAdded].map(Date.parse).sort();
      const unknownAt = [Date.parse(condition(await node(c, "node-1"), "Ready")!.lastTransitionTime), Date.parse(condition(await node(c, "node-2"), "Ready")!.lastTransitionTime)];
      assert.equal(unknownAt[0], unknownAt[1], "both went Unknown in the same pass");
      assert.ok(b! - a! >= 10_000 && b! - a! <= 12_000, `second taint ${(b! - a!) / 1000}s after the first`);
    } finally {
      await c.stop();
    }
  });
});

describe("node lifecycle controller: cordon", () => {
  it("spec.unschedulable adds the unschedulable:NoSchedule taint; the kubelet reports NodeNotSchedulable", async () => {
    const { c } = await kubeletCluster(2);
    try {
      await c.client.patch(R.nodes, "", "node-1", "strategic", { spec: { unschedulable: true } });
      const n = await c.until(async () => {
        const cur = await node(c, "node-1");
        return taintsOf(cur).length > 0 && cur;
      }, { what: "unschedulable taint" });
      assert.equal(taintsOf(n).length, 1);
      const t = taintsOf(n)[0]!;
      assert.deepEqual({ key: t.key, effect: t.effect }, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" });
      assert.ok(t.timeAdded);
      await c.until(async () => (await eventLines(c, "node-1", "default")).some((l) => l.includes("NodeNotSchedulable")), { stepMs: 1000, maxFakeMs: 30_000, what: "NodeNotSchedulable" });
      assert.ok((await eventLines(c, "node-1", "default")).includes("Node/node-1 Normal NodeNotSchedulable: Node node-1 status is now: NodeNotSchedulable [kubelet]"));

      await c.client.patch(R.nodes, "", "node-1", "strategic", { spec: { unschedulable: null } });
      await c.until(async () => taintsOf(await node(c, "node-1")).length === 0, { what: "taint removed" });
      await c.until(async () => (await eventLines(c, "node-1", "default")).some((l) => l.includes("NodeSchedulable:")), { stepMs: 1000, maxFakeMs: 30_000, what: "NodeSchedulable" });
      assert.ok((await eventLines(c, "node-1", "default")).includes("Node/node-1 Normal NodeSchedulable: Node node-1 status is now: NodeSchedulable [kubelet]"));
      assert.equal((await eventLines(c, "node-2", "default")).filter((l) => l.includes("Schedulable")).length, 0, "nothing on the other node");
    } finally {
      await c.stop();
    }
  });
});
