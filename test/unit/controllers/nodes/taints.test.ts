// Taint and toleration matching (upstream Toleration.ToleratesTaint, GetMatchingTolerations,
// getMinTolerationTime), the node controllers' taint writes, and the zone helpers of the node
// lifecycle controller (GetZoneKey, ComputeZoneState).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { computeZoneState, zoneKey } from "../../../../src/controllers/nodes/node-lifecycle.js";
import { matchingTolerations, minTolerationMs, swapNodeTaints, toleratesTaint, type Taint, type Toleration } from "../../../../src/controllers/nodes/taints.js";
import { R } from "../../../../src/client/interface.js";
import { bareCluster, node, readyNode, taintsOf } from "./helpers.js";

const t = (key: string, effect = "NoExecute", value?: string): Taint => ({ key, effect, ...(value !== undefined ? { value } : {}) });

describe("toleratesTaint", () => {
  const cases: [string, Toleration, Taint, boolean][] = [
    ["Exists with key", { key: "a", operator: "Exists" }, t("a"), true],
    ["Exists, other key", { key: "a", operator: "Exists" }, t("b"), false],
    ["empty key Exists tolerates everything", { operator: "Exists" }, t("anything", "NoSchedule"), true],
    ["effect must match when set", { key: "a", operator: "Exists", effect: "NoSchedule" }, t("a", "NoExecute"), false],
    ["empty effect matches all effects", { key: "a", operator: "Exists" }, t("a", "PreferNoSchedule"), true],
    ["Equal compares values", { key: "a", operator: "Equal", value: "x" }, t("a", "NoExecute", "x"), true],
    ["Equal, other value", { key: "a", operator: "Equal", value: "x" }, t("a", "NoExecute", "y"), false],
    ["empty operator is Equal", { key: "a", value: "x" }, t("a", "NoExecute", "x"), true],
    ["Equal with no value matches a taint with no value", { key: "a", operator: "Equal" }, t("a"), true],
    ["unknown operator", { key: "a", operator: "Gt", value: "1" }, t("a", "NoExecute", "2"), false],
  ];
  for (const [name, tol, taint, want] of cases) it(name, () => assert.equal(toleratesTaint(tol, taint), want));
});

describe("matchingTolerations and minTolerationMs", () => {
  it("no taints: tolerated, nothing used", () => assert.deepEqual(matchingTolerations([], []), { all: true, used: [] }));
  it("taints without tolerations: not tolerated", () => assert.deepEqual(matchingTolerations([t("a")], []), { all: false, used: [] }));
  it("one untolerated taint fails all", () => {
    assert.deepEqual(matchingTolerations([t("a"), t("b")], [{ key: "a", operator: "Exists" }]), { all: false, used: [] });
  });
  it("the first matching toleration per taint is used", () => {
    const forever: Toleration = { key: "a", operator: "Exists", effect: "NoExecute" };
    const short: Toleration = { operator: "Exists", effect: "NoExecute", tolerationSeconds: 5 };
    assert.deepEqual(matchingTolerations([t("a")], [forever, short]), { all: true, used: [forever] });
    assert.deepEqual(matchingTolerations([t("a")], [short, forever]), { all: true, used: [short] });
    assert.deepEqual(matchingTolerations([t("a"), t("b")], [forever, short]), { all: true, used: [forever, short] });
  });
  it("minTolerationMs: shortest tolerationSeconds, -1 for forever, 0 for none or non-positive", () => {
    assert.equal(minTolerationMs([]), 0);
    assert.equal(minTolerationMs([{ key: "a" }]), -1);
    assert.equal(minTolerationMs([{ key: "a", tolerationSeconds: 300 }, { key: "b", tolerationSeconds: 30 }, { key: "c" }]), 30_000);
    assert.equal(minTolerationMs([{ key: "a", tolerationSeconds: 300 }, { key: "b", tolerationSeconds: -5 }]), 0);
  });
});

describe("zones", () => {
  const n = (labels: Record<string, string>): KubeObject => ({ metadata: { name: "n", labels } });
  it("zoneKey joins region and zone (stable labels first, then the beta ones); empty without either", () => {
    assert.equal(zoneKey(n({})), "");
    assert.equal(zoneKey(n({ "topology.kubernetes.io/region": "r", "topology.kubernetes.io/zone": "z" })), "r:\x00:z");
    assert.equal(zoneKey(n({ "failure-domain.beta.kubernetes.io/zone": "z" })), ":\x00:z");
    assert.notEqual(zoneKey(n({ "topology.kubernetes.io/zone": "a" })), zoneKey(n({ "topology.kubernetes.io/zone": "b" })));
  });
  it("computeZoneState: full disruption with no ready node, partial above the threshold with more than two down", () => {
    const ready = { type: "Ready", status: "True" };
    const down = { type: "Ready", status: "Unknown" };
    assert.deepEqual(computeZoneState([down, undefined], 0.55), { unhealthy: 2, state: "FullDisruption" });
    assert.deepEqual(computeZoneState([ready, down, down], 0.55), { unhealthy: 2, state: "Normal" }, "two down never makes a partial disruption");
    assert.deepEqual(computeZoneState([ready, down, down, down], 0.55), { unhealthy: 3, state: "PartialDisruption" });
    assert.deepEqual(computeZoneState([ready, ready, down, down, down], 0.55), { unhealthy: 3, state: "PartialDisruption" });
    assert.deepEqual(computeZoneState([ready, ready, ready, down, down, down], 0.55), { unhealthy: 3, state: "Normal" });
    assert.deepEqual(computeZoneState([], 0.55), { unhealthy: 0, state: "Normal" });
  });
});

describe("swapNodeTaints", () => {
  it("adds with timeAdded, removes by key and effect, keeps other taints, and retries on a stale node", async () => {
    const c = await bareCluster();
    try {
      await readyNode(c, "w1");
      const stale = await node(c, "w1");
      // someone else writes the node meanwhile
      await c.client.patch(R.nodes, "", "w1", "merge", { spec: { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }, { key: "x", effect: "NoExecute" }] } });
      const at = "2026-01-01T00:00:10Z";
      const out = await swapNodeTaints(c.client, stale, [t("node.kubernetes.io/unreachable")], [t("x")], at);
      assert.deepEqual(taintsOf(out!), [
        { key: "dedicated", value: "db", effect: "NoSchedule" },
        { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: at },
      ]);
      assert.deepEqual(taintsOf(await node(c, "w1")), taintsOf(out!));
      // nothing to do: no write
      const again = await swapNodeTaints(c.client, out!, [t("node.kubernetes.io/unreachable")], [t("x")], "2026-01-01T00:00:20Z");
      assert.equal(again!.metadata.resourceVersion, out!.metadata.resourceVersion);
      // removing the last taints leaves no taints field
      const none = await swapNodeTaints(c.client, again!, [], [t("node.kubernetes.io/unreachable"), t("dedicated", "NoSchedule")], at);
      assert.equal((none!.spec as Record<string, unknown>).taints, undefined);
    } finally {
      await c.stop();
    }
  });
});
