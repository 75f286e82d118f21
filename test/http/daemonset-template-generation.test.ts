// DaemonSets carry upstream's template generation in the `deprecated.daemonset.template.generation`
// annotation: "1" on create, +1 when an update changes the template, never set by a client, and
// owned in managedFields by whoever wrote the object (as a real cluster shows it).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Obj, startTestServer, type TestServer } from "../helpers/api-server.js";

const KEY = "deprecated.daemonset.template.generation";
const PATH = "/apis/apps/v1/namespaces/default/daemonsets";

const daemonSet = (annotations?: Record<string, string>) => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "agent", ...(annotations ? { annotations } : {}) },
  spec: {
    selector: { matchLabels: { app: "agent" } },
    template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "agent", image: "agent:1" }] } },
  },
});

describe("DaemonSet template generation annotation", () => {
  let s: TestServer;
  before(async () => (s = await startTestServer()));
  after(() => s.stop());

  it("create sets it to 1; the creator owns it in managedFields", async () => {
    const res = await s.post(`${PATH}?fieldManager=kubectl-create`, daemonSet()).expect(201);
    const ds = res.body as Obj;
    assert.equal(ds.metadata.annotations[KEY], "1");
    assert.equal(ds.metadata.generation, 1);
    assert.deepEqual(ds.metadata.managedFields[0].fieldsV1["f:metadata"]["f:annotations"], { ".": {}, [`f:${KEY}`]: {} });
  });

  it("an update that leaves the template alone keeps it; a client cannot change it", async () => {
    const current = (await s.get(`${PATH}/agent`).expect(200)).body as Obj;
    current.metadata.annotations[KEY] = "42";
    current.spec.minReadySeconds = 5;
    const ds = (await s.put(`${PATH}/agent`, current).expect(200)).body as Obj;
    assert.equal(ds.metadata.annotations[KEY], "1");
    assert.equal(ds.metadata.generation, 2);
  });

  it("a template change bumps it", async () => {
    const ds = (
      await s
        .patch(`${PATH}/agent`, { spec: { template: { spec: { containers: [{ name: "agent", image: "agent:2" }] } } } }, "application/strategic-merge-patch+json")
        .expect(200)
    ).body as Obj;
    assert.equal(ds.metadata.annotations[KEY], "2");
    assert.equal(ds.metadata.generation, 3);
  });

  it("a removed annotation comes back with the stored value", async () => {
    const ds = (await s.patch(`${PATH}/agent`, { metadata: { annotations: { [KEY]: null } } }, "application/merge-patch+json").expect(200)).body as Obj;
    assert.equal(ds.metadata.annotations[KEY], "2");
  });

  it("a value given on create is kept when it is at least 1", async () => {
    const body = daemonSet({ [KEY]: "7" });
    body.metadata.name = "preset";
    const ds = (await s.post(PATH, body).expect(201)).body as Obj;
    assert.equal(ds.metadata.annotations[KEY], "7");
  });
});
