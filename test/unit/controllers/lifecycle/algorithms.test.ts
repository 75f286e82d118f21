// Pure pieces of the lifecycle controllers: PDB arithmetic, namespace deletion conditions, and the
// discovery the garbage collector and namespace controller work from.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { builtinResources } from "../../../../src/registry/builtin/index.js";
import { Registry } from "../../../../src/registry/registry.js";
import {
  buildDisruptedPodMap,
  countHealthyPods,
  labelSelectorGoString,
  nextStatus,
  scaledValue,
  setStatusCondition,
  type Condition,
} from "../../../../src/controllers/lifecycle/disruption/pdb.js";
import { ConditionUpdater, type NamespaceCondition } from "../../../../src/controllers/lifecycle/namespace/conditions.js";
import { namespacedDeletableResources } from "../../../../src/controllers/lifecycle/namespace/namespace-controller.js";
import { deletableResources } from "../../../../src/controllers/lifecycle/garbage-collector/garbage-collector.js";
import { registryDiscovery, RestMapper } from "../../../../src/controllers/lifecycle/discovery.js";
import { formatTime } from "../../../../src/util/clock.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const pod = (name: string, opts: { ready?: boolean; deleting?: boolean } = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "ns", ...(opts.deleting ? { deletionTimestamp: formatTime(T0) } : {}) },
  status: { conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }] },
});

describe("PDB arithmetic", () => {
  const cases: [number | string, number, boolean, number | string][] = [
    [3, 10, true, 3],
    ["50%", 3, true, 2],
    ["50%", 3, false, 1],
    ["34%", 3, true, 2],
    ["0%", 5, true, 0],
    ["100%", 7, true, 7],
    ["5", 10, true, "invalid value for IntOrString: invalid type: string is not a percentage"],
    ["x%", 10, true, 'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax'],
  ];
  for (const [v, total, up, want] of cases)
    it(`scaledValue(${JSON.stringify(v)}, ${total}, ${up}) = ${want}`, () => {
      if (typeof want === "string") assert.throws(() => scaledValue(v, total, up), { message: want });
      else assert.equal(scaledValue(v, total, up), want);
    });

  it("healthy pods: ready, not deleting, not recently disrupted", () => {
    const pods = [pod("a"), pod("b", { ready: false }), pod("c", { deleting: true }), pod("d"), pod("e")];
    assert.equal(countHealthyPods(pods, {}, T0), 3);
    assert.equal(countHealthyPods(pods, { d: formatTime(T0 - 60_000) }, T0), 2);
    // an eviction older than the 2-minute DeletionTimeout no longer counts
    assert.equal(countHealthyPods(pods, { d: formatTime(T0 - 121_000) }, T0), 3);
  });

  it("disruptedPods: deleting or vanished pods leave, expired entries leave with a NotDeleted pod", () => {
    const pdb: KubeObject = {
      metadata: { name: "p", generation: 1 },
      status: { disruptedPods: { a: formatTime(T0 - 30_000), c: formatTime(T0), gone: formatTime(T0), old: formatTime(T0 - 180_000) } },
    };
    const r = buildDisruptedPodMap([pod("a"), pod("c", { deleting: true }), pod("old")], pdb, T0);
    assert.deepEqual(r.disruptedPods, { a: formatTime(T0 - 30_000) });
    assert.equal(r.recheckAt, T0 - 30_000 + 120_000);
    assert.deepEqual(r.notDeleted.map((p) => p.metadata.name), ["old"]);
  });

  it("status: disruptionsAllowed is never negative and 0 without expected pods; unchanged status is not rewritten", () => {
    const pdb: KubeObject = { metadata: { name: "p", generation: 2 }, status: {} };
    const s = nextStatus(pdb, 3, 2, 3, {}, T0)!;
    assert.deepEqual(s, {
      observedGeneration: 2,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: "DisruptionAllowed", status: "True", observedGeneration: 2, lastTransitionTime: formatTime(T0), reason: "SufficientPods", message: "" }],
    });
    assert.equal(nextStatus({ ...pdb, status: s }, 3, 2, 3, {}, T0 + 1000), undefined);
    assert.equal(nextStatus(pdb, 1, 2, 3, {}, T0)!.disruptionsAllowed, 0);
    assert.equal(nextStatus(pdb, 3, 0, 0, {}, T0)!.disruptionsAllowed, 0);
    const flipped = nextStatus({ ...pdb, status: s }, 2, 2, 3, {}, T0 + 5000)!;
    assert.deepEqual(flipped.conditions, [
      { type: "DisruptionAllowed", status: "False", observedGeneration: 2, lastTransitionTime: formatTime(T0 + 5000), reason: "InsufficientPods", message: "" },
    ]);
  });

  it("setStatusCondition moves lastTransitionTime only when the status changes", () => {
    const conditions: Condition[] = [];
    assert.equal(setStatusCondition(conditions, { type: "X", status: "False", reason: "A", message: "" }, T0), true);
    assert.equal(setStatusCondition(conditions, { type: "X", status: "False", reason: "B", message: "m" }, T0 + 1000), true);
    assert.equal(conditions[0]!.lastTransitionTime, formatTime(T0));
    assert.equal(setStatusCondition(conditions, { type: "X", status: "False", reason: "B", message: "m" }, T0 + 2000), false);
    setStatusCondition(conditions, { type: "X", status: "True", reason: "B", message: "m" }, T0 + 3000);
    assert.equal(conditions[0]!.lastTransitionTime, formatTime(T0 + 3000));
  });

  it("label selectors print as Go prints *metav1.LabelSelector", () => {
    assert.equal(labelSelectorGoString(undefined), "nil");
    assert.equal(
      labelSelectorGoString({ matchLabels: { b: "2", a: "1" }, matchExpressions: [{ key: "k", operator: "In", values: ["x", "y"] }] }),
      "&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}",
    );
  });
});

describe("namespace deletion conditions", () => {
  it("all five conditions, ok variants when nothing failed; unchanged passes change nothing", () => {
    const status: { conditions?: NamespaceCondition[] } = {};
    assert.equal(new ConditionUpdater().update(status, T0), true);
    assert.deepEqual(
      status.conditions!.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ["NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"],
        ["NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions", "All legacy kube types successfully parsed"],
        ["NamespaceDeletionContentFailure", "False", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"],
        ["NamespaceContentRemaining", "False", "ContentRemoved", "All content successfully removed"],
        ["NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers", "All content-preserving finalizers finished"],
      ],
    );
    assert.equal(new ConditionUpdater().update(status, T0 + 1000), false);
  });

  it("failures: sorted remaining resources and finalizers, aggregated content errors", () => {
    const status: { conditions?: NamespaceCondition[] } = {};
    new ConditionUpdater().update(status, T0);
    const u = new ConditionUpdater();
    u.deleteContentFailed("z failed");
    u.deleteContentFailed("a failed");
    u.discoveryFailed("Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: stale");
    u.contentTotals({
      remaining: new Map([
        ["pods.", 2],
        ["deployments.apps", 1],
      ]),
      finalizers: new Map([["example.com/x", 3]]),
    });
    assert.equal(u.update(status, T0 + 5000), true);
    const by = Object.fromEntries(status.conditions!.map((c) => [c.type, c]));
    assert.equal(by.NamespaceDeletionContentFailure!.message, "Failed to delete all resource types, 2 remaining: a failed, z failed");
    assert.equal(by.NamespaceDeletionContentFailure!.reason, "ContentDeletionFailed");
    assert.equal(by.NamespaceDeletionContentFailure!.lastTransitionTime, formatTime(T0 + 5000));
    assert.equal(by.NamespaceDeletionDiscoveryFailure!.reason, "DiscoveryFailed");
    assert.equal(by.NamespaceContentRemaining!.message, "Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances");
    assert.equal(by.NamespaceFinalizersRemaining!.message, "Some content in the namespace has finalizers remaining: example.com/x in 3 resource instances");
    assert.equal(by.NamespaceDeletionGroupVersionParsingFailure!.lastTransitionTime, formatTime(T0), "untouched conditions keep their time");
  });
});

describe("discovery for the lifecycle controllers", () => {
  const registry = new Registry();
  for (const def of builtinResources()) registry.add(def);
  const fromRegistry = registryDiscovery(registry).resources();

  it("the garbage collector monitors preferred, deletable resources except events", () => {
    const names = deletableResources(fromRegistry).map((r) => `${r.group}/${r.version}/${r.resource}`);
    for (const want of ["/v1/pods", "/v1/namespaces", "/v1/nodes", "apps/v1/replicasets", "apps/v1/controllerrevisions", "batch/v1/cronjobs", "autoscaling/v2/horizontalpodautoscalers", "coordination.k8s.io/v1/leases"])
      assert.ok(names.includes(want), want);
    for (const not of ["/v1/events", "events.k8s.io/v1/events", "autoscaling/v1/horizontalpodautoscalers"]) assert.ok(!names.includes(not), not);
  });

  it("namespace deletion covers every namespaced deletable resource, events of both groups included", () => {
    const names = namespacedDeletableResources(fromRegistry).map((r) => `${r.group}/${r.resource}`);
    assert.ok(names.includes("/events") && names.includes("events.k8s.io/events") && names.includes("/pods") && names.includes("policy/poddisruptionbudgets"));
    assert.ok(!names.includes("/namespaces") && !names.includes("/nodes"));
  });

  it("the REST mapper maps kinds, falling back to the preferred version of the group", () => {
    const m = new RestMapper(fromRegistry);
    assert.equal(m.mapping("apps/v1", "ReplicaSet")?.resource, "replicasets");
    assert.equal(m.mapping("v1", "Pod")?.resource, "pods");
    assert.equal(m.mapping("autoscaling/v1", "HorizontalPodAutoscaler")?.version, "v1");
    assert.equal(m.mapping("apps/v1beta2", "Deployment")?.version, "v1");
    assert.equal(m.mapping("example.com/v1", "Widget"), undefined);
  });
});
