// Defaulting is applied to every write (a create or update body, every patch result), so it must
// be idempotent and must never replace what a client set: objects with every defaultable field
// set to a non-default value come out unchanged, and defaulting twice equals defaulting once.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { defaulterFor, defaultedKinds } from "../../../src/registry/defaults/index.js";

type Obj = Record<string, any>;

function defaulterOf(obj: Obj) {
  const apiVersion = String(obj.apiVersion);
  const slash = apiVersion.indexOf("/");
  const [group, version] = slash === -1 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return defaulterFor(group, version, String(obj.kind));
}

function defaulted(obj: Obj): Obj {
  const copy = structuredClone(obj) as KubeObject;
  defaulterOf(copy)?.(copy);
  return copy as Obj;
}

const meta = { name: "x", namespace: "ns", labels: { app: "x" } };
const fullContainer = {
  name: "c",
  image: "nginx",
  imagePullPolicy: "Never",
  terminationMessagePath: "/tmp/msg",
  terminationMessagePolicy: "FallbackToLogsOnError",
  ports: [{ containerPort: 80, protocol: "SCTP" }],
  env: [
    { name: "A", valueFrom: { fieldRef: { apiVersion: "v2", fieldPath: "metadata.name" } } },
    { name: "B", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } } },
  ],
  resources: { limits: { cpu: "2" }, requests: { cpu: "1", memory: "1Gi" } },
  livenessProbe: {
    httpGet: { path: "/x", port: 80, scheme: "HTTPS" },
    timeoutSeconds: 2,
    periodSeconds: 3,
    successThreshold: 1,
    failureThreshold: 4,
  },
  readinessProbe: { grpc: { port: 1, service: "svc" }, timeoutSeconds: 2, periodSeconds: 3, successThreshold: 2, failureThreshold: 4 },
  lifecycle: { preStop: { httpGet: { path: "/stop", port: 80, scheme: "HTTPS" } } },
};
const fullPodSpec = {
  dnsPolicy: "Default",
  restartPolicy: "Never",
  securityContext: { runAsUser: 1000 },
  terminationGracePeriodSeconds: 0,
  schedulerName: "other",
  containers: [fullContainer],
  initContainers: [{ ...fullContainer, name: "i" }],
  volumes: [
    { name: "a", emptyDir: { sizeLimit: "1Gi" } },
    { name: "b", secret: { secretName: "s", defaultMode: 256 } },
    { name: "c", configMap: { name: "c", defaultMode: 0 } },
    { name: "d", hostPath: { path: "/", type: "Directory" } },
    { name: "e", downwardAPI: { defaultMode: 256, items: [{ path: "p", fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } }] } },
    { name: "f", projected: { defaultMode: 256, sources: [{ serviceAccountToken: { path: "t", expirationSeconds: 7200 } }] } },
    {
      name: "g",
      ephemeral: { volumeClaimTemplate: { metadata: { creationTimestamp: null }, spec: { volumeMode: "Block", resources: { requests: { storage: "1Gi" } } } } },
    },
  ],
};
const fullTemplate = { metadata: { creationTimestamp: null, labels: { app: "x" } }, spec: fullPodSpec };

const FULLY_SET: Obj[] = [
  { apiVersion: "v1", kind: "Pod", metadata: meta, spec: { ...fullPodSpec, enableServiceLinks: false } },
  { apiVersion: "v1", kind: "PodTemplate", metadata: meta, template: fullTemplate },
  { apiVersion: "v1", kind: "ReplicationController", metadata: meta, spec: { replicas: 0, selector: { other: "y" }, template: fullTemplate } },
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta,
    spec: {
      type: "LoadBalancer",
      sessionAffinity: "ClientIP",
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } },
      ports: [{ port: 80, protocol: "UDP", targetPort: "dns" }],
      externalTrafficPolicy: "Local",
      internalTrafficPolicy: "Local",
      allocateLoadBalancerNodePorts: false,
    },
    status: { loadBalancer: { ingress: [{ ip: "192.0.2.1", ipMode: "Proxy" }] } },
  },
  { apiVersion: "v1", kind: "Secret", metadata: meta, type: "kubernetes.io/basic-auth" },
  { apiVersion: "v1", kind: "Endpoints", metadata: meta, subsets: [{ ports: [{ port: 1, protocol: "UDP" }] }] },
  {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: meta,
    spec: { persistentVolumeReclaimPolicy: "Recycle", volumeMode: "Block", capacity: { storage: "1Gi" }, hostPath: { path: "/", type: "File" } },
    status: { phase: "Bound" },
  },
  {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: meta,
    spec: { volumeMode: "Block", resources: { requests: { storage: "1Gi" } } },
    status: { phase: "Bound", capacity: { storage: "1Gi" } },
  },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns", labels: { "kubernetes.io/metadata.name": "ns" } }, status: { phase: "Terminating" } },
  {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: meta,
    spec: { limits: [{ type: "Container", max: { cpu: "2" }, min: { cpu: "1m" }, default: { cpu: "1" }, defaultRequest: { cpu: "500m" } }] },
  },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta,
    spec: {
      replicas: 5,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "50%" } },
      revisionHistoryLimit: 0,
      progressDeadlineSeconds: 60,
      template: fullTemplate,
    },
  },
  { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: meta, spec: { replicas: 0, template: fullTemplate } },
  {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: meta,
    spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "10%", maxUnavailable: 0 } }, revisionHistoryLimit: 1, template: fullTemplate },
  },
  {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta,
    spec: {
      podManagementPolicy: "Parallel",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Delete" },
      replicas: 0,
      revisionHistoryLimit: 1,
      template: fullTemplate,
      volumeClaimTemplates: [
        {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: "d", creationTimestamp: null },
          spec: { volumeMode: "Block", resources: {} },
          status: { phase: "Bound" },
        },
      ],
    },
  },
  {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta,
    spec: {
      completions: 3,
      parallelism: 0,
      backoffLimit: 0,
      completionMode: "Indexed",
      suspend: true,
      podReplacementPolicy: "Failed",
      manualSelector: true,
      template: fullTemplate,
    },
  },
  {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta,
    spec: {
      schedule: "@daily",
      concurrencyPolicy: "Forbid",
      suspend: true,
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 0,
      jobTemplate: { metadata: { creationTimestamp: null }, spec: { template: fullTemplate } },
    },
  },
  { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: meta, spec: { minReplicas: 3, maxReplicas: 4 } },
  {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta,
    spec: {
      minReplicas: 3,
      maxReplicas: 4,
      metrics: [{ type: "Pods", pods: { metric: { name: "m" }, target: { type: "AverageValue", averageValue: "500m" } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 10, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 1 }] },
        scaleDown: { stabilizationWindowSeconds: 10, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 1 }] },
      },
    },
  },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta,
    spec: { podSelector: { matchLabels: { a: "b" } }, policyTypes: ["Egress"], egress: [{ ports: [{ port: 1, protocol: "UDP" }] }] },
  },
  { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: meta, spec: { parameters: { kind: "K", name: "n", namespace: "ns", scope: "Namespace" } } },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: meta,
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
    subjects: [{ kind: "User", name: "u", apiGroup: "example.com" }],
  },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta, rules: [] },
  {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: meta,
    provisioner: "p",
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
  },
  {
    apiVersion: "storage.k8s.io/v1",
    kind: "CSIDriver",
    metadata: meta,
    spec: {
      attachRequired: false,
      podInfoOnMount: true,
      storageCapacity: true,
      fsGroupPolicy: "File",
      volumeLifecycleModes: ["Ephemeral"],
      requiresRepublish: true,
      seLinuxMount: true,
    },
  },
  { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: meta, value: 5, preemptionPolicy: "Never" },
  { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: meta, addressType: "IPv4", endpoints: [], ports: [{ name: "p", port: 1, protocol: "UDP" }] },
  {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "MutatingWebhookConfiguration",
    metadata: meta,
    webhooks: [
      {
        name: "w.example.com",
        clientConfig: { service: { name: "s", namespace: "n", port: 8443 } },
        rules: [{ operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*"], scope: "Cluster" }],
        failurePolicy: "Ignore",
        matchPolicy: "Exact",
        namespaceSelector: { matchLabels: { a: "b" } },
        objectSelector: { matchLabels: { c: "d" } },
        timeoutSeconds: 30,
        reinvocationPolicy: "IfNeeded",
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
      },
    ],
  },
  {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: meta,
    spec: {
      failurePolicy: "Ignore",
      matchConstraints: { matchPolicy: "Exact", namespaceSelector: { matchLabels: { a: "b" } }, objectSelector: {}, resourceRules: [{ scope: "Namespaced" }] },
    },
  },
  {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: meta,
    spec: { policyName: "p", paramRef: { name: "x", parameterNotFoundAction: "Allow" } },
  },
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1",
    kind: "PriorityLevelConfiguration",
    metadata: meta,
    spec: {
      type: "Limited",
      limited: { nominalConcurrencyShares: 1, lendablePercent: 50, limitResponse: { type: "Queue", queuing: { handSize: 1, queues: 1, queueLengthLimit: 1 } } },
    },
  },
  {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: meta,
    spec: {
      names: { kind: "Foo", plural: "foos", singular: "thefoo", listKind: "FooCollection" },
      conversion: { strategy: "Webhook", webhook: { clientConfig: { service: { name: "s", namespace: "n", port: 9443 } } } },
      versions: [{ name: "v2", served: true, storage: true }],
    },
    status: { storedVersions: ["v1", "v2"] },
  },
  { apiVersion: "v1", kind: "Node", metadata: { name: "n" }, status: { capacity: { cpu: "4" }, allocatable: { cpu: "3500m" } } },
  { apiVersion: "v1", kind: "ResourceQuota", metadata: meta, spec: { hard: { pods: "10" } }, status: { hard: { pods: "10" }, used: { pods: "1" } } },
  {
    apiVersion: "v1",
    kind: "Event",
    metadata: meta,
    involvedObject: { kind: "Pod", name: "p" },
    source: { component: "c" },
    eventTime: "2025-01-01T00:00:00.000000Z",
    firstTimestamp: "2025-01-01T00:00:00Z",
    lastTimestamp: "2025-01-01T00:00:00Z",
    reportingComponent: "c",
    reportingInstance: "i",
  },
  {
    apiVersion: "storage.k8s.io/v1",
    kind: "VolumeAttachment",
    metadata: { name: "va" },
    spec: {
      attacher: "a",
      nodeName: "n",
      source: { inlineVolumeSpec: { capacity: { storage: "1Gi" }, hostPath: { path: "/", type: "" }, iscsi: { iqn: "q", lun: 0, targetPortal: "t", iscsiInterface: "x" } } },
    },
  },
  { apiVersion: "storage.k8s.io/v1", kind: "CSIStorageCapacity", metadata: meta, storageClassName: "s", capacity: "10Gi", maximumVolumeSize: "1Ti" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1", kind: "FlowSchema", metadata: { name: "f" }, spec: { matchingPrecedence: 1, priorityLevelConfiguration: { name: "p" } } },
  {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "v" },
    webhooks: [
      {
        name: "v.example.com",
        clientConfig: { url: "https://v.example.com" },
        failurePolicy: "Ignore",
        matchPolicy: "Exact",
        namespaceSelector: {},
        objectSelector: {},
        timeoutSeconds: 1,
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
      },
    ],
  },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "cr" }, rules: null },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "crb" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "r" },
  },
  {
    apiVersion: "apiregistration.k8s.io/v1",
    kind: "APIService",
    metadata: { name: "v1beta1.metrics.k8s.io" },
    spec: { group: "metrics.k8s.io", version: "v1beta1", groupPriorityMinimum: 100, versionPriority: 100, service: { namespace: "kube-system", name: "metrics-server", port: 4443 } },
  },
];

describe("never overwriting set values", () => {
  for (const obj of FULLY_SET) {
    it(`${obj.apiVersion} ${obj.kind}`, () => assert.deepStrictEqual(defaulted(obj), obj));
  }
});

describe("defaulting twice equals defaulting once", () => {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../golden/manifests");
  const manifests = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => YAML.parse(readFileSync(path.join(dir, f), "utf8")) as Obj);
  for (const obj of [...manifests, ...FULLY_SET]) {
    it(`${obj.kind} ${obj.metadata?.name}`, () => {
      const once = defaulted(obj);
      assert.deepStrictEqual(defaulted(once), once);
    });
  }

  it("every defaulted kind is exercised", () => {
    const seen = new Set([...manifests, ...FULLY_SET].map((o) => `${String(o.apiVersion).includes("/") ? o.apiVersion : `/${o.apiVersion}`}/${o.kind}`));
    assert.deepEqual(
      defaultedKinds().filter((k) => !seen.has(k)),
      [],
    );
  });
});
