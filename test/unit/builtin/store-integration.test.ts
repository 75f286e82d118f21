// The declarations driving the generic store end to end (memory backend, no admission plugins):
// the hooks run in the store's order and the shared-storage bindings convert both ways.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdmissionChain } from "../../../src/admission/chain.js";
import { fromMetaLabelSelector } from "../../../src/apimachinery/labels.js";
import { parseFieldSelector } from "../../../src/apimachinery/fields.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { builtinResources } from "../../../src/registry/builtin/index.js";
import type { RequestContext } from "../../../src/registry/context.js";
import type { ResourceDefinition } from "../../../src/registry/definition.js";
import type { RestStorage } from "../../../src/registry/rest.js";
import { StorageSet } from "../../../src/registry/storage-set.js";
import { MemoryBackend } from "../../../src/storage/backends/memory-backend.js";
import { defaultCacherOptions } from "../../../src/storage/cacher/cacher.js";
import { testContext } from "./context.js";

const defs = builtinResources();
const def = (group: string, version: string, plural: string): ResourceDefinition => defs.find((d) => d.group === group && d.version === version && d.plural === plural)!;

let backend: MemoryBackend;
let storage: StorageSet;
let ctx: RequestContext;

function rest(group: string, version: string, plural: string, sub = ""): RestStorage {
  return storage.restFor(def(group, version, plural), sub)!;
}

const create = (r: RestStorage, obj: KubeObject) => r.create!(ctx, obj, { dryRun: false }) as Promise<KubeObject>;
const replace = (r: RestStorage, name: string, fn: (cur: KubeObject) => KubeObject) =>
  r.update!(ctx, name, async (cur) => fn(cur!), { dryRun: false }).then((res) => res.object);

before(async () => {
  ctx = testContext();
  backend = new MemoryBackend(() => ctx.clock.now());
  await backend.open();
  storage = new StorageSet(backend, new AdmissionChain(), defaultCacherOptions(ctx.clock));
  // owners before the definitions bound to their storage
  for (const d of [...defs.filter((x) => !x.storage), ...defs.filter((x) => x.storage)]) await storage.install(d);
});

after(async () => {
  storage.stop();
  await backend.close();
});

describe("built-in declarations in the generic store", () => {
  it("pod create: Pending, QoS class, generation 1; a spec change bumps generation", async () => {
    const pods = rest("", "v1", "pods");
    const pod = await create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web", namespace: "default" },
      spec: { containers: [{ name: "app", image: "nginx", resources: { limits: { cpu: "1", memory: "1Gi" } } }] },
      status: { phase: "Running" },
    });
    assert.deepEqual(pod.status, { phase: "Pending", qosClass: "Guaranteed" });
    assert.equal(pod.metadata.generation, 1);
    const updated = await replace(pods, "web", (cur) => ({ ...cur, spec: { ...(cur.spec as object), activeDeadlineSeconds: 30 } }));
    assert.equal(updated.metadata.generation, 2);
    assert.deepEqual(updated.status, { phase: "Pending", qosClass: "Guaranteed" });
  });

  it("an unscheduled pod is deleted at once", async () => {
    const res = await rest("", "v1", "pods").delete!(ctx, "web", { dryRun: false });
    assert.equal(res.deleted, true);
  });

  it("namespace: Active with the kubernetes finalizer; delete leaves it Terminating", async () => {
    const namespaces = rest("", "v1", "namespaces");
    const ns = await create(namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    assert.deepEqual(ns.status, { phase: "Active" });
    assert.deepEqual(ns.spec, { finalizers: ["kubernetes"] });
    assert.equal(ns.metadata.labels?.["kubernetes.io/metadata.name"], "team-a");
    const res = await namespaces.delete!({ ...ctx, namespace: "" }, "team-a", { dryRun: false });
    assert.equal(res.deleted, false);
    assert.equal((res.object.status as Record<string, unknown>).phase, "Terminating");
    assert.ok(res.object.metadata.deletionTimestamp);
  });

  it("deployment: selector immutable through the store, annotation changes bump generation", async () => {
    const deployments = rest("apps", "v1", "deployments");
    const spec = { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [] } } };
    await create(deployments, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" }, spec });
    const annotated = await replace(deployments, "web", (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { note: "x" } } }));
    assert.equal(annotated.metadata.generation, 2);
    await assert.rejects(
      replace(deployments, "web", (cur) => ({ ...cur, spec: { ...spec, selector: { matchLabels: { app: "other" } } } })),
      (err: Error) =>
        err.message ===
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it("job: the generated selector selects the template", async () => {
    const job = await create(rest("batch", "v1", "jobs"), {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "pi", namespace: "default" },
      spec: { template: { spec: { restartPolicy: "Never", containers: [] } } },
    });
    const spec = job.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
    assert.equal(spec.selector.matchLabels["batch.kubernetes.io/controller-uid"], job.metadata.uid);
    assert.ok(fromMetaLabelSelector(spec.selector).matches(spec.template.metadata.labels));
  });

  it("HPA written as autoscaling/v1 is stored and read back as v2, and back as v1", async () => {
    const v1 = rest("autoscaling", "v1", "horizontalpodautoscalers");
    const created = await create(v1, {
      apiVersion: "autoscaling/v1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web", namespace: "default" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "web", apiVersion: "apps/v1" }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    });
    assert.equal(created.apiVersion, "autoscaling/v1");
    assert.equal((created.spec as Record<string, unknown>).targetCPUUtilizationPercentage, 50);
    const v2 = await rest("autoscaling", "v2", "horizontalpodautoscalers").get!(ctx, "web", {});
    assert.deepEqual((v2.spec as Record<string, unknown>).metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }]);
  });

  it("an event written through events.k8s.io/v1 reads back through core/v1", async () => {
    await create(rest("events.k8s.io", "v1", "events"), {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "web.1", namespace: "default" },
      eventTime: "2026-01-01T00:00:00.000000Z",
      reportingController: "example.com/c",
      reportingInstance: "c-0",
      action: "Sync",
      reason: "Synced",
      regarding: { kind: "Pod", name: "web", namespace: "default" },
      note: "done",
      type: "Normal",
    });
    const core = await rest("", "v1", "events").get!(ctx, "web.1", {});
    assert.equal(core.message, "done");
    assert.deepEqual(core.involvedObject, { kind: "Pod", name: "web", namespace: "default" });
    assert.equal(core.reportingComponent, "example.com/c");
    const list = await rest("", "v1", "events").list!(ctx, { fieldSelector: parseFieldSelector("involvedObject.name=web,source=example.com/c") });
    assert.equal(list.items.length, 1);
  });

  it("events.k8s.io/v1 lists filter on regarding.* (field selectors of the served version)", async () => {
    const list = await rest("events.k8s.io", "v1", "events").list!(ctx, { fieldSelector: parseFieldSelector("regarding.name=web") });
    assert.equal(list.items.length, 1);
  });

  it("leases refuse an update without resourceVersion", async () => {
    const leases = rest("coordination.k8s.io", "v1", "leases");
    await create(leases, { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "l", namespace: "default" }, spec: {} });
    await assert.rejects(
      replace(leases, "l", (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: undefined } })),
      /metadata.resourceVersion: Invalid value: .*must be specified for an update/,
    );
  });
});
