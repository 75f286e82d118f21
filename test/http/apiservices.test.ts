// apiregistration.k8s.io/v1 APIServices: one local APIService per served group-version, kept by the
// in-process autoregistration with kube-apiserver's priorities and marked Available; full CRUD and
// /status for clients; discovery, Table output and OpenAPI (v2 and v3) like a real 1.33 server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { defineResource } from "../../src/registry/definition.js";
import { assertStatus, DEADLINE_MS, type Obj, startTestServer, type TestServer } from "../helpers/api-server.js";

const BASE = "/apis/apiregistration.k8s.io/v1/apiservices";
const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
const LOCAL = { type: "Available", status: "True", reason: "Local", message: "Local APIServices are always available" };

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

async function json(path: string, accept = "application/json"): Promise<Obj> {
  const res = await s.get(path).set("Accept", accept);
  assert.equal(res.status, 200, `${path}: ${res.text}`);
  return JSON.parse(res.text) as Obj;
}

const available = (o: Obj): Obj | undefined => (o.status?.conditions as Obj[] | undefined)?.find((c) => c.type === "Available");
const withoutTime = (c: Obj | undefined) => {
  if (!c) return c;
  const { lastTransitionTime, ...rest } = c;
  assert.match(String(lastTransitionTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  return rest;
};

/** Polls an APIService until its Available condition has the reason (the availability check runs asynchronously). */
async function availableReason(name: string, reason: string): Promise<Obj> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const obj = await json(`${BASE}/${name}`);
    if (available(obj)?.reason === reason) return obj;
    if (Date.now() > deadline) assert.fail(`${name}: Available is ${JSON.stringify(available(obj))}, waited for ${reason}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const remote = (name: string, group: string, version: string, service: Obj) => ({
  apiVersion: "apiregistration.k8s.io/v1",
  kind: "APIService",
  metadata: { name },
  spec: { group, version, groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, service },
});

describe("registered APIServices", () => {
  it("one per served group-version (none for apiregistration.k8s.io itself), sorted by name", async () => {
    const names = ((await json(BASE)).items as Obj[]).map((i) => i.metadata.name as string);
    const groups = (await json("/apis")).groups as Obj[];
    const expected = ["v1.", ...groups.filter((g) => g.name !== "apiregistration.k8s.io").flatMap((g) => (g.versions as Obj[]).map((v) => `${v.version}.${g.name}`))].sort();
    assert.deepEqual(names, expected);
    for (const n of ["v1.", "v1.apps", "v2.autoscaling", "v1.autoscaling", "v1.apiextensions.k8s.io", "v1.admissionregistration.k8s.io"]) assert.ok(names.includes(n), n);
    assert.ok(!names.includes("v1.apiregistration.k8s.io"));
  });

  it("carry kube-apiserver's priorities, no service, the onstart label and Available=True (Local)", async () => {
    const apps = await json(`${BASE}/v1.apps`);
    assert.equal(apps.apiVersion, "apiregistration.k8s.io/v1");
    assert.equal(apps.kind, "APIService");
    assert.deepEqual(apps.metadata.labels, { "kube-aggregator.kubernetes.io/automanaged": "onstart" });
    assert.deepEqual(apps.spec, { group: "apps", version: "v1", groupPriorityMinimum: 17800, versionPriority: 15 });
    assert.deepEqual(withoutTime(available(apps)), LOCAL);
    const core = await json(`${BASE}/v1.`);
    assert.deepEqual(core.spec, { version: "v1", groupPriorityMinimum: 18000, versionPriority: 1 });
    const priorities = (n: string) => json(`${BASE}/${n}`).then((o) => [o.spec.groupPriorityMinimum, o.spec.versionPriority]);
    assert.deepEqual(await priorities("v2.autoscaling"), [17500, 30]);
    assert.deepEqual(await priorities("v1.autoscaling"), [17500, 15]);
    assert.deepEqual(await priorities("v1.events.k8s.io"), [17750, 15]);
    assert.deepEqual(await priorities("v1.flowcontrol.apiserver.k8s.io"), [16100, 21]);
    assert.deepEqual(await priorities("v1.node.k8s.io"), [16300, 15]);
  });

  it("print NAME SERVICE AVAILABLE AGE with Local and True", async () => {
    const table = await json(BASE, TABLE);
    assert.deepEqual(
      (table.columnDefinitions as Obj[]).map((c) => c.name),
      ["Name", "Service", "Available", "Age"],
    );
    const row = (table.rows as Obj[]).find((r) => r.cells[0] === "v1.apps");
    assert.deepEqual(row?.cells.slice(0, 3), ["v1.apps", "Local", "True"]);
    assert.match(row?.cells[3], /^\d+s$/);
  });
});

describe("APIService CRUD", () => {
  it("a local APIService is Available as it is created", async () => {
    const res = await s.post(BASE, { apiVersion: "apiregistration.k8s.io/v1", kind: "APIService", metadata: { name: "v1.local.example.com" }, spec: { group: "local.example.com", version: "v1", groupPriorityMinimum: 1000, versionPriority: 15 }, status: { conditions: [{ type: "Available", status: "False" }] } });
    assert.equal(res.status, 201, res.text);
    const created = JSON.parse(res.text) as Obj;
    assert.deepEqual(created.status.conditions.map(withoutTime), [LOCAL]);
    assert.equal(created.metadata.labels, undefined, "not automanaged");
    // nothing takes it away: it is not the autoregistration's
    assert.equal((await s.get(`${BASE}/v1.local.example.com`)).status, 200);
  });

  it("a remote APIService defaults its port and follows its Service and Endpoints", async () => {
    const res = await s.post(BASE, remote("v1beta1.metrics.k8s.io", "metrics.k8s.io", "v1beta1", { namespace: "kube-system", name: "metrics-server" }));
    assert.equal(res.status, 201, res.text);
    const created = JSON.parse(res.text) as Obj;
    assert.deepEqual(created.spec.service, { namespace: "kube-system", name: "metrics-server", port: 443 });
    assert.deepEqual(created.status, {});
    const missing = await availableReason("v1beta1.metrics.k8s.io", "ServiceNotFound");
    assert.deepEqual(withoutTime(available(missing)), { type: "Available", status: "False", reason: "ServiceNotFound", message: 'service/metrics-server in "kube-system" is not present' });
    const svc = await s.post("/api/v1/namespaces/kube-system/services", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "metrics-server" },
      spec: { ports: [{ name: "https", port: 443, targetPort: 4443 }], selector: { app: "metrics-server" } },
    });
    assert.equal(svc.status, 201, svc.text);
    const noEndpoints = await availableReason("v1beta1.metrics.k8s.io", "EndpointsNotFound");
    assert.equal(available(noEndpoints)?.message, 'cannot find endpoints for service/metrics-server in "kube-system"');
    const table = await json(`${BASE}/v1beta1.metrics.k8s.io`, TABLE);
    assert.deepEqual(table.rows[0].cells.slice(0, 3), ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (EndpointsNotFound)"]);
  });

  it("validates the name against spec.version and spec.group, and the spec as upstream", async () => {
    const bad = await s.post(BASE, { apiVersion: "apiregistration.k8s.io/v1", kind: "APIService", metadata: { name: "v1.wrong.example.com" }, spec: { group: "right.example.com", version: "v1", groupPriorityMinimum: 0, versionPriority: 15, caBundle: "AAAA" } });
    assertStatus(
      bad,
      422,
      "Invalid",
      'APIService.apiregistration.k8s.io "v1.wrong.example.com" is invalid: [metadata.name: Invalid value: "v1.wrong.example.com": must be `spec.version+"."+spec.group`: "v1.right.example.com", spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000, spec.caBundle: Invalid value: "3 bytes": local APIServices may not have a caBundle]',
    );
    const noGroup = await s.post(BASE, { apiVersion: "apiregistration.k8s.io/v1", kind: "APIService", metadata: { name: "v2." }, spec: { version: "v2", groupPriorityMinimum: 1, versionPriority: 1 } });
    assertStatus(noGroup, 422, "Invalid", 'APIService.apiregistration.k8s.io "v2." is invalid: spec.group: Required value: only v1 may have an empty group and it better be legacy kube');
  });

  it("updates need a resourceVersion and keep the status; /status changes only the status", async () => {
    const cur = await json(`${BASE}/v1.local.example.com`);
    const unconditional = structuredClone(cur);
    delete unconditional.metadata.resourceVersion;
    assertStatus(await s.put(`${BASE}/v1.local.example.com`, unconditional), 422, "Invalid", /metadata.resourceVersion: Invalid value: 0x0: must be specified for an update/);
    const next = structuredClone(cur);
    next.spec.versionPriority = 20;
    next.status = { conditions: [{ type: "Available", status: "False", reason: "Nope" }] };
    const put = await s.put(`${BASE}/v1.local.example.com`, next);
    assert.equal(put.status, 200, put.text);
    const updated = JSON.parse(put.text) as Obj;
    assert.equal(updated.spec.versionPriority, 20);
    assert.deepEqual(updated.status, cur.status);

    const status = await s.patch(`${BASE}/v1.local.example.com/status`, { spec: { versionPriority: 30 }, status: { conditions: [{ type: "Available", status: "Maybe" }] } });
    assertStatus(status, 422, "Invalid", /status.conditions\[0\].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"/);
    const ok = await s.patch(`${BASE}/v1.local.example.com/status`, { metadata: { labels: { x: "y" } }, spec: { versionPriority: 30 }, status: { conditions: [{ type: "Extra", status: "Unknown" }] } });
    assert.equal(ok.status, 200, ok.text);
    const patched = JSON.parse(ok.text) as Obj;
    assert.equal(patched.spec.versionPriority, 20, "spec is not the status subresource's");
    assert.equal(patched.metadata.labels, undefined, "labels are not either");
    // a merge patch replaces the list; the availability check puts Available back
    assert.deepEqual(
      (patched.status.conditions as Obj[]).map((c) => c.type),
      ["Extra"],
    );
    const restored = await availableReason("v1.local.example.com", "Local");
    assert.deepEqual(
      (restored.status.conditions as Obj[]).map((c) => c.type),
      ["Extra", "Available"],
    );
  });

  it("deletes", async () => {
    const res = await s.del(`${BASE}/v1.local.example.com`);
    assert.equal(res.status, 200, res.text);
    assertStatus(await s.get(`${BASE}/v1.local.example.com`), 404, "NotFound", 'apiservices.apiregistration.k8s.io "v1.local.example.com" not found');
  });
});

/** Polls until `check` holds for the APIService's GET status code. */
async function eventuallyStatus(name: string, code: number): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while ((await s.get(`${BASE}/${name}`)).status !== code) {
    if (Date.now() > deadline) assert.fail(`${name}: never answered ${code}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("autoregistration", () => {
  const widgets = defineResource({ group: "widgets.example.com", version: "v1alpha1", kind: "Widget", plural: "widgets", singular: "widget", namespaced: true, customResource: true });

  it("a group-version served by custom resources gets a continuously synced APIService (1000/100), removed with it", async () => {
    s.api.registry.add(widgets);
    await eventuallyStatus("v1alpha1.widgets.example.com", 200);
    const obj = await json(`${BASE}/v1alpha1.widgets.example.com`);
    assert.deepEqual(obj.metadata.labels, { "kube-aggregator.kubernetes.io/automanaged": "true" });
    assert.deepEqual(obj.spec, { group: "widgets.example.com", version: "v1alpha1", groupPriorityMinimum: 1000, versionPriority: 100 });
    assert.deepEqual(withoutTime(available(obj)), LOCAL);
    // continuously synced: a client's change of the spec is put back
    const changed = structuredClone(obj);
    changed.spec.versionPriority = 7;
    assert.equal((await s.put(`${BASE}/v1alpha1.widgets.example.com`, changed)).status, 200);
    const deadline = Date.now() + DEADLINE_MS;
    while ((await json(`${BASE}/v1alpha1.widgets.example.com`)).spec.versionPriority !== 100) {
      if (Date.now() > deadline) assert.fail("the spec was not restored");
      await new Promise((r) => setTimeout(r, 10));
    }
    s.api.registry.remove(widgets.group, widgets.version, widgets.plural);
    await eventuallyStatus("v1alpha1.widgets.example.com", 404);
  });

  it("a built-in one deleted by a client stays deleted until the next start (synced on start only)", async () => {
    assert.equal((await s.del(`${BASE}/v1.node.k8s.io`)).status, 200);
    s.api.registry.add(widgets); // some later registry change
    await eventuallyStatus("v1alpha1.widgets.example.com", 200);
    assert.equal((await s.get(`${BASE}/v1.node.k8s.io`)).status, 404);
    s.api.registry.remove(widgets.group, widgets.version, widgets.plural);
    await eventuallyStatus("v1alpha1.widgets.example.com", 404);
  });
});

describe("discovery and OpenAPI", () => {
  it("legacy discovery: apiservices with api-extensions and a status subresource", async () => {
    const group = await json("/apis/apiregistration.k8s.io");
    assert.deepEqual(group.preferredVersion, { groupVersion: "apiregistration.k8s.io/v1", version: "v1" });
    assert.equal(((await json("/apis")).groups as Obj[])[0].name, "apiregistration.k8s.io", "the aggregator's own group comes first");
    const list = await json("/apis/apiregistration.k8s.io/v1");
    const [main, status] = list.resources as Obj[];
    assert.deepEqual({ ...main, storageVersionHash: undefined }, {
      name: "apiservices",
      singularName: "apiservice",
      namespaced: false,
      kind: "APIService",
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      categories: ["api-extensions"],
      storageVersionHash: undefined,
    });
    assert.match(main!.storageVersionHash, /^[A-Za-z0-9+/]{11}=$/);
    assert.deepEqual(status, { name: "apiservices/status", singularName: "", namespaced: false, kind: "APIService", verbs: ["get", "patch", "update"] });
  });

  it("aggregated discovery", async () => {
    const doc = await json("/apis", V2);
    const group = (doc.items as Obj[]).find((g) => g.metadata.name === "apiregistration.k8s.io");
    assert.ok(group);
    const r = group.versions[0].resources[0];
    assert.equal(r.resource, "apiservices");
    assert.equal(r.scope, "Cluster");
    assert.deepEqual(r.categories, ["api-extensions"]);
    assert.deepEqual(r.subresources, [{ subresource: "status", responseKind: { group: "apiregistration.k8s.io", version: "v1", kind: "APIService" }, verbs: ["get", "patch", "update"] }]);
  });

  it("OpenAPI v3 has apis/apiregistration.k8s.io/v1 with the APIService schema; v2 has its paths", async () => {
    const index = await json("/openapi/v3");
    const ref = index.paths["apis/apiregistration.k8s.io/v1"];
    assert.ok(ref, "no apis/apiregistration.k8s.io/v1 in /openapi/v3");
    const doc = await json(ref.serverRelativeURL);
    const schema = doc.components.schemas["io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService"];
    assert.deepEqual(schema["x-kubernetes-group-version-kind"], [{ group: "apiregistration.k8s.io", kind: "APIService", version: "v1" }]);
    assert.ok(doc.paths["/apis/apiregistration.k8s.io/v1/apiservices/{name}/status"]);
    const v2 = await json("/openapi/v2");
    assert.equal(v2.paths["/apis/apiregistration.k8s.io/v1/apiservices"].get.operationId, "listApiregistrationV1APIService");
    assert.equal(v2.paths["/apis/apiregistration.k8s.io/v1/apiservices/{name}"].delete.operationId, "deleteApiregistrationV1APIService");
    assert.ok(v2.definitions["io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceSpec"]);
  });
});
