// Server-side apply and managedFields over HTTP, as kubectl and client libraries see them:
// application/apply-patch+yaml creates (201) and updates (200), conflicts are 409 Status bodies
// with FieldManagerConflict causes, force moves ownership, PatchOptions are validated (422),
// dryRun, apply to /status, scale writes recorded on the parent, the managedFields kubectl create /
// label / edit leave, and the client-side → server-side apply migration kubectl performs.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type request from "supertest";
import { FieldSet } from "../../src/registry/fieldmanager/field-set.js";
import { assertStatus, createNamespace, type Obj, startTestServer, type TestServer } from "../helpers/api-server.js";

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

const APPLY = "application/apply-patch+yaml";
const JSON_PATCH = "application/json-patch+json";
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const KUBECTL_UA = "kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0";

const body = (res: { text: string }): Obj => JSON.parse(res.text) as Obj;
const deployPath = (ns: string, name = "") => `/apis/apps/v1/namespaces/${ns}/deployments${name ? `/${name}` : ""}`;
const cmPath = (ns: string, name = "") => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ""}`;

function deployment(ns: string, name: string, spec: Obj = {}, meta: Obj = {}): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns, ...meta },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }] } },
      ...spec,
    },
  };
}

const withContainers = (ns: string, name: string, containers: Obj[], spec: Obj = {}) =>
  deployment(ns, name, { template: { metadata: { labels: { app: name } }, spec: { containers } }, ...spec });

/** PATCH with an apply body (YAML or JSON text, both are YAML). */
function applyReq(path: string, obj: Obj | string, query = ""): request.Test {
  const text = typeof obj === "string" ? obj : JSON.stringify(obj);
  return s.patch(`${path}${query ? `?${query}` : ""}`, text, APPLY);
}

async function applyOk(path: string, obj: Obj | string, query: string, code = 200): Promise<Obj> {
  const res = await applyReq(path, obj, query);
  assert.equal(res.status, code, res.text.slice(0, 800));
  return body(res);
}

async function get(path: string): Promise<Obj> {
  const res = await s.get(path);
  assert.equal(res.status, 200, res.text);
  return body(res);
}

const mf = (obj: Obj): Obj[] => obj.metadata.managedFields ?? [];
const summary = (obj: Obj): string[] => mf(obj).map((e) => [e.manager, e.operation, ...(e.subresource ? [e.subresource] : [])].join("/"));
const fieldsOf = (obj: Obj, manager: string, operation?: string): Obj => {
  const e = mf(obj).find((x) => x.manager === manager && (!operation || x.operation === operation));
  assert.ok(e, `no entry for ${manager} in ${JSON.stringify(mf(obj))}`);
  return e.fieldsV1;
};
const paths = (fields: Obj): string[] => [...FieldSet.fromFieldsV1(fields)].map((p) => p.join("/")).sort();

describe("apply: create, update, no-op", () => {
  const ns = "apply-basics";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("creates a missing object: 201, the Apply entry, defaults applied, readable afterwards", async () => {
    const created = await applyOk(deployPath(ns, "web"), deployment(ns, "web", { replicas: 2 }), "fieldManager=kubectl", 201);
    assert.equal(created.kind, "Deployment");
    assert.equal(created.spec.replicas, 2);
    assert.equal(created.spec.strategy.type, "RollingUpdate", "defaulted after the apply");
    assert.deepEqual(summary(created), ["kubectl/Apply"]);
    const e = mf(created)[0];
    assert.deepEqual(Object.keys(e), ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"]);
    assert.equal(e.apiVersion, "apps/v1");
    assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(paths(e.fieldsV1), [
      "f:spec/f:replicas",
      "f:spec/f:selector",
      "f:spec/f:template/f:metadata/f:labels/f:app",
      'f:spec/f:template/f:spec/f:containers/k:{"name":"web"}',
      'f:spec/f:template/f:spec/f:containers/k:{"name":"web"}/f:image',
      'f:spec/f:template/f:spec/f:containers/k:{"name":"web"}/f:name',
    ]);
    assert.ok(!paths(e.fieldsV1).some((p) => p.includes("strategy")), "defaulted fields are not owned by the applier");
    assert.deepEqual(await get(deployPath(ns, "web")), created);
  });

  it("accepts a YAML body", async () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  namespace: ${ns}\ndata:\n  a: "1"\n`;
    const created = await applyOk(cmPath(ns, "from-yaml"), yaml, "fieldManager=tool", 201);
    assert.deepEqual(created.data, { a: "1" });
    assert.deepEqual(fieldsOf(created, "tool"), { "f:data": { "f:a": {} } });
  });

  it("updates an existing object: 200 and the new values", async () => {
    await applyOk(deployPath(ns, "upd"), deployment(ns, "upd", { replicas: 1 }), "fieldManager=kubectl", 201);
    const updated = await applyOk(deployPath(ns, "upd"), deployment(ns, "upd", { replicas: 3 }), "fieldManager=kubectl");
    assert.equal(updated.spec.replicas, 3);
    assert.equal(updated.metadata.generation, 2);
  });

  it("re-applying an unchanged configuration writes nothing: same resourceVersion and managedFields", async () => {
    const first = await applyOk(deployPath(ns, "noop"), deployment(ns, "noop"), "fieldManager=kubectl", 201);
    const again = await applyOk(deployPath(ns, "noop"), deployment(ns, "noop"), "fieldManager=kubectl");
    assert.equal(again.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.deepEqual(again.metadata.managedFields, first.metadata.managedFields);
  });

  it("the applied object keeps the applier's managedFields through a re-apply (content)", async () => {
    const first = await applyOk(cmPath(ns, "noop-cm"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "noop-cm" }, data: { a: "1" } }, "fieldManager=kubectl", 201);
    const again = await applyOk(cmPath(ns, "noop-cm"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "noop-cm" }, data: { a: "1" } }, "fieldManager=kubectl");
    assert.deepEqual(again.metadata.managedFields, first.metadata.managedFields);
    assert.deepEqual(again.data, first.data);
  });

  it("re-applying a container port without protocol keeps exactly one port", async () => {
    const cfg = withContainers(ns, "ports", [{ name: "web", image: "nginx", ports: [{ containerPort: 80 }] }]);
    await applyOk(deployPath(ns, "ports"), cfg, "fieldManager=kubectl", 201);
    const again = await applyOk(deployPath(ns, "ports"), cfg, "fieldManager=kubectl");
    assert.deepEqual(again.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: "TCP" }]);
    assert.deepEqual(Object.keys(fieldsOf(again, "kubectl")["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"web"}']["f:ports"]), ['k:{"containerPort":80,"protocol":"TCP"}']);
  });

  it("a container dropped from the configuration is removed", async () => {
    await applyOk(deployPath(ns, "drop"), withContainers(ns, "drop", [{ name: "web", image: "nginx" }, { name: "side", image: "busybox" }]), "fieldManager=kubectl", 201);
    const out = await applyOk(deployPath(ns, "drop"), withContainers(ns, "drop", [{ name: "web", image: "nginx" }]), "fieldManager=kubectl");
    assert.deepEqual(out.spec.template.spec.containers.map((c: Obj) => c.name), ["web"]);
  });

  it("a resourceVersion in the configuration is a precondition: stale → 409", async () => {
    const first = await applyOk(cmPath(ns, "rv"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "rv" }, data: { a: "1" } }, "fieldManager=m", 201);
    await applyOk(cmPath(ns, "rv"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "rv" }, data: { a: "2" } }, "fieldManager=m");
    const res = await applyReq(cmPath(ns, "rv"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "rv", resourceVersion: first.metadata.resourceVersion }, data: { a: "3" } }, "fieldManager=m");
    const st = assertStatus(res, 409, "Conflict", 'Operation cannot be fulfilled on configmaps "rv": the object has been modified; please apply your changes to the latest version and try again');
    assert.deepEqual(st.details, { name: "rv", kind: "configmaps" });
  });

  it("a label dropped from the configuration is removed; labels owned by others stay", async () => {
    await applyOk(cmPath(ns, "labels"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "labels", labels: { a: "1", b: "2" } } }, "fieldManager=one", 201);
    await applyOk(cmPath(ns, "labels"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "labels", labels: { b: "2", c: "3" } } }, "fieldManager=two");
    const out = await applyOk(cmPath(ns, "labels"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "labels", labels: { x: "9" } } }, "fieldManager=one");
    assert.deepEqual(out.metadata.labels, { b: "2", c: "3", x: "9" });
  });
});

describe("apply: conflicts and force", () => {
  const ns = "apply-conflicts";
  before(async () => {
    await createNamespace(s, ns);
    await applyOk(deployPath(ns, "web"), deployment(ns, "web", { replicas: 2 }), "fieldManager=owner", 201);
  });

  it("changing another applier's field: 409 Conflict with FieldManagerConflict causes", async () => {
    const res = await applyReq(deployPath(ns, "web"), deployment(ns, "web", { replicas: 5 }), "fieldManager=intruder");
    const st = assertStatus(res, 409, "Conflict", 'Apply failed with 1 conflict: conflict with "owner": .spec.replicas');
    assert.deepEqual(st.details, { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "owner"', field: ".spec.replicas" }] });
    assert.equal((await get(deployPath(ns, "web"))).spec.replicas, 2, "nothing was written");
  });

  it("the same value is no conflict: both managers own it", async () => {
    const out = await applyOk(deployPath(ns, "web"), deployment(ns, "web", { replicas: 2 }), "fieldManager=agreeing");
    assert.ok(paths(fieldsOf(out, "owner")).includes("f:spec/f:replicas"));
    assert.ok(paths(fieldsOf(out, "agreeing")).includes("f:spec/f:replicas"));
  });

  it("force=true takes the field: the value changes and ownership moves", async () => {
    const out = await applyOk(deployPath(ns, "web"), deployment(ns, "web", { replicas: 5 }), "fieldManager=intruder&force=true");
    assert.equal(out.spec.replicas, 5);
    assert.ok(!paths(fieldsOf(out, "owner")).includes("f:spec/f:replicas"));
    assert.ok(!paths(fieldsOf(out, "agreeing")).includes("f:spec/f:replicas"));
    assert.ok(paths(fieldsOf(out, "intruder")).includes("f:spec/f:replicas"));
  });

  it("an Update after an Apply takes what it changes; the applier then conflicts with it", async () => {
    const patched = await s.patch(`${deployPath(ns, "web")}?fieldManager=kubectl-edit`, { spec: { replicas: 7 } });
    assert.equal(patched.status, 200, patched.text);
    const obj = body(patched);
    assert.deepEqual(fieldsOf(obj, "kubectl-edit", "Update"), { "f:spec": { "f:replicas": {} } });
    assert.ok(!paths(fieldsOf(obj, "intruder")).includes("f:spec/f:replicas"));
    const res = await applyReq(deployPath(ns, "web"), deployment(ns, "web", { replicas: 5 }), "fieldManager=intruder");
    assertStatus(res, 409, "Conflict", 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });

  it("a scale write is recorded on the parent with subresource scale; appliers then conflict with it", async () => {
    const scaled = await s.patch(`${deployPath(ns, "web")}/scale?fieldManager=kubectl-scale`, { spec: { replicas: 9 } });
    assert.equal(scaled.status, 200, scaled.text);
    assert.equal(body(scaled).kind, "Scale");
    const obj = await get(deployPath(ns, "web"));
    const e = mf(obj).find((x) => x.manager === "kubectl-scale")!;
    assert.deepEqual({ operation: e.operation, apiVersion: e.apiVersion, subresource: e.subresource, fieldsV1: e.fieldsV1 }, { operation: "Update", apiVersion: "apps/v1", subresource: "scale", fieldsV1: { "f:spec": { "f:replicas": {} } } });
    assert.ok(!mf(obj).some((x) => x.manager === "kubectl-edit"), "kubectl-edit lost its only field");
    const res = await applyReq(deployPath(ns, "web"), deployment(ns, "web", { replicas: 5 }), "fieldManager=intruder");
    const st = assertStatus(res, 409, "Conflict", 'Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas');
    assert.deepEqual(st.details.causes, [{ reason: "FieldManagerConflict", message: 'conflict with "kubectl-scale" with subresource "scale" using apps/v1', field: ".spec.replicas" }]);
  });

  it("several conflicts: one message line per field, grouped by manager", async () => {
    await applyOk(deployPath(ns, "multi"), deployment(ns, "multi", { replicas: 1, paused: false, minReadySeconds: 1 }), "fieldManager=a", 201);
    const res = await applyReq(deployPath(ns, "multi"), deployment(ns, "multi", { replicas: 2, paused: true, minReadySeconds: 1 }), "fieldManager=b");
    const st = assertStatus(res, 409, "Conflict", 'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.paused\n- .spec.replicas');
    assert.deepEqual(st.details.causes.map((c: Obj) => c.field), [".spec.paused", ".spec.replicas"]);
  });
});

describe("PatchOptions validation", () => {
  const ns = "apply-options";
  before(async () => {
    await createNamespace(s, ns);
    await applyOk(cmPath(ns, "cm"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { a: "1" } }, "fieldManager=m", 201);
  });

  it("apply without fieldManager: 422 PatchOptions fieldManager Required", async () => {
    const res = await applyReq(cmPath(ns, "cm"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } });
    const st = assertStatus(res, 422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    assert.deepEqual(st.details, { group: "meta.k8s.io", kind: "PatchOptions", causes: [{ reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" }] });
  });

  it("apply without fieldManager is refused even with a kubectl User-Agent", async () => {
    const res = await applyReq(cmPath(ns, "cm"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } }).set("User-Agent", KUBECTL_UA);
    assertStatus(res, 422, "Invalid");
  });

  for (const [type, patch] of [
    ["application/merge-patch+json", { data: { a: "2" } }],
    ["application/strategic-merge-patch+json", { data: { a: "2" } }],
    [JSON_PATCH, [{ op: "replace", path: "/data/a", value: "2" }]],
  ] as const) {
    for (const force of ["true", "false"]) {
      it(`force=${force} on ${type.split("/")[1]}: 422 PatchOptions force Forbidden`, async () => {
        const res = await s.patch(`${cmPath(ns, "cm")}?force=${force}`, patch, type);
        const st = assertStatus(res, 422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
        assert.deepEqual(st.details.causes, [{ reason: "FieldValueForbidden", message: "Forbidden: may not be specified for non-apply patch", field: "force" }]);
      });
    }
  }

  it("several invalid options are reported together, in upstream's order", async () => {
    const res = await s.patch(`${cmPath(ns, "cm")}?force=true&fieldValidation=Bogus`, { data: { a: "2" } });
    assertStatus(
      res,
      422,
      "Invalid",
      'PatchOptions.meta.k8s.io "" is invalid: [force: Forbidden: may not be specified for non-apply patch, fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"]',
    );
  });

  it("a fieldManager longer than 128 characters: 422", async () => {
    const res = await applyReq(cmPath(ns, "cm"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } }, `fieldManager=${"m".repeat(129)}`);
    const st = assertStatus(res, 422, "Invalid");
    assert.equal(st.details.causes[0].field, "fieldManager");
  });

  it("an applied configuration of another apiVersion: 400 invalid object type", async () => {
    const res = await applyReq(deployPath(ns, "v"), { ...deployment(ns, "v"), apiVersion: "apps/v1beta1" }, "fieldManager=m");
    assertStatus(res, 400, "BadRequest", "invalid object type: apps/v1beta1, Kind=Deployment");
  });

  it("an applied configuration of another kind: 400 invalid object type", async () => {
    const res = await applyReq(deployPath(ns, "k"), { ...deployment(ns, "k"), kind: "StatefulSet" }, "fieldManager=m");
    assertStatus(res, 400, "BadRequest", "invalid object type: apps/v1, Kind=StatefulSet");
  });

  it("an applied configuration carrying managedFields: 400", async () => {
    const res = await applyReq(cmPath(ns, "cm"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", managedFields: [{ manager: "x", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: {} }] }, data: { a: "1" } }, "fieldManager=m");
    assertStatus(res, 400, "BadRequest", "metadata.managedFields must be nil");
  });

  it("an applied configuration naming another object: 400", async () => {
    const res = await applyReq(cmPath(ns, "cm"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "other" } }, "fieldManager=m");
    assertStatus(res, 400, "BadRequest", "the name of the object (other) does not match the name on the URL (cm)");
  });
});

describe("apply with dryRun", () => {
  const ns = "apply-dryrun";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("dry-run create: 201 with the would-be object and managedFields, nothing stored", async () => {
    const out = await applyOk(cmPath(ns, "dry"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dry" }, data: { a: "1" } }, "fieldManager=m&dryRun=All", 201);
    assert.deepEqual(summary(out), ["m/Apply"]);
    assert.deepEqual(out.data, { a: "1" });
    assert.equal((await s.get(cmPath(ns, "dry"))).status, 404);
  });

  it("dry-run update: the response shows the change, the stored object does not", async () => {
    const created = await applyOk(cmPath(ns, "dry2"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dry2" }, data: { a: "1" } }, "fieldManager=m", 201);
    const out = await applyOk(cmPath(ns, "dry2"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dry2" }, data: { a: "2" } }, "fieldManager=other&dryRun=All&force=true");
    assert.deepEqual(out.data, { a: "2" });
    assert.deepEqual(summary(out), ["other/Apply"], "the forced applier took m's only field");
    assert.ok(paths(fieldsOf(out, "other")).includes("f:data/f:a"));
    assert.deepEqual(await get(cmPath(ns, "dry2")), created);
  });

  it("dry-run conflict is still a 409", async () => {
    await applyOk(cmPath(ns, "dry3"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dry3" }, data: { a: "1" } }, "fieldManager=m", 201);
    const res = await applyReq(cmPath(ns, "dry3"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dry3" }, data: { a: "2" } }, "fieldManager=other&dryRun=All");
    assertStatus(res, 409, "Conflict", 'Apply failed with 1 conflict: conflict with "m": .data.a');
  });
});

describe("apply to /status", () => {
  const ns = "apply-status";
  before(async () => {
    await createNamespace(s, ns);
    await applyOk(deployPath(ns, "web"), deployment(ns, "web", { replicas: 1 }), "fieldManager=kubectl", 201);
  });

  it("writes status only and records it under subresource status", async () => {
    const cfg = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 42 }, status: { replicas: 1, observedGeneration: 1 } };
    const out = await applyOk(`${deployPath(ns, "web")}/status`, cfg, "fieldManager=status-writer");
    assert.equal(out.spec.replicas, 1, "spec is not written through /status");
    assert.equal(out.status.replicas, 1);
    const e = mf(out).find((x) => x.manager === "status-writer")!;
    assert.equal(e.operation, "Apply");
    assert.equal(e.subresource, "status");
    assert.deepEqual(e.fieldsV1, { "f:status": { "f:observedGeneration": {}, "f:replicas": {} } });
    assert.deepEqual(summary(out), ["kubectl/Apply", "status-writer/Apply/status"]);
  });

  it("a second status applier changing a field conflicts with the first, printed with its subresource", async () => {
    const cfg = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, status: { replicas: 3 } };
    const res = await applyReq(`${deployPath(ns, "web")}/status`, cfg, "fieldManager=other-status");
    assertStatus(res, 409, "Conflict", 'Apply failed with 1 conflict: conflict with "status-writer" with subresource "status": .status.replicas');
  });

  it("the main resource's applier never owns or conflicts on status", async () => {
    const cfg = deployment(ns, "web", { replicas: 1 });
    (cfg as Obj).status = { replicas: 99 };
    const out = await applyOk(deployPath(ns, "web"), cfg, "fieldManager=kubectl");
    assert.equal(out.status.replicas, 1, "status is not written through the main resource");
    assert.ok(!paths(fieldsOf(out, "kubectl")).some((p) => p.startsWith("f:status")));
  });
});

describe("managedFields of Update operations", () => {
  const ns = "apply-updates";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("create with fieldManager: one Update entry owning what was sent, '.' on new maps and items", async () => {
    const res = await s.post(`${cmPath(ns)}?fieldManager=kubectl-create`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c1", labels: { app: "x" } }, data: { a: "1" } });
    assert.equal(res.status, 201, res.text);
    const e = mf(body(res));
    assert.equal(e.length, 1);
    assert.deepEqual({ ...e[0], time: "T" }, {
      manager: "kubectl-create",
      operation: "Update",
      apiVersion: "v1",
      time: "T",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { ".": {}, "f:a": {} }, "f:metadata": { "f:labels": { ".": {}, "f:app": {} } } },
    });
  });

  it("without fieldManager the manager is the User-Agent's product token", async () => {
    const res = await s.post(cmPath(ns), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c2" }, data: { a: "1" } }).set("User-Agent", KUBECTL_UA);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(summary(body(res)), ["kubectl/Update"]);
  });

  it("kubectl label: the label patch owns only the new label", async () => {
    const res = await s.patch(`${cmPath(ns, "c1")}?fieldManager=kubectl-label`, { metadata: { labels: { tier: "fe" } } });
    assert.equal(res.status, 200, res.text);
    const obj = body(res);
    assert.deepEqual(summary(obj), ["kubectl-create/Update", "kubectl-label/Update"]);
    assert.deepEqual(fieldsOf(obj, "kubectl-label"), { "f:metadata": { "f:labels": { "f:tier": {} } } });
  });

  it("removing a label removes it from its owner; an owner left with nothing disappears", async () => {
    const res = await s.patch(`${cmPath(ns, "c1")}?fieldManager=kubectl-label`, { metadata: { labels: { tier: null } } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(summary(body(res)), ["kubectl-create/Update"]);
  });

  it("a no-op merge patch writes nothing and keeps managedFields", async () => {
    const before = await get(cmPath(ns, "c1"));
    const res = await s.patch(`${cmPath(ns, "c1")}?fieldManager=someone`, { data: { a: "1" } });
    assert.equal(res.status, 200);
    assert.equal(body(res).metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(body(res).metadata.managedFields, before.metadata.managedFields);
  });

  it("a no-op PUT of the object without managedFields writes nothing", async () => {
    const before = await get(cmPath(ns, "c1"));
    const putBody = structuredClone(before);
    delete putBody.metadata.managedFields;
    const res = await s.put(`${cmPath(ns, "c1")}?fieldManager=kubectl-replace`, putBody);
    assert.equal(res.status, 200, res.text);
    assert.equal(body(res).metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(body(res).metadata.managedFields, before.metadata.managedFields);
  });

  it("a PUT carrying managedFields: [] resets them to the writer's changes only", async () => {
    const before = await get(cmPath(ns, "c1"));
    const putBody = structuredClone(before);
    putBody.metadata.managedFields = [];
    putBody.data.b = "2";
    const res = await s.put(`${cmPath(ns, "c1")}?fieldManager=resetter`, putBody);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(summary(body(res)), ["resetter/Update"]);
    assert.deepEqual(fieldsOf(body(res), "resetter"), { "f:data": { "f:b": {} } });
  });

  it("a /status PUT ignores managedFields in the body", async () => {
    await applyOk(deployPath(ns, "st"), deployment(ns, "st"), "fieldManager=kubectl", 201);
    const live = await get(deployPath(ns, "st"));
    const put = structuredClone(live);
    put.metadata.managedFields = [];
    put.status = { replicas: 1 };
    const res = await s.put(`${deployPath(ns, "st")}/status?fieldManager=ctrl`, put);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(summary(body(res)), ["kubectl/Apply", "ctrl/Update/status"]);
  });
});

describe("client-side apply → server-side apply (kubectl's migration)", () => {
  const ns = "apply-migration";
  before(async () => {
    await createNamespace(s, ns);
  });

  /** What `kubectl apply` (client-side) sends on create: the manifest plus its last-applied annotation. */
  async function csaCreate(manifest: Obj): Promise<Obj> {
    const annotated = structuredClone(manifest);
    annotated.metadata.annotations = { ...(annotated.metadata.annotations ?? {}), [LAST_APPLIED]: `${JSON.stringify({ ...manifest, metadata: { ...manifest.metadata, annotations: {} } })}\n` };
    const res = await s.post(`${deployPath(ns)}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`, annotated).set("User-Agent", KUBECTL_UA);
    assert.equal(res.status, 201, res.text);
    return body(res);
  }

  /** kubectl's csaupgrade: CSA managers owning the annotation merge into the "kubectl" Apply entry. */
  function upgradedManagedFields(entries: Obj[]): Obj[] {
    const ssa = entries.find((e) => e.manager === "kubectl" && e.operation === "Apply" && !e.subresource);
    const csa = entries.filter((e) => e.manager === "kubectl-client-side-apply" && e.operation === "Update" && !e.subresource);
    assert.ok(ssa && csa.length, "both the SSA and the CSA managers exist");
    let set = FieldSet.fromFieldsV1(ssa.fieldsV1);
    for (const c of csa) set = set.union(FieldSet.fromFieldsV1(c.fieldsV1));
    return entries.filter((e) => !csa.includes(e)).map((e) => (e === ssa ? { ...e, fieldsV1: set.toFieldsV1() } : e));
  }

  it("apply --server-side, kubectl-last-applied keeps the annotation, the managedFields patch, apply again", async () => {
    const manifest = deployment(ns, "mig", { replicas: 2 });
    const created = await csaCreate(manifest);
    assert.deepEqual(summary(created), ["kubectl-client-side-apply/Update"]);

    // 1. kubectl apply --server-side (same manifest, no annotation in the applied configuration)
    const ssa = await applyOk(deployPath(ns, "mig"), manifest, "fieldManager=kubectl");
    assert.deepEqual(summary(ssa), ["kubectl/Apply", "kubectl-client-side-apply/Update"]);

    // 2. kubectl-last-applied applies only the annotation, so that it is not orphaned
    const annotationOnly = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "mig", namespace: ns, annotations: { [LAST_APPLIED]: ssa.metadata.annotations[LAST_APPLIED] } } };
    const kept = await applyOk(deployPath(ns, "mig"), annotationOnly, "fieldManager=kubectl-last-applied");
    assert.deepEqual(fieldsOf(kept, "kubectl-last-applied"), { "f:metadata": { "f:annotations": { [`f:${LAST_APPLIED}`]: {} } } });

    // 3. the JSON patch replacing managedFields (no fieldManager: the User-Agent names the manager)
    const upgraded = upgradedManagedFields(mf(kept));
    const patch = [
      { op: "test", path: "/metadata/resourceVersion", value: kept.metadata.resourceVersion },
      { op: "replace", path: "/metadata/managedFields", value: upgraded },
    ];
    const patched = await s.patch(deployPath(ns, "mig"), patch, JSON_PATCH).set("User-Agent", KUBECTL_UA);
    assert.equal(patched.status, 200, patched.text);
    const afterPatch = body(patched);
    assert.deepEqual(summary(afterPatch).sort(), ["kubectl-last-applied/Apply", "kubectl/Apply"]);
    assert.deepEqual(paths(fieldsOf(afterPatch, "kubectl", "Apply")), paths(upgraded.find((e) => e.manager === "kubectl")!.fieldsV1));

    // 4. apply again: the annotation survives (kubectl-last-applied owns it), both Apply managers remain
    const final = await applyOk(deployPath(ns, "mig"), manifest, "fieldManager=kubectl");
    assert.ok(final.metadata.annotations?.[LAST_APPLIED], "the last-applied annotation survives");
    assert.deepEqual(summary(final).sort(), ["kubectl-last-applied/Apply", "kubectl/Apply"]);
    assert.ok(!paths(fieldsOf(final, "kubectl", "Apply")).some((p) => p.includes(LAST_APPLIED)), "kubectl no longer applies the annotation");
    assert.equal(final.spec.replicas, 2);
  });

  it("a field dropped from the manifest after the migration is removed by the next apply", async () => {
    const manifest = deployment(ns, "mig2", { replicas: 2, minReadySeconds: 5 });
    await csaCreate(manifest);
    const ssa = await applyOk(deployPath(ns, "mig2"), manifest, "fieldManager=kubectl");
    const kept = await applyOk(deployPath(ns, "mig2"), { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "mig2", annotations: { [LAST_APPLIED]: ssa.metadata.annotations[LAST_APPLIED] } } }, "fieldManager=kubectl-last-applied");
    const patched = await s.patch(deployPath(ns, "mig2"), [{ op: "replace", path: "/metadata/managedFields", value: upgradedManagedFields(mf(kept)) }], JSON_PATCH).set("User-Agent", KUBECTL_UA);
    assert.equal(patched.status, 200, patched.text);
    const { minReadySeconds: _dropped, ...spec } = manifest.spec;
    const final = await applyOk(deployPath(ns, "mig2"), { ...manifest, spec }, "fieldManager=kubectl");
    assert.equal(final.spec.minReadySeconds, undefined);
  });

  it("another manager changing a client-side-applied field conflicts with kubectl-client-side-apply", async () => {
    await csaCreate(deployment(ns, "mig3", { replicas: 2 }));
    const res = await applyReq(deployPath(ns, "mig3"), deployment(ns, "mig3", { replicas: 4 }), "fieldManager=other");
    assertStatus(res, 409, "Conflict", 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  });

  it("kubectl (the default SSA manager) may change fields its last-applied annotation still matches", async () => {
    await csaCreate(deployment(ns, "mig4", { replicas: 2 }));
    const out = await applyOk(deployPath(ns, "mig4"), deployment(ns, "mig4", { replicas: 4 }), "fieldManager=kubectl");
    assert.equal(out.spec.replicas, 4);
    assert.ok(paths(fieldsOf(out, "kubectl")).includes("f:spec/f:replicas"));
  });

  it("…but not fields someone else changed since (they no longer match the annotation)", async () => {
    await csaCreate(deployment(ns, "mig5", { replicas: 2 }));
    const edited = await s.patch(`${deployPath(ns, "mig5")}?fieldManager=kubectl-edit`, { spec: { replicas: 3 } });
    assert.equal(edited.status, 200, edited.text);
    const res = await applyReq(deployPath(ns, "mig5"), deployment(ns, "mig5", { replicas: 4 }), "fieldManager=kubectl");
    assertStatus(res, 409, "Conflict", 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });

  it("a server-side apply by kubectl rewrites an existing last-applied annotation to the applied configuration", async () => {
    await csaCreate(deployment(ns, "mig6", { replicas: 2 }));
    const applied = deployment(ns, "mig6", { replicas: 2 }, { labels: { added: "yes" } });
    const out = await applyOk(deployPath(ns, "mig6"), applied, "fieldManager=kubectl");
    assert.deepEqual(JSON.parse(out.metadata.annotations[LAST_APPLIED]), applied);
  });
});
