// Strategic merge patch directives (upstream apimachinery strategicpatch): `$patch` (replace |
// delete | merge | anything else) on maps and as list elements, `$retainKeys`,
// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`. Every successful case is also
// checked (by the smp helper) to leave no key starting with "$" anywhere in the result.
import { test } from "node:test";
import { DEPLOYMENT, POD, STATEFULSET, type SmpCase, edited, smpCaseBody } from "./helpers.js";

const podSpec = (spec: Record<string, unknown>) => ({ spec });
const containers = (...list: unknown[]) => podSpec({ containers: list });
const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
const badRequest = (message: string | RegExp) => ({ code: 400, reason: "BadRequest", message });

function statefulSet() {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "prod", generation: 4, labels: { app: "db" } },
    spec: {
      replicas: 3,
      serviceName: "db",
      selector: { matchLabels: { app: "db" } },
      template: {
        metadata: { labels: { app: "db" }, annotations: { "kubectl.kubernetes.io/restartedAt": "2025-02-01T08:00:00Z" } },
        spec: {
          containers: [
            {
              name: "postgres",
              image: "postgres:16.2",
              env: [
                { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                { name: "POSTGRES_MAX_CONNECTIONS", value: "200" },
              ],
              ports: [{ containerPort: 5432, name: "pg", protocol: "TCP" }],
            },
            { name: "exporter", image: "quay.io/prometheuscommunity/postgres-exporter:v0.15.0" },
          ],
          terminationGracePeriodSeconds: 60,
        },
      },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
    },
    status: { replicas: 3, readyReplicas: 3, currentRevision: "db-7c9d", updateRevision: "db-7c9d" },
  };
}

/** The pod template of revision db-5f6b, as `kubectl rollout undo` sends it back. */
const previousTemplate = {
  metadata: { labels: { app: "db" } },
  spec: {
    containers: [
      {
        name: "postgres",
        image: "postgres:15.6",
        env: [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
        ports: [{ containerPort: 5432, name: "pg", protocol: "TCP" }],
      },
    ],
    terminationGracePeriodSeconds: 30,
  },
};

const strategyOf = (strategy: Record<string, unknown>) => ({ spec: { replicas: 2, strategy } });

const patchMapCases: SmpCase[] = [
  {
    name: "$patch: replace on a map (StatefulSet rollout undo) swaps the whole pod template, the rest of spec stays",
    root: STATEFULSET,
    original: statefulSet(),
    patch: { spec: { template: { $patch: "replace", ...previousTemplate } } },
    expected: edited(statefulSet(), (s) => {
      s.spec.template = structuredClone(previousTemplate) as never;
    }),
  },
  {
    name: "$patch: replace on a map drops the live keys the patch does not name",
    original: podSpec({ securityContext: { runAsUser: 1000, fsGroup: 2000 } }),
    patch: podSpec({ securityContext: { $patch: "replace", runAsNonRoot: true } }),
    expected: podSpec({ securityContext: { runAsNonRoot: true } }),
  },
  {
    name: "$patch: replace alone empties the map",
    original: { metadata: { name: "p", labels: { app: "web", tier: "fe" } } },
    patch: { metadata: { labels: { $patch: "replace" } } },
    expected: { metadata: { name: "p", labels: {} } },
  },
  {
    name: "$patch: replace on labels keeps exactly the labels of the patch",
    original: { metadata: { name: "p", labels: { app: "web", tier: "fe" } } },
    patch: { metadata: { labels: { $patch: "replace", app: "api" } } },
    expected: { metadata: { name: "p", labels: { app: "api" } } },
  },
  {
    name: "$patch: delete on an existing map leaves an empty map (upstream returns {} for it)",
    original: podSpec({ restartPolicy: "Always", securityContext: { runAsUser: 1000 } }),
    patch: podSpec({ securityContext: { $patch: "delete" } }),
    expected: podSpec({ restartPolicy: "Always", securityContext: {} }),
  },
  {
    name: "$patch: delete on a map the original lacks adds nothing",
    original: { metadata: { name: "p" } },
    patch: { metadata: { labels: { $patch: "delete" } } },
    expected: { metadata: { name: "p" } },
  },
  {
    name: "unknown $patch value on a map is a 400 naming the directive and the map",
    original: podSpec({ securityContext: { runAsUser: 1 } }),
    patch: podSpec({ securityContext: { $patch: "Replace", runAsUser: 2 } }),
    error: badRequest("unknown patch type: Replace in map: map[$patch:Replace runAsUser:2]"),
  },
  {
    name: "unknown $patch value on the root map is a 400",
    original: { metadata: { name: "p" } },
    patch: { $patch: "purge" },
    error: badRequest("unknown patch type: purge in map: map[$patch:purge]"),
  },
];

const patchListCases: SmpCase[] = [
  {
    name: "$patch: delete as a list element removes the element with that merge key (env var)",
    original: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "DEBUG", value: "true" }, { name: "B", value: "2" }] })),
    patch: containers(c("web", { env: [{ $patch: "delete", name: "DEBUG" }] })),
    expected: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] })),
  },
  {
    name: "$patch: delete removes a whole container",
    original: containers(c("web", { image: "w" }), c("debugger", { image: "busybox" })),
    patch: containers({ name: "debugger", $patch: "delete" }),
    expected: containers(c("web", { image: "w" })),
  },
  {
    name: "$patch: delete removes every element with that key (duplicates in the live list)",
    original: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "X", value: "a" }, { name: "X", value: "b" }] })),
    patch: containers(c("web", { env: [{ $patch: "delete", name: "X" }] })),
    expected: containers(c("web", { env: [{ name: "A", value: "1" }] })),
  },
  {
    name: "$patch: delete by mountPath in volumeMounts",
    original: containers(c("web", { volumeMounts: [{ name: "a", mountPath: "/a" }, { name: "b", mountPath: "/b" }] })),
    patch: containers(c("web", { volumeMounts: [{ $patch: "delete", mountPath: "/a" }] })),
    expected: containers(c("web", { volumeMounts: [{ name: "b", mountPath: "/b" }] })),
  },
  {
    name: "$patch: delete of a key the live list does not have changes nothing",
    original: containers(c("web", { env: [{ name: "A", value: "1" }] })),
    patch: containers(c("web", { env: [{ $patch: "delete", name: "NOPE" }] })),
    expected: containers(c("web", { env: [{ name: "A", value: "1" }] })),
  },
  {
    name: "$patch: delete and additions in one list",
    original: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] })),
    patch: containers(c("web", { env: [{ $patch: "delete", name: "A" }, { name: "C", value: "3" }] })),
    expected: containers(c("web", { env: [{ name: "C", value: "3" }, { name: "B", value: "2" }] })),
  },
  {
    name: "$patch: delete without the merge key is a 400",
    original: containers(c("web")),
    patch: containers({ $patch: "delete" }),
    error: badRequest("map: map[$patch:delete] does not contain declared merge key: name"),
  },
  {
    name: "$patch: delete keyed by another field than the merge key is a 400",
    original: containers(c("web", { ports: [{ containerPort: 80, name: "http" }] })),
    patch: containers(c("web", { ports: [{ $patch: "delete", name: "http" }] })),
    error: badRequest("map: map[$patch:delete name:http] does not contain declared merge key: containerPort"),
  },
  {
    name: "an ordinary element without the merge key is a 400",
    original: containers(c("web")),
    patch: containers({ image: "nginx" }),
    error: badRequest("map: map[image:nginx] does not contain declared merge key: name"),
  },
  {
    name: "$patch: replace inside a list replaces the list with the other elements",
    original: containers(c("web", { image: "w" }), c("sidecar", { image: "s" })),
    patch: containers({ $patch: "replace" }, c("only", { image: "o" })),
    expected: containers(c("only", { image: "o" })),
  },
  {
    name: "$patch: replace inside a list keeps the patch order and drops live-only fields of same-named elements",
    original: containers(c("a", { image: "a1", tty: true }), c("b", { image: "b1" })),
    patch: containers({ $patch: "replace" }, c("b", { image: "b2" }), c("a", { image: "a2" })),
    expected: containers(c("b", { image: "b2" }), c("a", { image: "a2" })),
  },
  {
    name: "$patch: replace as the only element empties the list",
    original: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] })),
    patch: containers(c("web", { env: [{ $patch: "replace" }] })),
    expected: containers(c("web", { env: [] })),
  },
  {
    name: "$patch: merge inside a list is refused",
    original: containers(c("web")),
    patch: containers({ $patch: "merge" }, c("web", { image: "x" })),
    error: badRequest("merging lists cannot yet be specified in the patch"),
  },
  {
    name: "unknown $patch value inside a list is a 400",
    original: containers(c("web")),
    patch: containers({ $patch: "remove", name: "web" }),
    error: badRequest("unknown patch type: remove in map: map[$patch:remove name:web]"),
  },
];

const retainKeysCases: SmpCase[] = [
  {
    name: "$retainKeys: DeploymentStrategy RollingUpdate → Recreate as kubectl apply sends it clears the defaulted rollingUpdate",
    root: DEPLOYMENT,
    original: strategyOf({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }),
    patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } },
    expected: strategyOf({ type: "Recreate" }),
  },
  {
    name: "$retainKeys: RollingUpdate → Recreate with an explicit rollingUpdate: null",
    root: DEPLOYMENT,
    original: strategyOf({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }),
    patch: { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: null, type: "Recreate" } } },
    expected: strategyOf({ type: "Recreate" }),
  },
  {
    name: "$retainKeys: Recreate → RollingUpdate adds the rollingUpdate parameters",
    root: DEPLOYMENT,
    original: strategyOf({ type: "Recreate" }),
    patch: { spec: { strategy: { $retainKeys: ["rollingUpdate", "type"], rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }, type: "RollingUpdate" } } },
    expected: strategyOf({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }),
  },
  {
    name: "$retainKeys: listed keys the patch does not set are kept and merged",
    root: DEPLOYMENT,
    original: strategyOf({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }),
    patch: { spec: { strategy: { $retainKeys: ["rollingUpdate", "type"], rollingUpdate: { maxSurge: 2 } } } },
    expected: strategyOf({ type: "RollingUpdate", rollingUpdate: { maxSurge: 2, maxUnavailable: "25%" } }),
  },
  {
    name: "$retainKeys: a volume switching from emptyDir to configMap (kubectl apply shape) keeps only the new source",
    original: podSpec({
      volumes: [
        { name: "config", emptyDir: {} },
        { name: "data", persistentVolumeClaim: { claimName: "data" } },
      ],
    }),
    patch: podSpec({
      "$setElementOrder/volumes": [{ name: "config" }, { name: "data" }],
      volumes: [{ $retainKeys: ["configMap", "name"], configMap: { name: "app-config" }, name: "config" }],
    }),
    expected: podSpec({
      volumes: [
        { name: "config", configMap: { name: "app-config" } },
        { name: "data", persistentVolumeClaim: { claimName: "data" } },
      ],
    }),
  },
  {
    name: "$retainKeys: a volume switching from hostPath to a PVC, with hostPath: null",
    original: podSpec({
      volumes: [
        { name: "logs", emptyDir: { medium: "Memory" } },
        { name: "data", hostPath: { path: "/srv/data", type: "Directory" } },
      ],
    }),
    patch: podSpec({
      volumes: [{ $retainKeys: ["name", "persistentVolumeClaim"], hostPath: null, name: "data", persistentVolumeClaim: { claimName: "data-pvc" } }],
    }),
    expected: podSpec({
      volumes: [
        { name: "logs", emptyDir: { medium: "Memory" } },
        { name: "data", persistentVolumeClaim: { claimName: "data-pvc" } },
      ],
    }),
  },
  {
    name: "$retainKeys: a new volume carrying $retainKeys is added without the directive",
    original: podSpec({ volumes: [{ name: "a", emptyDir: {} }] }),
    patch: podSpec({ volumes: [{ $retainKeys: ["name", "secret"], name: "tls", secret: { secretName: "web-tls" } }] }),
    expected: podSpec({ volumes: [{ name: "tls", secret: { secretName: "web-tls" } }, { name: "a", emptyDir: {} }] }),
  },
  {
    name: "$retainKeys: a patch key missing from the list is a 400",
    root: DEPLOYMENT,
    original: strategyOf({ type: "RollingUpdate" }),
    patch: { spec: { strategy: { $retainKeys: ["type"], type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } },
    error: badRequest("invalid patch format of retainKeys"),
  },
  {
    name: "$retainKeys: a patch key missing from the list inside a volume is a 400",
    original: podSpec({ volumes: [{ name: "v", emptyDir: {} }] }),
    patch: podSpec({ volumes: [{ $retainKeys: ["name"], name: "v", configMap: { name: "c" } }] }),
    error: badRequest("invalid patch format of retainKeys"),
  },
  {
    name: "$retainKeys: a value that is not a list is a 400",
    root: DEPLOYMENT,
    original: strategyOf({ type: "RollingUpdate" }),
    patch: { spec: { strategy: { $retainKeys: "type", type: "Recreate" } } },
    error: badRequest("invalid patch format of retainKeys"),
  },
];

const setElementOrderCases: SmpCase[] = [
  {
    name: "$setElementOrder/containers: kubectl set image on a one-container template",
    root: DEPLOYMENT,
    original: { spec: { template: { spec: { containers: [c("web", { image: "nginx:1.25", ports: [{ containerPort: 80 }] })] } } } },
    patch: { spec: { template: { spec: { "$setElementOrder/containers": [{ name: "web" }], containers: [{ image: "nginx:1.27", name: "web" }] } } } },
    expected: { spec: { template: { spec: { containers: [c("web", { image: "nginx:1.27", ports: [{ containerPort: 80 }] })] } } } },
  },
  {
    name: "$setElementOrder/containers: set image on the second container keeps both in place",
    original: containers(c("web", { image: "w:1" }), c("log-shipper", { image: "fluent-bit:2" })),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "web" }, { name: "log-shipper" }], containers: [{ image: "fluent-bit:3", name: "log-shipper" }] }),
    expected: containers(c("web", { image: "w:1" }), c("log-shipper", { image: "fluent-bit:3" })),
  },
  {
    name: "$setElementOrder alone reorders the live list",
    original: containers(c("a", { image: "a" }), c("b", { image: "b" }), c("c", { image: "c" })),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "c" }, { name: "a" }, { name: "b" }] }),
    expected: containers(c("c", { image: "c" }), c("a", { image: "a" }), c("b", { image: "b" })),
  },
  {
    name: "$setElementOrder places a new container where the order says",
    original: containers(c("a"), c("b")),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "a" }, { name: "mid" }, { name: "b" }], containers: [c("mid", { image: "m" })] }),
    expected: containers(c("a"), c("mid", { image: "m" }), c("b")),
  },
  {
    name: "$setElementOrder: a server-only (injected) container keeps its place relative to the live list",
    original: containers(c("app"), c("log"), c("istio-proxy", { image: "proxyv2" }), c("metrics")),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "log" }, { name: "app" }, { name: "metrics" }] }),
    expected: containers(c("log"), c("app"), c("istio-proxy", { image: "proxyv2" }), c("metrics")),
  },
  {
    name: "$setElementOrder: a server-only container first in the live list stays first",
    original: containers(c("proxy"), c("a"), c("b")),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "b" }, { name: "a" }], containers: [c("a", { image: "a2" })] }),
    expected: containers(c("proxy"), c("b"), c("a", { image: "a2" })),
  },
  {
    name: "$setElementOrder naming an element neither list has ignores it",
    original: containers(c("a"), c("c")),
    patch: podSpec({
      "$setElementOrder/containers": [{ name: "c" }, { name: "ghost" }, { name: "a" }],
      containers: [c("c", { image: "c2" }), c("a", { image: "a2" })],
    }),
    expected: containers(c("c", { image: "c2" }), c("a", { image: "a2" })),
  },
  {
    name: "$setElementOrder with a $patch: delete element (kubectl apply removing one env var)",
    original: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "B", value: "2" }, { name: "C", value: "3" }] })),
    patch: containers(c("web", { "$setElementOrder/env": [{ name: "A" }, { name: "C" }], env: [{ $patch: "delete", name: "B" }] })),
    expected: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "C", value: "3" }] })),
  },
  {
    name: "$setElementOrder nested in a merged element reorders that element's env",
    original: containers(c("web", { env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] }), c("side")),
    patch: podSpec({
      "$setElementOrder/containers": [{ name: "web" }, { name: "side" }],
      containers: [c("web", { "$setElementOrder/env": [{ name: "B" }, { name: "new" }, { name: "A" }], env: [{ name: "new", value: "n" }] })],
    }),
    expected: containers(c("web", { env: [{ name: "B", value: "2" }, { name: "new", value: "n" }, { name: "A", value: "1" }] }), c("side")),
  },
  {
    name: "$setElementOrder/finalizers reorders a primitive list",
    original: { metadata: { finalizers: ["x", "y", "z"] } },
    patch: { metadata: { "$setElementOrder/finalizers": ["z", "x", "y"] } },
    expected: { metadata: { finalizers: ["z", "x", "y"] } },
  },
  {
    name: "$setElementOrder/finalizers places an added finalizer where the order says",
    original: { metadata: { finalizers: ["x", "y", "z"] } },
    patch: { metadata: { "$setElementOrder/finalizers": ["x", "new", "y", "z"], finalizers: ["new"] } },
    expected: { metadata: { finalizers: ["x", "new", "y", "z"] } },
  },
  {
    name: "$setElementOrder: a patch element the order does not list is a 400",
    original: containers(c("a")),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "a" }], containers: [c("a", { image: "x" }), c("b", { image: "y" })] }),
    error: { code: 400, reason: "BadRequest" },
  },
  {
    name: "$setElementOrder: a patch list in another order than $setElementOrder is a 400",
    original: containers(c("a"), c("b")),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "a" }, { name: "b" }], containers: [c("b", { image: "x" }), c("a", { image: "y" })] }),
    error: badRequest(/doesn't match \$setElementOrder list/),
  },
  {
    name: "$setElementOrder for a list neither the original nor the patch has adds nothing",
    original: podSpec({ restartPolicy: "Always" }),
    patch: podSpec({ "$setElementOrder/initContainers": [] }),
    expected: podSpec({ restartPolicy: "Always" }),
  },
  {
    name: "$setElementOrder in a new element for a list that element lacks adds nothing",
    original: containers(c("a")),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "a" }, { name: "b" }], containers: [c("b", { image: "b", "$setElementOrder/env": [] })] }),
    expected: containers(c("a"), c("b", { image: "b" })),
  },
  {
    name: "a key starting with $setElementOrder but without /<list> is a 400, never stored",
    original: { metadata: { finalizers: ["a", "b"] } },
    patch: { metadata: { $setElementOrder: ["b", "a"] } },
    error: badRequest("invalid patch format of setElementOrder list"),
  },
  {
    name: "$setElementOrder that is not a list is a 400",
    original: containers(c("a")),
    patch: podSpec({ "$setElementOrder/containers": { name: "a" } }),
    error: badRequest("invalid patch format of setElementOrder list"),
  },
];

const deleteFromPrimitiveListCases: SmpCase[] = [
  {
    name: "$deleteFromPrimitiveList/finalizers removes the listed values",
    original: { metadata: { finalizers: ["a.example.com/x", "b.example.com/y", "c.example.com/z"] } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["b.example.com/y"] } },
    expected: { metadata: { finalizers: ["a.example.com/x", "c.example.com/z"] } },
  },
  {
    name: "$deleteFromPrimitiveList of a value the list lacks changes nothing",
    original: { metadata: { finalizers: ["a"] } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["zzz"] } },
    expected: { metadata: { finalizers: ["a"] } },
  },
  {
    name: "$deleteFromPrimitiveList on an absent list does not create it",
    original: { metadata: { name: "p" } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } },
    expected: { metadata: { name: "p" } },
  },
  {
    name: "$deleteFromPrimitiveList with $setElementOrder (kubectl apply removing a finalizer and reordering)",
    original: { metadata: { finalizers: ["a", "b", "c"] } },
    patch: { metadata: { "$setElementOrder/finalizers": ["c", "a"], "$deleteFromPrimitiveList/finalizers": ["b"] } },
    expected: { metadata: { finalizers: ["c", "a"] } },
  },
  {
    name: "$deleteFromPrimitiveList together with an addition",
    original: { metadata: { finalizers: ["a", "b"] } },
    patch: { metadata: { finalizers: ["d"], "$deleteFromPrimitiveList/finalizers": ["a"] } },
    expected: { metadata: { finalizers: ["d", "b"] } },
  },
  {
    name: "$deleteFromPrimitiveList also works on a list without merge strategy (args)",
    original: containers(c("web", { args: ["--a", "--b"] })),
    patch: containers(c("web", { "$deleteFromPrimitiveList/args": ["--a"] })),
    expected: containers(c("web", { args: ["--b"] })),
  },
  {
    name: "a key starting with $deleteFromPrimitiveList but without /<list> is a 400, never stored",
    original: { metadata: { finalizers: ["a", "b"] } },
    patch: { metadata: { $deleteFromPrimitiveList: ["a"] } },
    error: badRequest("invalid patch format of primitive list"),
  },
  {
    name: "$deleteFromPrimitiveList that is not a list is a 400",
    original: { metadata: { finalizers: ["a"] } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": "a" } },
    error: { code: 400, reason: "BadRequest" },
  },
];

const cleanResultCases: SmpCase[] = [
  {
    name: "a new container consumes the directives it carries ($setElementOrder, $patch in env and resources)",
    original: containers(c("a")),
    patch: containers(
      c("new", {
        "$setElementOrder/env": [{ name: "A" }],
        env: [{ name: "A", value: "1" }, { $patch: "delete", name: "Z" }],
        resources: { $patch: "replace", limits: { cpu: "1" } },
      }),
    ),
    expected: containers(c("new", { env: [{ name: "A", value: "1" }], resources: { limits: { cpu: "1" } } }), c("a")),
  },
  {
    name: "a merged list the original lacks drops its $patch: delete elements",
    original: podSpec({ restartPolicy: "Always" }),
    patch: podSpec({ imagePullSecrets: [{ $patch: "delete", name: "old" }, { name: "new" }] }),
    expected: podSpec({ restartPolicy: "Always", imagePullSecrets: [{ name: "new" }] }),
  },
  {
    name: "a merged list the original lacks drops its $patch: replace marker",
    original: podSpec({ restartPolicy: "Always" }),
    patch: podSpec({ imagePullSecrets: [{ $patch: "replace" }, { name: "new" }] }),
    expected: podSpec({ restartPolicy: "Always", imagePullSecrets: [{ name: "new" }] }),
  },
  {
    name: "a new metadata map drops $deleteFromPrimitiveList and $setElementOrder keys",
    original: { spec: {} },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["x"], "$setElementOrder/finalizers": ["y"], finalizers: ["y"], labels: { a: "1" } } },
    expected: { spec: {}, metadata: { finalizers: ["y"], labels: { a: "1" } } },
  },
  {
    name: "a new pod template (spec absent) drops the directives nested in it",
    root: DEPLOYMENT,
    original: { metadata: { name: "d" } },
    patch: {
      spec: {
        strategy: { $retainKeys: ["type"], type: "Recreate" },
        template: { spec: { "$setElementOrder/containers": [{ name: "web" }], containers: [{ name: "web", image: "w", env: [{ $patch: "delete", name: "X" }] }] } },
      },
    },
    expected: { metadata: { name: "d" }, spec: { strategy: { type: "Recreate" }, template: { spec: { containers: [{ name: "web", image: "w", env: [] }] } } } },
  },
];

for (const [group, cases] of [
  ["$patch on maps", patchMapCases],
  ["$patch in lists", patchListCases],
  ["$retainKeys", retainKeysCases],
  ["$setElementOrder", setElementOrderCases],
  ["$deleteFromPrimitiveList", deleteFromPrimitiveListCases],
  ["directive-free results", cleanResultCases],
] as const) {
  for (const tc of cases) test(`${group}: ${tc.name}`, tc.todo ? { todo: tc.todo } : {}, smpCaseBody(tc, POD));
}
