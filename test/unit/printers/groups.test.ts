import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { printerFor } from "../../../src/registry/printers/index.js";

const now = Date.parse("2025-05-01T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const MIN = 60_000;
const ctx = { now };
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: ago(5 * MIN), ...extra });
const names = (group: string, kind: string) => printerFor(group, kind).columns.map((c) => (c.priority ? `${c.name}*` : c.name));

describe("HorizontalPodAutoscaler printer", () => {
  const p = printerFor("autoscaling", "HorizontalPodAutoscaler");
  const hpa = (spec: Record<string, unknown>, status: Record<string, unknown> = {}, extra: Partial<KubeObject> = {}): KubeObject => ({
    apiVersion: "autoscaling/v2",
    metadata: meta("web"),
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 10, ...spec },
    status,
    ...extra,
  });
  const cpu = (util: number) => ({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: util } } });
  it("columns", () => assert.deepEqual(names("autoscaling", "HorizontalPodAutoscaler"), ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"]));
  const cases: { name: string; hpa: KubeObject; want: unknown[] }[] = [
    {
      name: "v2 cpu utilization with a current value",
      hpa: hpa({ minReplicas: 1, metrics: [cpu(80)] }, { currentReplicas: 2, currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 50, averageValue: "100m" } } }] }),
      want: ["web", "Deployment/web", "cpu: 50%/80%", "1", 10, 2, "5m"],
    },
    {
      name: "v2 without metrics status yet",
      hpa: hpa({ minReplicas: 2, metrics: [cpu(80)] }),
      want: ["web", "Deployment/web", "cpu: <unknown>/80%", "2", 10, 0, "5m"],
    },
    {
      name: "v2 without metrics",
      hpa: hpa({}),
      want: ["web", "Deployment/web", "<none>", "<unset>", 10, 0, "5m"],
    },
    {
      name: "v2 several metric kinds, truncated after two",
      hpa: hpa({
        minReplicas: 1,
        metrics: [
          { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "512Mi" } } },
          { type: "Pods", pods: { metric: { name: "qps" }, target: { type: "AverageValue", averageValue: "1k" } } },
          { type: "External", external: { metric: { name: "queue" }, target: { type: "Value", value: "30" } } },
        ],
      }, {
        currentMetrics: [
          { type: "Resource", resource: { name: "memory", current: { averageValue: "268435456" } } },
          { type: "Pods", pods: { metric: { name: "qps" }, current: { averageValue: "1500m" } } },
        ],
      }),
      want: ["web", "Deployment/web", "memory: 268435456/512Mi, 1500m/1k + 1 more...", "1", 10, 0, "5m"],
    },
    {
      name: "v2 object and external averages",
      hpa: hpa({
        metrics: [
          { type: "Object", object: { describedObject: { kind: "Ingress", name: "main" }, metric: { name: "rps" }, target: { type: "AverageValue", averageValue: "10" } } },
          { type: "External", external: { metric: { name: "q" }, target: { type: "AverageValue", averageValue: "2" } } },
        ],
      }, { currentMetrics: [{ type: "Object", object: { metric: { name: "rps" }, current: { averageValue: "7" } } }] }),
      want: ["web", "Deployment/web", "7/10 (avg), <unknown>/2 (avg)", "<unset>", 10, 0, "5m"],
    },
    {
      name: "v2 container resource and auto target",
      hpa: hpa({ metrics: [{ type: "ContainerResource", containerResource: { name: "cpu", container: "app", target: { type: "Utilization" } } }] }),
      want: ["web", "Deployment/web", "cpu: <unknown>/<auto>", "<unset>", 10, 0, "5m"],
    },
    {
      name: "v1 target and current cpu utilization",
      hpa: hpa({ minReplicas: 1, targetCPUUtilizationPercentage: 80 }, { currentReplicas: 3, currentCPUUtilizationPercentage: 95 }, { apiVersion: "autoscaling/v1" }),
      want: ["web", "Deployment/web", "cpu: 95%/80%", "1", 10, 3, "5m"],
    },
    {
      name: "v1 with round-trip metric annotations",
      hpa: hpa({ minReplicas: 1, targetCPUUtilizationPercentage: 60 }, { currentCPUUtilizationPercentage: 40 }, {
        apiVersion: "autoscaling/v1",
        metadata: meta("web", {
          annotations: {
            "autoscaling.alpha.kubernetes.io/metrics": JSON.stringify([{ type: "Pods", pods: { metricName: "qps", targetAverageValue: "100" } }]),
            "autoscaling.alpha.kubernetes.io/current-metrics": JSON.stringify([
              { type: "Pods", pods: { metricName: "qps", currentAverageValue: "42" } },
              { type: "Resource", resource: { name: "cpu", currentAverageUtilization: 40, currentAverageValue: "200m" } },
            ]),
          },
        }),
      }),
      want: ["web", "Deployment/web", "42/100, cpu: 40%/60%", "1", 10, 0, "5m"],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(p.cells(c.hpa, ctx), c.want));

  it("Scale", () => {
    assert.deepEqual(printerFor("autoscaling", "Scale").columns.map((c) => [c.name, c.format]), [["Name", ""], ["Desired", ""], ["Available", ""], ["Age", ""]]);
    assert.deepEqual(printerFor("autoscaling", "Scale").cells({ metadata: meta("web"), spec: { replicas: 3 }, status: { replicas: 2 } }, ctx), ["web", 3, 2, "5m"]);
  });
});

describe("networking printers", () => {
  it("Ingress", () => {
    assert.deepEqual(names("networking.k8s.io", "Ingress"), ["Name", "Class", "Hosts", "Address", "Ports", "Age"]);
    const ing: KubeObject = {
      metadata: meta("web"),
      spec: { ingressClassName: "nginx", rules: [{ host: "a.example.com" }, { host: "b.example.com" }], tls: [{ hosts: ["a.example.com"] }] },
      status: { loadBalancer: { ingress: [{ ip: "192.168.49.2" }, { ip: "192.168.49.2" }] } },
    };
    assert.deepEqual(printerFor("networking.k8s.io", "Ingress").cells(ing, ctx), ["web", "nginx", "a.example.com,b.example.com", "192.168.49.2", "80, 443", "5m"]);
    const many: KubeObject = { metadata: meta("m"), spec: { rules: [{ host: "a" }, {}, { host: "c" }, { host: "d" }, { host: "e" }] } };
    assert.deepEqual(printerFor("networking.k8s.io", "Ingress").cells(many, ctx), ["m", "<none>", "a,c,d + 2 more...", "", "80", "5m"]);
    assert.deepEqual(printerFor("networking.k8s.io", "Ingress").cells({ metadata: meta("x"), spec: { defaultBackend: {} } }, ctx), ["x", "<none>", "*", "", "80", "5m"]);
  });
  it("IngressClass", () => {
    const ic: KubeObject = { metadata: meta("nginx"), spec: { controller: "k8s.io/ingress-nginx", parameters: { apiGroup: "k8s.example.com", kind: "IngressParameters", name: "external-lb" } } };
    assert.deepEqual(printerFor("networking.k8s.io", "IngressClass").cells(ic, ctx), ["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb", "5m"]);
    assert.deepEqual(printerFor("networking.k8s.io", "IngressClass").cells({ metadata: meta("x"), spec: { controller: "c" } }, ctx), ["x", "c", "<none>", "5m"]);
  });
  it("NetworkPolicy", () => {
    const np = (podSelector: unknown): KubeObject => ({ metadata: meta("deny"), spec: { podSelector } });
    assert.deepEqual(printerFor("networking.k8s.io", "NetworkPolicy").cells(np({}), ctx), ["deny", "<none>", "5m"]);
    assert.deepEqual(printerFor("networking.k8s.io", "NetworkPolicy").cells(np({ matchLabels: { role: "db" } }), ctx), ["deny", "role=db", "5m"]);
  });
  it("ServiceCIDR and IPAddress", () => {
    assert.deepEqual(printerFor("networking.k8s.io", "ServiceCIDR").cells({ metadata: meta("kubernetes"), spec: { cidrs: ["10.96.0.0/12", "fd00::/108"] } }, ctx), ["kubernetes", "10.96.0.0/12,fd00::/108", "5m"]);
    const ip: KubeObject = { metadata: meta("10.96.0.1"), spec: { parentRef: { group: "", resource: "services", namespace: "default", name: "kubernetes" } } };
    assert.deepEqual(printerFor("networking.k8s.io", "IPAddress").cells(ip, ctx), ["10.96.0.1", "services/default/kubernetes", "5m"]);
  });
});

describe("policy, rbac, scheduling, coordination, discovery", () => {
  it("PodDisruptionBudget", () => {
    assert.deepEqual(names("policy", "PodDisruptionBudget"), ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"]);
    assert.deepEqual(printerFor("policy", "PodDisruptionBudget").cells({ metadata: meta("pdb"), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, ctx), ["pdb", "2", "N/A", 1, "5m"]);
    assert.deepEqual(printerFor("policy", "PodDisruptionBudget").cells({ metadata: meta("pdb"), spec: { maxUnavailable: "25%" } }, ctx), ["pdb", "N/A", "25%", 0, "5m"]);
  });
  it("RoleBinding and ClusterRoleBinding, Role uses the default table", () => {
    assert.deepEqual(names("rbac.authorization.k8s.io", "RoleBinding"), ["Name", "Role", "Age", "Users*", "Groups*", "ServiceAccounts*"]);
    const rb: KubeObject = {
      metadata: meta("read"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [
        { kind: "User", name: "alice" },
        { kind: "User", name: "bob" },
        { kind: "Group", name: "devs" },
        { kind: "ServiceAccount", namespace: "ci", name: "runner" },
        { kind: "Other", name: "x" },
      ],
    };
    assert.deepEqual(printerFor("rbac.authorization.k8s.io", "RoleBinding").cells(rb, ctx), ["read", "ClusterRole/view", "5m", "alice, bob", "devs", "ci/runner"]);
    assert.equal(printerFor("rbac.authorization.k8s.io", "ClusterRoleBinding").columns[3]?.description, "Users in the clusterRoleBinding");
    assert.deepEqual(names("rbac.authorization.k8s.io", "Role"), ["Name", "Created At"]);
    assert.deepEqual(names("rbac.authorization.k8s.io", "ClusterRole"), ["Name", "Created At"]);
  });
  it("PriorityClass", () => {
    assert.deepEqual(names("scheduling.k8s.io", "PriorityClass"), ["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"]);
    const pc: KubeObject = { metadata: meta("system-node-critical"), value: 2000001000, preemptionPolicy: "PreemptLowerPriority" };
    assert.deepEqual(printerFor("scheduling.k8s.io", "PriorityClass").cells(pc, ctx), ["system-node-critical", 2000001000, false, "5m", "PreemptLowerPriority"]);
  });
  it("Lease", () => {
    assert.deepEqual(printerFor("coordination.k8s.io", "Lease").cells({ metadata: meta("kube-scheduler"), spec: { holderIdentity: "cp-1_3f2a" } }, ctx), ["kube-scheduler", "cp-1_3f2a", "5m"]);
    assert.deepEqual(printerFor("coordination.k8s.io", "Lease").cells({ metadata: meta("l") }, ctx), ["l", "", "5m"]);
  });
  it("EndpointSlice", () => {
    assert.deepEqual(names("discovery.k8s.io", "EndpointSlice"), ["Name", "AddressType", "Ports", "Endpoints", "Age"]);
    const es: KubeObject = {
      metadata: meta("web-abc12"),
      addressType: "IPv4",
      ports: [{ name: "http", port: 8080 }, { name: "metrics" }, {}],
      endpoints: [{ addresses: ["10.0.0.1"] }, { addresses: ["10.0.0.2", "10.0.0.3"] }, { addresses: ["10.0.0.4"] }],
    };
    assert.deepEqual(printerFor("discovery.k8s.io", "EndpointSlice").cells(es, ctx), ["web-abc12", "IPv4", "8080,metrics,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "5m"]);
    assert.deepEqual(printerFor("discovery.k8s.io", "EndpointSlice").cells({ metadata: meta("e"), addressType: "IPv6" }, ctx), ["e", "IPv6", "<unset>", "<unset>", "5m"]);
  });
});
