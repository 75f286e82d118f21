// Defaulting rules kind by kind, table-driven: what is filled, when, and that nothing the client
// set is overwritten.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { defaulterFor } from "../../../src/registry/defaults/index.js";

type Obj = Record<string, any>;

function run(apiVersion: string, kind: string, body: Obj): Obj {
  const slash = apiVersion.indexOf("/");
  const [group, version] = slash === -1 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  const obj = { apiVersion, kind, metadata: { name: "x", namespace: "default" }, ...structuredClone(body) } as KubeObject;
  const defaulter = defaulterFor(group, version, kind);
  assert.ok(defaulter, `${apiVersion} ${kind} has a defaulter`);
  defaulter(obj);
  return obj as Obj;
}

const container = (extra: Obj = {}) => ({ name: "c", image: "nginx:1.25", ...extra });
const podSpec = (extra: Obj = {}) => ({ containers: [container()], ...extra });
const template = (spec: Obj = podSpec()) => ({ metadata: { labels: { app: "a" } }, spec });

describe("Pod: requests from limits (Pods only)", () => {
  const cases: [string, Obj, Obj | undefined][] = [
    ["limits only", { limits: { cpu: "1", memory: "1Gi" } }, { cpu: "1", memory: "1Gi" }],
    ["partial requests", { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "100m" } }, { cpu: "100m", memory: "1Gi" }],
    ["requests only", { requests: { cpu: "100m" } }, { cpu: "100m" }],
    ["empty limits", { limits: {} }, undefined],
    ["nothing", {}, undefined],
  ];
  for (const [name, resources, requests] of cases) {
    it(name, () => {
      const pod = run("v1", "Pod", { spec: podSpec({ containers: [container({ resources })], initContainers: [container({ name: "i", resources })] }) });
      assert.deepEqual(pod.spec.containers[0].resources.requests, requests);
      assert.deepEqual(pod.spec.initContainers[0].resources.requests, requests);
    });
  }

  it("not for ephemeral containers, nor in templates", () => {
    const resources = { limits: { cpu: "1" } };
    const pod = run("v1", "Pod", { spec: podSpec({ ephemeralContainers: [container({ name: "e", resources })] }) });
    assert.equal(pod.spec.ephemeralContainers[0].resources.requests, undefined);
    const deployment = run("apps/v1", "Deployment", { spec: { selector: {}, template: template(podSpec({ containers: [container({ resources })] })) } });
    assert.equal(deployment.spec.template.spec.containers[0].resources.requests, undefined);
    assert.equal(deployment.spec.template.spec.enableServiceLinks, undefined);
  });

  it("hostNetwork: hostPort = containerPort in Pods, not in templates", () => {
    const spec = podSpec({ hostNetwork: true, containers: [container({ ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 8081 }] })] });
    assert.deepEqual(
      run("v1", "Pod", { spec }).spec.containers[0].ports.map((p: Obj) => p.hostPort),
      [80, 8081],
    );
    const ds = run("apps/v1", "DaemonSet", { spec: { template: template(spec) } });
    assert.deepEqual(
      ds.spec.template.spec.containers[0].ports.map((p: Obj) => p.hostPort),
      [undefined, 8081],
    );
  });
});

describe("PodSpec, containers, volumes", () => {
  it("volumes: a volume without source gets an emptyDir; set modes are kept", () => {
    const pod = run("v1", "Pod", {
      spec: podSpec({
        volumes: [
          { name: "a" },
          { name: "b", emptyDir: null },
          { name: "c", persistentVolumeClaim: { claimName: "x" } },
          { name: "d", secret: { secretName: "s", defaultMode: 0 } },
          { name: "e", hostPath: { path: "/x", type: "Directory" } },
          { name: "f", projected: { defaultMode: 256, sources: [{ serviceAccountToken: { path: "t", expirationSeconds: 600 } }] } },
          { name: "g", projected: {} },
          { name: "h", csi: { driver: "d" } },
        ],
      }),
    });
    assert.deepEqual(pod.spec.volumes, [
      { name: "a", emptyDir: {} },
      { name: "b", emptyDir: {} },
      { name: "c", persistentVolumeClaim: { claimName: "x" } },
      { name: "d", secret: { secretName: "s", defaultMode: 0 } },
      { name: "e", hostPath: { path: "/x", type: "Directory" } },
      { name: "f", projected: { defaultMode: 256, sources: [{ serviceAccountToken: { path: "t", expirationSeconds: 600 } }] } },
      { name: "g", projected: { defaultMode: 420, sources: null } },
      { name: "h", csi: { driver: "d" } },
    ]);
  });

  it("legacy volume sources get their +default values", () => {
    const pod = run("v1", "Pod", {
      spec: podSpec({
        volumes: [
          { name: "r", rbd: { monitors: ["m"], image: "i" } },
          { name: "i", iscsi: { targetPortal: "p", iqn: "q", lun: 0 } },
          { name: "a", azureDisk: { diskName: "d", diskURI: "u" } },
          { name: "s", scaleIO: { gateway: "g", system: "s", secretRef: { name: "x" } } },
        ],
      }),
    });
    assert.deepEqual(pod.spec.volumes, [
      { name: "r", rbd: { monitors: ["m"], image: "i", pool: "rbd", user: "admin", keyring: "/etc/ceph/keyring" } },
      { name: "i", iscsi: { targetPortal: "p", iqn: "q", lun: 0, iscsiInterface: "default" } },
      { name: "a", azureDisk: { diskName: "d", diskURI: "u", cachingMode: "ReadWrite", fsType: "ext4", readOnly: false, kind: "Shared" } },
      { name: "s", scaleIO: { gateway: "g", system: "s", secretRef: { name: "x" }, storageMode: "ThinProvisioned", fsType: "xfs" } },
    ]);
  });

  it("probes: zero values count as unset, set values are kept", () => {
    const probe = { exec: { command: ["true"] }, timeoutSeconds: 0, periodSeconds: 30, successThreshold: 0, failureThreshold: 5 };
    const pod = run("v1", "Pod", { spec: podSpec({ containers: [container({ livenessProbe: probe })] }) });
    assert.deepEqual(pod.spec.containers[0].livenessProbe, { exec: { command: ["true"] }, timeoutSeconds: 1, periodSeconds: 30, successThreshold: 1, failureThreshold: 5 });
  });

  it("httpGet path, scheme and grpc service", () => {
    const pod = run("v1", "Pod", {
      spec: podSpec({
        containers: [
          container({
            readinessProbe: { httpGet: { port: 80, scheme: "HTTPS", path: "/ready" } },
            livenessProbe: { grpc: { port: 9000, service: "health" } },
            startupProbe: { grpc: { port: 9000, service: null } },
            lifecycle: { postStart: { httpGet: { port: 80 } } },
          }),
        ],
      }),
    });
    const c = pod.spec.containers[0];
    assert.deepEqual(c.readinessProbe.httpGet, { port: 80, scheme: "HTTPS", path: "/ready" });
    assert.equal(c.livenessProbe.grpc.service, "health");
    assert.equal(c.startupProbe.grpc.service, "");
    assert.deepEqual(c.lifecycle.postStart.httpGet, { port: 80, path: "/", scheme: "HTTP" });
  });

  it("does not throw on shapes validation will reject", () => {
    for (const spec of [undefined, null, "x", [], { containers: "x" }, { containers: [null, 1, "c"] }, { volumes: [null] }]) {
      assert.doesNotThrow(() => run("v1", "Pod", { spec }));
      assert.doesNotThrow(() => run("apps/v1", "Deployment", { spec: { template: { spec } } }));
    }
  });
});

describe("workloads", () => {
  it("Deployment strategy", () => {
    const cases: [Obj | undefined, Obj][] = [
      [undefined, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } }],
      [{ type: "Recreate" }, { type: "Recreate" }],
      [{ rollingUpdate: { maxUnavailable: 0 } }, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } }],
      [{ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%", maxSurge: 2 } }, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%", maxSurge: 2 } }],
    ];
    for (const [strategy, expected] of cases) {
      const d = run("apps/v1", "Deployment", { spec: { template: template(), ...(strategy ? { strategy } : {}) } });
      assert.deepEqual(d.spec.strategy, expected);
    }
  });

  it("StatefulSet update strategy: rollingUpdate is only created when the type was unset", () => {
    const cases: [Obj | undefined, Obj][] = [
      [undefined, { type: "RollingUpdate", rollingUpdate: { partition: 0 } }],
      [{ type: "OnDelete" }, { type: "OnDelete" }],
      [{ type: "RollingUpdate" }, { type: "RollingUpdate" }],
      [{ type: "RollingUpdate", rollingUpdate: {} }, { type: "RollingUpdate", rollingUpdate: { partition: 0 } }],
      [{ rollingUpdate: { partition: 2 } }, { type: "RollingUpdate", rollingUpdate: { partition: 2 } }],
    ];
    for (const [updateStrategy, expected] of cases) {
      const s = run("apps/v1", "StatefulSet", { spec: { template: template(), ...(updateStrategy ? { updateStrategy } : {}) } });
      assert.deepEqual(s.spec.updateStrategy, expected);
    }
  });

  it("StatefulSet claim templates: apiVersion/kind are always v1 PersistentVolumeClaim", () => {
    const s = run("apps/v1", "StatefulSet", {
      spec: { template: template(), volumeClaimTemplates: [{ apiVersion: "v9", kind: "Other", metadata: { name: "d" }, spec: { volumeMode: "Block" } }] },
    });
    assert.deepEqual(s.spec.volumeClaimTemplates[0], {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "d", creationTimestamp: null },
      spec: { volumeMode: "Block", resources: {} },
      status: { phase: "Pending" },
    });
  });

  it("DaemonSet OnDelete gets no rollingUpdate", () => {
    const ds = run("apps/v1", "DaemonSet", { spec: { template: template(), updateStrategy: { type: "OnDelete" } } });
    assert.deepEqual(ds.spec.updateStrategy, { type: "OnDelete" });
  });

  it("Job completions and parallelism", () => {
    const cases: [Obj, Obj][] = [
      [{}, { completions: 1, parallelism: 1 }],
      [{ completions: 5 }, { completions: 5, parallelism: 1 }],
      [{ parallelism: 3 }, { completions: undefined, parallelism: 3 }],
      [{ completions: 0, parallelism: 0 }, { completions: 0, parallelism: 0 }],
    ];
    for (const [given, expected] of cases) {
      const job = run("batch/v1", "Job", { spec: { template: template(), ...given } });
      assert.deepEqual({ completions: job.spec.completions, parallelism: job.spec.parallelism }, expected);
    }
  });

  it("Job backoffLimit and podReplacementPolicy", () => {
    const pfp = { rules: [{ action: "FailJob", onPodConditions: [{ type: "ConfigIssue" }, { type: "X", status: "False" }] }] };
    const cases: [Obj, Obj][] = [
      [{}, { backoffLimit: 6, podReplacementPolicy: "TerminatingOrFailed" }],
      [{ backoffLimitPerIndex: 2, completionMode: "Indexed" }, { backoffLimit: 2147483647, podReplacementPolicy: "TerminatingOrFailed" }],
      [{ backoffLimit: 0, podFailurePolicy: pfp }, { backoffLimit: 0, podReplacementPolicy: "Failed" }],
      [{ podReplacementPolicy: "Failed" }, { backoffLimit: 6, podReplacementPolicy: "Failed" }],
    ];
    for (const [given, expected] of cases) {
      const job = run("batch/v1", "Job", { spec: { template: template(), ...given } });
      assert.deepEqual({ backoffLimit: job.spec.backoffLimit, podReplacementPolicy: job.spec.podReplacementPolicy }, expected);
    }
    const job = run("batch/v1", "Job", { spec: { template: template(), podFailurePolicy: pfp } });
    assert.deepEqual(job.spec.podFailurePolicy.rules[0].onPodConditions, [
      { type: "ConfigIssue", status: "True" },
      { type: "X", status: "False" },
    ]);
  });

  it("Job labels come from the template only when the Job has none", () => {
    assert.deepEqual(run("batch/v1", "Job", { spec: { template: template() } }).metadata.labels, { app: "a" });
    const labelled = run("batch/v1", "Job", { metadata: { name: "j", labels: { own: "x" } }, spec: { template: template() } });
    assert.deepEqual(labelled.metadata.labels, { own: "x" });
  });

  it("ReplicationController selector and labels from the template only when empty", () => {
    const rc = run("v1", "ReplicationController", { metadata: { name: "r", labels: { own: "x" } }, spec: { selector: { app: "a", v: "1" }, template: template() } });
    assert.deepEqual(rc.metadata.labels, { own: "x" });
    assert.deepEqual(rc.spec.selector, { app: "a", v: "1" });
    assert.equal(rc.spec.replicas, 1);
  });

  it("CronJob pod failure policy patterns get their status default", () => {
    const pfp = { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] }] };
    const cj = run("batch/v1", "CronJob", { spec: { schedule: "* * * * *", jobTemplate: { spec: { podFailurePolicy: pfp, template: template() } } } });
    assert.equal(cj.spec.jobTemplate.spec.podFailurePolicy.rules[0].onPodConditions[0].status, "True");
    assert.equal(cj.spec.jobTemplate.spec.backoffLimit, undefined);
  });
});

describe("other groups", () => {
  it("NetworkPolicy policyTypes", () => {
    const cases: [Obj, string[]][] = [
      [{}, ["Ingress"]],
      [{ ingress: [{}] }, ["Ingress"]],
      [{ egress: [{}] }, ["Ingress", "Egress"]],
      [{ egress: [] }, ["Ingress"]],
      [{ policyTypes: ["Egress"], ingress: [{}] }, ["Egress"]],
    ];
    for (const [spec, types] of cases) assert.deepEqual(run("networking.k8s.io/v1", "NetworkPolicy", { spec }).spec.policyTypes, types);
  });

  it("HPA v2 behavior: only the given rule set's nil fields are filled", () => {
    const hpa = run("autoscaling/v2", "HorizontalPodAutoscaler", {
      spec: {
        maxReplicas: 3,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }],
        behavior: { scaleUp: { selectPolicy: "Disabled" }, scaleDown: { policies: [{ type: "Pods", value: 1, periodSeconds: 60 }], selectPolicy: "Min" } },
      },
    });
    assert.deepEqual(hpa.spec.behavior, {
      scaleUp: {
        selectPolicy: "Disabled",
        stabilizationWindowSeconds: 0,
        policies: [
          { type: "Pods", value: 4, periodSeconds: 15 },
          { type: "Percent", value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { policies: [{ type: "Pods", value: 1, periodSeconds: 60 }], selectPolicy: "Min" },
    });
    assert.equal(hpa.spec.metrics.length, 1);
  });

  it("RBAC subjects: only User and Group get the RBAC group", () => {
    const rb = run("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", {
      roleRef: { kind: "ClusterRole", name: "view", apiGroup: "custom.example.com" },
      subjects: [{ kind: "ServiceAccount", name: "a", namespace: "n" }, { kind: "User", name: "u", apiGroup: "custom" }, { kind: "Group", name: "g" }, { kind: "Other", name: "o" }],
    });
    assert.equal(rb.roleRef.apiGroup, "custom.example.com");
    assert.deepEqual(
      rb.subjects.map((s: Obj) => s.apiGroup),
      [undefined, "custom", "rbac.authorization.k8s.io", undefined],
    );
  });

  it("Namespace name label overrides a wrong value, as upstream does", () => {
    const ns = run("v1", "Namespace", { metadata: { name: "team-a", labels: { "kubernetes.io/metadata.name": "other" } } });
    assert.equal(ns.metadata.labels["kubernetes.io/metadata.name"], "team-a");
  });

  it("Node allocatable defaults to capacity", () => {
    const node = run("v1", "Node", { metadata: { name: "n" }, status: { capacity: { cpu: "4", memory: "16384Mi", pods: "110" } } });
    assert.deepEqual(node.status.allocatable, { cpu: "4", memory: "16Gi", pods: "110" });
    assert.deepEqual(node.status.capacity, { cpu: "4", memory: "16Gi", pods: "110" });
  });

  it("FlowSchema and PriorityLevelConfiguration keep set values, exempt levels default to 0", () => {
    assert.equal(run("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", { spec: { matchingPrecedence: 500 } }).spec.matchingPrecedence, 500);
    const exempt = run("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", { spec: { type: "Exempt", exempt: {} } });
    assert.deepEqual(exempt.spec.exempt, { nominalConcurrencyShares: 0, lendablePercent: 0 });
    const limited = run("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", {
      spec: { type: "Limited", limited: { nominalConcurrencyShares: 0, limitResponse: { type: "Reject" } } },
    });
    assert.deepEqual(limited.spec.limited, { nominalConcurrencyShares: 0, lendablePercent: 0, limitResponse: { type: "Reject" } });
  });

  it("CRD webhook conversion service port", () => {
    const crd = run("apiextensions.k8s.io/v1", "CustomResourceDefinition", {
      spec: {
        names: { kind: "Foo", plural: "foos", singular: "thefoo" },
        conversion: { strategy: "Webhook", webhook: { clientConfig: { service: { name: "s", namespace: "n" } }, conversionReviewVersions: ["v1"] } },
        versions: [{ name: "v1", served: true, storage: true }],
      },
    });
    assert.equal(crd.spec.conversion.webhook.clientConfig.service.port, 443);
    assert.equal(crd.spec.names.singular, "thefoo");
  });
});
