// Custom resources served from CRDs (issue 5), over HTTP without a socket: the CRD's names and
// conditions, discovery and OpenAPI following the CRD, the generic verbs on custom objects with the
// structural schema's pruning, defaulting and validation, status and scale subresources, patch
// types, versions with conversion None, and the cleanup finalizer. Tests are named after the
// upstream conformance tests they mirror.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEADLINE_MS, type Obj, startTestServer, type TestServer } from "../helpers/api-server.js";

const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

const schema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: {
        cronSpec: { type: "string", pattern: "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$" },
        image: { type: "string" },
        replicas: { type: "integer", minimum: 1, maximum: 10, default: 1 },
      },
      "x-kubernetes-validations": [{ rule: "self.replicas <= 5 || self.image != ''", message: "more than 5 replicas need an image" }],
    },
    status: { type: "object", properties: { replicas: { type: "integer" }, labelSelector: { type: "string" } } },
  },
};

function crd(group: string, opts: { versions?: Obj[]; names?: Obj; scope?: string } = {}): Obj {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `crontabs.${group}` },
    spec: {
      group,
      scope: opts.scope ?? "Namespaced",
      names: { plural: "crontabs", singular: "crontab", kind: "CronTab", shortNames: ["ct"], categories: ["all"], ...opts.names },
      versions: opts.versions ?? [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          subresources: { status: {}, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: ".status.labelSelector" } },
          additionalPrinterColumns: [
            { name: "Spec", type: "string", jsonPath: ".spec.cronSpec" },
            { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
        },
      ],
    },
  };
}

async function createCRD(body: Obj): Promise<Obj> {
  const res = await s.post(CRDS, body);
  assert.equal(res.status, 201, res.text);
  await s.api.crdsSettled();
  const got = await s.get(`${CRDS}/${body.metadata.name}`);
  return got.body as Obj;
}

async function deleteCRD(name: string): Promise<void> {
  const res = await s.del(`${CRDS}/${name}`);
  assert.ok(res.status === 200 || res.status === 202, res.text);
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    await s.api.crdsSettled();
    if ((await s.get(`${CRDS}/${name}`)).status === 404) return;
    assert.ok(Date.now() < deadline, `CRD ${name} still exists`);
    await new Promise((r) => setImmediate(r));
  }
}

const cronTab = (name: string, spec: Obj, apiVersion = "stable.example.com/v1"): Obj => ({ apiVersion, kind: "CronTab", metadata: { name }, spec });
const conditions = (o: Obj) => Object.fromEntries((o.status?.conditions ?? []).map((c: Obj) => [c.type, [c.status, c.reason, c.message]]));

describe("[sig-api-machinery] CustomResourceDefinition resources [Privileged:ClusterAdmin]", () => {
  it("Simple CustomResourceDefinition creating/deleting custom resource definition objects works", async () => {
    const got = await createCRD(crd("create.example.com"));
    assert.deepEqual(conditions(got), {
      NamesAccepted: ["True", "NoConflicts", "no conflicts found"],
      Established: ["True", "InitialNamesAccepted", "the initial names have been accepted"],
    });
    assert.deepEqual(got.status.acceptedNames, { plural: "crontabs", singular: "crontab", shortNames: ["ct"], kind: "CronTab", listKind: "CronTabList", categories: ["all"] });
    assert.deepEqual(got.status.storedVersions, ["v1"]);
    const list = await s.get("/apis/create.example.com/v1/namespaces/default/crontabs");
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.kind, "CronTabList");
    assert.equal(list.body.apiVersion, "create.example.com/v1");
    await deleteCRD("crontabs.create.example.com");
    assert.equal((await s.get("/apis/create.example.com/v1/namespaces/default/crontabs")).status, 404);
  });

  it("a CRD whose plural another CRD of the group holds is not served (NamesAccepted False, PluralConflict)", async () => {
    await createCRD(crd("names.example.com"));
    const other = crd("names.example.com", { names: { kind: "Other", singular: "other", shortNames: [] } });
    other.metadata.name = "others.names.example.com";
    other.spec.names.plural = "crontabs";
    const res = await s.post(CRDS, other);
    // metadata.name must be <plural>.<group>: the conflict can only come from shortNames/singular/kind
    assert.equal(res.status, 422, res.text);
    const third = crd("names.example.com", { names: { plural: "others", singular: "other", kind: "Other", shortNames: ["ct"] } });
    third.metadata.name = "others.names.example.com";
    const got = await createCRD(third);
    assert.deepEqual(conditions(got).NamesAccepted, ["False", "ShortNamesConflict", '"ct" is already in use']);
    assert.deepEqual(conditions(got).Established, ["False", "NotAccepted", "not all names are accepted"]);
    assert.equal((await s.get("/apis/names.example.com/v1/namespaces/default/others")).status, 404);
    await deleteCRD("others.names.example.com");
    await deleteCRD("crontabs.names.example.com");
  });
});

describe("CRD validation", () => {
  it("a version without a schema is refused: schemas are required", async () => {
    const body = crd("noschema.example.com", { versions: [{ name: "v1", served: true, storage: true }] });
    const res = await s.post(CRDS, body);
    assert.equal(res.status, 422, res.text);
    assert.match(res.body.message, /spec\.versions\[0\]\.schema\.openAPIV3Schema: Required value: schemas are required/);
  });

  it("scale paths and printer columns are checked as upstream checks them", async () => {
    const body = crd("badsub.example.com");
    const v = body.spec.versions[0];
    v.subresources.scale = { specReplicasPath: ".status.replicas", statusReplicasPath: "status.replicas", labelSelectorPath: ".metadata.x" };
    v.additionalPrinterColumns = [{ name: "X", type: "text", jsonPath: ".spec.x" }, { name: "", type: "string", format: "weird", jsonPath: "spec.x" }];
    const res = await s.post(CRDS, body);
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(
      res.body.details.causes.map((c: Obj) => `${c.field}: ${c.message}`),
      [
        'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
        'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .',
        'spec.versions[0].subresources.scale.labelSelectorPath: Invalid value: ".metadata.x": should be a json path under either .spec or .status',
        'spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "text": supported values: "boolean", "date", "integer", "number", "string"',
        "spec.versions[0].additionalPrinterColumns[1].name: Required value",
        'spec.versions[0].additionalPrinterColumns[1].format: Unsupported value: "weird": supported values: "byte", "date", "date-time", "double", "float", "int32", "int64", "password"',
        'spec.versions[0].additionalPrinterColumns[1].JSONPath: Invalid value: "spec.x": must be a simple json path starting with .',
      ],
    );
  });

  it("a CEL rule that does not compile is refused with the compiler's message", async () => {
    const body = crd("badrule.example.com", {
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { a: { type: "integer" } }, "x-kubernetes-validations": [{ rule: "self.nope > 0" }] } } } },
        },
      ],
    });
    const res = await s.post(CRDS, body);
    assert.equal(res.status, 422, res.text);
    assert.match(res.body.message, /spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: .*compilation failed: ERROR: <input>:1:5: undefined field 'nope'/);
  });
});

describe("custom objects", () => {
  before(async () => {
    await createCRD(crd("stable.example.com"));
  });
  const base = "/apis/stable.example.com/v1/namespaces/default/crontabs";

  it("Custom Resource Definition, discovery: legacy and aggregated discovery list the resource", async () => {
    const legacy = await s.get("/apis/stable.example.com/v1");
    assert.equal(legacy.status, 200, legacy.text);
    const r = legacy.body.resources.find((x: Obj) => x.name === "crontabs");
    assert.deepEqual(
      { ...r, storageVersionHash: undefined },
      { name: "crontabs", singularName: "crontab", namespaced: true, kind: "CronTab", verbs: ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"], shortNames: ["ct"], categories: ["all"], storageVersionHash: undefined },
    );
    const subs = legacy.body.resources.filter((x: Obj) => x.name.startsWith("crontabs/")).map((x: Obj) => x.name);
    assert.deepEqual(subs.sort(), ["crontabs/scale", "crontabs/status"]);
    const agg = await s.get("/apis").set("Accept", V2);
    const group = agg.body.items.find((g: Obj) => g.metadata.name === "stable.example.com");
    assert.ok(group, "group in aggregated discovery");
    assert.equal(group.versions[0].resources[0].resource, "crontabs");
  });

  it("Custom Resource Definition, defaulting: defaults apply on create; unknown fields are pruned with a warning", async () => {
    const res = await s.post(base, cronTab("defaulted", { cronSpec: "* * * * */5", image: "a", foo: "bar" }));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.spec.replicas, 1);
    assert.equal(res.body.spec.foo, undefined);
    assert.equal(res.headers.warning, '299 - "unknown field \\"spec.foo\\""');
    assert.equal(res.body.metadata.generation, 1);
    const strict = await s.post(`${base}?fieldValidation=Strict`, cronTab("strict", { image: "a", foo: "bar" }));
    assert.equal(strict.status, 400, strict.text);
    assert.match(strict.body.message, /strict decoding error: unknown field "spec.foo"/);
  });

  it("an invalid custom object is rejected with every failing field", async () => {
    const res = await s.post(base, cronTab("bad", { cronSpec: "x", replicas: 20 }));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.reason, "Invalid");
    assert.equal(res.body.details.kind, "CronTab");
    const fields = res.body.details.causes.map((c: Obj) => c.field);
    assert.ok(fields.includes("spec.cronSpec"), res.text);
    assert.ok(fields.includes("spec.replicas"), res.text);
    const cel = await s.post(base, cronTab("cel", { cronSpec: "* * * * *", replicas: 7 }));
    assert.equal(cel.status, 422, cel.text);
    assert.match(cel.body.message, /more than 5 replicas need an image/);
  });

  it("Custom Resource Definition, status sub-resource: status and spec are written apart; generation counts spec", async () => {
    const created = await s.post(base, cronTab("st", { cronSpec: "* * * * *", image: "a", replicas: 2 }));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.status, undefined);
    const status = await s.patch(`${base}/st/status`, { status: { replicas: 2 }, spec: { replicas: 3 } });
    assert.equal(status.status, 200, status.text);
    assert.equal(status.body.status.replicas, 2);
    assert.equal(status.body.spec.replicas, 2, "a status write cannot change spec");
    assert.equal(status.body.metadata.generation, 1);
    const main = await s.patch(`${base}/st`, { status: { replicas: 9 }, spec: { replicas: 4 } });
    assert.equal(main.status, 200, main.text);
    assert.equal(main.body.status.replicas, 2, "a main write cannot change status");
    assert.equal(main.body.spec.replicas, 4);
    assert.equal(main.body.metadata.generation, 2);
  });

  it("scale subresource reads and writes the declared paths", async () => {
    await s.post(base, cronTab("sc", { cronSpec: "* * * * *", image: "a", replicas: 2 }));
    await s.patch(`${base}/sc/status`, { status: { replicas: 2, labelSelector: "app=sc" } });
    const scale = await s.get(`${base}/sc/scale`);
    assert.equal(scale.status, 200, scale.text);
    assert.deepEqual({ kind: scale.body.kind, apiVersion: scale.body.apiVersion, spec: scale.body.spec, status: scale.body.status }, {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 2 },
      status: { replicas: 2, selector: "app=sc" },
    });
    const put = await s.patch(`${base}/sc/scale`, { spec: { replicas: 3 } });
    assert.equal(put.status, 200, put.text);
    assert.equal((await s.get(`${base}/sc`)).body.spec.replicas, 3);
  });

  it("strategic merge patch is refused with 415; merge and JSON patch work", async () => {
    await s.post(base, cronTab("p", { cronSpec: "* * * * *", image: "a" }));
    const smp = await s.patch(`${base}/p`, { spec: { image: "b" } }, "application/strategic-merge-patch+json");
    assert.equal(smp.status, 415, smp.text);
    assert.equal(
      smp.body.message,
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
    const json = await s.patch(`${base}/p`, [{ op: "replace", path: "/spec/image", value: "c" }], "application/json-patch+json");
    assert.equal(json.status, 200, json.text);
    assert.equal(json.body.spec.image, "c");
  });

  it("the metadata.name field selector works on custom objects", async () => {
    const res = await s.get(`${base}?fieldSelector=metadata.name%3Ddefaulted`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.items.map((o: Obj) => o.metadata.name),
      ["defaulted"],
    );
  });

  it("Table output has the printer columns", async () => {
    const res = await s.get(base).set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.columnDefinitions.map((c: Obj) => c.name),
      ["Name", "Spec", "Replicas", "Age"],
    );
  });
});

describe("versions", () => {
  const versions = (v2: Obj = {}) => [
    { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: schema } },
    { name: "v2", served: true, storage: false, deprecated: true, schema: { openAPIV3Schema: schema }, ...v2 },
  ];

  it("conversion None: an object written in one version reads back in the other with its apiVersion", async () => {
    await createCRD(crd("multi.example.com", { versions: versions() }));
    const res = await s.post("/apis/multi.example.com/v1/namespaces/default/crontabs", cronTab("m", { image: "a" }, "multi.example.com/v1"));
    assert.equal(res.status, 201, res.text);
    const v2 = await s.get("/apis/multi.example.com/v2/namespaces/default/crontabs/m");
    assert.equal(v2.status, 200, v2.text);
    assert.equal(v2.body.apiVersion, "multi.example.com/v2");
    assert.equal(v2.headers.warning, '299 - "multi.example.com/v2 CronTab is deprecated"');
    const list = await s.get("/apis/multi.example.com/v2/namespaces/default/crontabs");
    assert.deepEqual(
      list.body.items.map((o: Obj) => o.apiVersion),
      ["multi.example.com/v2"],
    );
  });

  it("Custom Resource OpenAPI Publish, stop serving version: a version no longer served leaves discovery and OpenAPI", async () => {
    const cur = (await s.get(`${CRDS}/crontabs.multi.example.com`)).body;
    cur.spec.versions[1].served = false;
    const res = await s.put(`${CRDS}/crontabs.multi.example.com`, cur);
    assert.equal(res.status, 200, res.text);
    await s.api.crdsSettled();
    assert.equal((await s.get("/apis/multi.example.com/v2/namespaces/default/crontabs")).status, 404);
    const index = await s.get("/openapi/v3");
    assert.ok(index.body.paths["apis/multi.example.com/v1"]);
    assert.equal(index.body.paths["apis/multi.example.com/v2"], undefined);
  });

  it("Custom Resource Definition, deletion: deleting the CRD deletes its objects first", async () => {
    await deleteCRD("crontabs.multi.example.com");
    // a CRD of the same name starts empty
    await createCRD(crd("multi.example.com", { versions: versions() }));
    const list = await s.get("/apis/multi.example.com/v1/namespaces/default/crontabs");
    assert.deepEqual(list.body.items, []);
    await deleteCRD("crontabs.multi.example.com");
  });
});

describe("schema-driven behaviour", () => {
  const base = "/apis/ssa.example.com/v1/namespaces/default/widgets";
  before(async () => {
    const body = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.ssa.example.com" },
      spec: {
        group: "ssa.example.com",
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            selectableFields: [{ jsonPath: ".spec.color" }],
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: {
                    type: "object",
                    properties: {
                      color: { type: "string" },
                      ports: {
                        type: "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                        items: { type: "object", required: ["name"], properties: { name: { type: "string" }, port: { type: "integer" } } },
                      },
                      tags: { type: "array", items: { type: "string" } },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    await createCRD(body);
  });

  const apply = (manager: string, spec: Obj) =>
    s
      .patch(`${base}/w?fieldManager=${manager}`, JSON.stringify({ apiVersion: "ssa.example.com/v1", kind: "Widget", metadata: { name: "w" }, spec }), "application/apply-patch+yaml");

  it("server-side apply merges list-type map items by key and replaces atomic lists", async () => {
    const a = await apply("a", { color: "red", ports: [{ name: "http", port: 80 }], tags: ["x"] });
    assert.equal(a.status, 201, a.text);
    const b = await apply("b", { ports: [{ name: "https", port: 443 }] });
    assert.equal(b.status, 200, b.text);
    assert.deepEqual(b.body.spec.ports, [
      { name: "http", port: 80 },
      { name: "https", port: 443 },
    ]);
    const conflict = await apply("c", { tags: ["y"] });
    assert.equal(conflict.status, 409, conflict.text);
    assert.match(conflict.body.message, /Apply failed with 1 conflict: conflict with "a": \.spec\.tags/);
  });

  it("selectableFields are field selectors", async () => {
    await s.post(base, { apiVersion: "ssa.example.com/v1", kind: "Widget", metadata: { name: "blue" }, spec: { color: "blue" } });
    const res = await s.get(`${base}?fieldSelector=spec.color%3Dblue`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.items.map((o: Obj) => o.metadata.name),
      ["blue"],
    );
    const bad = await s.get(`${base}?fieldSelector=spec.size%3D1`);
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.message, 'field label not supported: spec.size');
  });
});

describe("persistence", () => {
  it("CRDs and custom objects survive a restart and are served as soon as the server is up", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(tmpdir(), "kf-crd-restart-"));
    try {
      const first = await startTestServer({ storage: `leveldb:${dir}` });
      const res = await first.post(CRDS, crd("restart.example.com"));
      assert.equal(res.status, 201, res.text);
      await first.api.crdsSettled();
      const created = await first.post("/apis/restart.example.com/v1/namespaces/default/crontabs", cronTab("kept", { image: "a" }, "restart.example.com/v1"));
      assert.equal(created.status, 201, created.text);
      await first.stop();
      const second = await startTestServer({ storage: `leveldb:${dir}` });
      try {
        const got = await second.get("/apis/restart.example.com/v1/namespaces/default/crontabs/kept");
        assert.equal(got.status, 200, got.text);
        assert.equal(got.body.metadata.uid, created.body.metadata.uid);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
