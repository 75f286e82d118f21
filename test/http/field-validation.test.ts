// Server-side field validation (fieldValidation=Strict|Warn|Ignore, absent → Warn) on create, PUT,
// merge patch, strategic merge patch, JSON patch and apply, with JSON and YAML bodies: upstream's
// texts and order (JSON create/update in document order, YAML decoder lines first, patches: the
// patch's own duplicates first, then the patched object's unknown fields), Strict → 400, Warn →
// `Warning: 299 - "..."` headers, Ignore → silent, and unknown fields never stored.
// Cases mirror kubernetes test/integration/apiserver/field_validation_test.go with bodies of our own.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type request from "supertest";
import { assertStatus, createNamespace, type Obj, startTestServer, type TestServer } from "../helpers/api-server.js";

let s: TestServer;
before(async () => {
  s = await startTestServer();
  await createNamespace(s, NS);
});
after(async () => {
  await s.stop();
});

const NS = "field-validation";
const DEPLOY = `/apis/apps/v1/namespaces/${NS}/deployments`;
const MODES = ["Strict", "Warn", "Ignore", ""] as const;
type Mode = (typeof MODES)[number];
const q = (mode: Mode, extra = "") => [mode ? `fieldValidation=${mode}` : "", extra].filter(Boolean).join("&");
const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);
const body = (res: { text: string }): Obj => JSON.parse(res.text) as Obj;

/** Each Warning header of a response, undone from its HTTP quoted-string form. */
function warnings(res: request.Response): string[] {
  // supertest exposes the node IncomingMessage as res.res (untyped): repeated headers stay separate there
  const raw = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== "warning") continue;
    const m = /^299 - "((?:[^"\\]|\\.)*)"$/.exec(raw[i + 1]!);
    assert.ok(m, `malformed Warning header ${raw[i + 1]}`);
    out.push(m[1]!.replace(/\\(.)/g, "$1"));
  }
  return out;
}

/** Asserts the outcome of one mode: Strict → 400 with `strict`, Warn/default → the warnings, Ignore → none. */
function expectMode(res: request.Response, mode: Mode, strict: string, warned: string[], okCode: number): void {
  if (mode === "Strict") {
    assertStatus(res, 400, "BadRequest", strict);
    assert.deepEqual(warnings(res), []);
    return;
  }
  assert.equal(res.status, okCode, res.text.slice(0, 600));
  assert.deepEqual(warnings(res), mode === "Ignore" ? [] : warned);
}

// ------------------------------------------------------------------------------------------------
// Bodies (JSON text, duplicates on purpose)

const invalidJSON = (name: string) => `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "placeholder",
    "name": "${name}",
    "labels": {"app": "fv"},
    "bogusMeta": "x"
  },
  "spec": {
    "extra1": "a",
    "dupExtra": "a",
    "dupExtra": "b",
    "replicas": 1,
    "replicas": 2,
    "selector": {"matchLabels": {"app": "fv"}},
    "template": {
      "metadata": {"labels": {"app": "fv"}},
      "spec": {
        "containers": [{
          "name": "c",
          "image": "nginx",
          "nestedExtra": "x",
          "imagePullPolicy": "Always",
          "imagePullPolicy": "IfNotPresent"
        }]
      }
    }
  }
}`;

const invalidYAML = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: placeholder
  name: ${name}
  labels:
    app: fv
  bogusMeta: x
spec:
  extra1: a
  dupExtra: a
  dupExtra: b
  replicas: 1
  replicas: 2
  selector:
    matchLabels:
      app: fv
  template:
    metadata:
      labels:
        app: fv
    spec:
      containers:
      - name: c
        image: nginx
        nestedExtra: x
        imagePullPolicy: Always
        imagePullPolicy: IfNotPresent
`;

const validObject = (name: string): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, labels: { app: "fv" } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "fv" } },
    template: { metadata: { labels: { app: "fv" } }, spec: { containers: [{ name: "c", image: "nginx", imagePullPolicy: "Always" }] } },
  },
});

const JSON_PROBLEMS = [
  'duplicate field "metadata.name"',
  'unknown field "metadata.bogusMeta"',
  'unknown field "spec.extra1"',
  // both unknown and duplicated: reported once, as unknown
  'unknown field "spec.dupExtra"',
  'duplicate field "spec.replicas"',
  'unknown field "spec.template.spec.containers[0].nestedExtra"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
];
const YAML_LINES = [
  'line 5: key "name" already set in map',
  'line 12: key "dupExtra" already set in map',
  'line 14: key "replicas" already set in map',
  'line 28: key "imagePullPolicy" already set in map',
];
const YAML_UNKNOWN = ['unknown field "metadata.bogusMeta"', 'unknown field "spec.dupExtra"', 'unknown field "spec.extra1"', 'unknown field "spec.template.spec.containers[0].nestedExtra"'];
const decodeError = (problems: string) => `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${problems}`;
const yamlStrict = decodeError(`yaml: unmarshal errors:\n  ${YAML_LINES.join("\n  ")}, ${YAML_UNKNOWN.join(", ")}`);
const YAML_DUPLICATES_TODO = {
};

async function assertPruned(name: string): Promise<void> {
  const res = await s.get(`${DEPLOY}/${name}`);
  assert.equal(res.status, 200, res.text);
  const obj = body(res);
  assert.equal(obj.metadata.bogusMeta, undefined);
  assert.equal(obj.spec.extra1, undefined);
  assert.equal(obj.spec.dupExtra, undefined);
  assert.equal(obj.spec.template.spec.containers[0].nestedExtra, undefined);
  assert.ok(!JSON.stringify(obj).includes("Extra"), `unknown fields were stored: ${res.text}`);
}

// ------------------------------------------------------------------------------------------------

describe("create (POST)", () => {
  for (const mode of MODES) {
    it(`JSON body, fieldValidation=${mode || "<absent>"}`, async () => {
      const name = `post-json-${(mode || "default").toLowerCase()}`;
      const res = await s.post(withQuery(DEPLOY, q(mode)), invalidJSON(name)).set("Content-Type", "application/json");
      expectMode(res, mode, decodeError(JSON_PROBLEMS.join(", ")), JSON_PROBLEMS, 201);
      if (mode === "Strict") assert.equal((await s.get(`${DEPLOY}/${name}`)).status, 404, "nothing created");
      else {
        assert.equal(body(res).spec.replicas, 2, "the last duplicate wins");
        assert.equal(body(res).spec.template.spec.containers[0].imagePullPolicy, "IfNotPresent");
        await assertPruned(name);
      }
    });

    it(`YAML body, fieldValidation=${mode || "<absent>"}`, YAML_DUPLICATES_TODO, async () => {
      const name = `post-yaml-${(mode || "default").toLowerCase()}`;
      const res = await s.post(withQuery(DEPLOY, q(mode)), invalidYAML(name)).set("Content-Type", "application/yaml");
      expectMode(res, mode, yamlStrict, [...YAML_LINES, ...YAML_UNKNOWN], 201);
      if (mode !== "Strict") await assertPruned(name);
    });
  }

  it("a valid body: no warnings in any mode", async () => {
    for (const mode of MODES) {
      const res = await s.post(withQuery(DEPLOY, q(mode)), validObject(`post-valid-${(mode || "default").toLowerCase()}`));
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(warnings(res), []);
    }
  });

  it("the Warning header escapes quotes: 299 - \"unknown field \\\"spec.foo\\\"\"", async () => {
    const obj = validObject("escaping");
    (obj.spec as Obj).foo = "bar";
    const res = await s.post(DEPLOY, obj);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.warning, '299 - "unknown field \\"spec.foo\\""');
  });

  it("unknown fields sort as the decoder meets them: list items in index order", async () => {
    const containers = Array.from({ length: 11 }, (_, i) => `      - name: c${i}\n        image: nginx${i === 2 || i === 10 ? "\n        zzz: 1" : ""}`).join("\n");
    const yaml = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: many\nspec:\n  selector:\n    matchLabels:\n      app: fv\n  template:\n    metadata:\n      labels:\n        app: fv\n    spec:\n      containers:\n${containers}\n`;
    const res = await s.post(withQuery(DEPLOY, "fieldValidation=Warn"), yaml).set("Content-Type", "application/yaml");
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(warnings(res), ['unknown field "spec.template.spec.containers[2].zzz"', 'unknown field "spec.template.spec.containers[10].zzz"']);
  });
});

describe("update (PUT)", () => {
  const name = "put-target";
  before(async () => {
    const res = await s.post(DEPLOY, validObject(name));
    assert.equal(res.status, 201, res.text);
  });

  for (const mode of MODES) {
    it(`JSON body, fieldValidation=${mode || "<absent>"}`, async () => {
      const res = await s.put(withQuery(`${DEPLOY}/${name}`, q(mode)), invalidJSON(name)).set("Content-Type", "application/json");
      expectMode(res, mode, decodeError(JSON_PROBLEMS.join(", ")), JSON_PROBLEMS, 200);
      await assertPruned(name);
    });

    it(`YAML body, fieldValidation=${mode || "<absent>"}`, YAML_DUPLICATES_TODO, async () => {
      const res = await s.put(withQuery(`${DEPLOY}/${name}`, q(mode)), invalidYAML(name)).set("Content-Type", "application/yaml");
      expectMode(res, mode, yamlStrict, [...YAML_LINES, ...YAML_UNKNOWN], 200);
      await assertPruned(name);
    });
  }
});

describe("merge patch and strategic merge patch", () => {
  const patchBody = `{
  "spec": {
    "extra1": "a",
    "dupExtra": "a",
    "dupExtra": "b",
    "replicas": 1,
    "replicas": 3,
    "template": {
      "spec": {
        "containers": [{
          "name": "c",
          "image": "nginx",
          "nestedExtra": "x",
          "imagePullPolicy": "Always",
          "imagePullPolicy": "Never"
        }]
      }
    }
  }
}`;
  // the patch's own duplicates (document order), then the patched object's unknown fields
  const PROBLEMS = [
    'duplicate field "spec.dupExtra"',
    'duplicate field "spec.replicas"',
    'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    'unknown field "spec.dupExtra"',
    'unknown field "spec.extra1"',
    'unknown field "spec.template.spec.containers[0].nestedExtra"',
  ];
  const onlyDuplicates = `{"spec": {"replicas": 1, "replicas": 4, "template": {"spec": {"containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}`;
  const DUPLICATES = ['duplicate field "spec.replicas"', 'duplicate field "spec.template.spec.containers[0].imagePullPolicy"'];

  for (const [label, type] of [
    ["merge patch", "application/merge-patch+json"],
    ["strategic merge patch", "application/strategic-merge-patch+json"],
  ] as const) {
    for (const mode of MODES) {
      it(`${label}, fieldValidation=${mode || "<absent>"}`, async () => {
        const name = `${type.includes("strategic") ? "smp" : "mp"}-${(mode || "default").toLowerCase()}`;
        assert.equal((await s.post(DEPLOY, validObject(name))).status, 201);
        const res = await s.patch(withQuery(`${DEPLOY}/${name}`, q(mode)), patchBody, type);
        expectMode(res, mode, `strict decoding error: ${PROBLEMS.join(", ")}`, PROBLEMS, 200);
        const stored = body(await s.get(`${DEPLOY}/${name}`));
        assert.equal(stored.spec.replicas, mode === "Strict" ? 1 : 3);
        await assertPruned(name);
      });

      it(`${label} with only duplicate fields, fieldValidation=${mode || "<absent>"}`, async () => {
        const name = `${type.includes("strategic") ? "smp" : "mp"}-dup-${(mode || "default").toLowerCase()}`;
        assert.equal((await s.post(DEPLOY, validObject(name))).status, 201);
        const res = await s.patch(withQuery(`${DEPLOY}/${name}`, q(mode)), onlyDuplicates, type);
        expectMode(res, mode, `strict decoding error: ${DUPLICATES.join(", ")}`, DUPLICATES, 200);
      });
    }
  }

  it("unknown fields of a patch follow the patched document's key order, not string order", async () => {
    assert.equal((await s.post(DEPLOY, validObject("order"))).status, 201);
    const res = await s.patch(withQuery(`${DEPLOY}/order`, "fieldValidation=Warn"), { spec: { "template-x": 1, template: { foo: 1 } } }, "application/merge-patch+json");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(warnings(res), ['unknown field "spec.template.foo"', 'unknown field "spec.template-x"']);
  });
});

describe("JSON patch", () => {
  const ops = `[
  {"op": "add", "path": "/spec/extra1", "value": "a", "bogusOp": "x"},
  {"op": "add", "path": "/spec/extra2", "path": "/spec/extra3", "value": "a"},
  {"op": "replace", "path": "/spec/replicas", "value": 4},
  {"op": "add", "path": "/spec/template/spec/containers/0/nestedExtra", "value": "x"},
  {"op": "add", "path": "/metadata/annotations", "value": {"k": "1", "k": "2"}}
]`;
  // op-level problems first; duplicates inside values are not reported (the patch library drops them)
  const PROBLEMS = [
    'json patch unknown field "[0].bogusOp"',
    'json patch duplicate field "[1].path"',
    'unknown field "spec.extra1"',
    'unknown field "spec.extra3"',
    'unknown field "spec.template.spec.containers[0].nestedExtra"',
  ];
  for (const mode of MODES) {
    it(`fieldValidation=${mode || "<absent>"}`, async () => {
      const name = `jp-${(mode || "default").toLowerCase()}`;
      assert.equal((await s.post(DEPLOY, validObject(name))).status, 201);
      const res = await s.patch(withQuery(`${DEPLOY}/${name}`, q(mode)), ops, "application/json-patch+json");
      expectMode(res, mode, `strict decoding error: ${PROBLEMS.join(", ")}`, PROBLEMS, 200);
      const stored = body(await s.get(`${DEPLOY}/${name}`));
      assert.equal(stored.spec.replicas, mode === "Strict" ? 1 : 4);
      if (mode !== "Strict") assert.deepEqual(stored.metadata.annotations, { k: "2" });
      assert.equal(stored.spec.extra3, undefined);
      await assertPruned(name);
    });
  }
});

describe("apply", () => {
  const applyBody = (name: string) => `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "${name}",
    "labels": {"app": "fv"}
  },
  "spec": {
    "replicas": 1,
    "replicas": 2,
    "selector": {"matchLabels": {"app": "fv"}},
    "template": {
      "metadata": {"labels": {"app": "fv"}},
      "spec": {
        "containers": [{
          "name": "c",
          "image": "nginx",
          "imagePullPolicy": "Always",
          "imagePullPolicy": "Never"
        }]
      }
    }
  }
}`;
  // an apply body is YAML (JSON text included): duplicates are the YAML decoder's lines
  const LINES = ['line 10: key "replicas" already set in map', 'line 19: key "imagePullPolicy" already set in map'];
  const STRICT = `error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  ${LINES.join("\n  ")}`;
  const TODO = {
  };

  for (const mode of MODES) {
    it(`create with a JSON-text body, fieldValidation=${mode || "<absent>"}`, TODO, async () => {
      const name = `apply-create-${(mode || "default").toLowerCase()}`;
      const res = await s.patch(withQuery(`${DEPLOY}/${name}`, q(mode, "fieldManager=mgr")), applyBody(name), "application/apply-patch+yaml");
      expectMode(res, mode, STRICT, LINES, 201);
      if (mode === "Strict") assert.equal((await s.get(`${DEPLOY}/${name}`)).status, 404, "nothing created");
      else assert.equal(body(res).spec.replicas, 2);
    });

    it(`update with a JSON-text body, fieldValidation=${mode || "<absent>"}`, TODO, async () => {
      const name = `apply-update-${(mode || "default").toLowerCase()}`;
      const created = await s.patch(`${DEPLOY}/${name}?fieldManager=mgr`, JSON.stringify(validObject(name)), "application/apply-patch+yaml");
      assert.equal(created.status, 201, created.text);
      const res = await s.patch(withQuery(`${DEPLOY}/${name}`, q(mode, "fieldManager=mgr")), applyBody(name), "application/apply-patch+yaml");
      expectMode(res, mode, STRICT, LINES, 200);
    });
  }

  const yamlBody = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: fv
spec:
  replicas: 1
  replicas: 2
  selector:
    matchLabels:
      app: fv
  template:
    metadata:
      labels:
        app: fv
    spec:
      containers:
      - name: c
        image: nginx
`;
  for (const mode of MODES) {
    it(`create with a YAML body, fieldValidation=${mode || "<absent>"}`, YAML_DUPLICATES_TODO, async () => {
      const name = `apply-yaml-${(mode || "default").toLowerCase()}`;
      const res = await s.patch(withQuery(`${DEPLOY}/${name}`, q(mode, "fieldManager=mgr")), yamlBody(name), "application/apply-patch+yaml");
      if (mode === "Strict") {
        assertStatus(res, 400, "BadRequest", 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 9: key "replicas" already set in map');
      } else {
        assert.equal(res.status, 201, res.text);
        assert.deepEqual(warnings(res), mode === "Ignore" ? [] : ['line 9: key "replicas" already set in map']);
      }
    });
  }

  it("Strict with a YAML body: upstream's message", TODO, async () => {
    const res = await s.patch(withQuery(`${DEPLOY}/apply-yaml-msg`, "fieldValidation=Strict&fieldManager=mgr"), yamlBody("apply-yaml-msg"), "application/apply-patch+yaml");
    assertStatus(res, 400, "BadRequest", 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 9: key "replicas" already set in map');
  });

  for (const mode of MODES) {
    it(`an unknown field in an applied configuration fails the typed conversion (500), fieldValidation=${mode || "<absent>"}`, async () => {
      const name = `apply-unknown-${(mode || "default").toLowerCase()}`;
      const cfg = validObject(name);
      cfg.metadata.namespace = NS;
      (cfg.spec as Obj).bogus = true;
      const res = await s.patch(withQuery(`${DEPLOY}/${name}`, q(mode, "fieldManager=mgr")), JSON.stringify(cfg), "application/apply-patch+yaml");
      assert.equal(res.status, 500, res.text);
      const st = body(res);
      assert.deepEqual(st, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `failed to create typed patch object (${NS}/${name}; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema`, code: 500 });
    });
  }
});

describe("invalid fieldValidation values", () => {
  const cases: { name: string; send: (v: string) => request.Test; kind: string }[] = [
    { name: "create", send: (v) => s.post(`${DEPLOY}?fieldValidation=${v}`, validObject("bad-fv")), kind: "CreateOptions" },
    { name: "update", send: (v) => s.put(`${DEPLOY}/put-target?fieldValidation=${v}`, validObject("put-target")), kind: "UpdateOptions" },
    { name: "patch", send: (v) => s.patch(`${DEPLOY}/put-target?fieldValidation=${v}`, { spec: { replicas: 1 } }), kind: "PatchOptions" },
    { name: "apply", send: (v) => s.patch(`${DEPLOY}/put-target?fieldManager=m&fieldValidation=${v}`, JSON.stringify(validObject("put-target")), "application/apply-patch+yaml"), kind: "PatchOptions" },
  ];
  for (const c of cases) {
    for (const value of ["Bogus", "strict"]) {
      it(`${c.name} with fieldValidation=${value}: 422 ${c.kind}`, async () => {
        const res = await c.send(value);
        const st = assertStatus(res, 422, "Invalid");
        assert.equal(st.details.group, "meta.k8s.io");
        assert.equal(st.details.kind, c.kind);
        assert.deepEqual(st.details.causes.map((x: Obj) => [x.reason, x.field]), [["FieldValueNotSupported", "fieldValidation"]]);
      });
    }

    it(`${c.name}: the message lists the supported values as upstream (sorted, "" included)`, async () => {
      const res = await c.send("Bogus");
      assertStatus(res, 422, "Invalid", `${c.kind}.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"`);
    });
  }

  it("an empty fieldValidation is the default (Warn)", async () => {
    const obj = validObject("empty-fv");
    (obj.spec as Obj).foo = 1;
    const res = await s.post(`${DEPLOY}?fieldValidation=`, obj);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(warnings(res), ['unknown field "spec.foo"']);
  });

  it("options are validated before the body is decoded: invalid fieldValidation with a malformed body is 422", async () => {
    const res = await s.post(`${DEPLOY}?fieldValidation=Bogus`, "{not json").set("Content-Type", "application/json");
    assertStatus(res, 422, "Invalid");
  });
});
