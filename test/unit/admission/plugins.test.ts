// The smaller admission plugins, table-driven: TaintNodesByCondition, DefaultTolerationSeconds,
// DefaultStorageClass, StorageObjectInUseProtection, RuntimeClass and DefaultIngressClass.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DefaultIngressClass } from "../../../src/admission/plugins/default-ingress-class.js";
import { DefaultStorageClass } from "../../../src/admission/plugins/default-storage-class.js";
import { DefaultTolerationSeconds } from "../../../src/admission/plugins/default-toleration-seconds.js";
import { admissionPlugins } from "../../../src/admission/plugins/index.js";
import { mergeTolerations, RuntimeClass } from "../../../src/admission/plugins/runtime-class.js";
import { StorageObjectInUseProtection } from "../../../src/admission/plugins/storage-object-in-use-protection.js";
import { TaintNodesByCondition } from "../../../src/admission/plugins/taint-nodes-by-condition.js";
import { admit, attrs, fakeDeps, pod, rejection, type Obj } from "./helpers.js";

const NOT_READY = { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 };
const UNREACHABLE = { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 };

describe("the plugin list", () => {
  it("has every plugin of this area, in kube-apiserver's order", () => {
    const mine = [
      "NamespaceLifecycle",
      "LimitRanger",
      "ServiceAccount",
      "TaintNodesByCondition",
      "Priority",
      "DefaultTolerationSeconds",
      "DefaultStorageClass",
      "StorageObjectInUseProtection",
      "RuntimeClass",
      "DefaultIngressClass",
    ];
    assert.deepEqual(
      admissionPlugins(fakeDeps())
        .map((p) => p.name)
        .filter((n) => mine.includes(n)),
      mine,
    );
  });
});

describe("TaintNodesByCondition", () => {
  const node = (taints?: Obj[]): Obj => ({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: taints ? { taints } : {} });
  const cases: { name: string; taints?: Obj[]; want: Obj[]; operation?: "CREATE" | "UPDATE" }[] = [
    { name: "a new node is tainted not-ready:NoSchedule", want: [{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }] },
    {
      name: "other taints are kept",
      taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }],
      want: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }, { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }],
    },
    {
      name: "an existing not-ready:NoSchedule taint (any value) is not doubled",
      taints: [{ key: "node.kubernetes.io/not-ready", value: "x", effect: "NoSchedule" }],
      want: [{ key: "node.kubernetes.io/not-ready", value: "x", effect: "NoSchedule" }],
    },
    {
      name: "not-ready:NoExecute is another taint",
      taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }],
      want: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }, { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }],
    },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const out = await admit(new TaintNodesByCondition(), attrs(node(c.taints)));
      assert.deepEqual(out.spec.taints, c.want);
    });
  it("updates are not touched", async () => {
    const out = await admit(new TaintNodesByCondition(), attrs(node(), { operation: "UPDATE", old: node() }));
    assert.equal(out.spec.taints, undefined);
  });
});

describe("DefaultTolerationSeconds", () => {
  const cases: { name: string; tolerations?: Obj[]; want: Obj[] }[] = [
    { name: "both tolerations are added", want: [NOT_READY, UNREACHABLE] },
    {
      name: "an existing not-ready toleration is kept as is",
      tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }],
      want: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }, UNREACHABLE],
    },
    { name: "an empty-effect toleration of the key covers NoExecute", tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists" }], want: [{ key: "node.kubernetes.io/unreachable", operator: "Exists" }, NOT_READY] },
    { name: "tolerate everything", tolerations: [{ operator: "Exists" }], want: [{ operator: "Exists" }] },
    {
      name: "a NoSchedule toleration does not count",
      tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" }],
      want: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" }, NOT_READY, UNREACHABLE],
    },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const out = await admit(new DefaultTolerationSeconds(), attrs(pod("p", c.tolerations ? { tolerations: c.tolerations } : {})));
      assert.deepEqual(out.spec.tolerations, c.want);
    });
});

describe("DefaultStorageClass", () => {
  const sc = (name: string, isDefault: string | undefined, created: string, beta = false): Obj => ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: {
      name,
      creationTimestamp: created,
      ...(isDefault !== undefined ? { annotations: { [beta ? "storageclass.beta.kubernetes.io/is-default-class" : "storageclass.kubernetes.io/is-default-class"]: isDefault } } : {}),
    },
    provisioner: "x",
  });
  const claim = (spec: Obj = {}, annotations?: Obj): Obj => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "c", namespace: "default", ...(annotations ? { annotations } : {}) },
    spec: { accessModes: ["ReadWriteOnce"], ...spec },
  });
  const T1 = "2026-01-01T00:00:00Z";
  const T2 = "2026-01-01T00:00:05Z";
  const cases: { name: string; classes: Obj[]; claim: Obj; want: string | undefined | null }[] = [
    { name: "the default class is set", classes: [sc("standard", "true", T1), sc("fast", undefined, T2)], claim: claim(), want: "standard" },
    { name: "no default: nothing", classes: [sc("fast", "false", T1)], claim: claim(), want: undefined },
    { name: "the beta annotation marks a default too", classes: [sc("old", "true", T1, true)], claim: claim(), want: "old" },
    { name: "the newest of several defaults", classes: [sc("a", "true", T1), sc("b", "true", T2)], claim: claim(), want: "b" },
    { name: "same second: by name", classes: [sc("b", "true", T1), sc("a", "true", T1)], claim: claim(), want: "a" },
    { name: "a named class is kept", classes: [sc("standard", "true", T1)], claim: claim({ storageClassName: "fast" }), want: "fast" },
    { name: 'an explicit "" is kept (no class)', classes: [sc("standard", "true", T1)], claim: claim({ storageClassName: "" }), want: "" },
    { name: "the beta class annotation counts as a class", classes: [sc("standard", "true", T1)], claim: claim({}, { "volume.beta.kubernetes.io/storage-class": "x" }), want: undefined },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const out = await admit(new DefaultStorageClass(fakeDeps(c.classes)), attrs(c.claim));
      assert.equal(out.spec.storageClassName, c.want);
    });
});

describe("StorageObjectInUseProtection", () => {
  const cases: { name: string; object: Obj; want: string[] }[] = [
    { name: "claims", object: { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "c", namespace: "default" }, spec: {} }, want: ["kubernetes.io/pvc-protection"] },
    { name: "volumes", object: { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "v" }, spec: {} }, want: ["kubernetes.io/pv-protection"] },
    {
      name: "other finalizers are kept, the protection one not doubled",
      object: { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "v", finalizers: ["a", "kubernetes.io/pv-protection"] }, spec: {} },
      want: ["a", "kubernetes.io/pv-protection"],
    },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const out = await admit(new StorageObjectInUseProtection(), attrs(c.object));
      assert.deepEqual(out.metadata.finalizers, c.want);
    });
});

describe("RuntimeClass", () => {
  const rc = (name: string, extra: Obj = {}): Obj => ({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name }, handler: "runc", ...extra });
  it("rejects a missing class", async () => {
    assert.deepEqual(await rejection(new RuntimeClass(fakeDeps()), attrs(pod("p", { runtimeClassName: "gvisor" }))), {
      code: 403,
      message: 'pods "p" is forbidden: pod rejected: RuntimeClass "gvisor" not found',
    });
  });
  it("sets the overhead and merges the scheduling constraints", async () => {
    const deps = fakeDeps([
      rc("kata", {
        overhead: { podFixed: { cpu: "250m", memory: "120Mi" } },
        scheduling: { nodeSelector: { runtime: "kata" }, tolerations: [{ key: "kata", operator: "Exists", effect: "NoSchedule" }] },
      }),
    ]);
    const out = await admit(new RuntimeClass(deps), attrs(pod("p", { runtimeClassName: "kata", nodeSelector: { disk: "ssd" }, tolerations: [NOT_READY] })));
    assert.deepEqual(out.spec.overhead, { cpu: "250m", memory: "120Mi" });
    assert.deepEqual(out.spec.nodeSelector, { disk: "ssd", runtime: "kata" });
    assert.deepEqual(out.spec.tolerations, [NOT_READY, { key: "kata", operator: "Exists", effect: "NoSchedule" }]);
  });
  it("rejects conflicting node selectors and overheads", async () => {
    const deps = fakeDeps([rc("kata", { overhead: { podFixed: { cpu: "250m" } }, scheduling: { nodeSelector: { runtime: "kata" } } })]);
    assert.deepEqual(await rejection(new RuntimeClass(deps), attrs(pod("p", { runtimeClassName: "kata", nodeSelector: { runtime: "runc" } }))), {
      code: 403,
      message: 'pods "p" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; pod.spec.nodeSelector[runtime] = runc',
    });
    assert.deepEqual(await rejection(new RuntimeClass(deps), attrs(pod("p", { runtimeClassName: "kata", overhead: { cpu: "1" } }))), {
      code: 403,
      message: "pods \"p\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead",
    });
    assert.equal(await rejection(new RuntimeClass(deps), attrs(pod("p", { runtimeClassName: "kata", overhead: { cpu: "0.25" } }))), undefined);
    assert.deepEqual(await rejection(new RuntimeClass(fakeDeps([rc("plain")])), attrs(pod("p", { runtimeClassName: "plain", overhead: { cpu: "1" } }))), {
      code: 403,
      message: 'pods "p" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
    });
  });
  it("MergeTolerations keeps supersets only", () => {
    const cases: [Obj[], Obj[], Obj[]][] = [
      [[{ key: "a", operator: "Exists" }], [{ key: "a", operator: "Equal", value: "x", effect: "NoSchedule" }], [{ key: "a", operator: "Exists" }]],
      [[{ key: "a", operator: "Equal", value: "x" }], [{ key: "a", operator: "Exists" }], [{ key: "a", operator: "Exists" }]],
      [[{ operator: "Exists" }], [{ key: "b", operator: "Exists" }], [{ operator: "Exists" }]],
      [[NOT_READY], [{ ...NOT_READY, tolerationSeconds: 100 }], [NOT_READY]],
      [[{ key: "a", operator: "Exists" }], [{ key: "a", operator: "Exists" }], [{ key: "a", operator: "Exists" }]],
    ];
    for (const [first, second, want] of cases) assert.deepEqual(mergeTolerations(first, second), want);
  });
});

describe("DefaultIngressClass", () => {
  const ic = (name: string, isDefault: boolean, created = "2026-01-01T00:00:00Z"): Obj => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } } : {}) },
    spec: { controller: "example.com/ingress" },
  });
  const ingress = (spec: Obj = {}, annotations?: Obj): Obj => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "web", namespace: "default", ...(annotations ? { annotations } : {}) },
    spec: { defaultBackend: { service: { name: "web", port: { number: 80 } } }, ...spec },
  });
  const cases: { name: string; classes: Obj[]; ingress: Obj; want: string | undefined }[] = [
    { name: "the default class is set", classes: [ic("nginx", true), ic("other", false)], ingress: ingress(), want: "nginx" },
    { name: "no default: nothing", classes: [ic("nginx", false)], ingress: ingress(), want: undefined },
    { name: "the newest default", classes: [ic("a", true, "2026-01-01T00:00:00Z"), ic("b", true, "2026-01-02T00:00:00Z")], ingress: ingress(), want: "b" },
    { name: "a named class is kept", classes: [ic("nginx", true)], ingress: ingress({ ingressClassName: "traefik" }), want: "traefik" },
    { name: "the class annotation is respected", classes: [ic("nginx", true)], ingress: ingress({}, { "kubernetes.io/ingress.class": "x" }), want: undefined },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const out = await admit(new DefaultIngressClass(fakeDeps(c.classes)), attrs(c.ingress));
      assert.equal(out.spec.ingressClassName, c.want);
    });
});
