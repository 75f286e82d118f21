// The patches kubectl (and the kubelet / garbage collector) actually send, applied end to end to
// full stored objects: apply's three-way strategic merge patch, set env / set image, rollout
// restart / undo, cordon / uncordon, taint, label / annotate (merge patch), finalizer removal.
// Expected results are written as "the stored object, except ...".
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyJsonPatch, parseJsonPatch } from "../../../src/endpoints/patch/json-patch.js";
import { applyMergePatch } from "../../../src/endpoints/patch/merge-patch.js";
import { CONFIGMAP, DEPLOYMENT, NODE, POD, STATEFULSET, type Json, deepFreeze, directivePaths, edited, smp } from "./helpers.js";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

function deployment() {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "shop",
      uid: "5b0e8a3c-2f4d-4c61-9a57-0d4f1c3b9e21",
      resourceVersion: "48213",
      generation: 3,
      creationTimestamp: "2025-01-10T09:00:00Z",
      labels: { app: "web", team: "storefront" },
      annotations: { "deployment.kubernetes.io/revision": "3", [LAST_APPLIED]: '{"apiVersion":"apps/v1","kind":"Deployment","v":1}\n' },
    },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "web",
              image: "registry.example.com/web:1.4.2",
              imagePullPolicy: "IfNotPresent",
              ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
              env: [
                { name: "LOG_LEVEL", value: "info" },
                { name: "DEBUG", value: "true" },
                { name: "DB_URL", valueFrom: { secretKeyRef: { name: "db", key: "url" } } },
              ],
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
              volumeMounts: [{ name: "config", mountPath: "/etc/web", readOnly: true }],
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
            {
              name: "log-shipper",
              image: "fluent/fluent-bit:2.2",
              imagePullPolicy: "IfNotPresent",
              args: ["--config=/fluent-bit/etc/fluent-bit.conf"],
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
          volumes: [{ name: "config", configMap: { name: "web-config", defaultMode: 420 } }],
          restartPolicy: "Always",
          terminationGracePeriodSeconds: 30,
          dnsPolicy: "ClusterFirst",
          schedulerName: "default-scheduler",
          securityContext: {},
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: "Available", status: "True", reason: "MinimumReplicasAvailable", lastTransitionTime: "2025-01-10T09:01:00Z" },
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", lastTransitionTime: "2025-01-10T09:01:00Z" },
      ],
    },
  };
}
type Deployment = ReturnType<typeof deployment>;
const web = (d: Deployment) => d.spec.template.spec.containers[0] as unknown as { image: string; env: Json[] };
const bothContainers = [{ name: "web" }, { name: "log-shipper" }];

function statefulSet() {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "cache", namespace: "shop", uid: "9f1d", generation: 7 },
    spec: {
      replicas: 3,
      serviceName: "cache",
      podManagementPolicy: "OrderedReady",
      selector: { matchLabels: { app: "cache" } },
      template: {
        metadata: { labels: { app: "cache", version: "7.2" }, annotations: { [RESTARTED_AT]: "2025-02-02T02:02:02Z" } },
        spec: {
          containers: [
            { name: "redis", image: "redis:7.2", args: ["--appendonly", "yes"], ports: [{ containerPort: 6379, name: "redis" }] },
            { name: "exporter", image: "oliver006/redis_exporter:v1.58.0" },
          ],
          volumes: [{ name: "conf", configMap: { name: "redis-conf" } }],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
    },
    status: { replicas: 3, readyReplicas: 3, currentRevision: "cache-7d5b9", updateRevision: "cache-7d5b9" },
  };
}

function node(extraSpec: Record<string, unknown> = {}) {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: "worker-1",
      uid: "e1f4",
      labels: { "kubernetes.io/hostname": "worker-1", "kubernetes.io/os": "linux", "node-role.kubernetes.io/worker": "" },
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec: { podCIDR: "10.244.1.0/24", podCIDRs: ["10.244.1.0/24"], providerID: "kind://docker/kind/worker-1", ...extraSpec },
    status: {
      capacity: { cpu: "8", memory: "16318924Ki", pods: "110" },
      allocatable: { cpu: "8", memory: "16216524Ki", pods: "110" },
      conditions: [
        { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", lastHeartbeatTime: "2025-03-01T10:00:00Z", lastTransitionTime: "2025-02-01T00:00:00Z" },
        { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", lastHeartbeatTime: "2025-03-01T10:00:00Z", lastTransitionTime: "2025-02-01T00:00:00Z" },
        { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", lastHeartbeatTime: "2025-03-01T10:00:00Z", lastTransitionTime: "2025-02-01T00:00:00Z" },
        { type: "Ready", status: "True", reason: "KubeletReady", lastHeartbeatTime: "2025-03-01T10:00:00Z", lastTransitionTime: "2025-02-01T00:00:05Z" },
      ],
      addresses: [
        { type: "InternalIP", address: "172.18.0.3" },
        { type: "Hostname", address: "worker-1" },
      ],
      nodeInfo: { kubeletVersion: "v1.31.0", osImage: "Debian GNU/Linux 12 (bookworm)" },
    },
  };
}

function pod() {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "web-6d4cf56db6-x7k2p",
      namespace: "shop",
      uid: "c0ffee00-1111-2222-3333-444455556666",
      labels: { app: "web", "pod-template-hash": "6d4cf56db6" },
      finalizers: ["example.com/drain-connections"],
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-6d4cf56db6", uid: "aa11-bb22", controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: { nodeName: "worker-1", containers: [{ name: "web", image: "registry.example.com/web:1.4.2" }] },
    status: { phase: "Running", podIP: "10.244.1.17" },
  };
}

interface Row {
  name: string;
  run: () => unknown;
  expected: unknown;
  todo?: string;
}

const rows: Row[] = [
  {
    name: "kubectl apply: three-way patch removing an env var with $patch: delete",
    run: () =>
      smp(DEPLOYMENT, deployment(), {
        metadata: { annotations: { [LAST_APPLIED]: '{"apiVersion":"apps/v1","kind":"Deployment","v":2}\n' } },
        spec: {
          template: {
            spec: {
              "$setElementOrder/containers": bothContainers,
              containers: [{ "$setElementOrder/env": [{ name: "LOG_LEVEL" }, { name: "DB_URL" }], env: [{ $patch: "delete", name: "DEBUG" }], name: "web" }],
            },
          },
        },
      }),
    expected: edited(deployment(), (d) => {
      d.metadata.annotations[LAST_APPLIED] = '{"apiVersion":"apps/v1","kind":"Deployment","v":2}\n';
      web(d).env = [web(d).env[0]!, web(d).env[2]!];
    }),
  },
  {
    name: "kubectl apply: new image, replicas, a trailing env var and a switch to Recreate in one patch",
    run: () =>
      smp(DEPLOYMENT, deployment(), {
        metadata: { annotations: { [LAST_APPLIED]: "{}\n" } },
        spec: {
          replicas: 4,
          strategy: { $retainKeys: ["type"], type: "Recreate" },
          template: {
            spec: {
              "$setElementOrder/containers": bothContainers,
              containers: [
                {
                  "$setElementOrder/env": [{ name: "LOG_LEVEL" }, { name: "DEBUG" }, { name: "DB_URL" }, { name: "FEATURE_X" }],
                  env: [{ name: "FEATURE_X", value: "on" }],
                  image: "registry.example.com/web:1.5.0",
                  name: "web",
                },
              ],
            },
          },
        },
      }),
    expected: edited(deployment(), (d) => {
      d.metadata.annotations[LAST_APPLIED] = "{}\n";
      d.spec.replicas = 4;
      d.spec.strategy = { type: "Recreate" } as never;
      web(d).image = "registry.example.com/web:1.5.0";
      web(d).env.push({ name: "FEATURE_X", value: "on" });
    }),
  },
  {
    name: "kubectl set env deployment/web LOG_LEVEL=debug",
    run: () =>
      smp(DEPLOYMENT, deployment(), {
        spec: {
          template: {
            spec: {
              "$setElementOrder/containers": bothContainers,
              containers: [
                { "$setElementOrder/env": [{ name: "LOG_LEVEL" }, { name: "DEBUG" }, { name: "DB_URL" }], env: [{ name: "LOG_LEVEL", value: "debug" }], name: "web" },
              ],
            },
          },
        },
      }),
    expected: edited(deployment(), (d) => {
      web(d).env[0]!.value = "debug";
    }),
  },
  {
    name: "kubectl set env deployment/web -c web CACHE_TTL=60 appends the new variable",
    run: () =>
      smp(DEPLOYMENT, deployment(), {
        spec: {
          template: {
            spec: {
              "$setElementOrder/containers": bothContainers,
              containers: [
                {
                  "$setElementOrder/env": [{ name: "LOG_LEVEL" }, { name: "DEBUG" }, { name: "DB_URL" }, { name: "CACHE_TTL" }],
                  env: [{ name: "CACHE_TTL", value: "60" }],
                  name: "web",
                },
              ],
            },
          },
        },
      }),
    expected: edited(deployment(), (d) => {
      web(d).env.push({ name: "CACHE_TTL", value: "60" });
    }),
  },
  {
    name: "kubectl set env deployment/web DEBUG- removes the variable",
    run: () =>
      smp(DEPLOYMENT, deployment(), {
        spec: {
          template: {
            spec: {
              "$setElementOrder/containers": bothContainers,
              containers: [{ "$setElementOrder/env": [{ name: "LOG_LEVEL" }, { name: "DB_URL" }], env: [{ $patch: "delete", name: "DEBUG" }], name: "web" }],
            },
          },
        },
      }),
    expected: edited(deployment(), (d) => {
      web(d).env.splice(1, 1);
    }),
  },
  {
    name: "kubectl set image deployment/web log-shipper=fluent/fluent-bit:3.0",
    run: () =>
      smp(DEPLOYMENT, deployment(), {
        spec: { template: { spec: { "$setElementOrder/containers": bothContainers, containers: [{ image: "fluent/fluent-bit:3.0", name: "log-shipper" }] } } },
      }),
    expected: edited(deployment(), (d) => {
      d.spec.template.spec.containers[1]!.image = "fluent/fluent-bit:3.0";
    }),
  },
  {
    name: "kubectl rollout restart adds the restartedAt annotation to the pod template",
    run: () => smp(DEPLOYMENT, deployment(), { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: "2025-03-04T05:06:07Z" } } } } }),
    expected: edited(deployment(), (d) => {
      (d.spec.template.metadata as Json).annotations = { [RESTARTED_AT]: "2025-03-04T05:06:07Z" };
    }),
  },
  {
    name: "kubectl rollout restart again overwrites restartedAt and keeps other template annotations",
    run: () =>
      smp(
        STATEFULSET,
        edited(statefulSet(), (s) => {
          (s.spec.template.metadata.annotations as Json)["prometheus.io/scrape"] = "true";
        }),
        { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: "2025-03-04T05:06:07Z" } } } } },
      ),
    expected: edited(statefulSet(), (s) => {
      s.spec.template.metadata.annotations = { [RESTARTED_AT]: "2025-03-04T05:06:07Z", "prometheus.io/scrape": "true" } as never;
    }),
  },
  {
    name: "kubectl rollout undo statefulset/cache: `$patch: replace` on the pod template",
    run: () =>
      smp(STATEFULSET, statefulSet(), {
        spec: {
          template: {
            $patch: "replace",
            metadata: { labels: { app: "cache", version: "7.0" } },
            spec: { containers: [{ name: "redis", image: "redis:7.0", ports: [{ containerPort: 6379, name: "redis" }] }] },
          },
        },
      }),
    expected: edited(statefulSet(), (s) => {
      s.spec.template = {
        metadata: { labels: { app: "cache", version: "7.0" } },
        spec: { containers: [{ name: "redis", image: "redis:7.0", ports: [{ containerPort: 6379, name: "redis" }] }] },
      } as never;
    }),
  },
  {
    name: "kubectl rollout undo deployment/web: JSON patch replacing /spec/template and /metadata/annotations",
    run: () => {
      // the template of the ReplicaSet of revision 2, pod-template-hash label already stripped
      const template = edited(deployment().spec.template, (t) => {
        t.spec.containers[0]!.image = "registry.example.com/web:1.3.9";
      });
      const ops = deepFreeze(
        parseJsonPatch([
          { op: "replace", path: "/spec/template", value: template },
          { op: "replace", path: "/metadata/annotations", value: { "deployment.kubernetes.io/revision": "3" } },
        ]),
      );
      return applyJsonPatch(deepFreeze(deployment()), ops);
    },
    expected: edited(deployment(), (d) => {
      web(d).image = "registry.example.com/web:1.3.9";
      d.metadata.annotations = { "deployment.kubernetes.io/revision": "3" } as never;
    }),
  },
  {
    name: "kubectl cordon: {spec:{unschedulable:true}}",
    run: () => smp(NODE, node(), { spec: { unschedulable: true } }),
    expected: edited(node(), (n) => {
      (n.spec as Json).unschedulable = true;
    }),
  },
  {
    name: "kubectl uncordon: {spec:{unschedulable:null}} removes the field",
    run: () => smp(NODE, node({ unschedulable: true }), { spec: { unschedulable: null } }),
    expected: node(),
  },
  {
    name: "kubectl taint node worker-1 dedicated=gpu:NoSchedule on an untainted node",
    run: () => smp(NODE, node(), { spec: { taints: [{ effect: "NoSchedule", key: "dedicated", value: "gpu" }] } }),
    expected: node({ taints: [{ effect: "NoSchedule", key: "dedicated", value: "gpu" }] }),
  },
  {
    name: "kubectl taint sends the whole new list, which replaces the live one",
    run: () =>
      smp(NODE, node({ taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }, { key: "maintenance", effect: "NoExecute" }] }), {
        spec: { taints: [{ effect: "NoSchedule", key: "dedicated", value: "gpu" }, { effect: "PreferNoSchedule", key: "spot" }] },
      }),
    expected: node({ taints: [{ effect: "NoSchedule", key: "dedicated", value: "gpu" }, { effect: "PreferNoSchedule", key: "spot" }] }),
  },
  {
    name: "kubectl taint node worker-1 dedicated:NoSchedule- removing the last taint sends taints: null",
    run: () => smp(NODE, node({ taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] }), { spec: { taints: null } }),
    expected: node(),
  },
  {
    name: "kubelet node status heartbeat: $setElementOrder/conditions with every condition's new heartbeat",
    run: () => {
      const types = ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"];
      return smp(NODE, node(), {
        status: {
          "$setElementOrder/conditions": types.map((type) => ({ type })),
          conditions: types.map((type) => ({ lastHeartbeatTime: "2025-03-01T10:00:40Z", type })),
        },
      });
    },
    expected: edited(node(), (n) => {
      for (const cond of n.status.conditions) cond.lastHeartbeatTime = "2025-03-01T10:00:40Z";
    }),
  },
  {
    name: "garbage collector orphaning: $patch: delete of the owner reference by uid",
    run: () =>
      smp(POD, pod(), { metadata: { ownerReferences: [{ $patch: "delete", uid: "aa11-bb22" }], uid: "c0ffee00-1111-2222-3333-444455556666" } }),
    expected: edited(pod(), (p) => {
      p.metadata.ownerReferences = [];
    }),
  },
  {
    name: "kubectl patch -p '{\"metadata\":{\"finalizers\":null}}' (strategic) drops every finalizer",
    run: () => smp(POD, pod(), { metadata: { finalizers: null } }),
    expected: edited(pod(), (p) => {
      delete (p.metadata as Json).finalizers;
    }),
  },
  {
    name: "kubectl apply on a ConfigMap: data keys changed and removed",
    run: () =>
      smp(
        CONFIGMAP,
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web-config", namespace: "shop" }, data: { "app.yaml": "port: 8080\n", "old.flag": "1" } },
        { data: { "app.yaml": "port: 9090\n", "new.flag": "1", "old.flag": null } },
      ),
    expected: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web-config", namespace: "shop" }, data: { "app.yaml": "port: 9090\n", "new.flag": "1" } },
  },
  {
    name: "kubectl label deployment web env=prod (merge patch)",
    run: () => applyMergePatch(deepFreeze(deployment()), deepFreeze({ metadata: { labels: { env: "prod" } } })),
    expected: edited(deployment(), (d) => {
      (d.metadata.labels as Json).env = "prod";
    }),
  },
  {
    name: "kubectl label deployment web team- (merge patch with null)",
    run: () => applyMergePatch(deepFreeze(deployment()), deepFreeze({ metadata: { labels: { team: null } } })),
    expected: edited(deployment(), (d) => {
      delete (d.metadata.labels as Json).team;
    }),
  },
  {
    name: "kubectl label --overwrite deployment web team=checkout (merge patch)",
    run: () => applyMergePatch(deepFreeze(deployment()), deepFreeze({ metadata: { labels: { team: "checkout" } } })),
    expected: edited(deployment(), (d) => {
      d.metadata.labels.team = "checkout";
    }),
  },
  {
    name: "kubectl annotate deployment web example.com/owner=sre (merge patch)",
    run: () => applyMergePatch(deepFreeze(deployment()), deepFreeze({ metadata: { annotations: { "example.com/owner": "sre" } } })),
    expected: edited(deployment(), (d) => {
      (d.metadata.annotations as Json)["example.com/owner"] = "sre";
    }),
  },
  {
    name: "kubectl patch --type=merge -p '{\"metadata\":{\"finalizers\":[]}}'",
    run: () => applyMergePatch(deepFreeze(pod()), deepFreeze({ metadata: { finalizers: [] } })),
    expected: edited(pod(), (p) => {
      p.metadata.finalizers = [];
    }),
  },
];

for (const row of rows) {
  test(row.name, row.todo ? { todo: row.todo } : {}, () => {
    const result = row.run();
    assert.deepEqual(result, row.expected);
    assert.deepEqual(directivePaths(result), []);
  });
}
