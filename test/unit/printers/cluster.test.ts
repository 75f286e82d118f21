import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { defaultPrinter, hasPrinter, printerFor } from "../../../src/registry/printers/index.js";
import { formatQuantity, formatQuantityPtr } from "../../../src/registry/printers/quantity.js";

const now = Date.parse("2025-05-01T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const MIN = 60_000;
const ctx = { now };
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: ago(5 * MIN), ...extra });
const names = (group: string, kind: string) => printerFor(group, kind).columns.map((c) => (c.priority ? `${c.name}*` : c.name));

describe("Event printers", () => {
  const columns = ["Last Seen", "Type", "Reason", "Object", "Subobject*", "Source*", "Message", "First Seen*", "Count*", "Name*"];
  it("core and events.k8s.io share upstream's columns", () => {
    assert.deepEqual(names("", "Event"), columns);
    assert.deepEqual(names("events.k8s.io", "Event"), columns);
    assert.equal(printerFor("", "Event").columns[9]?.format, "name");
  });
  it("core event with counts", () => {
    const ev: KubeObject = {
      metadata: { name: "web.17f1", namespace: "default" },
      involvedObject: { kind: "Pod", name: "web", fieldPath: "spec.containers{app}" },
      reason: "BackOff",
      message: "Back-off restarting failed container app in pod web\n",
      source: { component: "kubelet", host: "node-1" },
      firstTimestamp: ago(20 * MIN),
      lastTimestamp: ago(2 * MIN),
      count: 7,
      type: "Warning",
    };
    assert.deepEqual(printerFor("", "Event").cells(ev, ctx), [
      "2m", "Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet, node-1",
      "Back-off restarting failed container app in pod web", "20m", 7, "web.17f1",
    ]);
  });
  it("core event written through the new API: eventTime, reporting component, no count", () => {
    const ev: KubeObject = {
      metadata: { name: "n.1" },
      involvedObject: { kind: "Node" },
      reason: "RegisteredNode",
      message: "Node n registered",
      source: {},
      eventTime: "2025-05-01T11:59:30.123456Z",
      reportingComponent: "node-controller",
      reportingInstance: "",
      type: "Normal",
    };
    assert.deepEqual(printerFor("", "Event").cells(ev, ctx), ["29s", "Normal", "RegisteredNode", "node", "", "node-controller", "Node n registered", "29s", 1, "n.1"]);
  });
  it("events.k8s.io event with a series", () => {
    const ev: KubeObject = {
      apiVersion: "events.k8s.io/v1",
      metadata: { name: "web.1" },
      regarding: { kind: "Deployment", name: "web" },
      reason: "ScalingReplicaSet",
      note: "Scaled up replica set web-5d to 3",
      reportingController: "deployment-controller",
      reportingInstance: "kcm-1",
      eventTime: ago(10 * MIN),
      series: { count: 4, lastObservedTime: ago(MIN) },
      type: "Normal",
    };
    assert.deepEqual(printerFor("events.k8s.io", "Event").cells(ev, ctx), [
      "60s", "Normal", "ScalingReplicaSet", "deployment/web", "", "deployment-controller, kcm-1",
      "Scaled up replica set web-5d to 3", "10m", 4, "web.1",
    ]);
  });
  it("an empty event", () => {
    assert.deepEqual(printerFor("", "Event").cells({ metadata: {} }, ctx), ["<unknown>", "", "", "", "", "", "", "<unknown>", 1, ""]);
  });
});

describe("storage printers", () => {
  it("StorageClass with the default marker and defaults", () => {
    assert.deepEqual(names("storage.k8s.io", "StorageClass"), ["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"]);
    const sc: KubeObject = { metadata: meta("standard", { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }), provisioner: "rancher.io/local-path", reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer" };
    assert.deepEqual(printerFor("storage.k8s.io", "StorageClass").cells(sc, ctx), ["standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "5m"]);
    const beta: KubeObject = { metadata: meta("fast", { annotations: { "storageclass.beta.kubernetes.io/is-default-class": "true" } }), provisioner: "csi.example.com", allowVolumeExpansion: true };
    assert.deepEqual(printerFor("storage.k8s.io", "StorageClass").cells(beta, ctx), ["fast (default)", "csi.example.com", "Delete", "Immediate", true, "5m"]);
  });
  it("CSIDriver", () => {
    assert.deepEqual(names("storage.k8s.io", "CSIDriver"), ["Name", "AttachRequired", "PodInfoOnMount", "StorageCapacity", "TokenRequests", "RequiresRepublish", "Modes", "Age"]);
    const d: KubeObject = { metadata: meta("csi.example.com"), spec: { attachRequired: false, podInfoOnMount: true, volumeLifecycleModes: ["Persistent", "Ephemeral"], tokenRequests: [{ audience: "vault" }, { audience: "" }] } };
    assert.deepEqual(printerFor("storage.k8s.io", "CSIDriver").cells(d, ctx), ["csi.example.com", false, true, false, "vault,", false, "Persistent,Ephemeral", "5m"]);
    assert.deepEqual(printerFor("storage.k8s.io", "CSIDriver").cells({ metadata: meta("x") }, ctx), ["x", true, false, false, "<unset>", false, "<none>", "5m"]);
  });
  it("CSINode and VolumeAttachment", () => {
    assert.deepEqual(printerFor("storage.k8s.io", "CSINode").cells({ metadata: meta("node-1"), spec: { drivers: [{ name: "a" }, { name: "b" }] } }, ctx), ["node-1", 2, "5m"]);
    assert.deepEqual(names("storage.k8s.io", "VolumeAttachment"), ["Name", "Attacher", "PV", "Node", "Attached", "Age"]);
    const va: KubeObject = { metadata: meta("csi-123"), spec: { attacher: "csi.example.com", nodeName: "node-1", source: { persistentVolumeName: "pv-1" } }, status: { attached: true } };
    assert.deepEqual(printerFor("storage.k8s.io", "VolumeAttachment").cells(va, ctx), ["csi-123", "csi.example.com", "pv-1", "node-1", true, "5m"]);
  });
  it("CSIStorageCapacity prints the default table", () => {
    assert.equal(hasPrinter("storage.k8s.io", "CSIStorageCapacity"), false);
    assert.deepEqual(names("storage.k8s.io", "CSIStorageCapacity"), ["Name", "Created At"]);
  });
});

describe("certificates, admission, flowcontrol, apiregistration, node", () => {
  it("CertificateSigningRequest", () => {
    assert.deepEqual(names("certificates.k8s.io", "CertificateSigningRequest"), ["Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"]);
    const csr = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({ metadata: meta("csr-1"), spec: { username: "system:node:n1", ...spec }, status });
    const p = printerFor("certificates.k8s.io", "CertificateSigningRequest");
    assert.deepEqual(p.cells(csr({ signerName: "kubernetes.io/kube-apiserver-client-kubelet" }), ctx), ["csr-1", "5m", "kubernetes.io/kube-apiserver-client-kubelet", "system:node:n1", "<none>", "Pending"]);
    assert.deepEqual(p.cells(csr({ signerName: "x/y", expirationSeconds: 86400 }, { conditions: [{ type: "Approved", status: "True" }], certificate: "LS0t" }), ctx), ["csr-1", "5m", "x/y", "system:node:n1", "24h", "Approved,Issued"]);
    assert.deepEqual(p.cells(csr({ expirationSeconds: 600 }, { conditions: [{ type: "Approved" }, { type: "Denied" }, { type: "Failed" }] }), ctx), ["csr-1", "5m", "<none>", "system:node:n1", "10m", "Denied,Failed"]);
  });
  it("webhook configurations and admission policies", () => {
    const wh: KubeObject = { metadata: meta("hooks"), webhooks: [{ name: "a.example.com" }, { name: "b.example.com" }] };
    assert.deepEqual(printerFor("admissionregistration.k8s.io", "ValidatingWebhookConfiguration").cells(wh, ctx), ["hooks", 2, "5m"]);
    assert.deepEqual(printerFor("admissionregistration.k8s.io", "MutatingWebhookConfiguration").cells({ metadata: meta("m") }, ctx), ["m", 0, "5m"]);
    const vap: KubeObject = { metadata: meta("max-replicas"), spec: { paramKind: { apiVersion: "v1", kind: "ConfigMap" }, validations: [{ expression: "true" }] } };
    assert.deepEqual(names("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"), ["Name", "Validations", "ParamKind", "Age"]);
    assert.deepEqual(printerFor("admissionregistration.k8s.io", "ValidatingAdmissionPolicy").cells(vap, ctx), ["max-replicas", 1, "v1/ConfigMap", "5m"]);
    const binding = (paramRef?: unknown): KubeObject => ({ metadata: meta("b"), spec: { policyName: "max-replicas", paramRef } });
    const p = printerFor("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding");
    assert.deepEqual(p.cells(binding(), ctx), ["b", "max-replicas", "<unset>", "5m"]);
    assert.deepEqual(p.cells(binding({ name: "limits", namespace: "prod" }), ctx), ["b", "max-replicas", "prod/limits", "5m"]);
    assert.deepEqual(p.cells(binding({ name: "limits" }), ctx), ["b", "max-replicas", "*/limits", "5m"]);
    assert.deepEqual(p.cells(binding({ selector: { matchLabels: { b: "2", a: "1" }, matchExpressions: [{ key: "env", operator: "In", values: ["x", "y"] }] } }), ctx), [
      "b", "max-replicas",
      "&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:env,Operator:In,Values:[x y],},},}",
      "5m",
    ]);
  });
  it("FlowSchema and PriorityLevelConfiguration", () => {
    const fs: KubeObject = { metadata: meta("exempt"), spec: { priorityLevelConfiguration: { name: "exempt" }, matchingPrecedence: 1 }, status: { conditions: [{ type: "Dangling", status: "False" }] } };
    assert.deepEqual(printerFor("flowcontrol.apiserver.k8s.io", "FlowSchema").cells(fs, ctx), ["exempt", "exempt", 1, "<none>", "5m", "False"]);
    const fs2: KubeObject = { metadata: meta("w"), spec: { priorityLevelConfiguration: { name: "workload-low" }, matchingPrecedence: 9000, distinguisherMethod: { type: "ByUser" } } };
    assert.deepEqual(printerFor("flowcontrol.apiserver.k8s.io", "FlowSchema").cells(fs2, ctx), ["w", "workload-low", 9000, "ByUser", "5m", "?"]);
    const pl: KubeObject = { metadata: meta("global-default"), spec: { type: "Limited", limited: { nominalConcurrencyShares: 20, limitResponse: { type: "Queue", queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } } };
    assert.deepEqual(printerFor("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration").cells(pl, ctx), ["global-default", "Limited", 20, 128, 6, 50, "5m"]);
    assert.deepEqual(printerFor("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration").cells({ metadata: meta("exempt"), spec: { type: "Exempt" } }, ctx), ["exempt", "Exempt", "<none>", "<none>", "<none>", "<none>", "5m"]);
  });
  it("APIService", () => {
    assert.deepEqual(names("apiregistration.k8s.io", "APIService"), ["Name", "Service", "Available", "Age"]);
    const local: KubeObject = { metadata: meta("v1.apps"), spec: { group: "apps", version: "v1" }, status: { conditions: [{ type: "Available", status: "True", reason: "Local" }] } };
    assert.deepEqual(printerFor("apiregistration.k8s.io", "APIService").cells(local, ctx), ["v1.apps", "Local", "True", "5m"]);
    const remote: KubeObject = { metadata: meta("v1beta1.metrics.k8s.io"), spec: { service: { namespace: "kube-system", name: "metrics-server" } }, status: { conditions: [{ type: "Available", status: "False", reason: "MissingEndpoints" }] } };
    assert.deepEqual(printerFor("apiregistration.k8s.io", "APIService").cells(remote, ctx), ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)", "5m"]);
    assert.deepEqual(printerFor("apiregistration.k8s.io", "APIService").cells({ metadata: meta("x") }, ctx), ["x", "Local", "Unknown", "5m"]);
  });
  it("RuntimeClass", () => {
    assert.deepEqual(printerFor("node.k8s.io", "RuntimeClass").cells({ metadata: meta("gvisor"), handler: "runsc" }, ctx), ["gvisor", "runsc", "5m"]);
  });
});

describe("default printer and lookup", () => {
  it("has upstream's default convertor columns", () => {
    assert.deepEqual(defaultPrinter.columns, [
      {
        name: "Name",
        type: "string",
        format: "name",
        description:
          "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        priority: 0,
      },
      {
        name: "Created At",
        type: "date",
        format: "",
        description:
          "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        priority: 0,
      },
    ]);
  });
  it("prints the creation time in RFC 3339 at second precision, Go's zero time when unset", () => {
    assert.deepEqual(defaultPrinter.cells({ metadata: { name: "crd", creationTimestamp: "2025-04-30T08:15:42.987Z" } }, ctx), ["crd", "2025-04-30T08:15:42Z"]);
    assert.deepEqual(defaultPrinter.cells({ metadata: {} }, ctx), ["", "0001-01-01T00:00:00Z"]);
  });
  it("falls back to the default printer", () => {
    for (const [group, kind] of [["apiextensions.k8s.io", "CustomResourceDefinition"], ["", "LimitRange"], ["example.com", "Widget"], ["apps", "Pod"]] as const) {
      assert.equal(printerFor(group, kind), defaultPrinter, `${group}/${kind}`);
    }
    assert.notEqual(printerFor("", "Pod"), defaultPrinter);
    assert.equal(printerFor("", "toString"), defaultPrinter);
  });
  it("every printer returns a cell per column for an empty object, and never throws", () => {
    const kinds: [string, string][] = [
      ["", "Pod"], ["", "PodTemplate"], ["", "ReplicationController"], ["", "Service"], ["", "Endpoints"], ["", "Node"], ["", "Event"],
      ["", "Namespace"], ["", "Secret"], ["", "ServiceAccount"], ["", "ConfigMap"], ["", "ComponentStatus"], ["", "ResourceQuota"],
      ["", "PersistentVolume"], ["", "PersistentVolumeClaim"], ["apps", "Deployment"], ["apps", "ReplicaSet"], ["apps", "StatefulSet"],
      ["apps", "DaemonSet"], ["apps", "ControllerRevision"], ["batch", "Job"], ["batch", "CronJob"], ["autoscaling", "HorizontalPodAutoscaler"],
      ["autoscaling", "Scale"], ["coordination.k8s.io", "Lease"], ["coordination.k8s.io", "LeaseCandidate"], ["discovery.k8s.io", "EndpointSlice"],
      ["events.k8s.io", "Event"], ["networking.k8s.io", "Ingress"], ["networking.k8s.io", "IngressClass"], ["networking.k8s.io", "NetworkPolicy"],
      ["networking.k8s.io", "ServiceCIDR"], ["policy", "PodDisruptionBudget"], ["rbac.authorization.k8s.io", "RoleBinding"],
      ["rbac.authorization.k8s.io", "ClusterRoleBinding"], ["storage.k8s.io", "StorageClass"], ["storage.k8s.io", "VolumeAttachment"],
      ["storage.k8s.io", "CSIDriver"], ["storage.k8s.io", "CSINode"], ["storage.k8s.io", "VolumeAttributesClass"], ["scheduling.k8s.io", "PriorityClass"],
      ["certificates.k8s.io", "CertificateSigningRequest"], ["certificates.k8s.io", "ClusterTrustBundle"],
      ["admissionregistration.k8s.io", "ValidatingWebhookConfiguration"], ["admissionregistration.k8s.io", "MutatingWebhookConfiguration"],
      ["admissionregistration.k8s.io", "ValidatingAdmissionPolicy"], ["admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"],
      ["admissionregistration.k8s.io", "MutatingAdmissionPolicy"], ["admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"],
      ["flowcontrol.apiserver.k8s.io", "FlowSchema"], ["flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"], ["node.k8s.io", "RuntimeClass"],
      ["apiregistration.k8s.io", "APIService"], ["resource.k8s.io", "DeviceClass"], ["resource.k8s.io", "ResourceClaim"],
      ["resource.k8s.io", "ResourceClaimTemplate"], ["resource.k8s.io", "ResourceSlice"], ["internal.apiserver.k8s.io", "StorageVersion"],
      ["storagemigration.k8s.io", "StorageVersionMigration"],
    ];
    const junk: KubeObject[] = [
      { metadata: {} },
      { metadata: { name: "x" }, spec: "oops", status: 7, data: [], subsets: {}, webhooks: "no" } as unknown as KubeObject,
      { metadata: { name: "y" }, spec: { containers: [null, 1], selector: 3, ports: [null] }, status: { conditions: [null, "x"] } } as unknown as KubeObject,
    ];
    for (const [group, kind] of kinds) {
      const p = printerFor(group, kind);
      assert.equal(hasPrinter(group, kind), true, `${group}/${kind}`);
      for (const o of junk) assert.equal(p.cells(o, ctx).length, p.columns.length, `${group}/${kind}`);
      for (const c of p.columns) assert.ok(c.type && typeof c.description === "string" && (c.priority === 0 || c.priority === 1), `${group}/${kind} ${c.name}`);
    }
    // Upstream's IPAddress table declares two columns but prints an AGE cell too.
    assert.equal(printerFor("networking.k8s.io", "IPAddress").cells({ metadata: {} }, ctx).length, 3);
  });
});

describe("quantity formatting", () => {
  const cases: [unknown, string][] = [
    [undefined, "0"],
    ["0", "0"],
    ["1Gi", "1Gi"],
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["1.5Gi", "1536Mi"],
    ["1023", "1023"],
    ["1000M", "1G"],
    ["2000", "2k"],
    ["1500", "1500"],
    ["1.5", "1500m"],
    ["0.1", "100m"],
    ["100m", "100m"],
    ["1e3", "1e3"],
    ["12e-1", "1200e-3"],
    [2, "2"],
    [0.25, "250m"],
    ["-1Gi", "-1Gi"],
    ["0.5Ki", "512"],
    ["0.1n", "1n"],
    ["bogus", "bogus"],
  ];
  for (const [input, want] of cases) it(`${String(input)} -> ${want}`, () => assert.equal(formatQuantity(input), want));
  it("a nil *Quantity prints <nil>", () => {
    assert.equal(formatQuantityPtr(undefined), "<nil>");
    assert.equal(formatQuantityPtr("4Gi"), "4Gi");
  });
});
