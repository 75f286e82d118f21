// The remaining strategy hooks, one small table per kind.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fieldErrorString } from "../../../src/apimachinery/field-errors.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { customresourcedefinitions } from "../../../src/registry/builtin/apiextensions/customresourcedefinitions.js";
import { certificatesigningrequests } from "../../../src/registry/builtin/certificates/certificatesigningrequests.js";
import { configmaps } from "../../../src/registry/builtin/core/configmaps.js";
import { limitranges } from "../../../src/registry/builtin/core/limitranges.js";
import { nodes } from "../../../src/registry/builtin/core/nodes.js";
import { persistentvolumeclaims } from "../../../src/registry/builtin/core/persistentvolumeclaims.js";
import { persistentvolumes } from "../../../src/registry/builtin/core/persistentvolumes.js";
import { replicationcontrollers } from "../../../src/registry/builtin/core/replicationcontrollers.js";
import { secrets } from "../../../src/registry/builtin/core/secrets.js";
import { serviceaccounts } from "../../../src/registry/builtin/core/serviceaccounts.js";
import { services } from "../../../src/registry/builtin/core/services.js";
import { endpointslices } from "../../../src/registry/builtin/discovery/endpointslices.js";
import { runtimeclasses } from "../../../src/registry/builtin/node/runtimeclasses.js";
import { clusterrolebindings } from "../../../src/registry/builtin/rbac/clusterrolebindings.js";
import { rolebindings } from "../../../src/registry/builtin/rbac/rolebindings.js";
import { priorityclasses } from "../../../src/registry/builtin/scheduling/priorityclasses.js";
import { storageclasses } from "../../../src/registry/builtin/storage/storageclasses.js";
import { volumeattachments } from "../../../src/registry/builtin/storage/volumeattachments.js";
import { validatingadmissionpolicies } from "../../../src/registry/builtin/admissionregistration/validatingadmissionpolicies.js";
import { servicecidrs } from "../../../src/registry/builtin/networking/servicecidrs.js";
import { flowschemas } from "../../../src/registry/builtin/flowcontrol/flowschemas.js";
import { prioritylevelconfigurations } from "../../../src/registry/builtin/flowcontrol/prioritylevelconfigurations.js";
import { pods } from "../../../src/registry/builtin/core/pods.js";
import { testContext } from "./context.js";

const o = (fields: Record<string, unknown>, meta: Partial<KubeObject["metadata"]> = {}): KubeObject => ({ metadata: { name: "x", ...meta }, ...fields });
const errText = (errs: ReturnType<NonNullable<NonNullable<typeof secrets.strategy>["validateUpdate"]>>) => errs.map(fieldErrorString);

describe("secrets", () => {
  const s = secrets.strategy!;
  it("merges stringData into data (base64) and never stores it", () => {
    const secret = o({ data: { a: "b2xk", keep: "a2VlcA==" }, stringData: { a: "new", b: "héllo" } });
    s.prepareForCreate!(testContext(), secret);
    assert.deepEqual(secret, o({ data: { a: "bmV3", keep: "a2VlcA==", b: "aMOpbGxv" } }));
    const upd = o({ stringData: {} });
    s.prepareForUpdate!(testContext(), upd, o({}));
    assert.deepEqual(upd, o({}));
  });
  it("type is immutable (Opaque by default)", () => {
    assert.deepEqual(errText(s.validateUpdate!(testContext(), o({ type: "Opaque" }), o({}))), []);
    assert.deepEqual(errText(s.validateUpdate!(testContext(), o({ type: "kubernetes.io/tls" }), o({}))), ['type: Invalid value: "kubernetes.io/tls": field is immutable']);
  });
  it("an immutable secret keeps its data and its immutable flag", () => {
    const old = o({ immutable: true, data: { a: "YQ==" } });
    assert.deepEqual(errText(s.validateUpdate!(testContext(), o({ immutable: true, data: { a: "YQ==" } }, { labels: { x: "y" } }), old)), []);
    assert.deepEqual(errText(s.validateUpdate!(testContext(), o({ data: { a: "Yg==" } }), old)), [
      "immutable: Forbidden: field is immutable when `immutable` is set",
      "data: Forbidden: field is immutable when `immutable` is set",
    ]);
  });
  it("selects on type", () => assert.equal(secrets.fieldSelectors!.type!(o({})), "Opaque"));
});

describe("configmaps", () => {
  it("an immutable configmap keeps data and binaryData", () => {
    const v = configmaps.strategy!.validateUpdate!;
    const old = o({ immutable: true, data: { a: "1" } });
    assert.deepEqual(errText(v(testContext(), o({ immutable: true, data: { a: "1" }, binaryData: {} }), old)), []);
    assert.deepEqual(errText(v(testContext(), o({ immutable: true, data: { a: "2" }, binaryData: { b: "AA==" } }), old)), [
      "data: Forbidden: field is immutable when `immutable` is set",
      "binaryData: Forbidden: field is immutable when `immutable` is set",
    ]);
    assert.deepEqual(errText(v(testContext(), o({ data: { a: "2" } }), o({ data: { a: "1" } }))), []);
  });
});

describe("services", () => {
  const s = services.strategy!;
  const svc = (spec: Record<string, unknown>, status?: Record<string, unknown>) => o({ spec, ...(status ? { status } : {}) });
  const prepare = (next: KubeObject, old: KubeObject) => {
    s.prepareForUpdate!(testContext(), next, old);
    return next;
  };

  it("create: clusterIPs follows a clusterIP-only client", () => {
    const a = svc({ clusterIP: "10.96.0.10", ports: [{ port: 80 }] });
    s.prepareForCreate!(testContext(), a);
    assert.deepEqual(a.spec, { clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"], ports: [{ port: 80 }] });
  });

  it("update: a resubmitted manifest keeps the allocated clusterIP(s) and nodePorts", () => {
    const old = svc({ type: "NodePort", clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"], ports: [{ name: "http", port: 80, nodePort: 30080 }, { name: "https", port: 443, nodePort: 30443 }] });
    const next = prepare(svc({ type: "NodePort", ports: [{ name: "http", port: 80 }, { name: "https", port: 443 }] }), old);
    assert.deepEqual(next.spec, {
      type: "NodePort",
      clusterIP: "10.96.0.10",
      clusterIPs: ["10.96.0.10"],
      ports: [
        { name: "http", port: 80, nodePort: 30080 },
        { name: "https", port: 443, nodePort: 30443 },
      ],
    });
  });

  it("update: a nodePort the client reused elsewhere is not patched back in", () => {
    const old = svc({ type: "NodePort", clusterIP: "10.96.0.10", ports: [{ name: "a", port: 80, nodePort: 30080 }] });
    const next = prepare(svc({ type: "NodePort", ports: [{ name: "a", port: 80 }, { name: "b", port: 81, nodePort: 30080 }] }), old);
    assert.deepEqual((next.spec as { ports: unknown[] }).ports, [{ name: "a", port: 80 }, { name: "b", port: 81, nodePort: 30080 }]);
  });

  it("update: a healthCheckNodePort is kept for Local LoadBalancers", () => {
    const old = svc({ type: "LoadBalancer", externalTrafficPolicy: "Local", healthCheckNodePort: 31000, clusterIP: "10.96.0.1", ports: [] });
    const next = prepare(svc({ type: "LoadBalancer", externalTrafficPolicy: "Local", ports: [] }), old);
    assert.equal((next.spec as Record<string, unknown>).healthCheckNodePort, 31000);
  });

  it("update: switching to ExternalName drops the cluster IPs and families left unchanged", () => {
    const old = svc({ type: "ClusterIP", clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"], ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", ports: [{ port: 80 }] });
    const next = prepare(
      svc({ type: "ExternalName", externalName: "example.com", clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"], ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", ports: [{ port: 80 }] }),
      old,
    );
    assert.deepEqual(next.spec, { type: "ExternalName", externalName: "example.com", ports: [{ port: 80 }] });
  });

  it("update: leaving LoadBalancer drops nodePorts, and the load balancer status", () => {
    const old = svc({ type: "LoadBalancer", clusterIP: "10.96.0.10", ports: [{ port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } });
    const next = prepare(svc({ type: "ClusterIP", clusterIP: "10.96.0.10", ports: [{ port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } }), old);
    assert.deepEqual(next.spec, { type: "ClusterIP", clusterIP: "10.96.0.10", ports: [{ port: 80 }] });
    assert.deepEqual(next.status, { loadBalancer: {} });
  });

  it("update: clearing clusterIP with unchanged clusterIPs clears both", () => {
    const old = svc({ clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"] });
    const next = svc({ clusterIP: "", clusterIPs: ["10.96.0.10"], type: "ExternalName" });
    prepare(next, old);
    assert.deepEqual(next.spec, { type: "ExternalName", clusterIP: "" });
  });

  it("field selectors: spec.clusterIP and spec.type (ClusterIP by default)", () => {
    const x = svc({ clusterIP: "None" });
    assert.equal(services.fieldSelectors!["spec.clusterIP"]!(x), "None");
    assert.equal(services.fieldSelectors!["spec.type"]!(x), "ClusterIP");
  });
});

describe("serviceaccounts", () => {
  it("secret references keep only their names", () => {
    const sa = o({ secrets: [{ name: "t1", namespace: "default", uid: "u" }, { kind: "Secret" }] });
    serviceaccounts.strategy!.prepareForCreate!(testContext(), sa);
    assert.deepEqual(sa.secrets, [{ name: "t1" }, {}]);
  });
});

describe("nodes", () => {
  it("keep status on create and keep podCIDR/podCIDRs consistent", () => {
    assert.equal(nodes.strategy!.keepStatusOnCreate, true);
    const n = o({ spec: { podCIDRs: ["10.244.1.0/24", "fd00::/64"] } });
    nodes.strategy!.canonicalize!(n);
    assert.deepEqual(n.spec, { podCIDRs: ["10.244.1.0/24", "fd00::/64"], podCIDR: "10.244.1.0/24" });
    const legacy = o({ spec: { podCIDR: "10.244.2.0/24" } });
    nodes.strategy!.canonicalize!(legacy);
    assert.deepEqual(legacy.spec, { podCIDR: "10.244.2.0/24", podCIDRs: ["10.244.2.0/24"] });
  });
  it("select on spec.unschedulable", () => {
    assert.equal(nodes.fieldSelectors!["spec.unschedulable"]!(o({ spec: { unschedulable: true } })), "true");
    assert.equal(nodes.fieldSelectors!["spec.unschedulable"]!(o({})), "false");
  });
});

describe("persistent volumes and claims", () => {
  it("a new PV is Pending with a phase transition time", () => {
    const ctx = testContext();
    const pv = o({ spec: {}, status: { phase: "Bound" } });
    persistentvolumes.strategy!.prepareForCreate!(ctx, pv);
    assert.deepEqual(pv.status, { phase: "Pending", lastPhaseTransitionTime: "2026-01-01T00:00:00Z" });
  });
  it("a PV phase change stamps lastPhaseTransitionTime; no change keeps it", () => {
    const ctx = testContext();
    const old = o({ status: { phase: "Pending", lastPhaseTransitionTime: "2025-01-01T00:00:00Z" } });
    const same = o({ status: { phase: "Pending" } });
    persistentvolumes.strategy!.prepareForStatusUpdate!(ctx, same, old);
    assert.deepEqual(same.status, { phase: "Pending", lastPhaseTransitionTime: "2025-01-01T00:00:00Z" });
    const bound = o({ status: { phase: "Bound", lastPhaseTransitionTime: "2025-01-01T00:00:00Z" } });
    persistentvolumes.strategy!.prepareForStatusUpdate!(ctx, bound, old);
    assert.deepEqual(bound.status, { phase: "Bound", lastPhaseTransitionTime: "2026-01-01T00:00:00Z" });
    const explicit = o({ status: { phase: "Released", lastPhaseTransitionTime: "2025-06-01T00:00:00Z" } });
    persistentvolumes.strategy!.prepareForStatusUpdate!(ctx, explicit, old);
    assert.equal((explicit.status as Record<string, unknown>).lastPhaseTransitionTime, "2025-06-01T00:00:00Z");
  });
  it("a new PVC is Pending", () => {
    const pvc = o({ spec: {} });
    persistentvolumeclaims.strategy!.prepareForCreate!(testContext(), pvc);
    assert.deepEqual(pvc.status, { phase: "Pending" });
  });
});

describe("replicationcontrollers", () => {
  it("select on status.replicas", () => {
    assert.equal(replicationcontrollers.fieldSelectors!["status.replicas"]!(o({ status: { replicas: 3 } })), "3");
    assert.equal(replicationcontrollers.fieldSelectors!["status.replicas"]!(o({})), "0");
  });
});

describe("limitranges", () => {
  it("a LimitRange without a name gets a UUID", () => {
    const lr: KubeObject = { metadata: {} };
    limitranges.strategy!.prepareForCreate!(testContext(), lr);
    assert.match(lr.metadata.name ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe("endpointslices", () => {
  it("bump generation on a label-only change", () => {
    const old = o({ addressType: "IPv4", endpoints: [] }, { labels: { a: "1" }, generation: 2 });
    const next = o({ addressType: "IPv4", endpoints: [] }, { labels: { a: "2" }, generation: 2 });
    endpointslices.strategy!.prepareForUpdate!(testContext(), next, old);
    assert.equal(next.metadata.generation, 3);
    const unchanged = o({ addressType: "IPv4", endpoints: [] }, { labels: { a: "1" }, annotations: { n: "x" }, generation: 2 });
    endpointslices.strategy!.prepareForUpdate!(testContext(), unchanged, old);
    assert.equal(unchanged.metadata.generation, 2);
  });
});

describe("storage, scheduling, node", () => {
  it("storageclass fields fixed at creation", () => {
    const v = storageclasses.strategy!.validateUpdate!;
    const old = o({ provisioner: "a", parameters: { t: "1" } });
    assert.deepEqual(errText(v(testContext(), o({ provisioner: "a", parameters: { t: "1" }, reclaimPolicy: "Delete", volumeBindingMode: "Immediate", allowVolumeExpansion: true }), old)), []);
    assert.deepEqual(errText(v(testContext(), o({ provisioner: "b", parameters: { t: "2" }, reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" }), old)), [
      "parameters: Forbidden: updates to parameters are forbidden.",
      "provisioner: Forbidden: updates to provisioner are forbidden.",
      "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]);
  });
  it("priorityclass value and preemptionPolicy are fixed", () => {
    const v = priorityclasses.strategy!.validateUpdate!;
    assert.deepEqual(errText(v(testContext(), o({ value: 10, description: "new" }), o({ value: 10 }))), []);
    assert.deepEqual(errText(v(testContext(), o({ value: 11, preemptionPolicy: "Never" }), o({ value: 10 }))), [
      "value: Forbidden: may not be changed in an update.",
      'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]);
  });
  it("runtimeclass handler is fixed", () => {
    assert.deepEqual(errText(runtimeclasses.strategy!.validateUpdate!(testContext(), o({ handler: "kata" }), o({ handler: "runc" }))), ['handler: Invalid value: "kata": field is immutable']);
  });
});

describe("rbac bindings", () => {
  for (const def of [rolebindings, clusterrolebindings]) {
    it(`${def.kind}: roleRef cannot change`, () => {
      const v = def.strategy!.validateUpdate!;
      const ref = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" };
      assert.deepEqual(errText(v(testContext(), o({ roleRef: { ...ref }, subjects: [{ kind: "User", name: "a" }] }), o({ roleRef: ref }))), []);
      assert.deepEqual(errText(v(testContext(), o({ roleRef: { ...ref, name: "edit" } }), o({ roleRef: ref }))), [
        'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
      ]);
    });
  }
});

describe("certificatesigningrequests", () => {
  const s = certificatesigningrequests.strategy!;
  it("create: the requester's identity replaces whatever the client claimed", () => {
    const csr = o({ spec: { request: "LS0t", signerName: "kubernetes.io/kube-apiserver-client", username: "mallory", groups: ["system:masters"] } });
    s.prepareForCreate!(testContext({ username: "alice", uid: "a-1", groups: ["dev", "system:authenticated"], extra: { scopes: ["x"] } }), csr);
    assert.deepEqual(csr.spec, {
      request: "LS0t",
      signerName: "kubernetes.io/kube-apiserver-client",
      username: "alice",
      uid: "a-1",
      groups: ["dev", "system:authenticated"],
      extra: { scopes: ["x"] },
    });
  });
  it("update: the spec never changes", () => {
    const old = o({ spec: { request: "LS0t", username: "alice" } });
    const next = o({ spec: { request: "other", username: "bob" } }, { labels: { a: "b" } });
    s.prepareForUpdate!(testContext(), next, old);
    assert.deepEqual(next.spec, { request: "LS0t", username: "alice" });
  });
  it("/status keeps Approved/Denied conditions and fills timestamps", () => {
    const approved = { type: "Approved", status: "True", reason: "AutoApproved", lastUpdateTime: "2025-01-01T00:00:00Z", lastTransitionTime: "2025-01-01T00:00:00Z" };
    const old = o({ status: { conditions: [approved] } });
    const next = o({ status: { certificate: "Y2VydA==", conditions: [{ ...approved, reason: "Tampered" }, { type: "Failed", status: "False" }] } });
    s.prepareForStatusUpdate!(testContext(), next, old);
    assert.deepEqual(next.status, {
      certificate: "Y2VydA==",
      conditions: [approved, { type: "Failed", status: "False", lastUpdateTime: "2026-01-01T00:00:00Z", lastTransitionTime: "2026-01-01T00:00:00Z" }],
    });
  });
  it("selects on spec.signerName", () => {
    assert.equal(certificatesigningrequests.fieldSelectors!["spec.signerName"]!(o({ spec: { signerName: "example.com/s" } })), "example.com/s");
  });
});

describe("customresourcedefinitions", () => {
  const crd = (versions: Record<string, unknown>[], status?: Record<string, unknown>) =>
    o({ spec: { group: "example.com", names: { plural: "widgets", kind: "Widget" }, scope: "Namespaced", versions }, ...(status ? { status } : {}) }, { name: "widgets.example.com" });
  it("records the storage version in status.storedVersions", () => {
    const c = crd([{ name: "v1", served: true, storage: true }]);
    customresourcedefinitions.strategy!.prepareForCreate!(testContext(), c);
    assert.deepEqual(c.status, { storedVersions: ["v1"] });
    const upd = crd([{ name: "v1", served: true, storage: false }, { name: "v2", served: true, storage: true }], { storedVersions: ["v1"] });
    customresourcedefinitions.strategy!.prepareForUpdate!(testContext(), upd, c);
    assert.deepEqual((upd.status as Record<string, unknown>).storedVersions, ["v1", "v2"]);
  });
  it("the name must be <plural>.<group>", () => {
    const v = customresourcedefinitions.strategy!.validate!;
    assert.deepEqual(v(testContext(), crd([])), []);
    const bad = crd([]);
    bad.metadata.name = "widget.example.com";
    assert.deepEqual(v(testContext(), bad).map(fieldErrorString), ['metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group']);
  });
});

describe("status writes that may not change metadata", () => {
  const old = o({ status: { a: 1 } }, { labels: { l: "1" }, annotations: { a: "1" }, finalizers: ["f"], ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o", uid: "u" }] });
  const write = () =>
    o({ status: { a: 2 } }, { labels: { l: "2" }, annotations: { a: "2" }, finalizers: [], ownerReferences: [], managedFields: [{ manager: "m" }] });
  for (const def of [validatingadmissionpolicies, servicecidrs, volumeattachments]) {
    it(`${def.kind}: labels, annotations, finalizers and owner references are kept`, () => {
      const next = write();
      def.strategy!.prepareForStatusUpdate!(testContext(), next, old);
      assert.deepEqual(next.metadata, { name: "x", labels: { l: "1" }, annotations: { a: "1" }, finalizers: ["f"], ownerReferences: old.metadata.ownerReferences, managedFields: [{ manager: "m" }] });
    });
  }
  for (const def of [flowschemas, prioritylevelconfigurations]) {
    it(`${def.kind}: all metadata but managedFields is kept`, () => {
      const next = write();
      def.strategy!.prepareForStatusUpdate!(testContext(), next, old);
      assert.deepEqual(next.metadata, { ...old.metadata, managedFields: [{ manager: "m" }] });
    });
  }
  it("Pod: owner references are kept", () => {
    const next = write();
    pods.strategy!.prepareForStatusUpdate!(testContext(), next, old);
    assert.deepEqual(next.metadata.ownerReferences, old.metadata.ownerReferences);
    assert.deepEqual(next.metadata.labels, { l: "2" });
  });
});
