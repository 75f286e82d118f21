// Scoring over the cache: among nodes that all fit, which one a pod lands on — the least
// allocated and most balanced node, away from PreferNoSchedule taints, toward preferred node and
// pod affinity, and spread from pods of the same service or controller (upstream's system default
// topology spreading) or by ScheduleAnyway constraints. The tie-break is seeded.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromLabelMap } from "../../../src/apimachinery/labels.js";
import { harness, node, pod, type NodeOpts, type PodOpts } from "./fixtures.js";

const ZONE = "topology.kubernetes.io/zone";
const HOST = "kubernetes.io/hostname";
const web = { app: "web" };

function setup(nodes: [string, NodeOpts?][], placed: [string, string, PodOpts?][] = [], opts: Parameters<typeof harness>[0] = {}) {
  const h = harness(opts);
  for (const [n, o] of nodes) h.addNode(node(n, o));
  for (const [p, n, o] of placed) h.addPod(pod(p, { ...o, nodeName: n }));
  return h;
}

/** Where each of `count` pods made by `make` lands when scheduled one after another. */
function spreadOf(h: ReturnType<typeof harness>, count: number, make: (i: number) => ReturnType<typeof pod>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const n = h.schedule(make(i));
    out[n] = (out[n] ?? 0) + 1;
  }
  return out;
}

describe("NodeResourcesFit (LeastAllocated) and BalancedAllocation", () => {
  it("prefers the node with the most room", () => {
    const h = setup(
      [["a"], ["b"], ["c"]],
      [
        ["x", "a", { cpu: "3", memory: "6Gi" }],
        ["y", "b", { cpu: "1", memory: "2Gi" }],
        ["z", "c", { cpu: "2", memory: "4Gi" }],
      ],
    );
    assert.equal(h.schedule(pod("p", { cpu: "100m", memory: "100Mi" })), "b");
  });

  it("spreads identical pods evenly over identical nodes", () => {
    const h = setup([["a"], ["b"], ["c"]]);
    assert.deepEqual(spreadOf(h, 9, (i) => pod(`p${i}`, { cpu: "200m", memory: "256Mi" })), { a: 3, b: 3, c: 3 });
  });

  it("best-effort pods count the default requests (100m, 200Mi) and spread too", () => {
    const h = setup([["a"], ["b"]]);
    assert.deepEqual(spreadOf(h, 6, (i) => pod(`p${i}`)), { a: 3, b: 3 });
  });

  it("a node of twice the size takes twice the pods", () => {
    const h = setup([["small", { cpu: "2", memory: "4Gi" }], ["big", { cpu: "4", memory: "8Gi" }]]);
    assert.deepEqual(spreadOf(h, 12, (i) => pod(`p${i}`, { cpu: "250m", memory: "500Mi" })), { small: 4, big: 8 });
  });

  it("between nodes equally allocated on average, the balanced one wins", () => {
    // a: cpu 75% used, memory 25%; b: both 50% — LeastAllocated ties, BalancedAllocation prefers b
    const h = setup(
      [["a"], ["b"]],
      [
        ["x", "a", { cpu: "3", memory: "2Gi" }],
        ["y", "b", { cpu: "2", memory: "4Gi" }],
      ],
    );
    assert.equal(h.schedule(pod("p", { cpu: "100m", memory: "200Mi" })), "b");
  });

  it("a memory-hungry pod goes where memory is free", () => {
    const h = setup(
      [["a"], ["b"]],
      [
        ["x", "a", { cpu: "100m", memory: "6Gi" }],
        ["y", "b", { cpu: "3", memory: "100Mi" }],
      ],
    );
    assert.equal(h.schedule(pod("p", { cpu: "100m", memory: "1Gi" })), "b");
  });
});

describe("TaintToleration and NodeAffinity scores", () => {
  it("avoids PreferNoSchedule taints the pod does not tolerate", () => {
    const h = setup([["a", { taints: [{ key: "spot", effect: "PreferNoSchedule" }] }], ["b", { taints: [{ key: "spot", effect: "PreferNoSchedule" }] }], ["c"]]);
    assert.deepEqual(spreadOf(h, 3, (i) => pod(`p${i}`)), { c: 3 });
  });

  it("a pod tolerating the taint does not avoid it", () => {
    // the tainted node is emptier: without the taint's penalty it wins on resources
    const h = setup([["a", { taints: [{ key: "spot", effect: "PreferNoSchedule" }] }], ["b"]], [["x", "b", { cpu: "2", memory: "4Gi" }]]);
    assert.equal(h.schedule(pod("p", { tolerations: [{ key: "spot", operator: "Exists" }] })), "a");
    assert.equal(h.schedule(pod("q")), "b");
  });

  it("prefers nodes matching preferred node affinity, by weight", () => {
    const preferred = (...prefs: [number, Record<string, string>][]) => ({
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: prefs.map(([weight, labels]) => ({
          weight,
          preference: { matchExpressions: Object.entries(labels).map(([key, v]) => ({ key, operator: "In", values: [v] })) },
        })),
      },
    });
    // b is the emptiest: without the preferences both pods would go there
    const h = setup(
      [["a", { labels: { disk: "hdd" } }], ["b", { labels: { disk: "ssd" } }], ["c", { labels: { disk: "ssd", gpu: "yes" } }]],
      [
        ["x", "a", { cpu: "2", memory: "4Gi" }],
        ["y", "c", { cpu: "2", memory: "4Gi" }],
      ],
    );
    assert.equal(h.schedule(pod("p", { affinity: preferred([50, { disk: "ssd" }], [60, { gpu: "yes" }]) })), "c");
    assert.equal(h.schedule(pod("q", { affinity: preferred([80, { disk: "hdd" }], [10, { disk: "ssd" }]) })), "a");
  });
});

describe("PodTopologySpread scoring", () => {
  it("system default spreading: pods selected by the same service spread over nodes", () => {
    // node a is emptier by resources but already runs two web pods; with the service's selector as
    // the default spreading selector the new web pod goes to b
    const nodes: [string, NodeOpts?][] = [["a"], ["b"]];
    const placed: [string, string, PodOpts?][] = [
      ["w0", "a", { labels: web, cpu: "100m", memory: "100Mi" }],
      ["w1", "a", { labels: web, cpu: "100m", memory: "100Mi" }],
      ["other", "b", { cpu: "1", memory: "1Gi" }],
    ];
    const incoming = () => pod("p", { labels: web, cpu: "100m", memory: "100Mi" });
    assert.equal(setup(nodes, placed).schedule(incoming()), "a", "without a service only resources count");
    const withService = setup(nodes, placed, { defaultSelector: (p) => (p.labels.app === "web" ? fromLabelMap(web) : undefined) });
    assert.equal(withService.schedule(incoming()), "b");
  });

  it("system default spreading also spreads over zones", () => {
    const h = setup(
      [
        ["a1", { labels: { [ZONE]: "z1" } }],
        ["a2", { labels: { [ZONE]: "z1" } }],
        ["a3", { labels: { [ZONE]: "z1" } }],
        ["b1", { labels: { [ZONE]: "z2" } }],
      ],
      [],
      { defaultSelector: () => fromLabelMap(web) },
    );
    const zones: Record<string, number> = {};
    for (let i = 0; i < 8; i++) {
      const n = h.schedule(pod(`w${i}`, { labels: web }));
      const z = n.startsWith("a") ? "z1" : "z2";
      zones[z] = (zones[z] ?? 0) + 1;
    }
    // by nodes alone z1 would take 6 of 8
    assert.ok(zones.z2! >= 3, `z2 got ${zones.z2} of 8: ${JSON.stringify(zones)}`);
  });

  it("ScheduleAnyway prefers the emptier domain but never rejects", () => {
    const anyway = { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: web } };
    const nodes: [string, NodeOpts?][] = [
      ["a", { labels: { [ZONE]: "z1" } }],
      ["b", { labels: { [ZONE]: "z1" } }],
      ["c", { labels: { [ZONE]: "z2" } }],
    ];
    // c is the fullest by resources
    const placed: [string, string, PodOpts?][] = [
      ["w0", "a", { labels: web }],
      ["w1", "b", { labels: web }],
      ["big", "c", { cpu: "2", memory: "4Gi" }],
    ];
    assert.equal(setup(nodes, placed).schedule(pod("p", { labels: web, topologySpreadConstraints: [anyway] })), "c");
    const cordoned = setup([...nodes.slice(0, 2), ["c", { labels: { [ZONE]: "z2" }, unschedulable: true }]], placed);
    assert.match(cordoned.schedule(pod("p", { labels: web, topologySpreadConstraints: [anyway] })), /^[ab]$/);
  });

  it("own constraints replace the system defaults", () => {
    // by the service's default zone spreading the pod goes to zone z1 (a1); with a constraint of
    // its own (hostname only) that spreading is off and the emptier b2 wins
    const build = () =>
      setup(
        [
          ["a1", { labels: { [ZONE]: "z1" } }],
          ["b1", { labels: { [ZONE]: "z2" } }],
          ["b2", { labels: { [ZONE]: "z2" } }],
        ],
        [
          ["w0", "b1", { labels: web }],
          ["other", "a1", { cpu: "500m", memory: "1Gi" }],
        ],
        { defaultSelector: () => fromLabelMap(web) },
      );
    assert.equal(build().schedule(pod("p", { labels: web })), "a1");
    const own = [{ maxSkew: 5, topologyKey: HOST, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: web } }];
    assert.equal(build().schedule(pod("p", { labels: web, topologySpreadConstraints: own })), "b2");
  });
});

describe("InterPodAffinity scoring", () => {
  const pref = (kind: "podAffinity" | "podAntiAffinity", labels: Record<string, string>, topologyKey: string, weight = 100) => ({
    [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey } }] },
  });

  it("preferred anti-affinity spreads replicas one per node", () => {
    const h = setup([["a"], ["b"], ["c"]], [["big", "c", { cpu: "3", memory: "6Gi" }]]);
    // c is nearly full: on resources alone two replicas would share a or b before c gets one
    const placed = spreadOf(h, 3, (i) => pod(`w${i}`, { labels: web, affinity: pref("podAntiAffinity", web, HOST) }));
    assert.deepEqual(placed, { a: 1, b: 1, c: 1 });
  });

  it("preferred affinity draws a pod to the zone of its peers", () => {
    const h = setup(
      [
        ["a", { labels: { [ZONE]: "z1" } }],
        ["b", { labels: { [ZONE]: "z2" } }],
      ],
      [
        ["db-0", "b", { labels: { app: "db" }, cpu: "2", memory: "4Gi" }],
      ],
    );
    assert.equal(h.schedule(pod("p", { affinity: pref("podAffinity", { app: "db" }, ZONE) })), "b");
    assert.equal(h.schedule(pod("q")), "a", "without affinity the emptier node wins");
  });

  it("an existing pod's required affinity attracts the pods it selects (hardPodAffinityWeight)", () => {
    const h = setup(
      [["a"], ["b"]],
      [["fan", "b", { cpu: "2", memory: "4Gi", affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: web }, topologyKey: HOST }] } } }]],
    );
    assert.equal(h.schedule(pod("p", { labels: web })), "b");
  });
});

describe("tie-break", () => {
  it("equal nodes are chosen at random, each about as often", () => {
    const counts: Record<string, number> = {};
    for (let seed = 1; seed <= 300; seed++) {
      const h = setup([["a"], ["b"], ["c"]], [], { seed });
      const n = h.schedule(pod("p"));
      counts[n] = (counts[n] ?? 0) + 1;
    }
    for (const n of ["a", "b", "c"]) assert.ok(counts[n]! > 60, `${n} chosen ${counts[n]} times of 300: ${JSON.stringify(counts)}`);
  });
});
