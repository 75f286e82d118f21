import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { printerFor } from "../../../src/registry/printers/index.js";

const now = Date.parse("2025-05-01T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const ctx = { now };
const names = (group: string, kind: string) => printerFor(group, kind).columns.map((c) => (c.priority ? `${c.name}*` : c.name));
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: "default", creationTimestamp: ago(5 * MIN), ...extra });

describe("Service printer", () => {
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({ metadata: meta("web"), spec, status });
  it("columns", () => {
    assert.deepEqual(names("", "Service"), ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector*"]);
  });
  const cases: { name: string; svc: KubeObject; want: unknown[] }[] = [
    {
      name: "ClusterIP",
      svc: svc({ type: "ClusterIP", clusterIP: "10.96.12.34", clusterIPs: ["10.96.12.34"], ports: [{ port: 80, protocol: "TCP", targetPort: 8080 }], selector: { app: "web" } }),
      want: ["web", "ClusterIP", "10.96.12.34", "<none>", "80/TCP", "5m", "app=web"],
    },
    {
      name: "ClusterIP with external IPs and two ports",
      svc: svc({ type: "ClusterIP", clusterIP: "10.96.0.10", externalIPs: ["1.2.3.4", "5.6.7.8"], ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] }),
      want: ["web", "ClusterIP", "10.96.0.10", "1.2.3.4,5.6.7.8", "53/UDP,53/TCP", "5m", "<none>"],
    },
    {
      name: "headless",
      svc: svc({ type: "ClusterIP", clusterIP: "None", clusterIPs: ["None"], selector: { app: "db" } }),
      want: ["web", "ClusterIP", "None", "<none>", "<none>", "5m", "app=db"],
    },
    {
      name: "NodePort",
      svc: svc({ type: "NodePort", clusterIP: "10.96.1.1", ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }] }),
      want: ["web", "NodePort", "10.96.1.1", "<none>", "80:30080/TCP", "5m", "<none>"],
    },
    {
      name: "LoadBalancer pending",
      svc: svc({ type: "LoadBalancer", clusterIP: "10.96.2.2", ports: [{ port: 443, nodePort: 31443, protocol: "TCP" }] }),
      want: ["web", "LoadBalancer", "10.96.2.2", "<pending>", "443:31443/TCP", "5m", "<none>"],
    },
    {
      name: "LoadBalancer with ingress (sorted, not truncated) and external IPs",
      svc: svc({ type: "LoadBalancer", clusterIP: "10.96.2.2", externalIPs: ["9.9.9.9"], ports: [{ port: 80, nodePort: 30001, protocol: "TCP" }] }, {
        loadBalancer: { ingress: [{ hostname: "a-very-long-hostname.elb.example.com" }, { ip: "203.0.113.10" }] },
      }),
      want: ["web", "LoadBalancer", "10.96.2.2", "203.0.113.10,a-very-long-hostname.elb.example.com,9.9.9.9", "80:30001/TCP", "5m", "<none>"],
    },
    {
      name: "ExternalName",
      svc: svc({ type: "ExternalName", externalName: "db.example.com" }),
      want: ["web", "ExternalName", "<none>", "db.example.com", "<none>", "5m", "<none>"],
    },
    {
      name: "clusterIPs only",
      svc: svc({ type: "ClusterIP", clusterIPs: ["fd00::1", "10.96.0.1"], ports: [{ port: 80, protocol: "TCP" }] }),
      want: ["web", "ClusterIP", "fd00::1", "<none>", "80/TCP", "5m", "<none>"],
    },
    {
      name: "no type (zero value)",
      svc: { metadata: { name: "x" } },
      want: ["x", "", "<none>", "<unknown>", "<none>", "<unknown>", "<none>"],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(printerFor("", "Service").cells(c.svc, ctx), c.want));
});

describe("Endpoints printer", () => {
  const ep = (subsets: unknown): KubeObject => ({ metadata: meta("web"), subsets });
  const p = printerFor("", "Endpoints");
  it("formats endpoints", () => {
    assert.deepEqual(p.cells(ep(undefined), ctx), ["web", "<none>", "5m"]);
    assert.deepEqual(p.cells(ep([{ addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }], ports: [{ port: 8080 }] }]), ctx), ["web", "10.0.0.1:8080,10.0.0.2:8080", "5m"]);
    assert.deepEqual(
      p.cells(ep([{ addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }, { ip: "fd00::3" }], ports: [{ name: "http", port: 80 }, { name: "https", port: 443 }] }]), ctx),
      ["web", "10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...", "5m"],
    );
    assert.deepEqual(p.cells(ep([{ addresses: [{ ip: "10.0.0.9" }] }]), ctx), ["web", "10.0.0.9", "5m"]);
  });
});

describe("Node printer", () => {
  const node: KubeObject = {
    metadata: { name: "cp-1", creationTimestamp: ago(40 * DAY), labels: { "node-role.kubernetes.io/control-plane": "", "node-role.kubernetes.io/etcd": "true", "kubernetes.io/role": "master", "node-role.kubernetes.io/": "x" } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: "MemoryPressure", status: "False" }, { type: "Ready", status: "True" }],
      addresses: [{ type: "Hostname", address: "cp-1" }, { type: "InternalIP", address: "172.18.0.2" }],
      nodeInfo: { kubeletVersion: "v1.33.1", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.8.0-45-generic", containerRuntimeVersion: "containerd://2.0.3" },
    },
  };
  it("columns", () => {
    assert.deepEqual(names("", "Node"), ["Name", "Status", "Roles", "Age", "Version", "Internal-IP*", "External-IP*", "OS-Image*", "Kernel-Version*", "Container-Runtime*"]);
  });
  it("roles and SchedulingDisabled", () => {
    assert.deepEqual(printerFor("", "Node").cells(node, ctx), [
      "cp-1", "Ready,SchedulingDisabled", "control-plane,etcd,master", "40d", "v1.33.1",
      "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.8.0-45-generic", "containerd://2.0.3",
    ]);
  });
  it("not ready, unknown, no roles", () => {
    const notReady: KubeObject = { metadata: { name: "w" }, status: { conditions: [{ type: "Ready", status: "Unknown" }], addresses: [{ type: "ExternalIP", address: "198.51.100.4" }] } };
    assert.deepEqual(printerFor("", "Node").cells(notReady, ctx), ["w", "NotReady", "<none>", "<unknown>", "", "<none>", "198.51.100.4", "<unknown>", "<unknown>", "<unknown>"]);
    assert.equal(printerFor("", "Node").cells({ metadata: { name: "n" } }, ctx)[1], "Unknown");
  });
});

describe("other core printers", () => {
  it("Namespace, Secret, ServiceAccount, ConfigMap", () => {
    assert.deepEqual(printerFor("", "Namespace").cells({ metadata: meta("kube-system"), status: { phase: "Active" } }, ctx), ["kube-system", "Active", "5m"]);
    assert.deepEqual(names("", "Secret"), ["Name", "Type", "Data", "Age"]);
    assert.deepEqual(printerFor("", "Secret").cells({ metadata: meta("tls"), type: "kubernetes.io/tls", data: { "tls.crt": "", "tls.key": "" } }, ctx), ["tls", "kubernetes.io/tls", 2, "5m"]);
    assert.deepEqual(printerFor("", "ServiceAccount").cells({ metadata: meta("default") }, ctx), ["default", 0, "5m"]);
    assert.deepEqual(printerFor("", "ConfigMap").cells({ metadata: meta("cfg"), data: { a: "1" }, binaryData: { b: "AA==" } }, ctx), ["cfg", 2, "5m"]);
  });

  it("ComponentStatus", () => {
    const cs = (conditions: unknown[]): KubeObject => ({ metadata: { name: "etcd-0" }, conditions });
    assert.deepEqual(printerFor("", "ComponentStatus").cells(cs([{ type: "Healthy", status: "True", message: "ok" }]), ctx), ["etcd-0", "Healthy", "ok", ""]);
    assert.deepEqual(printerFor("", "ComponentStatus").cells(cs([{ type: "Healthy", status: "False", error: "refused" }]), ctx), ["etcd-0", "Unhealthy", "", "refused"]);
    assert.deepEqual(printerFor("", "ComponentStatus").cells(cs([]), ctx), ["etcd-0", "Unknown", "", ""]);
  });

  it("ResourceQuota splits requests and limits", () => {
    const rq: KubeObject = {
      metadata: meta("quota"),
      status: {
        hard: { "limits.cpu": "4", "requests.memory": "1024Mi", pods: "10", "requests.cpu": "2", "limits.memory": "2Gi" },
        used: { "requests.cpu": "500m", pods: "3", "limits.cpu": "1" },
      },
    };
    assert.deepEqual(printerFor("", "ResourceQuota").cells(rq, ctx), [
      "quota",
      "pods: 3/10, requests.cpu: 500m/2, requests.memory: 0/1Gi",
      "limits.cpu: 1/4, limits.memory: 0/2Gi",
      "5m",
    ]);
  });

  it("PersistentVolume", () => {
    assert.deepEqual(names("", "PersistentVolume"), ["Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode*"]);
    const pv: KubeObject = {
      metadata: meta("pv-1"),
      spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", claimRef: { namespace: "default", name: "data" }, storageClassName: "standard", volumeMode: "Filesystem" },
      status: { phase: "Bound" },
    };
    assert.deepEqual(printerFor("", "PersistentVolume").cells(pv, ctx), ["pv-1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "standard", "<unset>", "", "5m", "Filesystem"]);
    const released: KubeObject = { metadata: { ...meta("pv-2"), deletionTimestamp: ago(1000), annotations: { "volume.beta.kubernetes.io/storage-class": "old" } }, spec: { capacity: { storage: "1024Mi" } }, status: { phase: "Released", reason: "gone" } };
    assert.deepEqual(printerFor("", "PersistentVolume").cells(released, ctx), ["pv-2", "1Gi", "", "", "Terminating", "", "old", "<unset>", "gone", "5m", "<unset>"]);
  });

  it("PersistentVolumeClaim", () => {
    const pending: KubeObject = { metadata: meta("data"), spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "standard" }, status: { phase: "Pending" } };
    assert.deepEqual(printerFor("", "PersistentVolumeClaim").cells(pending, ctx), ["data", "Pending", "", "", "", "standard", "<unset>", "5m", "<unset>"]);
    const bound: KubeObject = {
      metadata: meta("data"),
      spec: { volumeName: "pvc-1234", storageClassName: "standard", volumeMode: "Filesystem", volumeAttributesClassName: "gold" },
      status: { phase: "Bound", accessModes: ["ReadWriteOnce", "ReadWriteOncePod"], capacity: { storage: "1536Mi" } },
    };
    assert.deepEqual(printerFor("", "PersistentVolumeClaim").cells(bound, ctx), ["data", "Bound", "pvc-1234", "1536Mi", "RWO,RWOP", "standard", "gold", "5m", "Filesystem"]);
  });

  it("LimitRange prints the default table", () => {
    assert.deepEqual(printerFor("", "LimitRange").cells({ metadata: { name: "limits", creationTimestamp: "2025-01-02T03:04:05Z" } }, ctx), ["limits", "2025-01-02T03:04:05Z"]);
  });
});
