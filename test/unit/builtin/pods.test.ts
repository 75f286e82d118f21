// Pod strategy: create sets Pending and the QoS class, gates and affinity keys, grace periods,
// field selectors; and the quantity arithmetic the QoS class rests on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { computePodQOSClass } from "../../../src/registry/builtin/core/pod-qos.js";
import { podGracePeriodSeconds, pods } from "../../../src/registry/builtin/core/pods.js";
import { parseQuantity } from "../../../src/registry/builtin/quantity.js";
import { testContext } from "./context.js";

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
const container = (name: string, resources?: Resources) => ({ name, image: "nginx", ...(resources ? { resources } : {}) });
const pod = (spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "default", labels: { app: "web", tier: "front" } },
  spec,
  ...extra,
});

describe("quantity", () => {
  const cases: [string, bigint | undefined][] = [
    ["1", 1_000_000_000n],
    ["100m", 100_000_000n],
    ["0.1", 100_000_000n],
    ["1.5Gi", 1_610_612_736_000_000_000n],
    ["1Ki", 1_024_000_000_000n],
    ["2e3", 2_000_000_000_000n],
    ["1k", 1_000_000_000_000n],
    ["500n", 500n],
    ["0", 0n],
    ["-1", -1_000_000_000n],
    ["abc", undefined],
    ["1Zi", undefined],
  ];
  for (const [text, nano] of cases) it(`${text} → ${nano}`, () => assert.equal(parseQuantity(text), nano));
  it("accepts JSON numbers", () => assert.equal(parseQuantity(2), 2_000_000_000n));
});

describe("pod QoS class", () => {
  const cases: Record<string, [unknown[], unknown[], string]> = {
    "no resources": [[container("a")], [], "BestEffort"],
    "zero requests only": [[container("a", { requests: { cpu: "0" } })], [], "BestEffort"],
    "requests only": [[container("a", { requests: { cpu: "100m" } })], [], "Burstable"],
    "requests equal limits": [[container("a", { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } })], [], "Guaranteed"],
    "equal in different units": [[container("a", { requests: { cpu: "1000m", memory: "1024Mi" }, limits: { cpu: "1", memory: "1Gi" } })], [], "Guaranteed"],
    "limits only (requests default to limits)": [[container("a", { limits: { cpu: "1", memory: "1Gi" } })], [], "Guaranteed"],
    "limits without memory": [[container("a", { limits: { cpu: "1" } })], [], "Burstable"],
    "requests below limits": [[container("a", { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } })], [], "Burstable"],
    "one of two containers unlimited": [[container("a", { limits: { cpu: "1", memory: "1Gi" } }), container("b")], [], "Burstable"],
    "init container counts": [[container("a", { limits: { cpu: "1", memory: "1Gi" } })], [container("init", { requests: { cpu: "1" } })], "Burstable"],
    "both guaranteed": [[container("a", { limits: { cpu: "1", memory: "1Gi" } })], [container("init", { limits: { cpu: "2", memory: "2Gi" } })], "Guaranteed"],
    "other resources do not count": [[container("a", { requests: { "ephemeral-storage": "1Gi" } })], [], "BestEffort"],
  };
  for (const [name, [containers, initContainers, want]] of Object.entries(cases)) {
    it(name, () => assert.equal(computePodQOSClass(pod({ containers, initContainers })), want));
  }
});

describe("pod create", () => {
  it("sets status to Pending with the QoS class, replacing any client status", () => {
    const p = pod({ containers: [container("a", { limits: { cpu: "1", memory: "1Gi" } })] }, { status: { phase: "Running", podIP: "1.2.3.4" } });
    pods.strategy!.prepareForCreate!(testContext(), p);
    assert.deepEqual(p.status, { phase: "Pending", qosClass: "Guaranteed" });
  });

  it("marks a gated pod PodScheduled=False/SchedulingGated", () => {
    const p = pod({ containers: [container("a")], schedulingGates: [{ name: "example.com/gate" }] });
    pods.strategy!.prepareForCreate!(testContext(), p);
    assert.deepEqual(p.status, {
      phase: "Pending",
      qosClass: "BestEffort",
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          lastProbeTime: null,
          lastTransitionTime: null,
          reason: "SchedulingGated",
          message: "Scheduling is blocked due to non-empty scheduling gates",
        },
      ],
    });
  });

  it("merges matchLabelKeys / mismatchLabelKeys into affinity selectors", () => {
    const term = { labelSelector: { matchLabels: { app: "web" } }, topologyKey: "zone", matchLabelKeys: ["tier", "missing"], mismatchLabelKeys: ["app"] };
    const p = pod({
      containers: [container("a")],
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] } },
    });
    pods.strategy!.prepareForCreate!(testContext(), p);
    assert.deepEqual(term.labelSelector, {
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["front"] },
        { key: "app", operator: "NotIn", values: ["web"] },
      ],
    });
  });

  it("warns when the name is not a DNS label", () => {
    const ok = pod({ containers: [] });
    assert.deepEqual(pods.strategy!.warningsOnCreate!(testContext(), ok), []);
    const dotted = pod({ containers: [] });
    dotted.metadata.name = "web.v1";
    assert.deepEqual(pods.strategy!.warningsOnCreate!(testContext(), dotted), [
      "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
    ]);
  });

  it("keeps the QoS class when a status writer drops it", () => {
    const old = pod({ containers: [] }, { status: { phase: "Pending", qosClass: "Burstable" } });
    const next = pod({ containers: [] }, { status: { phase: "Running" } });
    pods.strategy!.prepareForStatusUpdate!(testContext(), next, old);
    assert.deepEqual(next.status, { phase: "Running", qosClass: "Burstable" });
  });

  it("keeps podIP/podIPs and hostIP/hostIPs consistent", () => {
    const p = pod({ containers: [] }, { status: { podIP: "10.0.0.1", hostIPs: [{ ip: "192.168.0.1" }] } });
    pods.strategy!.canonicalize!(p);
    assert.deepEqual(p.status, { podIP: "10.0.0.1", podIPs: [{ ip: "10.0.0.1" }], hostIPs: [{ ip: "192.168.0.1" }], hostIP: "192.168.0.1" });
  });
});

describe("pod graceful deletion", () => {
  const scheduled = (extra: Record<string, unknown> = {}, phase = "Running") =>
    pod({ nodeName: "node-1", containers: [], ...extra }, { status: { phase } });
  const cases: [string, KubeObject, number | undefined, number][] = [
    ["default 30s", scheduled(), undefined, 30],
    ["pod's own grace period", scheduled({ terminationGracePeriodSeconds: 5 }), undefined, 5],
    ["requested grace period wins", scheduled({ terminationGracePeriodSeconds: 5 }), 12, 12],
    ["not scheduled: immediate", pod({ containers: [] }, { status: { phase: "Pending" } }), 60, 0],
    ["succeeded: immediate", scheduled({}, "Succeeded"), undefined, 0],
    ["failed: immediate", scheduled({}, "Failed"), undefined, 0],
    ["negative becomes 1", scheduled(), -5, 1],
  ];
  for (const [name, p, requested, want] of cases) it(name, () => assert.equal(podGracePeriodSeconds(p, requested), want));
  it("the strategy hook uses the pod's own period", () => assert.equal(pods.strategy!.gracePeriodSeconds!(scheduled({ terminationGracePeriodSeconds: 7 })), 7));
});

describe("pod field selectors", () => {
  const p = pod(
    { nodeName: "node-1", serviceAccountName: "builder", hostNetwork: true, containers: [] },
    { status: { phase: "Running", podIPs: [{ ip: "10.0.0.7" }], nominatedNodeName: "node-2" } },
  );
  const want: Record<string, string> = {
    "spec.nodeName": "node-1",
    "spec.host": "node-1",
    "spec.restartPolicy": "Always",
    "spec.schedulerName": "default-scheduler",
    "spec.serviceAccountName": "builder",
    "spec.hostNetwork": "true",
    "status.phase": "Running",
    "status.podIP": "10.0.0.7",
    "status.nominatedNodeName": "node-2",
  };
  for (const [field, value] of Object.entries(want)) it(field, () => assert.equal(pods.fieldSelectors![field]!(p), value));
  it("an unscheduled pod selects spec.nodeName=\"\" and hostNetwork=false", () => {
    const bare = pod({ containers: [] });
    assert.equal(pods.fieldSelectors!["spec.nodeName"]!(bare), "");
    assert.equal(pods.fieldSelectors!["spec.hostNetwork"]!(bare), "false");
  });
});
