// SchemaIndex: lookups, unknown-field detection and patch metadata.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SchemaIndex } from "../../../src/openapi/schema-index.js";
import { createOpenApiService } from "../../../src/openapi/index.js";
import { DEFINITIONS_FILE, definitionsFile, smallRegistry } from "./fixtures.js";

const index = new SchemaIndex(definitionsFile().definitions);
const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";

test("lookup by name and by group/version/kind", () => {
  assert.equal(index.nameOf({ group: "apps", version: "v1", kind: "Deployment" }), DEPLOYMENT);
  assert.equal(index.nameOf({ group: "", version: "v1", kind: "Status" }), "io.k8s.apimachinery.pkg.apis.meta.v1.Status");
  assert.equal(index.nameOf({ group: "batch", version: "v1", kind: "DeleteOptions" }), "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions");
  assert.equal(index.byGVK({ group: "apps", version: "v1", kind: "Nope" }), undefined);
  assert.equal(index.resolve(index.at(DEPLOYMENT, ["spec", "template"])!).description?.startsWith("PodTemplateSpec"), true);
});

test("unknown fields are named as strict decoding reports them", () => {
  const obj = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { any: "key" }, annotations: { a: "b" }, bogus: 1, managedFields: [{ fieldsV1: { "f:spec": {} } }] },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: {
        spec: {
          containers: [
            { name: "a", image: "x", resources: { limits: { cpu: "1" } } },
            { name: "b", imagee: "typo", ports: [{ containerPort: 80, hostt: 1 }] },
          ],
        },
      },
      strategy: { type: "Recreate", extra: true },
    },
    status: {},
    topLevel: 1,
  };
  assert.deepEqual(index.unknownFields(DEPLOYMENT, obj).sort(), [
    "metadata.bogus",
    "spec.strategy.extra",
    "spec.template.spec.containers[1].imagee",
    "spec.template.spec.containers[1].ports[0].hostt",
    "topLevel",
  ]);
  // RawExtension accepts anything
  assert.deepEqual(index.unknownFields("io.k8s.api.apps.v1.ControllerRevision", { data: { whatever: { deep: 1 } }, revision: 1 }), []);
});

test("patch metadata of fields", () => {
  const podSpec = "io.k8s.api.core.v1.PodSpec";
  assert.deepEqual(index.patchMeta(index.at(podSpec, ["containers"])), { strategies: ["merge"], mergeKey: "name", listType: "map", listMapKeys: ["name"] });
  assert.deepEqual(index.patchMeta(index.at(podSpec, ["volumes"])).strategies, ["merge", "retainKeys"]);
  assert.deepEqual(index.patchMeta(index.at(podSpec, ["tolerations"])), { strategies: [], listType: "atomic" });
  assert.deepEqual(index.patchMeta(index.at(podSpec, ["containers", "ports"])).mergeKey, "containerPort");
  assert.deepEqual(index.patchMeta(index.at(DEPLOYMENT, ["spec", "strategy"])).strategies, ["retainKeys"]);
  assert.equal(index.patchMeta(index.at(DEPLOYMENT, ["spec", "selector"])).mapType, "atomic");
  assert.deepEqual(index.patchMeta(undefined), { strategies: [] });
  const containers = index.at(podSpec, ["containers"])!;
  assert.equal(index.property(index.elementOf(containers)!, "image")?.type, "string");
});

test("closure follows references transitively", () => {
  const c = index.closure([DEPLOYMENT]);
  assert.ok(c.has("io.k8s.api.core.v1.Container"));
  assert.ok(c.has("io.k8s.apimachinery.pkg.api.resource.Quantity"));
  assert.ok(!c.has("io.k8s.api.core.v1.Pod"));
});

test("the service's index includes custom resources", () => {
  const svc = createOpenApiService(smallRegistry(), { definitionsFile: DEFINITIONS_FILE });
  assert.equal(svc.schemas.nameOf({ group: "stable.example.com", version: "v1", kind: "CronTab" }), "com.example.stable.v1.CronTab");
  assert.deepEqual(svc.schemas.unknownFields("com.example.stable.v1.CronTab", { spec: { anything: 1 } }), []);
  assert.equal(svc.schemas.has(DEPLOYMENT), true);
});

test("prune drops what a typed decode/encode drops: unknown fields, nulls, empty optional lists and maps", () => {
  const obj = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", finalizers: [], ownerReferences: [], labels: {}, annotations: null, managedFields: [], bogus: 1 },
    spec: {
      replicas: 0,
      paused: null,
      selector: { matchLabels: {} },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "a", image: "x", env: [], resources: {}, ports: [] }], volumes: [], nodeSelector: {} },
      },
    },
  };
  index.prune(DEPLOYMENT, obj);
  assert.deepEqual(obj, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    // an empty managedFields list stays: it asks the field manager to reset
    metadata: { name: "web", managedFields: [] },
    spec: {
      replicas: 0,
      selector: {},
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "a", image: "x", resources: {} }] } },
    },
  });
  const pod = { metadata: { name: "p" }, spec: { containers: [] } };
  index.prune("io.k8s.api.core.v1.Pod", pod);
  assert.deepEqual(pod.spec.containers, [], "a required list stays, even empty");
  const untyped = { metadata: { name: "p", finalizers: [], labels: null } };
  index.prune("io.k8s.api.core.v1.Pod", untyped, { typed: false });
  assert.deepEqual(untyped, { metadata: { name: "p", finalizers: [], labels: null } }, "untyped (custom resource) pruning keeps them");
});

test("prune keeps (and fills in) the null of a zero non-pointer time, as Go encodes it", () => {
  const pod = {
    metadata: { name: "p", deletionTimestamp: null },
    status: {
      startTime: null,
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" }, { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: null }],
      containerStatuses: [{ name: "a", image: "x", imageID: "", ready: true, restartCount: 0, state: { running: {} } }],
    },
  };
  index.prune("io.k8s.api.core.v1.Pod", pod);
  assert.deepEqual(pod.metadata, { name: "p" }, "a pointer time (*metav1.Time) is omitted when null");
  assert.equal("startTime" in pod.status, false);
  assert.deepEqual(pod.status.conditions, [
    { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: "2026-01-01T00:00:00Z" },
    { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: null },
  ]);
  assert.deepEqual(pod.status.containerStatuses[0]!.state, { running: { startedAt: null } });
  const event = { metadata: { name: "e" }, involvedObject: {}, reason: "Started", firstTimestamp: "2026-01-01T00:00:00Z", lastTimestamp: "2026-01-01T00:00:00Z" };
  index.prune("io.k8s.api.core.v1.Event", event);
  assert.equal((event as Record<string, unknown>).eventTime, null, "a core Event written without eventTime reads back with eventTime: null");
});
