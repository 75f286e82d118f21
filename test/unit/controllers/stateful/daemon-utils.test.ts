// DaemonSet node eligibility, tolerations and rolling-update arithmetic (upstream
// pkg/controller/daemon/util and NodeShouldRunDaemonPod).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import {
  FailedPodsBackoff,
  addDaemonTolerations,
  allowsSurge,
  daemonPodSpec,
  daemonPodTemplate,
  daemonTolerations,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  replaceNodeNameAffinity,
  surgeCount,
  targetNodeName,
  templateGeneration,
  unavailableCount,
} from "../../../../src/controllers/stateful/daemon-utils.js";
import type { Obj } from "./helpers.js";

const ds = (podSpec: Obj = {}, spec: Obj = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "d", namespace: "ns", uid: "ds-uid", ...(annotations ? { annotations } : {}) },
  spec: { template: { metadata: { labels: { app: "d" } }, spec: { containers: [{ name: "c", image: "i" }], ...podSpec } }, ...spec },
});
const node = (name: string, labels: Record<string, string> = {}, taints: Obj[] = []): KubeObject => ({ metadata: { name, labels }, spec: { taints } });

describe("daemon pod tolerations", () => {
  it("are upstream's, in upstream's order", () => {
    assert.deepEqual(daemonTolerations(false), [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
    ]);
    assert.deepEqual(daemonTolerations(true).at(-1), { key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  });
  it("keep the pod's own and replace matching ones", () => {
    const spec: Obj = {
      tolerations: [
        { key: "custom", operator: "Equal", value: "x", effect: "NoSchedule" },
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
    };
    addDaemonTolerations(spec);
    assert.equal(spec.tolerations.length, 7);
    assert.deepEqual(spec.tolerations[0], { key: "custom", operator: "Equal", value: "x", effect: "NoSchedule" });
    assert.deepEqual(spec.tolerations[1], { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" });
    addDaemonTolerations(spec);
    assert.equal(spec.tolerations.length, 7, "idempotent");
  });
});

describe("NodeShouldRunDaemonPod", () => {
  const cases: { name: string; podSpec?: Obj; node: KubeObject; run: boolean; cont: boolean }[] = [
    { name: "plain node", node: node("n"), run: true, cont: true },
    { name: "nodeSelector matches", podSpec: { nodeSelector: { disk: "ssd" } }, node: node("n", { disk: "ssd" }), run: true, cont: true },
    { name: "nodeSelector does not match", podSpec: { nodeSelector: { disk: "ssd" } }, node: node("n", { disk: "hdd" }), run: false, cont: false },
    { name: "nodeName elsewhere", podSpec: { nodeName: "other" }, node: node("n"), run: false, cont: false },
    { name: "nodeName here", podSpec: { nodeName: "n" }, node: node("n"), run: true, cont: true },
    {
      name: "affinity In",
      podSpec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] }] } } } },
      node: node("n", { zone: "b" }),
      run: true,
      cont: true,
    },
    {
      name: "affinity NotIn",
      podSpec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["b"] }] }] } } } },
      node: node("n", { zone: "b" }),
      run: false,
      cont: false,
    },
    {
      name: "affinity terms are ORed",
      podSpec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "Exists" }] }, { matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] }],
            },
          },
        },
      },
      node: node("n", {}),
      run: true,
      cont: true,
    },
    {
      name: "affinity Gt",
      podSpec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "cpus", operator: "Gt", values: ["4"] }] }] } } } },
      node: node("n", { cpus: "8" }),
      run: true,
      cont: true,
    },
    {
      name: "affinity matchFields metadata.name",
      podSpec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["m"] }] }] } } } },
      node: node("n"),
      run: false,
      cont: false,
    },
    {
      name: "an empty term matches nothing",
      podSpec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } },
      node: node("n"),
      run: false,
      cont: false,
    },
    { name: "untolerated NoSchedule taint: keep existing pods", node: node("n", {}, [{ key: "dedicated", value: "x", effect: "NoSchedule" }]), run: false, cont: true },
    { name: "untolerated NoExecute taint: evict", node: node("n", {}, [{ key: "dedicated", effect: "NoExecute" }]), run: false, cont: false },
    { name: "PreferNoSchedule taints are ignored", node: node("n", {}, [{ key: "dedicated", effect: "PreferNoSchedule" }]), run: true, cont: true },
    {
      name: "tolerated taint",
      podSpec: { tolerations: [{ key: "dedicated", operator: "Equal", value: "x", effect: "NoSchedule" }] },
      node: node("n", {}, [{ key: "dedicated", value: "x", effect: "NoSchedule" }]),
      run: true,
      cont: true,
    },
    {
      name: "toleration with another value",
      podSpec: { tolerations: [{ key: "dedicated", operator: "Equal", value: "y", effect: "NoSchedule" }] },
      node: node("n", {}, [{ key: "dedicated", value: "x", effect: "NoSchedule" }]),
      run: false,
      cont: true,
    },
    { name: "wildcard toleration", podSpec: { tolerations: [{ operator: "Exists" }] }, node: node("n", {}, [{ key: "any", effect: "NoExecute" }]), run: true, cont: true },
    ...(
      [
        ["node.kubernetes.io/not-ready", "NoExecute"],
        ["node.kubernetes.io/unreachable", "NoExecute"],
        ["node.kubernetes.io/disk-pressure", "NoSchedule"],
        ["node.kubernetes.io/memory-pressure", "NoSchedule"],
        ["node.kubernetes.io/pid-pressure", "NoSchedule"],
        ["node.kubernetes.io/unschedulable", "NoSchedule"],
      ] as const
    ).map(([key, effect]) => ({ name: `automatic toleration of ${key}`, node: node("n", {}, [{ key, effect }]), run: true, cont: true })),
    { name: "network-unavailable without hostNetwork", node: node("n", {}, [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }]), run: false, cont: true },
    {
      name: "network-unavailable with hostNetwork",
      podSpec: { hostNetwork: true },
      node: node("n", {}, [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }]),
      run: true,
      cont: true,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const r = nodeShouldRunDaemonPod(c.node, daemonPodSpec(ds(c.podSpec)));
      assert.deepEqual(r, { shouldRun: c.run, shouldContinueRunning: c.cont });
    });
});

describe("node-name affinity", () => {
  const term = (n: string) => ({ matchFields: [{ key: "metadata.name", operator: "In", values: [n] }] });
  it("is added to pods without affinity", () => {
    assert.deepEqual(replaceNodeNameAffinity(undefined, "n1"), { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term("n1")] } } });
  });
  it("keeps pod affinity and preferred terms, replaces required terms", () => {
    const aff = {
      podAffinity: { x: 1 },
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 }],
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "a", operator: "Exists" }] }] },
      },
    };
    assert.deepEqual(replaceNodeNameAffinity(aff, "n2"), {
      podAffinity: { x: 1 },
      nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 }], requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term("n2")] } },
    });
  });
  it("names the target node of scheduled and pending pods", () => {
    assert.equal(targetNodeName({ metadata: {}, spec: { nodeName: "a", affinity: replaceNodeNameAffinity(undefined, "b") } }), "a");
    assert.equal(targetNodeName({ metadata: {}, spec: { affinity: replaceNodeNameAffinity(undefined, "b") } }), "b");
    assert.equal(targetNodeName({ metadata: {}, spec: {} }), undefined);
  });
});

describe("templates, generations and updates", () => {
  it("labels pods with the hash and the template generation", () => {
    const d = ds({}, {}, { "deprecated.daemonset.template.generation": "3" });
    const t = daemonPodTemplate(d, templateGeneration(d), "abc");
    assert.deepEqual(t.metadata.labels, { app: "d", "pod-template-generation": "3", "controller-revision-hash": "abc" });
    assert.equal(t.spec.tolerations.length, 6);
    assert.equal(templateGeneration(ds()), undefined);
    assert.equal(templateGeneration(ds({}, {}, { "deprecated.daemonset.template.generation": "x" })), undefined);
  });
  it("counts a pod as updated by hash or by generation", () => {
    const pod = (labels: Record<string, string>) => ({ metadata: { labels } }) as KubeObject;
    assert.ok(isPodUpdated(pod({ "controller-revision-hash": "h" }), "h", undefined));
    assert.ok(isPodUpdated(pod({ "pod-template-generation": "2" }), "h", "2"));
    assert.ok(!isPodUpdated(pod({ "controller-revision-hash": "old", "pod-template-generation": "1" }), "h", "2"));
  });
  const rolling = (ru: Obj) => ds({}, { updateStrategy: { type: "RollingUpdate", rollingUpdate: ru } });
  const cases: [string, Obj, number, number, number][] = [
    ["defaults", { maxUnavailable: 1, maxSurge: 0 }, 10, 1, 0],
    ["percent unavailable rounds up", { maxUnavailable: "25%", maxSurge: 0 }, 10, 3, 0],
    ["percent surge rounds up", { maxUnavailable: 0, maxSurge: "10%" }, 15, 0, 2],
    ["absolute", { maxUnavailable: 4, maxSurge: 2 }, 3, 4, 2],
  ];
  for (const [name, ru, n, unavailable, surge] of cases)
    it(`rolling update arithmetic: ${name}`, () => {
      assert.equal(unavailableCount(rolling(ru), n), unavailable);
      assert.equal(surgeCount(rolling(ru), n), surge);
      assert.equal(allowsSurge(rolling(ru)), surge > 0);
    });
  it("OnDelete allows neither", () => {
    const d = ds({}, { updateStrategy: { type: "OnDelete" } });
    assert.equal(unavailableCount(d, 5), 0);
    assert.equal(surgeCount(d, 5), 0);
  });
});

describe("failed pod backoff", () => {
  it("doubles from 1s up to 15m and expires", () => {
    const b = new FailedPodsBackoff();
    const t0 = 1_000_000;
    assert.ok(!b.isInBackOffSinceUpdate("k", t0));
    b.next("k", t0);
    assert.equal(b.get("k"), 1000);
    assert.ok(b.isInBackOffSinceUpdate("k", t0 + 999));
    assert.ok(!b.isInBackOffSinceUpdate("k", t0 + 1000));
    b.next("k", t0 + 1000);
    assert.equal(b.get("k"), 2000);
    for (let i = 0; i < 20; i++) b.next("k", t0 + 2000);
    assert.equal(b.get("k"), 15 * 60_000);
    assert.ok(!b.isInBackOffSinceUpdate("k", t0 + 2000 + 31 * 60_000));
  });
});
