// Protobuf request bodies through the HTTP layer (in-process server): recorded kubectl 1.33 bodies
// give the same answers as the JSON bodies kubectl 1.31 sends for the same commands; updates (PUT)
// work; malformed bodies are 400 Status objects; the 415 of a built-in kind lists protobuf, and a
// custom resource does not accept it.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { after, before, describe, it } from "node:test";
import { assertStatus, type Obj, startTestServer, type TestServer } from "../../helpers/api-server.js";
import { PROTOBUF_MEDIA_TYPE, protobufMessageFor } from "../../../src/protobuf/index.js";
import { encodeObject, envelope } from "./encoder.js";
import { RECORDINGS } from "./kubectl-recordings.js";

const PB = PROTOBUF_MEDIA_TYPE;

/** Drops what differs between two creations of the same object. */
function comparable(o: Obj): Obj {
  const copy = JSON.parse(JSON.stringify(o)) as Obj;
  if (copy.metadata) {
    for (const k of ["uid", "resourceVersion", "creationTimestamp", "managedFields"]) delete copy.metadata[k];
    for (const k of ["batch.kubernetes.io/controller-uid", "controller-uid"]) {
      delete copy.metadata.labels?.[k];
      delete copy.spec?.selector?.matchLabels?.[k];
      delete copy.spec?.template?.metadata?.labels?.[k];
    }
  }
  return copy;
}

describe("protobuf bodies over HTTP", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s.stop());

  const send = (method: "post" | "put", path: string, body: Buffer) => s[method](path).set("Content-Type", PB).set("Accept", `${PB},application/json`).send(body);

  const creations = RECORDINGS.filter((r) => r.args[0] === "create" && r.args[1] !== "token" && r.name !== "bad name");
  for (const rec of [...creations, ...RECORDINGS.filter((r) => r.args[0] === "auth")]) {
    it(`kubectl 1.33's ${rec.args.slice(0, 3).join(" ")} (${rec.name}) is answered as kubectl 1.31's JSON is`, async () => {
      const pb = await send("post", rec.url, Buffer.from(rec.protobuf["1.33"], "base64"));
      const json = await s.post(rec.url).set("Content-Type", "application/json").send(rec.json);
      assert.equal(json.status, 201, json.text);
      assert.equal(pb.status, 201, pb.text);
      assert.match(String(pb.headers["content-type"]), /^application\/json/, "answers in JSON");
      assert.deepEqual(comparable(JSON.parse(pb.text)), comparable(JSON.parse(json.text)));
    });
  }

  it("has a protobuf message for every kind the server takes writes of (discovery)", async () => {
    const groupVersions = ["v1"];
    for (const g of (JSON.parse((await s.get("/apis")).text) as Obj).groups as Obj[]) for (const v of g.versions as Obj[]) groupVersions.push(v.groupVersion);
    const missing: string[] = [];
    let checked = 0;
    for (const gv of groupVersions) {
      const list = JSON.parse((await s.get(gv === "v1" ? "/api/v1" : `/apis/${gv}`)).text) as Obj;
      for (const r of list.resources as Obj[]) {
        if (!(r.verbs as string[]).some((v) => v === "create" || v === "update")) continue;
        const apiVersion = r.version !== undefined ? (r.group ? `${r.group}/${r.version}` : r.version) : gv;
        checked++;
        if (!protobufMessageFor(apiVersion, r.kind)) missing.push(`${gv} ${r.name} (${apiVersion} ${r.kind})`);
      }
    }
    assert.ok(checked > 60, `${checked} writable resources`);
    assert.deepEqual(missing, []);
  });

  it("creates and updates (PUT) from protobuf", async () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "pb-put", namespace: "default", labels: { a: "1" } }, data: { k: "v" } };
    const created = await send("post", "/api/v1/namespaces/default/configmaps", encodeObject("core.v1.ConfigMap", cm));
    assert.equal(created.status, 201, created.text);
    const obj = JSON.parse(created.text) as Obj;
    assert.deepEqual(obj.data, { k: "v" });
    assert.deepEqual(obj.metadata.labels, { a: "1" });
    const update = { ...cm, metadata: { ...cm.metadata, resourceVersion: obj.metadata.resourceVersion }, data: { k: "v2" } };
    const updated = await send("put", "/api/v1/namespaces/default/configmaps/pb-put", encodeObject("core.v1.ConfigMap", update));
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(JSON.parse(updated.text).data, { k: "v2" });
    const stale = await send("put", "/api/v1/namespaces/default/configmaps/pb-put", encodeObject("core.v1.ConfigMap", update));
    assertStatus(stale, 409, "Conflict");
  });

  it("validates a decoded object like a JSON one", async () => {
    const bad = RECORDINGS.find((r) => r.name === "bad name")!;
    const res = await send("post", bad.url, Buffer.from(bad.protobuf["1.33"], "base64"));
    const st = assertStatus(res, 422, "Invalid");
    assert.match(st.message, /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });

  it("answers malformed bodies with a 400 Status", async () => {
    const path = "/api/v1/namespaces/default/configmaps";
    assertStatus(
      await send("post", path, Buffer.from('{"kind":"ConfigMap"}')),
      400,
      "BadRequest",
      'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"ConfigMap"})',
    );
    assertStatus(await send("post", path, Buffer.from("k8s\0", "latin1")), 400, "BadRequest", /empty body/);
    const good = encodeObject("core.v1.ConfigMap", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "t" } });
    assertStatus(await send("post", path, good.subarray(0, good.length - 3)), 400, "BadRequest", /unexpected EOF/);
    assertStatus(await send("post", path, envelope("v1", "ConfigMap", Buffer.from([0x08, 0x01]))), 400, "BadRequest", 'ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: wrong wireType = 0 for field metadata');
    assertStatus(await send("post", path, envelope("v1", "Pony", Buffer.alloc(0))), 400, "BadRequest", /no kind "Pony" is registered/);
  });

  it("applies the apiVersion/kind checks of JSON bodies", async () => {
    const secret = encodeObject("core.v1.Secret", { apiVersion: "v1", kind: "Secret", metadata: { name: "x" } });
    assertStatus(await send("post", "/api/v1/namespaces/default/configmaps", secret), 400, "BadRequest", "the kind in the data (Secret) does not match the expected kind (ConfigMap)");
    const dep = encodeObject("apps.v1.Deployment", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" } });
    assertStatus(await send("post", "/api/v1/namespaces/default/configmaps", dep), 400, "BadRequest", /does not match the expected/);
  });

  it(
    "takes DeleteOptions as protobuf on DELETE (kubectl 1.32+ drain)",
    async () => {
      const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "doomed" }, spec: { containers: [{ name: "c", image: "nginx" }] } };
      assert.equal((await s.post("/api/v1/namespaces/default/pods", pod)).status, 201);
      // recorded from kubectl 1.33.1: DeleteOptions{gracePeriodSeconds: 0}
      const body = Buffer.from("6b3873000a130a027631120d44656c6574654f7074696f6e73120208001a002200", "hex");
      const res = await s.del("/api/v1/namespaces/default/pods/doomed").set("Content-Type", PB).send(body);
      assert.equal(res.status, 200, res.text);
    },
  );

  it("lists protobuf among the accepted types of a built-in kind", async () => {
    const st = assertStatus(await s.post("/api/v1/namespaces/default/configmaps").set("Content-Type", "text/plain").send("x"), 415, "UnsupportedMediaType");
    assert.equal(st.message, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
  });

  it("creates a CustomResourceDefinition from protobuf", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
        scope: "Namespaced",
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
      },
    };
    // the CRD itself is a built-in kind: create it from protobuf
    const created = await send("post", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", encodeObject("apiextensions.v1.CustomResourceDefinition", crd));
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(JSON.parse(created.text).spec.versions[0].schema, crd.spec.versions[0]!.schema);
  });

  it("does not accept protobuf for custom resources", async () => {
    const path = "/apis/example.com/v1/namespaces/default/widgets";
    await s.api.crdsSettled();
    const res = await send("post", path, Buffer.from("k8s\0", "latin1"));
    const cr = assertStatus(res, 415, "UnsupportedMediaType");
    assert.equal(cr.message, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
  });
});
