// Create/read/update/patch/delete over HTTP with upstream's store semantics: status codes, Status
// bodies of deletes, finalizers, deletecollection, generateName, dryRun (query and DeleteOptions
// body), preconditions, resourceVersion and generation bookkeeping, the status and scale
// subresources, cluster scope, namespaces, bootstrap objects, and the shared-storage versions
// (autoscaling v1/v2 HPAs, core/events.k8s.io events).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertStatus, configMap, createNamespace, deployment, type Obj, startTestServer, type TestServer } from "../helpers/api-server.js";

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

const body = (res: { text: string }): Obj => JSON.parse(res.text) as Obj;
const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const deployPath = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;

async function create(path: string, obj: Obj): Promise<Obj> {
  const res = await s.post(path, obj);
  assert.equal(res.status, 201, res.text);
  return body(res);
}

async function get(path: string): Promise<Obj> {
  const res = await s.get(path);
  assert.equal(res.status, 200, res.text);
  return body(res);
}

describe("bootstrap objects", () => {
  it("a fresh server has the four system namespaces, the kubernetes Service and its Endpoints", async () => {
    const names = ((await get("/api/v1/namespaces")).items as Obj[]).map((n) => n.metadata.name);
    assert.deepEqual(names, ["default", "kube-node-lease", "kube-public", "kube-system"]);
    for (const name of names) {
      const ns = await get(`/api/v1/namespaces/${name}`);
      assert.equal(ns.status.phase, "Active");
      assert.equal(ns.metadata.labels["kubernetes.io/metadata.name"], name);
    }
    const svc = await get("/api/v1/namespaces/default/services/kubernetes");
    assert.equal(svc.spec.clusterIP, "10.96.0.1");
    assert.deepEqual(svc.spec.clusterIPs, ["10.96.0.1"]);
    assert.equal(svc.spec.type, "ClusterIP");
    assert.deepEqual(svc.spec.ports.map((p: Obj) => [p.name, p.port, p.protocol]), [["https", 443, "TCP"]]);
    assert.deepEqual(svc.metadata.labels, { component: "apiserver", provider: "kubernetes" });
    const epRes = await s.get("/api/v1/namespaces/default/endpoints/kubernetes");
    assert.equal(epRes.status, 200);
    assert.match(String(epRes.headers.warning), /^299 - "v1 Endpoints is deprecated in v1\.33\+; use discovery\.k8s\.io\/v1 EndpointSlice"$/);
    const ep = body(epRes);
    assert.equal(ep.subsets.length, 1);
    assert.ok(ep.subsets[0].addresses[0].ip);
    assert.equal(ep.subsets[0].ports[0].name, "https");
    const slice = await get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
    assert.equal(slice.metadata.labels["kubernetes.io/service-name"], "kubernetes");
    const pcs = ((await get("/apis/scheduling.k8s.io/v1/priorityclasses")).items as Obj[]).map((p) => p.metadata.name);
    assert.deepEqual(pcs.sort(), ["system-cluster-critical", "system-node-critical"]);
  });
});

describe("create, get, list, update, patch, delete", () => {
  const ns = "crud";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("round trip: 201 create, get, list, PUT, delete with a Success Status", async () => {
    const created = await create(cmPath(ns), configMap("rt"));
    assert.equal(created.apiVersion, "v1");
    assert.equal(created.kind, "ConfigMap");
    assert.equal(created.metadata.namespace, ns, "namespace comes from the URL");
    assert.match(created.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(created.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(created.metadata.resourceVersion, /^\d+$/);
    assert.equal(created.metadata.generation, undefined, "configmaps have no generation");
    assert.deepEqual(await get(`${cmPath(ns)}/rt`), created);
    const list = await get(cmPath(ns));
    assert.equal(list.kind, "ConfigMapList");
    assert.ok((list.items as Obj[]).some((i) => i.metadata.uid === created.metadata.uid));
    const updated = body(await s.put(`${cmPath(ns)}/rt`, { ...created, data: { k: "2" } }));
    assert.equal(updated.data.k, "2");
    assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(updated.metadata.uid, created.metadata.uid);
    assert.equal(updated.metadata.creationTimestamp, created.metadata.creationTimestamp);
    const del = await s.del(`${cmPath(ns)}/rt`);
    assert.equal(del.status, 200);
    assert.deepEqual(body(del), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name: "rt", kind: "configmaps", uid: created.metadata.uid }, code: 200 });
    assertStatus(await s.get(`${cmPath(ns)}/rt`), 404, "NotFound");
    const depDel = body(await s.del(`${deployPath(ns)}/${(await create(deployPath(ns), deployment("gone"))).metadata.name}`));
    assert.deepEqual({ ...depDel.details, uid: undefined }, { name: "gone", group: "apps", kind: "deployments", uid: undefined });
  });

  it("JSON patch and merge patch; resourceVersion moves on every write but not on no-ops", async () => {
    const created = await create(cmPath(ns), configMap("patched", { app: "x" }, { a: "1", b: "2" }));
    const jp = body(await s.patch(`${cmPath(ns)}/patched`, [{ op: "add", path: "/data/c", value: "3" }, { op: "remove", path: "/data/a" }, { op: "replace", path: "/data/b", value: "20" }], "application/json-patch+json"));
    assert.deepEqual(jp.data, { b: "20", c: "3" });
    assert.notEqual(jp.metadata.resourceVersion, created.metadata.resourceVersion);
    const mp = body(await s.patch(`${cmPath(ns)}/patched`, { metadata: { labels: { app: null, tier: "db" } }, data: { c: null, d: "4" } }));
    assert.deepEqual(mp.data, { b: "20", d: "4" });
    assert.deepEqual(mp.metadata.labels, { tier: "db" });
    assert.notEqual(mp.metadata.resourceVersion, jp.metadata.resourceVersion);
    const noop = body(await s.patch(`${cmPath(ns)}/patched`, { data: { d: "4" } }));
    assert.equal(noop.metadata.resourceVersion, mp.metadata.resourceVersion, "a no-op merge patch keeps the resourceVersion");
    const noopPut = body(await s.put(`${cmPath(ns)}/patched`, noop));
    assert.equal(noopPut.metadata.resourceVersion, mp.metadata.resourceVersion, "a no-op PUT keeps the resourceVersion");
    assertStatus(await s.patch(`${cmPath(ns)}/patched`, { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { e: "5" } }), 409, "Conflict");
    const withRv = await s.patch(`${cmPath(ns)}/patched`, { metadata: { resourceVersion: mp.metadata.resourceVersion }, data: { e: "5" } });
    assert.equal(withRv.status, 200, "a patch carrying the current resourceVersion succeeds");
  });

  it("a YAML body creates like JSON", async () => {
    const res = await s.post(cmPath(ns), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n").set("Content-Type", "application/yaml");
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(body(res).data, { a: "b" });
  });

  it("generateName: the server appends five random characters", async () => {
    const a = await create(cmPath(ns), { metadata: { generateName: "gen-" }, data: {} });
    const b = await create(cmPath(ns), { metadata: { generateName: "gen-" }, data: {} });
    assert.match(a.metadata.name, /^gen-[a-z0-9]{5}$/);
    assert.equal(a.metadata.generateName, "gen-");
    assert.notEqual(a.metadata.name, b.metadata.name);
    await get(`${cmPath(ns)}/${a.metadata.name}`);
  });

  it("dryRun=All for create, update and patch, and for DELETE in the body: nothing changes", async () => {
    const dryCreate = await s.post(`${cmPath(ns)}?dryRun=All`, configMap("dry"));
    assert.equal(dryCreate.status, 201);
    assert.equal(body(dryCreate).metadata.name, "dry");
    assertStatus(await s.get(`${cmPath(ns)}/dry`), 404, "NotFound");

    const real = await create(cmPath(ns), configMap("dry"));
    const dryPut = body(await s.put(`${cmPath(ns)}/dry?dryRun=All`, { ...real, data: { k: "put" } }));
    assert.equal(dryPut.data.k, "put", "the response shows the would-be object");
    const dryPatch = body(await s.patch(`${cmPath(ns)}/dry?dryRun=All`, { data: { k: "patch" } }));
    assert.equal(dryPatch.data.k, "patch");
    const dryJsonPatch = await s.patch(`${cmPath(ns)}/dry?dryRun=All`, [{ op: "add", path: "/data/x", value: "1" }], "application/json-patch+json");
    assert.equal(dryJsonPatch.status, 200);
    const dryDelete = await s.del(`${cmPath(ns)}/dry`, { propagationPolicy: "Background", dryRun: ["All"] });
    assert.equal(dryDelete.status, 200);
    assert.equal(body(dryDelete).status, "Success");
    assert.equal((await s.del(`${cmPath(ns)}/dry?dryRun=All`)).status, 200);
    const after = await get(`${cmPath(ns)}/dry`);
    assert.deepEqual(after, real, "no dry-run request changed the stored object");
    assertStatus(await s.post(`${cmPath(ns)}?dryRun=Bogus`, configMap("bogus")), 422, "Invalid", /^CreateOptions\.meta\.k8s\.io "" is invalid: dryRun: Unsupported value/);
  });

  it("DeleteOptions preconditions on uid and resourceVersion: 409 when they do not hold", async () => {
    const cm = await create(cmPath(ns), configMap("pre"));
    const uidConflict = assertStatus(await s.del(`${cmPath(ns)}/pre`, { preconditions: { uid: "not-the-uid" } }), 409, "Conflict");
    assert.equal(uidConflict.message, `Operation cannot be fulfilled on configmaps "pre": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${cm.metadata.uid}`);
    const rvConflict = assertStatus(await s.del(`${cmPath(ns)}/pre`, { preconditions: { resourceVersion: "1" } }), 409, "Conflict");
    assert.equal(rvConflict.message, `Operation cannot be fulfilled on configmaps "pre": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in meta: ${cm.metadata.resourceVersion}`);
    await get(`${cmPath(ns)}/pre`);
    const ok = await s.del(`${cmPath(ns)}/pre`, { preconditions: { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion } });
    assert.equal(ok.status, 200);
    assertStatus(await s.get(`${cmPath(ns)}/pre`), 404, "NotFound");
  });

  it("propagationPolicy is validated: 422 for an unknown value or together with orphanDependents", async () => {
    await create(cmPath(ns), configMap("prop"));
    const st = assertStatus(await s.del(`${cmPath(ns)}/prop`, { propagationPolicy: "Bogus" }), 422, "Invalid");
    assert.equal(st.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Bogus": supported values: "Foreground", "Background", "Orphan"');
    assert.deepEqual(st.details, {
      group: "meta.k8s.io",
      kind: "DeleteOptions",
      causes: [{ reason: "FieldValueNotSupported", message: 'Unsupported value: "Bogus": supported values: "Foreground", "Background", "Orphan"', field: "propagationPolicy" }],
    });
    assertStatus(await s.del(`${cmPath(ns)}/prop?propagationPolicy=Bogus`), 422, "Invalid");
    assertStatus(await s.del(`${cmPath(ns)}/prop`, { propagationPolicy: "Background", orphanDependents: true }), 422, "Invalid", /Cannot both set OrphanDependents and PropagationPolicy/);
    await get(`${cmPath(ns)}/prop`);
    assert.equal((await s.del(`${cmPath(ns)}/prop`, { propagationPolicy: "Background" })).status, 200);
  });

  it("finalizers keep a deleted object (200 with deletionTimestamp) until they are patched away", async () => {
    await create(cmPath(ns), { ...configMap("fin"), metadata: { name: "fin", finalizers: ["example.com/hold"] } });
    const res = await s.del(`${cmPath(ns)}/fin`);
    assert.equal(res.status, 200);
    const pending = body(res);
    assert.equal(pending.kind, "ConfigMap", "a pending delete returns the object, not a Status");
    assert.ok(pending.metadata.deletionTimestamp);
    assert.equal(pending.metadata.deletionGracePeriodSeconds, 0);
    assert.deepEqual(pending.metadata.finalizers, ["example.com/hold"]);
    const again = body(await s.del(`${cmPath(ns)}/fin`));
    assert.equal(again.metadata.deletionTimestamp, pending.metadata.deletionTimestamp, "a second delete changes nothing");
    assert.ok((await get(`${cmPath(ns)}/fin`)).metadata.deletionTimestamp);
    const released = await s.patch(`${cmPath(ns)}/fin`, { metadata: { finalizers: null } });
    assert.equal(released.status, 200);
    assertStatus(await s.get(`${cmPath(ns)}/fin`), 404, "NotFound");
  });

  it("deletecollection honours label and field selectors", async () => {
    const dc = await createNamespace(s, "deletecollection");
    for (const [name, grp] of [["a", "one"], ["b", "one"], ["c", "two"], ["d", "two"]] as const) await create(cmPath(dc), configMap(name, { grp }));
    const res = await s.del(`${cmPath(dc)}?labelSelector=grp%3Done`);
    assert.equal(res.status, 200);
    assert.equal(body(res).kind, "ConfigMapList");
    assert.deepEqual((body(res).items as Obj[]).map((i) => i.metadata.name).sort(), ["a", "b"]);
    assert.deepEqual(((await get(cmPath(dc))).items as Obj[]).map((i) => i.metadata.name), ["c", "d"]);
    await s.del(`${cmPath(dc)}?fieldSelector=metadata.name%3Dc`);
    assert.deepEqual(((await get(cmPath(dc))).items as Obj[]).map((i) => i.metadata.name), ["d"]);
  });
});

describe("generation, status and scale", () => {
  const ns = "workloads";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("metadata.generation: 1 on create, bumped by spec and annotation changes, not by status or labels", async () => {
    const d = await create(deployPath(ns), deployment("gen", 1));
    assert.equal(d.metadata.generation, 1);
    const labelled = body(await s.patch(`${deployPath(ns)}/gen`, { metadata: { labels: { extra: "x" } } }));
    assert.equal(labelled.metadata.generation, 1, "labels do not bump");
    const status = body(await s.patch(`${deployPath(ns)}/gen/status`, { status: { replicas: 4, observedGeneration: 1 } }));
    assert.equal(status.metadata.generation, 1, "status writes do not bump");
    const spec = body(await s.patch(`${deployPath(ns)}/gen`, { spec: { replicas: 2 } }));
    assert.equal(spec.metadata.generation, 2, "spec changes bump");
    const annotated = body(await s.patch(`${deployPath(ns)}/gen`, { metadata: { annotations: { note: "a" } } }));
    assert.equal(annotated.metadata.generation, 3, "deployment annotation changes bump (upstream copies them to ReplicaSets)");
    const cm = await create(cmPath(ns), configMap("nogen"));
    const cm2 = body(await s.patch(`${cmPath(ns)}/nogen`, { data: { k: "changed" } }));
    assert.equal(cm.metadata.generation, undefined);
    assert.equal(cm2.metadata.generation, undefined);
  });

  it("status subresource: /status changes only status; the main resource cannot change status", async () => {
    const d = await create(deployPath(ns), deployment("stat", 1));
    assert.deepEqual(d.status, {}, "status is reset on create");
    const viaStatus = body(await s.patch(`${deployPath(ns)}/stat/status`, { status: { replicas: 7 }, spec: { replicas: 9 }, metadata: { labels: { sneaky: "1" } } }));
    assert.equal(viaStatus.status.replicas, 7);
    assert.equal(viaStatus.spec.replicas, 1, "spec is ignored on /status");
    assert.equal(viaStatus.metadata.labels.sneaky, undefined, "labels are ignored on /status");
    const fetched = await get(`${deployPath(ns)}/stat/status`);
    assert.equal(fetched.kind, "Deployment");
    assert.equal(fetched.status.replicas, 7);
    const put = body(await s.put(`${deployPath(ns)}/stat/status`, { ...fetched, status: { replicas: 8 }, spec: { ...fetched.spec, replicas: 5 } }));
    assert.equal(put.status.replicas, 8);
    assert.equal(put.spec.replicas, 1);
    const main = body(await s.put(`${deployPath(ns)}/stat`, { ...put, status: { replicas: 100 }, spec: { ...put.spec, replicas: 3 } }));
    assert.equal(main.spec.replicas, 3);
    assert.equal(main.status.replicas, 8, "a PUT of the main resource keeps the stored status");
    const patched = body(await s.patch(`${deployPath(ns)}/stat`, { status: { replicas: 100 } }));
    assert.equal(patched.status.replicas, 8);
  });

  it("scale subresource: Scale shape, merge patch of replicas, 422 for negative replicas", async () => {
    await create(deployPath(ns), deployment("web", 1, { app: "web" }));
    const scale = await get(`${deployPath(ns)}/web/scale`);
    assert.equal(scale.kind, "Scale");
    assert.equal(scale.apiVersion, "autoscaling/v1");
    assert.equal(scale.metadata.name, "web");
    assert.equal(scale.metadata.namespace, ns);
    assert.ok(scale.metadata.uid && scale.metadata.resourceVersion && scale.metadata.creationTimestamp);
    assert.deepEqual(scale.spec, { replicas: 1 });
    assert.equal(scale.status.selector, "app=web");
    assert.equal(scale.status.replicas, 0);
    const scaled = body(await s.patch(`${deployPath(ns)}/web/scale`, { spec: { replicas: 3 } }));
    assert.equal(scaled.kind, "Scale");
    assert.equal(scaled.spec.replicas, 3);
    const d = await get(`${deployPath(ns)}/web`);
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.metadata.generation, 2);
    assert.equal(d.metadata.resourceVersion, scaled.metadata.resourceVersion);
    const st = assertStatus(await s.patch(`${deployPath(ns)}/web/scale`, { spec: { replicas: -1 } }), 422, "Invalid");
    assert.equal(st.message, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assertStatus(await s.put(`${deployPath(ns)}/web/scale`, { ...scale, spec: { replicas: 5 } }), 409, "Conflict");
    const put = body(await s.put(`${deployPath(ns)}/web/scale`, { ...scaled, spec: { replicas: 5 } }));
    assert.equal(put.spec.replicas, 5);
    assertStatus(await s.get(`${deployPath(ns)}/missing/scale`), 404, "NotFound", 'deployments.apps "missing" not found');
  });

  it(
    "Deployment create applies upstream defaults and validation",
    async () => {
      const d = await create(deployPath(ns), { ...deployment("defaults"), spec: { selector: { matchLabels: { app: "d" } }, template: { metadata: { labels: { app: "d" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } } });
      assert.equal(d.spec.replicas, 1);
      assert.equal(d.spec.strategy?.type, "RollingUpdate");
      assert.equal(d.spec.revisionHistoryLimit, 10);
      const bad = { ...deployment("bad"), spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { c: "d" } }, spec: { containers: [] } } } };
      assertStatus(await s.post(deployPath(ns), bad), 422, "Invalid", /^Deployment\.apps "bad" is invalid: /);
    },
  );
});

describe("scope, namespaces and shared-storage versions", () => {
  it("cluster-scoped resources have no namespaced path and drop a namespace in the body", async () => {
    assertStatus(await s.get("/api/v1/namespaces/x/nodes"), 404, "NotFound", "the server could not find the requested resource");
    assertStatus(await s.get("/apis/rbac.authorization.k8s.io/v1/namespaces/default/clusterroles"), 404, "NotFound");
    const cr = await create("/apis/rbac.authorization.k8s.io/v1/clusterroles", { metadata: { name: "scoped", namespace: "default" }, rules: [] });
    assert.equal(cr.metadata.namespace, undefined);
    assert.equal((await get("/apis/rbac.authorization.k8s.io/v1/clusterroles/scoped")).metadata.name, "scoped");
  });

  it("namespaces: created Active with the kubernetes finalizer; deleting one leaves it Terminating", async () => {
    const ns = await create("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "lifecycle" } });
    assert.deepEqual(ns.status, { phase: "Active" });
    assert.deepEqual(ns.spec, { finalizers: ["kubernetes"] });
    assert.equal(ns.metadata.labels["kubernetes.io/metadata.name"], "lifecycle");
    const del = await s.del("/api/v1/namespaces/lifecycle");
    assert.equal(del.status, 200);
    const terminating = body(del);
    assert.equal(terminating.kind, "Namespace");
    assert.equal(terminating.status.phase, "Terminating");
    assert.ok(terminating.metadata.deletionTimestamp);
    assert.equal((await get("/api/v1/namespaces/lifecycle")).status.phase, "Terminating");
    assertStatus(await s.post("/api/v1/namespaces", { metadata: { name: "a.b" } }), 422, "Invalid", 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots');
    assertStatus(await s.post("/api/v1/namespaces", { metadata: { name: "Upper" } }), 422, "Invalid", /^Namespace "Upper" is invalid: metadata\.name: Invalid value: "Upper": a lowercase RFC 1123 label must consist of/);
  });

  it("an HPA created via autoscaling/v1 is readable via v2 and vice versa", async () => {
    const ref = { apiVersion: "apps/v1", kind: "Deployment", name: "web" };
    const hpaPath = (v: string) => `/apis/autoscaling/${v}/namespaces/default/horizontalpodautoscalers`;
    const v1 = await create(hpaPath("v1"), { metadata: { name: "from-v1" }, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 } });
    const asV2 = await get(`${hpaPath("v2")}/from-v1`);
    assert.equal(asV2.apiVersion, "autoscaling/v2");
    assert.equal(asV2.metadata.uid, v1.metadata.uid);
    assert.equal(asV2.metadata.resourceVersion, v1.metadata.resourceVersion);
    assert.deepEqual(asV2.spec.metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }]);
    assert.equal(asV2.spec.maxReplicas, 5);
    const metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }];
    await create(hpaPath("v2"), { metadata: { name: "from-v2" }, spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 4, metrics } });
    const asV1 = await get(`${hpaPath("v1")}/from-v2`);
    assert.equal(asV1.apiVersion, "autoscaling/v1");
    assert.equal(asV1.spec.targetCPUUtilizationPercentage, 50);
    assert.equal(asV1.spec.minReplicas, 2);
    const names = (v: string) => get(hpaPath(v)).then((l) => (l.items as Obj[]).map((i) => i.metadata.name).sort());
    assert.deepEqual(await names("v1"), ["from-v1", "from-v2"]);
    assert.deepEqual(await names("v2"), ["from-v1", "from-v2"]);
    assert.equal((await s.del(`${hpaPath("v2")}/from-v1`)).status, 200);
    assertStatus(await s.get(`${hpaPath("v1")}/from-v1`), 404, "NotFound", 'horizontalpodautoscalers.autoscaling "from-v1" not found');
  });

  it("core events are readable via events.k8s.io/v1 and vice versa, with field selectors on both sides", async () => {
    const ns = await createNamespace(s, "events");
    const core = `/api/v1/namespaces/${ns}/events`;
    const v1 = `/apis/events.k8s.io/v1/namespaces/${ns}/events`;
    const involved = { kind: "Pod", name: "p1", namespace: ns, uid: "u-1", apiVersion: "v1" };
    await create(core, { metadata: { name: "e1" }, involvedObject: involved, reason: "Started", message: "hello", type: "Normal", source: { component: "kubelet" }, firstTimestamp: "2026-01-01T00:00:00Z", lastTimestamp: "2026-01-01T00:00:00Z", count: 1 });
    const e1 = await get(`${v1}/e1`);
    assert.equal(e1.apiVersion, "events.k8s.io/v1");
    assert.deepEqual(e1.regarding, involved);
    assert.equal(e1.note, "hello");
    assert.equal(e1.reason, "Started");
    assert.deepEqual(e1.deprecatedSource, { component: "kubelet" });
    assert.equal(e1.deprecatedCount, 1);
    await create(v1, { metadata: { name: "e2" }, regarding: { kind: "Deployment", name: "d1", namespace: ns }, reason: "Killing", note: "bye", type: "Warning", action: "Kill", reportingController: "kubelet", reportingInstance: "n1", eventTime: "2026-01-01T00:00:00.000000Z" });
    const e2 = await get(`${core}/e2`);
    assert.equal(e2.apiVersion, "v1");
    assert.deepEqual(e2.involvedObject, { kind: "Deployment", name: "d1", namespace: ns });
    assert.equal(e2.message, "bye");
    assert.equal(e2.reportingComponent, "kubelet");
    const names = async (path: string, selector: string) =>
      ((await get(`${path}?fieldSelector=${encodeURIComponent(selector)}`)).items as Obj[]).map((e) => e.metadata.name).sort();
    assert.deepEqual(await names(core, "involvedObject.name=p1,involvedObject.uid=u-1,involvedObject.kind=Pod"), ["e1"]);
    assert.deepEqual(await names(core, "involvedObject.kind=Deployment"), ["e2"]);
    assert.deepEqual(await names(core, "reason=Killing"), ["e2"]);
    assert.deepEqual(await names(core, "type=Normal"), ["e1"]);
    assert.deepEqual(await names(v1, "regarding.name=p1"), ["e1"]);
    assert.deepEqual(await names(v1, "regarding.kind=Deployment"), ["e2"]);
    assert.deepEqual(await names(v1, "reason=Started"), ["e1"]);
    assert.deepEqual(await names(v1, "type=Warning"), ["e2"]);
    assert.deepEqual(await names("/api/v1/events", `involvedObject.namespace=${ns}`), ["e1", "e2"]);
    assertStatus(await s.get(`${core}?fieldSelector=regarding.name%3Dp1`), 400, "BadRequest", "field label not supported: regarding.name");
  });
});
