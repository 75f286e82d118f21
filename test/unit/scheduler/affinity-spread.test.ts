// InterPodAffinity and PodTopologySpread filters over the cache: where a pod may go given the pods
// already placed, by topology domain, and what the FailedScheduling message says when nowhere.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { harness, node, pod, type NodeOpts, type PodOpts } from "./fixtures.js";

const ZONE = "topology.kubernetes.io/zone";
const HOST = "kubernetes.io/hostname";

/** Nodes a and b in zone z1, c in zone z2. */
const zoned: [string, NodeOpts][] = [
  ["a", { labels: { [ZONE]: "z1" } }],
  ["b", { labels: { [ZONE]: "z1" } }],
  ["c", { labels: { [ZONE]: "z2" } }],
];

interface Case {
  name: string;
  nodes?: [string, NodeOpts][];
  placed?: [string, string, PodOpts?][];
  pod: KubeObject;
  /** The nodes the pod may go to (every one is tried), or the FitError message. */
  want: string[] | string;
  namespaces?: Record<string, Record<string, string>>;
}

/** The nodes passing every filter (the scheduler picks among them), or the message when none does. */
function feasible(c: Case): string[] | string {
  const build = () => {
    const h = harness(c.namespaces ? { namespaces: c.namespaces } : {});
    for (const [n, o] of c.nodes ?? zoned) h.addNode(node(n, o));
    for (const [p, n, o] of c.placed ?? []) h.addPod(pod(p, { ...o, nodeName: n }));
    return h;
  };
  const first = build().tryMessage(c.pod);
  if (!first.startsWith("scheduled:")) return first;
  // which nodes fit: pin the pod to each node in turn (NodeName filter) and see if it lands
  const out: string[] = [];
  for (const [n] of c.nodes ?? zoned) {
    const p = structuredClone(c.pod);
    (p.spec as Record<string, unknown>).nodeName = n;
    if (build().tryMessage(p) === `scheduled:${n}`) out.push(n);
  }
  return out;
}

function table(cases: Case[]): void {
  for (const c of cases) it(c.name, () => assert.deepEqual(feasible(c), c.want));
}

const sel = (labels: Record<string, string>) => ({ matchLabels: labels });
const term = (labels: Record<string, string>, topologyKey: string, extra: Record<string, unknown> = {}) => ({ labelSelector: sel(labels), topologyKey, ...extra });
const affinity = (...terms: unknown[]) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const antiAffinity = (...terms: unknown[]) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const web = { app: "web" };
const db = { app: "db" };

describe("InterPodAffinity: required affinity", () => {
  table([
    { name: "goes to the zone of the matching pod", placed: [["db-0", "c", { labels: db }]], pod: pod("p", { affinity: affinity(term(db, ZONE)) }), want: ["c"] },
    { name: "any node of that zone", placed: [["db-0", "a", { labels: db }]], pod: pod("p", { affinity: affinity(term(db, ZONE)) }), want: ["a", "b"] },
    { name: "by hostname: the node of the matching pod", placed: [["db-0", "b", { labels: db }]], pod: pod("p", { affinity: affinity(term(db, HOST)) }), want: ["b"] },
    {
      name: "no matching pod anywhere",
      placed: [["x", "a", { labels: web }]],
      pod: pod("p", { affinity: affinity(term(db, ZONE)) }),
      want: "0/3 nodes are available: 3 node(s) didn't match pod affinity rules.",
    },
    {
      name: "the first pod of a group with affinity to itself may go anywhere",
      pod: pod("p", { labels: web, affinity: affinity(term(web, ZONE)) }),
      want: ["a", "b", "c"],
    },
    {
      name: "...but not to nodes without the topology key",
      nodes: [...zoned, ["d", {}]],
      pod: pod("p", { labels: web, affinity: affinity(term(web, ZONE)) }),
      want: ["a", "b", "c"],
    },
    {
      name: "nodes without the topology key never satisfy affinity",
      nodes: [["d", {}]],
      placed: [["db-0", "d", { labels: db }]],
      pod: pod("p", { affinity: affinity(term(db, ZONE)) }),
      want: "0/1 nodes are available: 1 node(s) didn't match pod affinity rules.",
    },
    {
      name: "every term must be met (in its own domain)",
      placed: [
        ["db-0", "a", { labels: db }],
        ["cache-0", "c", { labels: { app: "cache" } }],
      ],
      pod: pod("p", { affinity: affinity(term(db, ZONE), term({ app: "cache" }, ZONE)) }),
      want: "0/3 nodes are available: 3 node(s) didn't match pod affinity rules.",
    },
    {
      name: "pods of other namespaces do not count by default",
      placed: [["db-0", "c", { labels: db, namespace: "other" }]],
      pod: pod("p", { affinity: affinity(term(db, ZONE)) }),
      want: "0/3 nodes are available: 3 node(s) didn't match pod affinity rules.",
    },
    {
      name: "listed namespaces count",
      placed: [["db-0", "c", { labels: db, namespace: "other" }]],
      pod: pod("p", { affinity: affinity(term(db, ZONE, { namespaces: ["other"] })) }),
      want: ["c"],
    },
    {
      name: "namespaces selected by namespaceSelector count",
      namespaces: { default: {}, other: { team: "data" } },
      placed: [["db-0", "c", { labels: db, namespace: "other" }]],
      pod: pod("p", { affinity: affinity(term(db, ZONE, { namespaceSelector: sel({ team: "data" }) })) }),
      want: ["c"],
    },
  ]);
});

describe("InterPodAffinity: required anti-affinity", () => {
  table([
    {
      name: "one per node",
      placed: [
        ["web-0", "a", { labels: web }],
        ["web-1", "b", { labels: web }],
      ],
      pod: pod("p", { labels: web, affinity: antiAffinity(term(web, HOST)) }),
      want: ["c"],
    },
    {
      name: "one per zone",
      placed: [["web-0", "b", { labels: web }]],
      pod: pod("p", { labels: web, affinity: antiAffinity(term(web, ZONE)) }),
      want: ["c"],
    },
    {
      name: "every node taken",
      placed: [
        ["web-0", "a", { labels: web }],
        ["web-1", "b", { labels: web }],
        ["web-2", "c", { labels: web }],
      ],
      pod: pod("p", { labels: web, affinity: antiAffinity(term(web, HOST)) }),
      want: "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
    },
    {
      name: "nodes without the topology key are not constrained",
      nodes: [["d", {}]],
      placed: [["web-0", "d", { labels: web }]],
      pod: pod("p", { labels: web, affinity: antiAffinity(term(web, ZONE)) }),
      want: ["d"],
    },
    {
      name: "existing pods' anti-affinity keeps matching pods away (symmetry)",
      placed: [["loner", "a", { labels: { app: "loner" }, affinity: antiAffinity(term(web, ZONE)) }]],
      pod: pod("p", { labels: web }),
      want: ["c"],
    },
    {
      name: "...with its own reason",
      nodes: [["a", { labels: { [ZONE]: "z1" } }]],
      placed: [["loner", "a", { labels: { app: "loner" }, affinity: antiAffinity(term(web, HOST)) }]],
      pod: pod("p", { labels: web }),
      want: "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.",
    },
    {
      name: "a pod in another namespace does not repel by default",
      placed: [["web-0", "a", { labels: web, namespace: "other" }]],
      pod: pod("p", { labels: web, affinity: antiAffinity(term(web, ZONE)) }),
      want: ["a", "b", "c"],
    },
    {
      name: "an empty namespaceSelector means every namespace",
      namespaces: { default: {}, other: {} },
      placed: [["web-0", "a", { labels: web, namespace: "other" }]],
      pod: pod("p", { labels: web, affinity: antiAffinity(term(web, ZONE, { namespaceSelector: {} })) }),
      want: ["c"],
    },
    {
      name: "anti-affinity and a full node together",
      nodes: [
        ["a", { labels: { [ZONE]: "z1" }, cpu: "1" }],
        ["b", { labels: { [ZONE]: "z1" } }],
        ["c", { labels: { [ZONE]: "z2" } }],
      ],
      placed: [
        ["big", "a", { cpu: "1" }],
        ["web-0", "b", { labels: web }],
        ["web-1", "c", { labels: web }],
      ],
      pod: pod("p", { labels: web, cpu: "100m", affinity: antiAffinity(term(web, HOST)) }),
      want: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod anti-affinity rules.",
    },
  ]);
});

describe("PodTopologySpread: DoNotSchedule", () => {
  const spread = (topologyKey: string, maxSkew = 1, extra: Record<string, unknown> = {}) => ({
    maxSkew,
    topologyKey,
    whenUnsatisfiable: "DoNotSchedule",
    labelSelector: sel(web),
    ...extra,
  });
  const webPod = (...constraints: unknown[]) => pod("p", { labels: web, topologySpreadConstraints: constraints });
  const NOT_MATCH = "node(s) didn't match pod topology spread constraints";
  table([
    { name: "an empty cluster: anywhere", pod: webPod(spread(ZONE)), want: ["a", "b", "c"] },
    {
      name: "the less loaded zone",
      placed: [
        ["w0", "a", { labels: web }],
        ["w1", "b", { labels: web }],
      ],
      pod: webPod(spread(ZONE)),
      want: ["c"],
    },
    {
      name: "balanced zones: anywhere",
      placed: [
        ["w0", "a", { labels: web }],
        ["w1", "c", { labels: web }],
      ],
      pod: webPod(spread(ZONE)),
      want: ["a", "b", "c"],
    },
    {
      name: "maxSkew 2 tolerates one more",
      placed: [["w0", "a", { labels: web }]],
      pod: webPod(spread(ZONE, 2)),
      want: ["a", "b", "c"],
    },
    {
      name: "by hostname",
      placed: [["w0", "a", { labels: web }]],
      pod: webPod(spread(HOST)),
      want: ["b", "c"],
    },
    {
      name: "pods not selected do not count",
      placed: [
        ["x0", "a", { labels: db }],
        ["x1", "b", { labels: db }],
      ],
      pod: webPod(spread(ZONE)),
      want: ["a", "b", "c"],
    },
    {
      name: "pods of other namespaces do not count",
      placed: [
        ["w0", "a", { labels: web, namespace: "other" }],
        ["w1", "b", { labels: web, namespace: "other" }],
      ],
      pod: webPod(spread(ZONE)),
      want: ["a", "b", "c"],
    },
    {
      name: "a pod the selector does not select adds no skew of its own",
      placed: [["w0", "a", { labels: web }]],
      pod: pod("p", { labels: db, topologySpreadConstraints: [spread(HOST)] }),
      want: ["a", "b", "c"],
    },
    {
      name: "nodes without the key are rejected as unresolvable",
      nodes: [...zoned, ["d", {}]],
      placed: [
        ["w0", "a", { labels: web }],
        ["w1", "b", { labels: web }],
      ],
      pod: webPod(spread(ZONE)),
      want: ["c"],
    },
    {
      name: "nowhere to go",
      nodes: [...zoned.slice(0, 2), ["c", { labels: { [ZONE]: "z2" }, unschedulable: true }], ["d", {}]],
      placed: [
        ["w0", "a", { labels: web }],
        ["w1", "b", { labels: web }],
      ],
      pod: webPod(spread(ZONE)),
      want: `0/4 nodes are available: 1 ${NOT_MATCH} (missing required label), 1 node(s) were unschedulable, 2 ${NOT_MATCH}.`,
    },
    {
      name: "minDomains above the domains that exist makes the global minimum 0",
      placed: [
        ["w0", "a", { labels: web }],
        ["w1", "c", { labels: web }],
      ],
      pod: webPod(spread(ZONE, 1, { minDomains: 3 })),
      want: `0/3 nodes are available: 3 ${NOT_MATCH}.`,
    },
    {
      name: "nodeAffinityPolicy Honor (default): only domains the pod may use count",
      placed: [["w0", "a", { labels: web }]],
      pod: pod("p", { labels: web, nodeSelector: { [ZONE]: "z1" }, topologySpreadConstraints: [spread(ZONE)] }),
      want: ["a", "b"],
    },
    {
      name: "nodeAffinityPolicy Ignore: every domain counts",
      placed: [["w0", "a", { labels: web }]],
      pod: pod("p", { labels: web, nodeSelector: { [ZONE]: "z1" }, topologySpreadConstraints: [spread(ZONE, 1, { nodeAffinityPolicy: "Ignore" })] }),
      want: `0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 ${NOT_MATCH}.`,
    },
    {
      name: "nodeTaintsPolicy Honor: tainted domains do not count",
      nodes: [...zoned.slice(0, 2), ["c", { labels: { [ZONE]: "z2" }, taints: [{ key: "k", effect: "NoSchedule" }] }]],
      placed: [["w0", "a", { labels: web }]],
      pod: webPod(spread(ZONE, 1, { nodeTaintsPolicy: "Honor" })),
      want: ["a", "b"],
    },
    {
      name: "matchLabelKeys narrows the selector to the pod's own values",
      placed: [
        ["w0", "a", { labels: { ...web, rev: "1" } }],
        ["w1", "b", { labels: { ...web, rev: "1" } }],
      ],
      pod: pod("p", { labels: { ...web, rev: "2" }, topologySpreadConstraints: [spread(ZONE, 1, { matchLabelKeys: ["rev"] })] }),
      want: ["a", "b", "c"],
    },
    {
      name: "two constraints must both hold",
      nodes: [
        ["a", { labels: { [ZONE]: "z1" } }],
        ["b", { labels: { [ZONE]: "z1" } }],
        ["c", { labels: { [ZONE]: "z2" } }],
        ["d", { labels: { [ZONE]: "z2" } }],
      ],
      placed: [
        ["w0", "a", { labels: web }],
        ["w1", "c", { labels: web }],
        ["w2", "b", { labels: web }],
      ],
      pod: webPod(spread(ZONE), spread(HOST)),
      want: ["d"],
    },
  ]);

  it("terminating pods do not count", () => {
    const h = harness();
    for (const [n, o] of zoned) h.addNode(node(n, o));
    for (const [name, n] of [
      ["w0", "a"],
      ["w1", "b"],
    ]) {
      const p = pod(name!, { labels: web, nodeName: n });
      p.metadata.deletionTimestamp = "2026-01-01T00:00:00Z";
      h.addPod(p);
    }
    const p = webPod(spread(ZONE));
    (p.spec as Record<string, unknown>).nodeName = "a";
    assert.equal(h.tryMessage(p), "scheduled:a");
  });

  it("places a group evenly as it is scheduled one by one", () => {
    const h = harness({ seed: 7 });
    for (const [n, o] of zoned) h.addNode(node(n, o));
    const zones: Record<string, number> = {};
    for (let i = 0; i < 6; i++) {
      const n = h.schedule(pod(`w${i}`, { labels: web, topologySpreadConstraints: [spread(ZONE)] }));
      const z = n === "c" ? "z2" : "z1";
      zones[z] = (zones[z] ?? 0) + 1;
    }
    assert.deepEqual(zones, { z1: 3, z2: 3 });
  });
});
