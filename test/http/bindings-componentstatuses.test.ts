// The core/v1 resources upstream serves with REST objects of their own: bindings (the collection
// form of pods/binding: create only) and componentstatuses (read-only, computed, deprecated).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertStatus, createNamespace, type Obj, pod, startTestServer, type TestServer } from "../helpers/api-server.js";

const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
const CS_WARNING = '299 - "v1 ComponentStatus is deprecated in v1.19+"';

let s: TestServer;
let ns: string;
before(async () => {
  s = await startTestServer();
  ns = await createNamespace(s, "binds");
});
after(async () => {
  await s.stop();
});

/** A plain Go error upstream (no StatusError): 500, no reason, the error text as message. */
function assertPlainError(res: Awaited<ReturnType<TestServer["get"]>>, message: string): void {
  assert.equal(res.status, 500, res.text);
  assert.deepEqual(JSON.parse(res.text), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, code: 500 });
}

const binding = (name: string, node: string, extra: Obj = {}) => ({
  apiVersion: "v1",
  kind: "Binding",
  metadata: { name, ...extra },
  target: { apiVersion: "v1", kind: "Node", name: node },
});

describe("discovery", () => {
  it("/api/v1 lists bindings (create) and componentstatuses (get, list; cs), without storage version hashes", async () => {
    const res = await s.get("/api/v1");
    assert.equal(res.status, 200);
    const list = JSON.parse(res.text) as Obj;
    const entry = (n: string) => (list.resources as Obj[]).find((r) => r.name === n);
    assert.deepEqual(entry("bindings"), { name: "bindings", singularName: "binding", namespaced: true, kind: "Binding", verbs: ["create"] });
    assert.deepEqual(entry("componentstatuses"), {
      name: "componentstatuses",
      singularName: "componentstatus",
      namespaced: false,
      kind: "ComponentStatus",
      verbs: ["get", "list"],
      shortNames: ["cs"],
    });
    // the pods/binding subresource is still listed on its own
    assert.ok(entry("pods/binding"));
  });

  it("aggregated discovery carries both", async () => {
    const res = await s.get("/api").set("Accept", V2);
    assert.equal(res.status, 200);
    const v1 = (JSON.parse(res.text) as Obj).items[0].versions[0];
    const r = (n: string) => (v1.resources as Obj[]).find((x) => x.resource === n);
    assert.deepEqual(r("bindings"), { resource: "bindings", responseKind: { group: "", version: "v1", kind: "Binding" }, scope: "Namespaced", singularResource: "binding", verbs: ["create"] });
    assert.deepEqual(r("componentstatuses"), {
      resource: "componentstatuses",
      responseKind: { group: "", version: "v1", kind: "ComponentStatus" },
      scope: "Cluster",
      singularResource: "componentstatus",
      verbs: ["get", "list"],
      shortNames: ["cs"],
    });
  });
});

describe("core/v1 bindings", () => {
  it("binds the pod named by the Binding to its target, as pods/binding does", async () => {
    assert.equal((await s.post(`/api/v1/namespaces/${ns}/pods`, pod("p1"))).status, 201);
    const res = await s.post(`/api/v1/namespaces/${ns}/bindings`, binding("p1", "node-a", { annotations: { "example.com/bound": "yes" } }));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(JSON.parse(res.text), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    const got = JSON.parse((await s.get(`/api/v1/namespaces/${ns}/pods/p1`)).text) as Obj;
    assert.equal(got.spec.nodeName, "node-a");
    assert.equal(got.metadata.annotations["example.com/bound"], "yes");
    const scheduled = (got.status.conditions as Obj[]).find((c) => c.type === "PodScheduled");
    assert.equal(scheduled?.status, "True");
  });

  it("a bound pod is a Conflict on pods/binding; a missing pod is NotFound", async () => {
    assertStatus(
      await s.post(`/api/v1/namespaces/${ns}/bindings`, binding("p1", "node-b")),
      409,
      "Conflict",
      'Operation cannot be fulfilled on pods/binding "p1": pod p1 is already assigned to node "node-a"',
    );
    assertStatus(await s.post(`/api/v1/namespaces/${ns}/bindings`, binding("missing", "node-a")), 404, "NotFound", 'pods "missing" not found');
  });

  it("dry run binds nothing", async () => {
    assert.equal((await s.post(`/api/v1/namespaces/${ns}/pods`, pod("p2"))).status, 201);
    assert.equal((await s.post(`/api/v1/namespaces/${ns}/bindings?dryRun=All`, binding("p2", "node-a"))).status, 201);
    const got = JSON.parse((await s.get(`/api/v1/namespaces/${ns}/pods/p2`)).text) as Obj;
    assert.equal(got.spec.nodeName, undefined);
  });

  it("rejects a Binding for another namespace, without a name or without a target", async () => {
    assertStatus(
      await s.post(`/api/v1/namespaces/${ns}/bindings`, binding("p2", "node-a", { namespace: "other" })),
      400,
      "BadRequest",
      "the namespace of the provided object does not match the namespace sent on the request",
    );
    assertStatus(await s.post(`/api/v1/namespaces/${ns}/bindings`, binding("", "node-a")), 400, "BadRequest", "Name parameter required.");
    const noTarget = await s.post(`/api/v1/namespaces/${ns}/bindings`, { apiVersion: "v1", kind: "Binding", metadata: { name: "p2" }, target: {} });
    assertPlainError(noTarget, "target.name: Required value");
  });

  it("serves create only", async () => {
    assertStatus(await s.get(`/api/v1/namespaces/${ns}/bindings`), 405, "MethodNotAllowed");
    assertStatus(await s.get(`/api/v1/namespaces/${ns}/bindings/p1`), 405, "MethodNotAllowed");
    assertStatus(await s.del(`/api/v1/namespaces/${ns}/bindings/p1`), 405, "MethodNotAllowed");
  });
});

describe("core/v1 componentstatuses", () => {
  it("lists the scheduler, the controller manager and etcd, healthy, with the deprecation warning", async () => {
    const res = await s.get("/api/v1/componentstatuses");
    assert.equal(res.status, 200);
    assert.equal(res.headers.warning, CS_WARNING);
    const list = JSON.parse(res.text) as Obj;
    assert.equal(list.kind, "ComponentStatusList");
    assert.equal(list.apiVersion, "v1");
    assert.deepEqual(list.metadata, {});
    assert.deepEqual(
      (list.items as Obj[]).map((i) => i.metadata.name),
      ["scheduler", "controller-manager", "etcd-0"],
    );
    for (const item of list.items as Obj[]) {
      assert.equal(item.kind, "ComponentStatus");
      assert.equal(item.metadata.creationTimestamp, null);
      assert.deepEqual(item.conditions, [{ type: "Healthy", status: "True", message: "ok" }]);
    }
  });

  it("gets one by name; an unknown name is upstream's plain error", async () => {
    const res = await s.get("/api/v1/componentstatuses/etcd-0");
    assert.equal(res.status, 200);
    assert.equal(res.headers.warning, CS_WARNING);
    assert.deepEqual(JSON.parse(res.text), {
      kind: "ComponentStatus",
      apiVersion: "v1",
      metadata: { name: "etcd-0", creationTimestamp: null },
      conditions: [{ type: "Healthy", status: "True", message: "ok" }],
    });
    assertPlainError(await s.get("/api/v1/componentstatuses/nope"), "Component not found: nope");
  });

  it("prints NAME STATUS MESSAGE ERROR", async () => {
    const res = await s.get("/api/v1/componentstatuses").set("Accept", TABLE);
    assert.equal(res.status, 200);
    const table = JSON.parse(res.text) as Obj;
    assert.equal(table.kind, "Table");
    assert.deepEqual(
      (table.columnDefinitions as Obj[]).map((c) => c.name),
      ["Name", "Status", "Message", "Error"],
    );
    assert.deepEqual(
      (table.rows as Obj[]).map((r) => r.cells),
      [
        ["scheduler", "Healthy", "ok", ""],
        ["controller-manager", "Healthy", "ok", ""],
        ["etcd-0", "Healthy", "ok", ""],
      ],
    );
  });

  it("applies selectors (nothing carries labels) and serves nothing but get and list", async () => {
    const byLabel = JSON.parse((await s.get("/api/v1/componentstatuses?labelSelector=a%3Db")).text) as Obj;
    assert.deepEqual(byLabel.items, []);
    const byName = JSON.parse((await s.get("/api/v1/componentstatuses?fieldSelector=metadata.name%3Dscheduler")).text) as Obj;
    assert.deepEqual(
      (byName.items as Obj[]).map((i) => i.metadata.name),
      ["scheduler"],
    );
    assertStatus(await s.post("/api/v1/componentstatuses", { apiVersion: "v1", kind: "ComponentStatus", metadata: { name: "x" } }), 405, "MethodNotAllowed");
    assertStatus(await s.get("/api/v1/componentstatuses?watch=true"), 405, "MethodNotAllowed");
    assertStatus(await s.del("/api/v1/componentstatuses/etcd-0"), 405, "MethodNotAllowed");
  });
});

describe("componentstatuses with a probe", () => {
  it("reports what the probe says: a scheduler that is not running is Unhealthy with the dial error as message", async () => {
    const refused = 'Get "https://127.0.0.1:10259/healthz": dial tcp 127.0.0.1:10259: connect: connection refused';
    const other = await startTestServer({ componentProbe: (n) => (n === "scheduler" ? { status: "False", message: refused } : { status: "True", message: "ok" }) });
    try {
      const table = JSON.parse((await other.get("/api/v1/componentstatuses").set("Accept", TABLE)).text) as Obj;
      assert.deepEqual((table.rows as Obj[])[0].cells, ["scheduler", "Unhealthy", refused, ""]);
      const got = JSON.parse((await other.get("/api/v1/componentstatuses/scheduler")).text) as Obj;
      assert.deepEqual(got.conditions, [{ type: "Healthy", status: "False", message: refused }]);
    } finally {
      await other.stop();
    }
  });
});

describe("OpenAPI", () => {
  it("v2 publishes createNamespacedBinding, listCoreV1ComponentStatus and readCoreV1ComponentStatus", async () => {
    const res = await s.get("/openapi/v2").set("Accept", "application/json");
    assert.equal(res.status, 200);
    const doc = JSON.parse(res.text) as Obj;
    assert.equal(doc.paths["/api/v1/namespaces/{namespace}/bindings"].post.operationId, "createCoreV1NamespacedBinding");
    assert.equal(doc.paths["/api/v1/namespaces/{namespace}/bindings"].get, undefined);
    assert.equal(doc.paths["/api/v1/componentstatuses"].get.operationId, "listCoreV1ComponentStatus");
    assert.equal(doc.paths["/api/v1/componentstatuses/{name}"].get.operationId, "readCoreV1ComponentStatus");
    assert.equal(doc.paths["/api/v1/watch/componentstatuses"], undefined);
    assert.equal(doc.definitions["io.k8s.api.core.v1.ComponentStatus"].description, "ComponentStatus (and ComponentStatusList) holds the cluster validation info. Deprecated: This API is deprecated in v1.19+");
  });
});
