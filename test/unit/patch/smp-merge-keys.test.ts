// Strategic merge patch: merge keys and patch strategies per field, as the generated schemas
// declare them and kubectl relies on them (upstream apimachinery strategicpatch mergeMap /
// mergeSlice), map merges, nested merges inside merged elements, and where new list elements land
// (upstream normalizeElementOrder / mergeSortedSlice).
import { test } from "node:test";
import { CONFIGMAP, NODE, POD, type SmpCase, smpCaseBody } from "./helpers.js";

const podSpec = (spec: Record<string, unknown>) => ({ spec });
const containers = (...list: unknown[]) => podSpec({ containers: list });

const mergeKeyCases: SmpCase[] = [
  {
    name: "containers merge by name: the patched field changes, the rest of the element and the other elements stay",
    original: containers(
      { name: "web", image: "nginx:1.25", imagePullPolicy: "IfNotPresent" },
      { name: "sidecar", image: "envoy:1.30" },
    ),
    patch: containers({ name: "web", image: "nginx:1.27" }),
    expected: containers({ name: "web", image: "nginx:1.27", imagePullPolicy: "IfNotPresent" }, { name: "sidecar", image: "envoy:1.30" }),
  },
  {
    name: "initContainers merge by name",
    original: podSpec({
      initContainers: [
        { name: "wait-db", image: "busybox:1.36", command: ["sh", "-c", "until nc -z db 5432; do sleep 1; done"] },
        { name: "migrate", image: "app-migrate:7" },
      ],
    }),
    patch: podSpec({ initContainers: [{ name: "migrate", image: "app-migrate:8" }] }),
    expected: podSpec({
      initContainers: [
        { name: "wait-db", image: "busybox:1.36", command: ["sh", "-c", "until nc -z db 5432; do sleep 1; done"] },
        { name: "migrate", image: "app-migrate:8" },
      ],
    }),
  },
  {
    name: "env merges by name: an existing variable changes value, the others stay",
    original: containers({
      name: "web",
      env: [
        { name: "LOG_LEVEL", value: "info" },
        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      ],
    }),
    patch: containers({ name: "web", env: [{ name: "LOG_LEVEL", value: "debug" }] }),
    expected: containers({
      name: "web",
      env: [
        { name: "LOG_LEVEL", value: "debug" },
        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      ],
    }),
  },
  {
    name: "env: null inside a merged element deletes that field of the element only",
    original: containers({
      name: "web",
      env: [
        { name: "LOG_LEVEL", value: "info" },
        { name: "TOKEN", valueFrom: { secretKeyRef: { name: "tok", key: "t" } } },
      ],
    }),
    patch: containers({ name: "web", env: [{ name: "TOKEN", valueFrom: null, value: "literal" }] }),
    expected: containers({
      name: "web",
      env: [
        { name: "LOG_LEVEL", value: "info" },
        { name: "TOKEN", value: "literal" },
      ],
    }),
  },
  {
    name: "volumes merge by name",
    original: podSpec({
      volumes: [
        { name: "data", persistentVolumeClaim: { claimName: "data-0" } },
        { name: "config", configMap: { name: "app-v1", defaultMode: 420 } },
      ],
    }),
    patch: podSpec({ volumes: [{ name: "config", configMap: { name: "app-v2" } }] }),
    expected: podSpec({
      volumes: [
        { name: "data", persistentVolumeClaim: { claimName: "data-0" } },
        { name: "config", configMap: { name: "app-v2", defaultMode: 420 } },
      ],
    }),
  },
  {
    name: "volumes: without $retainKeys a new source is merged next to the old one",
    original: podSpec({ volumes: [{ name: "scratch", emptyDir: {} }] }),
    patch: podSpec({ volumes: [{ name: "scratch", secret: { secretName: "s" } }] }),
    expected: podSpec({ volumes: [{ name: "scratch", emptyDir: {}, secret: { secretName: "s" } }] }),
  },
  {
    name: "imagePullSecrets merge by name (a new secret is added, the live one kept)",
    original: podSpec({ imagePullSecrets: [{ name: "regcred" }] }),
    patch: podSpec({ imagePullSecrets: [{ name: "ghcr" }] }),
    expected: podSpec({ imagePullSecrets: [{ name: "ghcr" }, { name: "regcred" }] }),
  },
  {
    name: "imagePullSecrets: an entry already present is not duplicated",
    original: podSpec({ imagePullSecrets: [{ name: "regcred" }, { name: "ghcr" }] }),
    patch: podSpec({ imagePullSecrets: [{ name: "regcred" }] }),
    expected: podSpec({ imagePullSecrets: [{ name: "regcred" }, { name: "ghcr" }] }),
  },
  {
    name: "container ports merge by containerPort",
    original: containers({
      name: "web",
      ports: [
        { containerPort: 8080, name: "http", protocol: "TCP" },
        { containerPort: 9090, name: "metrics", protocol: "TCP" },
      ],
    }),
    patch: containers({ name: "web", ports: [{ containerPort: 9090, name: "prom" }] }),
    expected: containers({
      name: "web",
      ports: [
        { containerPort: 8080, name: "http", protocol: "TCP" },
        { containerPort: 9090, name: "prom", protocol: "TCP" },
      ],
    }),
  },
  {
    name: "container ports: the merge key is containerPort alone, so a UDP entry on the same port merges into the TCP one",
    original: containers({ name: "dns", ports: [{ containerPort: 53, protocol: "TCP", name: "dns-tcp" }] }),
    patch: containers({ name: "dns", ports: [{ containerPort: 53, protocol: "UDP", name: "dns" }] }),
    expected: containers({ name: "dns", ports: [{ containerPort: 53, protocol: "UDP", name: "dns" }] }),
  },
  {
    name: "service ports merge by port",
    root: "io.k8s.api.core.v1.Service",
    original: {
      spec: {
        type: "ClusterIP",
        ports: [
          { name: "http", port: 80, protocol: "TCP", targetPort: 8080 },
          { name: "https", port: 443, protocol: "TCP", targetPort: 8443 },
        ],
      },
    },
    patch: { spec: { ports: [{ port: 443, targetPort: 9443 }] } },
    expected: {
      spec: {
        type: "ClusterIP",
        ports: [
          { name: "http", port: 80, protocol: "TCP", targetPort: 8080 },
          { name: "https", port: 443, protocol: "TCP", targetPort: 9443 },
        ],
      },
    },
  },
  {
    name: "volumeMounts merge by mountPath",
    original: containers({
      name: "web",
      volumeMounts: [
        { name: "data", mountPath: "/var/lib/app" },
        { name: "config", mountPath: "/etc/app", readOnly: true },
      ],
    }),
    patch: containers({ name: "web", volumeMounts: [{ mountPath: "/etc/app", name: "config-v2" }] }),
    expected: containers({
      name: "web",
      volumeMounts: [
        { name: "data", mountPath: "/var/lib/app" },
        { name: "config-v2", mountPath: "/etc/app", readOnly: true },
      ],
    }),
  },
  {
    name: "pod status conditions merge by type",
    original: {
      status: {
        phase: "Pending",
        conditions: [
          { type: "PodScheduled", status: "True" },
          { type: "Ready", status: "False", reason: "ContainersNotReady" },
        ],
      },
    },
    patch: { status: { conditions: [{ type: "Ready", status: "True", reason: null }] } },
    expected: {
      status: {
        phase: "Pending",
        conditions: [
          { type: "PodScheduled", status: "True" },
          { type: "Ready", status: "True" },
        ],
      },
    },
  },
  {
    name: "node status conditions merge by type",
    root: NODE,
    original: {
      status: {
        conditions: [
          { type: "MemoryPressure", status: "False", lastHeartbeatTime: "2025-01-01T00:00:00Z" },
          { type: "Ready", status: "True", lastHeartbeatTime: "2025-01-01T00:00:00Z" },
        ],
      },
    },
    patch: { status: { conditions: [{ type: "Ready", lastHeartbeatTime: "2025-01-01T00:00:40Z" }] } },
    expected: {
      status: {
        conditions: [
          { type: "MemoryPressure", status: "False", lastHeartbeatTime: "2025-01-01T00:00:00Z" },
          { type: "Ready", status: "True", lastHeartbeatTime: "2025-01-01T00:00:40Z" },
        ],
      },
    },
  },
  {
    name: "node status addresses merge by type (a new type is added)",
    root: NODE,
    original: {
      status: {
        addresses: [
          { type: "InternalIP", address: "10.0.0.7" },
          { type: "Hostname", address: "worker-1" },
        ],
      },
    },
    patch: { status: { addresses: [{ type: "ExternalIP", address: "203.0.113.7" }] } },
    expected: {
      status: {
        addresses: [
          { type: "ExternalIP", address: "203.0.113.7" },
          { type: "InternalIP", address: "10.0.0.7" },
          { type: "Hostname", address: "worker-1" },
        ],
      },
    },
  },
  {
    name: "metadata.ownerReferences merge by uid",
    original: {
      metadata: {
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-6d4cf56db6", uid: "0b6f-1", controller: true, blockOwnerDeletion: true },
        ],
      },
    },
    patch: { metadata: { ownerReferences: [{ uid: "0b6f-1", blockOwnerDeletion: false }] } },
    expected: {
      metadata: {
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-6d4cf56db6", uid: "0b6f-1", controller: true, blockOwnerDeletion: false },
        ],
      },
    },
  },
  {
    name: "metadata.ownerReferences: another uid is a new element even with the same name",
    original: { metadata: { ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "u-old" }] } },
    patch: { metadata: { ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "u-new" }] } },
    expected: {
      metadata: {
        ownerReferences: [
          { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "u-new" },
          { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "u-old" },
        ],
      },
    },
  },
  {
    name: "finalizers are a merged set of primitives: a new one is added in front of the live ones",
    original: { metadata: { finalizers: ["example.com/cleanup", "example.com/audit"] } },
    patch: { metadata: { finalizers: ["example.com/backup"] } },
    expected: { metadata: { finalizers: ["example.com/backup", "example.com/cleanup", "example.com/audit"] } },
  },
  {
    name: "finalizers: a value already present is not duplicated and keeps its place",
    original: { metadata: { finalizers: ["a.example.com/x", "b.example.com/y"] } },
    patch: { metadata: { finalizers: ["b.example.com/y"] } },
    expected: { metadata: { finalizers: ["a.example.com/x", "b.example.com/y"] } },
  },
  {
    name: "finalizers: duplicates inside the patch collapse",
    original: { metadata: { finalizers: ["a.example.com/x"] } },
    patch: { metadata: { finalizers: ["b.example.com/y", "b.example.com/y"] } },
    expected: { metadata: { finalizers: ["b.example.com/y", "a.example.com/x"] } },
  },
  {
    name: "finalizers: null removes the whole list",
    original: { metadata: { name: "p", finalizers: ["a.example.com/x"] } },
    patch: { metadata: { finalizers: null } },
    expected: { metadata: { name: "p" } },
  },
  {
    name: "tolerations have no patch strategy: the list is replaced",
    original: podSpec({
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" },
      ],
    }),
    patch: podSpec({ tolerations: [{ key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" }] }),
    expected: podSpec({ tolerations: [{ key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" }] }),
  },
  {
    name: "node taints have no patch strategy: the list is replaced",
    root: NODE,
    original: {
      spec: {
        podCIDR: "10.244.1.0/24",
        taints: [
          { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
          { key: "dedicated", value: "infra", effect: "NoSchedule" },
        ],
      },
    },
    patch: { spec: { taints: [{ key: "dedicated", value: "infra", effect: "NoExecute" }] } },
    expected: { spec: { podCIDR: "10.244.1.0/24", taints: [{ key: "dedicated", value: "infra", effect: "NoExecute" }] } },
  },
  {
    name: "args are replaced, not merged",
    original: containers({ name: "web", args: ["--port=8080", "--verbose"] }),
    patch: containers({ name: "web", args: ["--port=9090"] }),
    expected: containers({ name: "web", args: ["--port=9090"] }),
  },
  {
    name: "command is replaced, not merged",
    original: containers({ name: "web", command: ["/bin/server", "--config", "/etc/a.yaml"] }),
    patch: containers({ name: "web", command: ["/bin/server"] }),
    expected: containers({ name: "web", command: ["/bin/server"] }),
  },
  {
    name: "args: an empty list replaces the live list",
    original: containers({ name: "web", args: ["--a"] }),
    patch: containers({ name: "web", args: [] }),
    expected: containers({ name: "web", args: [] }),
  },
];

const mapCases: SmpCase[] = [
  {
    name: "labels merge and null deletes a label",
    original: { metadata: { name: "p", labels: { app: "web", tier: "frontend" } } },
    patch: { metadata: { labels: { tier: null, track: "stable" } } },
    expected: { metadata: { name: "p", labels: { app: "web", track: "stable" } } },
  },
  {
    name: "annotations merge and null deletes an annotation",
    original: { metadata: { annotations: { "example.com/owner": "team-a", "example.com/ticket": "OPS-1" } } },
    patch: { metadata: { annotations: { "example.com/owner": "team-b", "example.com/ticket": null } } },
    expected: { metadata: { annotations: { "example.com/owner": "team-b" } } },
  },
  {
    name: "configmap data merges and null deletes a key",
    root: CONFIGMAP,
    original: { metadata: { name: "cfg" }, data: { "app.properties": "a=1", "log.level": "info" } },
    patch: { data: { "log.level": null, "feature.flags": "x=on" } },
    expected: { metadata: { name: "cfg" }, data: { "app.properties": "a=1", "feature.flags": "x=on" } },
  },
  {
    name: "nodeSelector (atomic map type) is still merged key by key, as upstream does for strategic merge patch",
    original: podSpec({ nodeSelector: { "kubernetes.io/os": "linux" } }),
    patch: podSpec({ nodeSelector: { "topology.kubernetes.io/zone": "eu-1a" } }),
    expected: podSpec({ nodeSelector: { "kubernetes.io/os": "linux", "topology.kubernetes.io/zone": "eu-1a" } }),
  },
  {
    name: "a scalar is replaced and a map the original lacks is taken as is (minus nulls)",
    original: podSpec({ restartPolicy: "Always" }),
    patch: podSpec({ restartPolicy: "Never", securityContext: { runAsUser: 1000, runAsGroup: null } }),
    expected: podSpec({ restartPolicy: "Never", securityContext: { runAsUser: 1000 } }),
  },
  {
    name: "null for a field the original lacks changes nothing",
    original: podSpec({ restartPolicy: "Always" }),
    patch: podSpec({ hostname: null }),
    expected: podSpec({ restartPolicy: "Always" }),
  },
  {
    name: "a value of another kind replaces the live one",
    original: { metadata: { labels: { a: "1" } } },
    patch: { metadata: { labels: "oops" } },
    expected: { metadata: { labels: "oops" } },
  },
];

const nestedCases: SmpCase[] = [
  {
    name: "nested map merge inside a merged container: resources.limits keeps the untouched quantity",
    original: containers({
      name: "web",
      image: "nginx",
      resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m" } },
    }),
    patch: containers({ name: "web", resources: { limits: { memory: "512Mi" } } }),
    expected: containers({
      name: "web",
      image: "nginx",
      resources: { limits: { cpu: "500m", memory: "512Mi" }, requests: { cpu: "100m" } },
    }),
  },
  {
    name: "merged list inside a merged element: env of the second container, the first untouched",
    original: containers(
      { name: "web", env: [{ name: "A", value: "1" }] },
      { name: "sidecar", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] },
    ),
    patch: containers({ name: "sidecar", env: [{ name: "B", value: "20" }] }),
    expected: containers(
      { name: "web", env: [{ name: "A", value: "1" }] },
      { name: "sidecar", env: [{ name: "A", value: "1" }, { name: "B", value: "20" }] },
    ),
  },
  {
    name: "several merged lists in one element at once: image, a volumeMount and a port",
    original: containers({
      name: "web",
      image: "web:1",
      ports: [{ containerPort: 80, protocol: "TCP" }],
      volumeMounts: [{ name: "data", mountPath: "/data" }],
    }),
    patch: containers({
      name: "web",
      image: "web:2",
      ports: [{ containerPort: 443, protocol: "TCP" }],
      volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
    }),
    expected: containers({
      name: "web",
      image: "web:2",
      ports: [
        { containerPort: 443, protocol: "TCP" },
        { containerPort: 80, protocol: "TCP" },
      ],
      volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
    }),
  },
  {
    name: "a merged list the element lacks is created from the patch",
    original: containers({ name: "web", image: "web:1" }),
    patch: containers({ name: "web", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] }),
    expected: containers({ name: "web", image: "web:1", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] }),
  },
  {
    name: "a non-merging list inside a merged element is replaced (args of one container)",
    original: containers({ name: "a", args: ["x", "y"] }, { name: "b", args: ["z"] }),
    patch: containers({ name: "a", args: ["y"] }),
    expected: containers({ name: "a", args: ["y"] }, { name: "b", args: ["z"] }),
  },
];

// Where elements land (upstream mergeSlice → normalizeElementOrder → mergeSortedSlice): patch
// items keep the patch order, server-only items keep the live order, and a server-only item goes
// before a patch item only when both are in the live list and the live list has it first. So a
// brand-new element (absent from the live list) is placed before the remaining server-only items.
const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
const positionCases: SmpCase[] = [
  {
    name: "position: a new container without $setElementOrder goes before the live containers",
    original: containers(c("a"), c("b")),
    patch: containers(c("new", { image: "n" })),
    expected: containers(c("new", { image: "n" }), c("a"), c("b")),
  },
  {
    name: "position: a new env var without $setElementOrder goes first",
    original: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] })),
    patch: containers(c("web", { env: [{ name: "C", value: "3" }] })),
    expected: containers(c("web", { env: [{ name: "C", value: "3" }, { name: "A", value: "1" }, { name: "B", value: "2" }] })),
  },
  {
    name: "position: patching a later element only keeps the live order",
    original: containers(c("a"), c("b"), c("c")),
    patch: containers(c("c", { image: "x" })),
    expected: containers(c("a"), c("b"), c("c", { image: "x" })),
  },
  {
    name: "position: the patch order wins for elements it names, a server-only element stays ahead when live order says so",
    original: containers(c("a"), c("b"), c("c")),
    patch: containers(c("c", { image: "x" }), c("a", { image: "y" })),
    expected: containers(c("b"), c("c", { image: "x" }), c("a", { image: "y" })),
  },
  {
    name: "position: a new element right after a patched one that the live list has first",
    original: containers(c("a"), c("b")),
    patch: containers(c("a", { image: "y" }), c("new")),
    expected: containers(c("a", { image: "y" }), c("new"), c("b")),
  },
  {
    name: "position: a new element after a patched one that the live list has last",
    original: containers(c("a"), c("b")),
    patch: containers(c("b", { image: "y" }), c("new")),
    expected: containers(c("a"), c("b", { image: "y" }), c("new")),
  },
  {
    name: "position: primitives follow the same rule (finalizers named by the patch take its order, the unnamed one stays ahead)",
    original: { metadata: { finalizers: ["f1", "f2", "f3"] } },
    patch: { metadata: { finalizers: ["f3", "f1"] } },
    expected: { metadata: { finalizers: ["f2", "f3", "f1"] } },
  },
  {
    name: "position: a new finalizer after a live one the patch also names lands after it",
    original: { metadata: { finalizers: ["f1", "f2"] } },
    patch: { metadata: { finalizers: ["f2", "f-new"] } },
    expected: { metadata: { finalizers: ["f1", "f2", "f-new"] } },
  },
  {
    name: "position: an element deleted and re-added in one patch is placed as a new element (live order compared after deletions)",
    original: containers(c("x"), c("a", { image: "old", tty: true }), c("b")),
    patch: containers({ $patch: "delete", name: "a" }, c("a", { image: "new" })),
    expected: containers(c("a", { image: "new" }), c("x"), c("b")),
  },
];

for (const [group, cases] of [
  ["merge keys and strategies", mergeKeyCases],
  ["maps", mapCases],
  ["nested merges", nestedCases],
  ["element positions", positionCases],
] as const) {
  for (const tc of cases) test(`${group}: ${tc.name}`, tc.todo ? { todo: tc.todo } : {}, smpCaseBody(tc, POD));
}
