// DefaultPreemption over the cache: which node a pod that fits nowhere preempts on, which pods it
// evicts there (as few and as unimportant as possible, PodDisruptionBudgets respected when
// possible), and the `preemption: ...` part of the FailedScheduling message when it cannot help.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { FitError, CycleState } from "../../../src/scheduler/framework.js";
import { DefaultPreemption } from "../../../src/scheduler/preemption.js";
import { PodInfo } from "../../../src/scheduler/types.js";
import { harness, node, pod, type NodeOpts, type PodOpts } from "./fixtures.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");

function setup(nodes: [string, NodeOpts?][], placed: [string, string, PodOpts?][] = [], pdbs: KubeObject[] = []) {
  const h = harness();
  for (const [n, o] of nodes) h.addNode(node(n, o));
  for (const [p, n, o] of placed) h.addPod(pod(p, { ...o, nodeName: n }));
  const nominated = new Map<string, PodInfo[]>();
  h.profile.opts.nominatedPodsOn = (n) => nominated.get(n) ?? [];
  const preemption = new DefaultPreemption({ profile: h.profile, pdbs: () => pdbs, now: () => NOW, random: () => 0 });
  /** One scheduling attempt as the scheduler makes it: the node, or the message, nominated node and victims. */
  const attempt = (p: KubeObject) => {
    const info = new PodInfo(p);
    const cs = new CycleState();
    try {
      return { node: h.profile.schedulePod(cs, info).node };
    } catch (err) {
      if (!(err instanceof FitError)) throw err;
      const r = preemption.preempt(cs, info, err.diagnosis);
      err.diagnosis.postFilterMsg = r.status.message();
      return { message: err.message, nominated: r.nominatedNode, victims: r.candidate?.victims.map((v) => v.name).sort() };
    }
  };
  return { h, attempt, nominate: (n: string, p: KubeObject) => nominated.set(n, [...(nominated.get(n) ?? []), new PodInfo(p)]) };
}

const low = (cpu: string, priority = 0, extra: PodOpts = {}): PodOpts => ({ cpu, priority, ...extra });

describe("DefaultPreemption", () => {
  it("evicts the fewest, least important pods that make room", () => {
    const { attempt } = setup(
      [["n", { cpu: "4" }]],
      [
        ["p1", "n", low("1", 1)],
        ["p2", "n", low("1", 2)],
        ["p3", "n", low("1", 3)],
        ["p4", "n", low("1", 4)],
      ],
    );
    assert.deepEqual(attempt(pod("hi", { cpu: "2", priority: 100 })), {
      message: "0/1 nodes are available: 1 Insufficient cpu.",
      nominated: "n",
      victims: ["p1", "p2"],
    });
  });

  it("pods of equal or higher priority are never victims", () => {
    const { attempt } = setup([["n", { cpu: "2" }]], [["same", "n", low("1", 100)], ["higher", "n", low("1", 1000)]]);
    assert.deepEqual(attempt(pod("hi", { cpu: "1", priority: 100 })), {
      message: "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      nominated: "",
      victims: undefined,
    });
  });

  it("evicting every lower-priority pod must be enough", () => {
    const { attempt } = setup([["n", { cpu: "2" }]], [["victim", "n", low("500m")], ["keeper", "n", low("1", 1000)]]);
    assert.deepEqual(attempt(pod("hi", { cpu: "1500m", priority: 100 })), {
      message: "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.",
      nominated: "",
      victims: undefined,
    });
  });

  it("nodes rejected for reasons eviction cannot change are not tried", () => {
    const { attempt } = setup(
      [
        ["full", { cpu: "1" }],
        ["tainted", { taints: [{ key: "k", value: "v", effect: "NoSchedule" }] }],
        ["cordoned", { unschedulable: true }],
      ],
      [["x", "full", low("1", 1000)]],
    );
    assert.deepEqual(attempt(pod("hi", { cpu: "1", priority: 100 })), {
      message:
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: v}, 1 node(s) were unschedulable. " +
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
      nominated: "",
      victims: undefined,
    });
  });

  it("a pod too big for any node cannot preempt", () => {
    const { attempt } = setup([["n", { cpu: "1" }]], [["x", "n", low("500m")]]);
    assert.equal(
      attempt(pod("hi", { cpu: "2", priority: 100 })).message,
      "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
  });

  it("preemptionPolicy Never", () => {
    const { attempt } = setup([["n", { cpu: "1" }]], [["x", "n", low("1")]]);
    assert.deepEqual(attempt(pod("hi", { cpu: "1", priority: 100, preemptionPolicy: "Never" })), {
      message: "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
      nominated: undefined,
      victims: undefined,
    });
  });

  describe("choice of node", () => {
    const two: [string, NodeOpts?][] = [
      ["a", { cpu: "2" }],
      ["b", { cpu: "2" }],
    ];
    const cases: { name: string; placed: [string, string, PodOpts?][]; node: string; victims: string[]; pdbs?: KubeObject[] }[] = [
      {
        name: "the lowest highest-priority victim",
        placed: [
          ["a1", "a", low("2", 50)],
          ["b1", "b", low("2", 10)],
        ],
        node: "b",
        victims: ["b1"],
      },
      {
        name: "then the lowest sum of priorities",
        placed: [
          ["a1", "a", low("1", 10)],
          ["a2", "a", low("1", 10)],
          ["b1", "b", low("1", 10)],
          ["b2", "b", low("1", 1)],
        ],
        node: "b",
        victims: ["b1", "b2"],
      },
      {
        name: "then the fewest victims",
        placed: [
          ["a1", "a", low("1", 0)],
          ["a2", "a", low("1", 0)],
          ["b1", "b", low("2", 0)],
        ],
        node: "b",
        victims: ["b1"],
      },
      {
        name: "then the latest started victims",
        placed: [
          ["a1", "a", low("2", 0, { startTime: "2025-12-31T22:00:00Z" })],
          ["b1", "b", low("2", 0, { startTime: "2025-12-31T23:00:00Z" })],
        ],
        node: "b",
        victims: ["b1"],
      },
      {
        name: "first of all, no PodDisruptionBudget violated",
        placed: [
          ["a1", "a", low("2", 0, { labels: { app: "guarded" } })],
          ["b1", "b", low("2", 50)],
        ],
        pdbs: [{ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "g", namespace: "default" }, spec: { selector: { matchLabels: { app: "guarded" } } }, status: { disruptionsAllowed: 0 } }],
        node: "b",
        victims: ["b1"],
      },
      {
        name: "a budget with disruptions allowed is no obstacle",
        placed: [
          ["a1", "a", low("2", 0, { labels: { app: "guarded" } })],
          ["b1", "b", low("2", 50)],
        ],
        pdbs: [{ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "g", namespace: "default" }, spec: { selector: { matchLabels: { app: "guarded" } } }, status: { disruptionsAllowed: 1 } }],
        node: "a",
        victims: ["a1"],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const { attempt } = setup(two, c.placed, c.pdbs);
        const r = attempt(pod("hi", { cpu: "2", priority: 100 }));
        assert.deepEqual([r.nominated, r.victims], [c.node, c.victims]);
      });
    }

    it("pods protected by a budget are reprieved first", () => {
      const { attempt } = setup(
        [["n", { cpu: "3" }]],
        [
          ["guarded", "n", low("1", 0, { labels: { app: "guarded" } })],
          ["free", "n", low("1", 5)],
          ["other", "n", low("1", 0)],
        ],
        [{ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "g", namespace: "default" }, spec: { selector: { matchLabels: { app: "guarded" } } }, status: { disruptionsAllowed: 0 } }],
      );
      assert.deepEqual(attempt(pod("hi", { cpu: "2", priority: 100 })).victims, ["free", "other"]);
    });
  });

  it("preemption also removes the pods that repel the preemptor", () => {
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" }] } };
    const { attempt } = setup([["n"]], [["loner", "n", { priority: 0, affinity: anti }], ["bystander", "n", { priority: 0 }]]);
    assert.deepEqual(attempt(pod("hi", { labels: { app: "web" }, priority: 100 })), {
      message: "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.",
      nominated: "n",
      victims: ["loner"],
    });
  });

  it("the room made for a nominated pod is not given to lower-priority pods", () => {
    const { attempt, nominate } = setup([["n", { cpu: "2" }]], [["x", "n", low("1")]]);
    assert.deepEqual(attempt(pod("small", { cpu: "1" })), { node: "n" });
    nominate("n", pod("hi", { cpu: "1", priority: 100 }));
    assert.equal(attempt(pod("small", { cpu: "1" })).message?.startsWith("0/1 nodes are available: 1 Insufficient cpu."), true);
    assert.deepEqual(attempt(pod("higher", { cpu: "1", priority: 1000 })), { node: "n" }, "pods of higher priority ignore the nomination");
  });

  it("a preemptor waits while its victims terminate", () => {
    const victim = pod("victim", { nodeName: "n", cpu: "1", priority: 0 });
    victim.metadata.deletionTimestamp = "2026-01-01T00:00:30Z";
    victim.status = { phase: "Running", conditions: [{ type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" }] };
    const { h, attempt } = setup([["n", { cpu: "1" }]]);
    h.addPod(victim);
    const hi = pod("hi", { cpu: "1", priority: 100 });
    hi.status = { phase: "Pending", nominatedNodeName: "n" };
    assert.equal(attempt(hi).message, "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.");
  });
});
