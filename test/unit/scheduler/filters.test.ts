// The default profile's node filters, run over the cache without an API server: what a pending
// pod's FailedScheduling message says for each rejection (upstream's reasons, word for word) and
// which node it lands on when only some nodes pass. Table-driven: each case builds its nodes and
// placed pods, then schedules one pod.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { harness, node, pod, type NodeOpts, type PodOpts } from "./fixtures.js";

interface Case {
  name: string;
  nodes: [string, NodeOpts?][];
  /** Pods already bound: [name, node, options]. */
  placed?: [string, string, PodOpts?][];
  pod: KubeObject;
  /** "scheduled:<node>", or the FitError message. */
  want: string | RegExp;
}

function run(c: Case): string {
  const h = harness();
  for (const [n, o] of c.nodes) h.addNode(node(n, o));
  for (const [p, n, o] of c.placed ?? []) h.addPod(pod(p, { ...o, nodeName: n }));
  return h.tryMessage(c.pod);
}

function table(cases: Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const got = run(c);
      if (typeof c.want === "string") assert.equal(got, c.want);
      else assert.match(got, c.want);
    });
  }
}

const three: [string, NodeOpts?][] = [["a"], ["b"], ["c"]];

/** A pod's spec changed in place (fields the builder has no option for). */
function withSpec(p: KubeObject, f: (spec: Record<string, unknown>) => void): KubeObject {
  f(p.spec as Record<string, unknown>);
  return p;
}

const required = (...terms: unknown[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
/** What the DaemonSet controller puts on its pods to pin them to a node. */
const daemonAffinity = (nodeName: string) => required({ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] });

describe("NodeName", () => {
  table([
    { name: "a pod naming a node fits only that node", nodes: three, pod: pod("p", { nodeName: "b" }), want: "scheduled:b" },
    {
      name: "a pod naming a node that does not exist fits nowhere",
      nodes: three,
      pod: pod("p", { nodeName: "gone" }),
      want: "0/3 nodes are available: 3 node(s) didn't match the requested node name.",
    },
  ]);
});

describe("NodeUnschedulable", () => {
  const cordoned: [string, NodeOpts?][] = [["a"], ["b", { unschedulable: true }], ["c", { unschedulable: true }]];
  table([
    { name: "cordoned nodes are skipped", nodes: cordoned, pod: pod("p"), want: "scheduled:a" },
    {
      name: "no node is schedulable",
      nodes: three.map(([n]) => [n, { unschedulable: true }]),
      pod: pod("p"),
      want: "0/3 nodes are available: 3 node(s) were unschedulable.",
    },
    {
      name: "a pod tolerating node.kubernetes.io/unschedulable:NoSchedule may go to a cordoned node",
      nodes: [["b", { unschedulable: true }]],
      pod: pod("p", { tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }] }),
      want: "scheduled:b",
    },
    {
      name: "a toleration of everything (operator Exists, no key) covers cordoned nodes",
      nodes: [["b", { unschedulable: true }]],
      pod: pod("p", { tolerations: [{ operator: "Exists" }] }),
      want: "scheduled:b",
    },
    {
      name: "a NoExecute toleration of the key does not cover the NoSchedule taint",
      nodes: [["b", { unschedulable: true }]],
      pod: pod("p", { tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoExecute" }] }),
      want: "0/1 nodes are available: 1 node(s) were unschedulable.",
    },
  ]);
});

describe("NodeSelector and required node affinity", () => {
  const labelled: [string, NodeOpts?][] = [
    ["a", { labels: { disk: "ssd", gen: "3", zone: "z1" } }],
    ["b", { labels: { disk: "hdd", gen: "5", zone: "z2" } }],
    ["c", { labels: { gen: "10" } }],
  ];
  const NO_MATCH = (n: number, of = 3) => `0/${of} nodes are available: ${n} node(s) didn't match Pod's node affinity/selector.`;
  const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
  table([
    { name: "nodeSelector picks the labelled node", nodes: labelled, pod: pod("p", { nodeSelector: { disk: "ssd" } }), want: "scheduled:a" },
    { name: "nodeSelector matching no node", nodes: labelled, pod: pod("p", { nodeSelector: { disk: "nvme" } }), want: NO_MATCH(3) },
    {
      name: "nodeSelector and node affinity must both hold",
      nodes: labelled,
      pod: pod("p", { nodeSelector: { disk: "ssd" }, affinity: required(expr("zone", "In", ["z2"])) }),
      want: NO_MATCH(3),
    },
    { name: "In", nodes: labelled, pod: pod("p", { affinity: required(expr("zone", "In", ["z2", "z9"])) }), want: "scheduled:b" },
    {
      name: "NotIn also admits nodes without the label",
      nodes: labelled,
      pod: pod("p", { affinity: required({ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["z1"] }, { key: "disk", operator: "DoesNotExist" }] }) }),
      want: "scheduled:c",
    },
    { name: "Exists", nodes: [["c", labelled[2]![1]], ["a", labelled[0]![1]]], pod: pod("p", { affinity: required(expr("disk", "Exists")) }), want: "scheduled:a" },
    { name: "Gt compares integers, not strings", nodes: labelled, pod: pod("p", { affinity: required(expr("gen", "Gt", ["6"])) }), want: "scheduled:c" },
    { name: "Lt", nodes: labelled, pod: pod("p", { affinity: required(expr("gen", "Lt", ["4"])) }), want: "scheduled:a" },
    { name: "Gt with a non-integer value matches nothing", nodes: labelled, pod: pod("p", { affinity: required(expr("gen", "Gt", ["x"])) }), want: NO_MATCH(3) },
    {
      name: "expressions of a term are ANDed",
      nodes: labelled,
      pod: pod("p", { affinity: required({ matchExpressions: [{ key: "disk", operator: "In", values: ["ssd", "hdd"] }, { key: "zone", operator: "In", values: ["z2"] }] }) }),
      want: "scheduled:b",
    },
    {
      name: "terms are ORed",
      nodes: [["a", labelled[0]![1]], ["c", labelled[2]![1]]],
      pod: pod("p", { affinity: required(expr("disk", "In", ["nope"]), expr("gen", "In", ["10"])) }),
      want: "scheduled:c",
    },
    { name: "an empty term matches no node", nodes: labelled, pod: pod("p", { affinity: required({}) }), want: NO_MATCH(3) },
    {
      name: "unknown operators match nothing",
      nodes: labelled,
      pod: pod("p", { affinity: required(expr("disk", "Matches", ["ssd"])) }),
      want: NO_MATCH(3),
    },
  ]);

  describe("matchFields metadata.name (DaemonSet pods)", () => {
    table([
      { name: "the pod goes to the node it is pinned to", nodes: three, pod: pod("p", { affinity: daemonAffinity("c") }), want: "scheduled:c" },
      {
        name: "nodes left out by the PreFilter count as not satisfying NodeAffinity",
        nodes: [["a"], ["b", { taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }] }], ["c"]],
        pod: pod("p", { affinity: daemonAffinity("b") }),
        want: "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
      },
      {
        name: "a pinned pod on a full node",
        nodes: [["a", { cpu: "1" }], ["b", { cpu: "1" }]],
        placed: [["big", "a", { cpu: "900m" }]],
        pod: pod("p", { cpu: "200m", affinity: daemonAffinity("a") }),
        want: "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].",
      },
      {
        name: "pinned to a node that does not exist",
        nodes: three,
        pod: pod("p", { affinity: daemonAffinity("gone") }),
        want: "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity].",
      },
      {
        name: "In requirements of one term intersect; none left is a conflict",
        nodes: three,
        pod: pod("p", {
          affinity: required({
            matchFields: [
              { key: "metadata.name", operator: "In", values: ["a"] },
              { key: "metadata.name", operator: "In", values: ["b"] },
            ],
          }),
        }),
        want: "0/3 nodes are available: pod affinity terms conflict.",
      },
      {
        name: "terms with names are united",
        nodes: [["a", { unschedulable: true }], ["b"], ["c"]],
        pod: pod("p", { affinity: required({ matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }] }, { matchFields: [{ key: "metadata.name", operator: "In", values: ["b"] }] }) }),
        want: "scheduled:b",
      },
      {
        name: "NotIn excludes the node",
        nodes: [["a"], ["b", { unschedulable: true }]],
        pod: pod("p", { affinity: required({ matchFields: [{ key: "metadata.name", operator: "NotIn", values: ["a"] }] }) }),
        want: "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable.",
      },
      {
        name: "matchFields and matchExpressions of a term are ANDed",
        nodes: [["a", { labels: { pool: "x" } }], ["b", { labels: { pool: "y" } }]],
        pod: pod("p", { affinity: required({ matchExpressions: [{ key: "pool", operator: "In", values: ["y"] }], matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }] }) }),
        want: "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].",
      },
    ]);
  });
});

describe("TaintToleration", () => {
  const tainted = (effect: string, key = "dedicated", value = "gpu"): [string, NodeOpts?][] => [["n", { taints: [{ key, value, effect }] }]];
  const REJECTED = "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.";
  table([
    { name: "NoSchedule without a toleration", nodes: tainted("NoSchedule"), pod: pod("p"), want: REJECTED },
    { name: "NoExecute without a toleration", nodes: tainted("NoExecute"), pod: pod("p"), want: REJECTED },
    { name: "PreferNoSchedule does not filter", nodes: tainted("PreferNoSchedule"), pod: pod("p"), want: "scheduled:n" },
    {
      name: "Equal with key, value and effect",
      nodes: tainted("NoSchedule"),
      pod: pod("p", { tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }] }),
      want: "scheduled:n",
    },
    { name: "no operator means Equal", nodes: tainted("NoSchedule"), pod: pod("p", { tolerations: [{ key: "dedicated", value: "gpu" }] }), want: "scheduled:n" },
    { name: "Equal with another value", nodes: tainted("NoSchedule"), pod: pod("p", { tolerations: [{ key: "dedicated", value: "cpu" }] }), want: REJECTED },
    { name: "Exists with the key", nodes: tainted("NoExecute"), pod: pod("p", { tolerations: [{ key: "dedicated", operator: "Exists" }] }), want: "scheduled:n" },
    { name: "Exists without a key tolerates everything", nodes: tainted("NoSchedule"), pod: pod("p", { tolerations: [{ operator: "Exists" }] }), want: "scheduled:n" },
    {
      name: "a toleration of another effect",
      nodes: tainted("NoSchedule"),
      pod: pod("p", { tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoExecute" }] }),
      want: REJECTED,
    },
    {
      name: "a taint without a value shows an empty value",
      nodes: tainted("NoSchedule", "node-role.kubernetes.io/control-plane", ""),
      pod: pod("p"),
      want: "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.",
    },
    {
      name: "the first untolerated taint is reported",
      nodes: [
        [
          "n",
          {
            taints: [
              { key: "a", value: "1", effect: "NoSchedule" },
              { key: "b", value: "2", effect: "NoExecute" },
            ],
          },
        ],
      ],
      pod: pod("p", { tolerations: [{ key: "a", operator: "Exists" }] }),
      want: "0/1 nodes are available: 1 node(s) had untolerated taint {b: 2}.",
    },
    {
      name: "untainted nodes are chosen over tainted ones",
      nodes: [["a", { taints: [{ key: "x", effect: "NoSchedule" }] }], ["b"], ["c", { taints: [{ key: "y", effect: "NoExecute" }] }]],
      pod: pod("p"),
      want: "scheduled:b",
    },
  ]);
});

describe("NodeResourcesFit", () => {
  const small: [string, NodeOpts?][] = [["n", { cpu: "2", memory: "4Gi", pods: "3", ephemeral: "10Gi" }]];
  const withInit = (init: unknown[], o: PodOpts = {}) => pod("p", { ...o, initContainers: init });
  const initC = (cpu: string, restartPolicy?: string) => ({ name: `i${cpu}`, image: "busybox", resources: { requests: { cpu } }, ...(restartPolicy ? { restartPolicy } : {}) });
  table([
    { name: "requests that fit", nodes: small, placed: [["x", "n", { cpu: "1", memory: "2Gi" }]], pod: pod("p", { cpu: "1", memory: "2Gi" }), want: "scheduled:n" },
    {
      name: "cpu over what is left",
      nodes: small,
      placed: [["x", "n", { cpu: "1500m" }]],
      pod: pod("p", { cpu: "600m" }),
      want: "0/1 nodes are available: 1 Insufficient cpu.",
    },
    {
      name: "each resource short is a reason",
      nodes: small,
      placed: [["x", "n", { cpu: "1500m", memory: "3Gi" }]],
      pod: pod("p", { cpu: "600m", memory: "2Gi" }),
      want: "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.",
    },
    { name: "more than the node has at all", nodes: small, pod: pod("p", { memory: "5Gi" }), want: "0/1 nodes are available: 1 Insufficient memory." },
    { name: "ephemeral storage", nodes: small, pod: pod("p", { extra: { "ephemeral-storage": "11Gi" } }), want: "0/1 nodes are available: 1 Insufficient ephemeral-storage." },
    {
      name: "an extended resource the node lacks",
      nodes: small,
      pod: pod("p", { extra: { "example.com/gpu": "1" } }),
      want: "0/1 nodes are available: 1 Insufficient example.com/gpu.",
    },
    {
      name: "an extended resource the node has",
      nodes: [["n", { extra: { "example.com/gpu": "2" } }]],
      placed: [["x", "n", { extra: { "example.com/gpu": "1" } }]],
      pod: pod("p", { extra: { "example.com/gpu": "1" } }),
      want: "scheduled:n",
    },
    {
      name: "an init container larger than the containers sets the request",
      nodes: small,
      placed: [["x", "n", { cpu: "1" }]],
      pod: withInit([initC("1500m")], { cpu: "100m" }),
      want: "0/1 nodes are available: 1 Insufficient cpu.",
    },
    { name: "init containers run one at a time (the largest counts, not the sum)", nodes: small, pod: withInit([initC("1500m"), initC("1500m")], { cpu: "100m" }), want: "scheduled:n" },
    {
      name: "sidecars (restartPolicy Always) add to the containers",
      nodes: small,
      placed: [["x", "n", { cpu: "1" }]],
      pod: withInit([initC("600m", "Always")], { cpu: "500m" }),
      want: "0/1 nodes are available: 1 Insufficient cpu.",
    },
    {
      name: "sidecars started before an init container count with it",
      nodes: small,
      pod: withInit([initC("1", "Always"), initC("1500m")], { cpu: "100m" }),
      want: "0/1 nodes are available: 1 Insufficient cpu.",
    },
    {
      name: "pod overhead counts",
      nodes: small,
      placed: [["x", "n", { cpu: "1500m" }]],
      pod: pod("p", { cpu: "400m", overhead: { cpu: "200m" } }),
      want: "0/1 nodes are available: 1 Insufficient cpu.",
    },
    {
      name: "allocatable pods",
      nodes: small,
      placed: [
        ["x", "n"],
        ["y", "n"],
        ["z", "n"],
      ],
      pod: pod("p"),
      want: "0/1 nodes are available: 1 Too many pods.",
    },
    {
      name: "too many pods and too little cpu",
      nodes: small,
      placed: [
        ["x", "n", { cpu: "2" }],
        ["y", "n"],
        ["z", "n"],
      ],
      pod: pod("p", { cpu: "1" }),
      want: "0/1 nodes are available: 1 Insufficient cpu, 1 Too many pods.",
    },
    { name: "a best-effort pod fits a node with no cpu left", nodes: small, placed: [["x", "n", { cpu: "2", memory: "4Gi" }]], pod: pod("p"), want: "scheduled:n" },
    {
      name: "the node with room is chosen",
      nodes: [["a", { cpu: "1" }], ["b", { cpu: "1" }], ["c", { cpu: "1" }]],
      placed: [
        ["x", "a", { cpu: "800m" }],
        ["y", "c", { cpu: "800m" }],
      ],
      pod: pod("p", { cpu: "500m" }),
      want: "scheduled:b",
    },
  ]);
});

describe("NodePorts", () => {
  const port = (hostPort: number, protocol = "TCP", hostIP?: string) => ({ containerPort: 80, hostPort, protocol, ...(hostIP ? { hostIP } : {}) });
  const ported = (name: string, ports: unknown[], nodeName?: string) =>
    withSpec(pod(name, nodeName ? { nodeName } : {}), (s) => ((s.containers as Record<string, unknown>[])[0]!.ports = ports));
  function runPorts(existing: unknown[][], incoming: unknown[], nodes = ["a"]): string {
    const h = harness();
    for (const n of nodes) h.addNode(node(n));
    existing.forEach((ports, i) => h.addPod(ported(`e${i}`, ports, nodes[i % nodes.length])));
    return h.tryMessage(ported("p", incoming));
  }
  const CONFLICT = "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.";
  const cases: [string, unknown[][], unknown[], string][] = [
    ["the same port", [[port(8080)]], [port(8080)], CONFLICT],
    ["another port", [[port(8080)]], [port(8081)], "scheduled:a"],
    ["the same port over another protocol", [[port(53, "UDP")]], [port(53, "TCP")], "scheduled:a"],
    ["two addresses do not conflict", [[port(8080, "TCP", "127.0.0.1")]], [port(8080, "TCP", "10.0.0.1")], "scheduled:a"],
    ["0.0.0.0 conflicts with any address in use", [[port(8080, "TCP", "127.0.0.1")]], [port(8080)], CONFLICT],
    ["an address conflicts with 0.0.0.0 in use", [[port(8080)]], [port(8080, "TCP", "10.0.0.1")], CONFLICT],
    ["containerPort without hostPort takes nothing", [[{ containerPort: 8080 }]], [port(8080)], "scheduled:a"],
  ];
  for (const [name, existing, incoming, want] of cases) it(name, () => assert.equal(runPorts(existing, incoming), want));

  it("the pod goes to the node whose port is free", () => {
    assert.equal(runPorts([[port(80)], [port(80)]], [port(80)], ["a", "b", "c"]), "scheduled:c");
    assert.equal(runPorts([[port(80)], [port(80)], [port(80)]], [port(80)], ["a", "b", "c"]), "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.");
  });

  it("a deleted pod frees its port", () => {
    const h = harness();
    h.addNode(node("a"));
    const e = h.addPod(ported("e", [port(80)], "a"));
    assert.equal(h.tryMessage(ported("p", [port(80)])), CONFLICT);
    h.cache.removePod(e.uid);
    assert.equal(h.tryMessage(ported("p", [port(80)])), "scheduled:a");
  });

  it("sidecar ports are taken, plain init container ports are not", () => {
    const h = harness();
    h.addNode(node("a"));
    h.addPod(
      withSpec(pod("e", { nodeName: "a" }), (s) => {
        s.initContainers = [
          { name: "init", image: "busybox", ports: [port(81)] },
          { name: "side", image: "busybox", restartPolicy: "Always", ports: [port(82)] },
        ];
      }),
    );
    assert.equal(h.tryMessage(ported("p", [port(81)])), "scheduled:a");
    assert.equal(h.tryMessage(ported("q", [port(82)])), CONFLICT);
  });
});

describe("FailedScheduling message composition", () => {
  it("counts every reason of every node and sorts the 'count reason' strings byte-wise", () => {
    const h = harness();
    // 10 cordoned nodes and 2 full ones: "10 node(s) ..." sorts before "2 Insufficient cpu"
    for (let i = 0; i < 10; i++) h.addNode(node(`u${i}`, { unschedulable: true }));
    h.addNode(node("f1", { cpu: "1", memory: "1Gi" }));
    h.addNode(node("f2", { cpu: "1" }));
    assert.equal(h.tryMessage(pod("p", { cpu: "2", memory: "2Gi" })), "0/12 nodes are available: 1 Insufficient memory, 10 node(s) were unschedulable, 2 Insufficient cpu.");
  });

  it("one sentence per node status, the first filter rejecting a node decides its reason", () => {
    const h = harness();
    h.addNode(node("a", { unschedulable: true, taints: [{ key: "k", value: "v", effect: "NoSchedule" }] }));
    h.addNode(node("b", { taints: [{ key: "k", value: "v", effect: "NoSchedule" }], cpu: "1" }));
    h.addNode(node("c", { cpu: "1", labels: { disk: "hdd" } }));
    h.addNode(node("d", { cpu: "1", labels: { disk: "ssd" } }));
    assert.equal(
      h.tryMessage(pod("p", { cpu: "2", nodeSelector: { disk: "ssd" } })),
      "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {k: v}, 1 node(s) were unschedulable.",
    );
  });

  it("an empty cluster", () => {
    assert.equal(harness().tryMessage(pod("p")), "no nodes available to schedule pods");
  });
});
