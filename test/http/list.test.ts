// LIST over HTTP: pagination (limit/continue, remainingItemCount, snapshot consistency), label and
// field selectors, all-namespaces lists, resourceVersion/resourceVersionMatch semantics and their
// validation, and the output transformations kubectl and metadata clients ask for (Table v1 and
// v1beta1 with includeObject, PartialObjectMetadataList, YAML). Mirrors "API Chunking, server
// should return chunks of results for list calls" (checklist §1.3).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { FakeClock } from "../../src/util/clock.js";
import { assertStatus, configMap, createNamespace, type Obj, pod, startTestServer, type TestServer } from "../helpers/api-server.js";

const TABLE_V1 = "application/json;as=Table;v=v1;g=meta.k8s.io";
const TABLE_V1BETA1 = "application/json;as=Table;v=v1beta1;g=meta.k8s.io";
const KUBECTL_GET = `${TABLE_V1},${TABLE_V1BETA1},application/json`;
const POM_LIST = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io";

let s: TestServer;
before(async () => {
  s = await startTestServer({ cacher: { futureRevisionWaitMs: 50 } });
});
after(async () => {
  await s.stop();
});

const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
async function list(path: string, accept = "application/json"): Promise<Obj> {
  const res = await s.get(path).set("Accept", accept);
  assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 400)}`);
  return JSON.parse(res.text) as Obj;
}
const names = (l: Obj): string[] => (l.items as Obj[]).map((i) => i.metadata.name);
const q = (v: string) => encodeURIComponent(v);

describe("pagination", () => {
  const ns = "chunking";
  const total = 23;
  const all: string[] = [];
  before(async () => {
    await createNamespace(s, ns);
    for (let i = 0; i < total; i++) {
      const name = `cm-${String(i).padStart(3, "0")}`;
      all.push(name);
      assert.equal((await s.post(cmPath(ns), configMap(name, { idx: String(i) }))).status, 201);
    }
  });

  it("API Chunking, server should return chunks of results for list calls", async () => {
    const full = await list(cmPath(ns));
    assert.deepEqual(names(full), all, "without a limit everything comes back, in key order");
    assert.equal(full.metadata.continue, undefined);
    assert.equal(full.metadata.remainingItemCount, undefined);
    for (const sizes of [[1], [4], [7, 2, 5], [total], [total + 5]]) {
      const seen: string[] = [];
      let cont = "";
      let rv: string | undefined;
      for (let page = 0; ; page++) {
        const limit = sizes[page % sizes.length]!;
        const l = await list(`${cmPath(ns)}?limit=${limit}${cont ? `&continue=${q(cont)}` : ""}`);
        rv ??= l.metadata.resourceVersion;
        assert.equal(l.metadata.resourceVersion, rv, "every page is served at the first page's resourceVersion");
        assert.ok(l.items.length <= limit);
        seen.push(...names(l));
        if (!l.metadata.continue) {
          assert.equal(l.metadata.remainingItemCount, undefined, "no remainingItemCount on the last page");
          break;
        }
        assert.equal(l.metadata.remainingItemCount + seen.length, total, `remainingItemCount on page ${page} (sizes ${sizes})`);
        cont = l.metadata.continue;
      }
      assert.deepEqual(seen, all, `limits ${sizes}`);
    }
    const selected = await list(`${cmPath(ns)}?limit=2&labelSelector=idx`);
    assert.ok(selected.metadata.continue);
    assert.equal(selected.metadata.remainingItemCount, undefined, "no remainingItemCount when a selector filters the list");
  });

  it("continue after writes in between returns the original snapshot", async () => {
    const first = await list(`${cmPath(ns)}?limit=5`);
    const rv = first.metadata.resourceVersion;
    await s.post(cmPath(ns), configMap("cm-000a"));
    await s.post(cmPath(ns), configMap("zz-late"));
    assert.equal((await s.del(`${cmPath(ns)}/cm-010`)).status, 200);
    const modified = JSON.parse((await s.patch(`${cmPath(ns)}/cm-011`, { data: { k: "changed" } })).text) as Obj;
    const seen = [...names(first)];
    let cont = first.metadata.continue as string | undefined;
    const items: Obj[] = [];
    while (cont) {
      const l = await list(`${cmPath(ns)}?limit=5&continue=${q(cont)}`);
      assert.equal(l.metadata.resourceVersion, rv);
      items.push(...l.items);
      seen.push(...names(l));
      cont = l.metadata.continue;
    }
    assert.deepEqual(seen, all, "deleted objects still appear and new ones do not");
    const old11 = items.find((i) => i.metadata.name === "cm-011")!;
    assert.equal(old11.data.k, "v", "a modified object appears as it was at the snapshot");
    assert.ok(Number(old11.metadata.resourceVersion) < Number(modified.metadata.resourceVersion));
    // restore the namespace for the other tests
    await s.del(`${cmPath(ns)}/cm-000a`);
    await s.del(`${cmPath(ns)}/zz-late`);
    await s.post(cmPath(ns), configMap("cm-010", { idx: "10" }));
  });

  it(
    "remainingItemCount is reported on every page that has a continue token, even after writes",
    async () => {
      const first = await list(`${cmPath(ns)}?limit=3`);
      await s.post(cmPath(ns), configMap("zzz-extra"));
      const second = await list(`${cmPath(ns)}?limit=3&continue=${q(first.metadata.continue)}`);
      await s.del(`${cmPath(ns)}/zzz-extra`);
      assert.ok(second.metadata.continue);
      assert.equal(second.metadata.remainingItemCount, total - 6);
    },
  );

  it("continue is validated: a resourceVersion with continue is 400, a garbage token is 400", async () => {
    const first = await list(`${cmPath(ns)}?limit=2`);
    assertStatus(await s.get(`${cmPath(ns)}?limit=2&resourceVersion=5&continue=${q(first.metadata.continue)}`), 400, "BadRequest", "specifying resource version is not allowed when using continue");
    assert.equal((await s.get(`${cmPath(ns)}?limit=2&resourceVersion=0&continue=${q(first.metadata.continue)}`)).status, 200);
    assertStatus(await s.get(`${cmPath(ns)}?limit=2&continue=not-a-token`), 400, "BadRequest");
  });

  it("an expired continue token is 410 Expired carrying a fresh token that continues inconsistently", async () => {
    const clock = new FakeClock();
    const small = await startTestServer({ clock, history: { minEvents: 1, minAgeMs: 0 } });
    try {
      for (const n of ["a", "b", "c", "d"]) assert.equal((await small.post(cmPath("default"), configMap(n))).status, 201);
      const first = JSON.parse((await small.get(`${cmPath("default")}?limit=2`)).text) as Obj;
      for (let i = 0; i < 3; i++) {
        clock.advance(1000);
        await small.patch(`${cmPath("default")}/a`, { data: { i: String(i) } });
      }
      const res = await small.get(`${cmPath("default")}?limit=2&continue=${q(first.metadata.continue)}`);
      const st = assertStatus(res, 410, "Expired");
      assert.match(st.message, /^The provided continue parameter is too old to display a consistent list result\./);
      assert.ok(st.metadata.continue, "the Status carries an inconsistent continue token");
      const rest = JSON.parse((await small.get(`${cmPath("default")}?limit=2&continue=${q(st.metadata.continue)}`)).text) as Obj;
      assert.deepEqual(names(rest), ["c", "d"]);
      const old = first.metadata.resourceVersion as string;
      assertStatus(await small.get(`${cmPath("default")}?resourceVersion=${old}&resourceVersionMatch=Exact`), 410, "Expired", "The resourceVersion for the provided list is too old.");
    } finally {
      await small.stop();
    }
  });
});

describe("selectors and scope", () => {
  before(async () => {
    for (const ns of ["sel-a", "sel-b"]) await createNamespace(s, ns);
    const labels: [string, Record<string, string> | undefined][] = [
      ["one", { tier: "web", env: "prod" }],
      ["two", { tier: "db", env: "prod" }],
      ["three", { tier: "web", env: "dev" }],
      ["four", undefined],
    ];
    for (const [name, l] of labels) await s.post(cmPath("sel-a"), configMap(name, l));
    await s.post(cmPath("sel-b"), configMap("other", { tier: "web" }));
  });

  it("label selectors: =, ==, !=, in, notin, exists, !key and conjunctions", async () => {
    const cases: [string, string[]][] = [
      ["tier=web", ["one", "three"]],
      ["tier==web", ["one", "three"]],
      ["tier!=web", ["four", "two"]],
      ["tier in (web,db)", ["one", "three", "two"]],
      ["env notin (prod)", ["four", "three"]],
      ["tier", ["one", "three", "two"]],
      ["!tier", ["four"]],
      ["tier=web,env=prod", ["one"]],
      ["tier,env!=prod", ["three"]],
    ];
    for (const [selector, expected] of cases) {
      assert.deepEqual(names(await list(`${cmPath("sel-a")}?labelSelector=${q(selector)}`)).sort(), expected.sort(), selector);
    }
  });

  it("field selectors: metadata.name/namespace everywhere, pod, secret and event fields; unknown fields are 400", async () => {
    assert.deepEqual(names(await list(`${cmPath("sel-a")}?fieldSelector=${q("metadata.name=two")}`)), ["two"]);
    assert.deepEqual(names(await list(`${cmPath("sel-a")}?fieldSelector=${q("metadata.name!=two")}`)).sort(), ["four", "one", "three"]);
    assert.deepEqual(names(await list(`/api/v1/configmaps?fieldSelector=${q("metadata.namespace=sel-b")}`)), ["other"]);
    assert.deepEqual(names(await list(`/api/v1/configmaps?labelSelector=tier%3Dweb&fieldSelector=${q("metadata.namespace!=sel-a")}`)), ["other"]);

    await s.post("/api/v1/namespaces/sel-a/pods", pod("on-n1", { spec: { nodeName: "n1" } }));
    await s.post("/api/v1/namespaces/sel-b/pods", pod("on-n2", { spec: { nodeName: "n2" } }));
    await s.post("/api/v1/namespaces/sel-b/pods", pod("unscheduled"));
    assert.deepEqual(names(await list(`/api/v1/pods?fieldSelector=${q("spec.nodeName=n1")}`)), ["on-n1"]);
    assert.deepEqual(names(await list(`/api/v1/pods?fieldSelector=${q("spec.nodeName=")}`)), ["unscheduled"]);
    assert.deepEqual(names(await list(`/api/v1/pods?fieldSelector=${q("spec.nodeName=n2,status.phase!=Succeeded,status.phase!=Failed")}`)), ["on-n2"]);
    assert.deepEqual(names(await list(`/api/v1/namespaces/sel-b/pods?fieldSelector=${q("status.phase=Pending")}`)).sort(), ["on-n2", "unscheduled"]);

    await s.post("/api/v1/namespaces/sel-a/secrets", { metadata: { name: "opaque" }, type: "Opaque", data: {} });
    await s.post("/api/v1/namespaces/sel-a/secrets", { metadata: { name: "tls" }, type: "kubernetes.io/tls", data: { "tls.crt": "", "tls.key": "" } });
    assert.deepEqual(names(await list(`/api/v1/namespaces/sel-a/secrets?fieldSelector=${q("type=kubernetes.io/tls")}`)), ["tls"]);

    await s.post("/api/v1/namespaces/sel-a/events", { metadata: { name: "ev" }, involvedObject: { kind: "Pod", name: "on-n1", namespace: "sel-a", uid: "u1" }, reason: "Scheduled", message: "m" });
    const describePod = "involvedObject.name=on-n1,involvedObject.namespace=sel-a,involvedObject.uid=u1,involvedObject.kind=Pod";
    assert.deepEqual(names(await list(`/api/v1/namespaces/sel-a/events?fieldSelector=${q(describePod)}`)), ["ev"]);

    for (const [path, field] of [
      [cmPath("sel-a"), "spec.foo"],
      ["/api/v1/pods", "spec.bogus"],
      ["/api/v1/secrets", "data.x"],
    ] as const) {
      assertStatus(await s.get(`${path}?fieldSelector=${q(`${field}=1`)}`), 400, "BadRequest", `field label not supported: ${field}`);
    }
  });

  it("all-namespaces lists span namespaces and carry each item's namespace", async () => {
    const l = await list("/api/v1/configmaps?labelSelector=tier%3Dweb");
    assert.deepEqual((l.items as Obj[]).map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort(), ["sel-a/one", "sel-a/three", "sel-b/other"]);
  });
});

describe("resourceVersion semantics", () => {
  const ns = "rv";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("unset and 0 read the current state; Exact reads a past snapshot; the list RV covers every item", async () => {
    const created = JSON.parse((await s.post(cmPath(ns), configMap("x"))).text) as Obj;
    const at = created.metadata.resourceVersion as string;
    await s.patch(`${cmPath(ns)}/x`, { data: { k: "new" } });
    await s.post(cmPath(ns), configMap("y"));
    for (const query of ["", "?resourceVersion=0", `?resourceVersion=${at}`, `?resourceVersion=${at}&resourceVersionMatch=NotOlderThan`]) {
      const l = await list(`${cmPath(ns)}${query}`);
      assert.deepEqual(names(l), ["x", "y"], query);
      assert.equal(l.items[0].data.k, "new", query);
      assert.ok((l.items as Obj[]).every((i) => Number(i.metadata.resourceVersion) <= Number(l.metadata.resourceVersion)), query);
    }
    const exact = await list(`${cmPath(ns)}?resourceVersion=${at}&resourceVersionMatch=Exact`);
    assert.equal(exact.metadata.resourceVersion, at);
    assert.deepEqual(names(exact), ["x"]);
    assert.equal(exact.items[0].data.k, "v");
  });

  it("resourceVersionMatch validation: 422 Invalid ListOptions with upstream messages", async () => {
    const invalid = 'ListOptions.meta.k8s.io "" is invalid: ';
    const cases: [string, string][] = [
      ["resourceVersionMatch=NotOlderThan", `${invalid}resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided`],
      ["resourceVersionMatch=Exact&resourceVersion=0", `${invalid}resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"`],
      ["sendInitialEvents=true", `${invalid}sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list`],
      ["resourceVersion=0&resourceVersionMatch=NotOlderThan&continue=abc", `${invalid}resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided`],
    ];
    for (const [query, message] of cases) {
      const st = assertStatus(await s.get(`${cmPath(ns)}?${query}`), 422, "Invalid", message);
      assert.equal(st.details.group, "meta.k8s.io");
      assert.equal(st.details.kind, "ListOptions");
    }
    const st = assertStatus(await s.get(`${cmPath(ns)}?resourceVersion=1&resourceVersionMatch=Bogus`), 422, "Invalid");
    assert.match(st.message, /^ListOptions\.meta\.k8s\.io "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": supported values: /);
  });

  it(
    "resourceVersionMatch NotSupported lists the values in upstream order",
    async () => {
      const st = assertStatus(await s.get(`${cmPath(ns)}?resourceVersion=1&resourceVersionMatch=Bogus`), 422, "Invalid");
      assert.equal(st.message, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""');
    },
  );

  it("a resourceVersion from the future is a 504 Timeout after the wait", async () => {
    const st = assertStatus(await s.get(`${cmPath(ns)}?resourceVersion=99999999&resourceVersionMatch=NotOlderThan`), 504, "Timeout");
    assert.match(st.message, /^Timeout: Too large resource version: 99999999, current: \d+$/);
    assert.equal(st.details.retryAfterSeconds, 1);
  });
});

describe("output formats", () => {
  const ns = "formats";
  before(async () => {
    await createNamespace(s, ns);
    await s.post(cmPath(ns), configMap("a", { app: "x" }, { one: "1", two: "2" }));
    await s.post(cmPath(ns), configMap("b"));
    await s.post(`/api/v1/namespaces/${ns}/pods`, pod("p", { metadata: { labels: { app: "p" } }, spec: { nodeName: "n1" } }));
  });

  it("Table (kubectl get): columns, cells, PartialObjectMetadata rows by default, list RV and continue", async () => {
    const res = await s.get(`${cmPath(ns)}?limit=1`).set("Accept", KUBECTL_GET);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    const t = JSON.parse(res.text) as Obj;
    assert.equal(t.kind, "Table");
    assert.equal(t.apiVersion, "meta.k8s.io/v1");
    assert.match(t.metadata.resourceVersion, /^\d+$/);
    assert.ok(t.metadata.continue, "a limited Table carries the continue token");
    assert.equal(t.metadata.remainingItemCount, 1);
    assert.deepEqual(t.columnDefinitions.map((c: Obj) => [c.name, c.type, c.format, c.priority]), [["Name", "string", "name", 0], ["Data", "string", "", 0], ["Age", "string", "", 0]]);
    assert.ok(t.columnDefinitions.every((c: Obj) => typeof c.description === "string" && c.description.length > 0));
    assert.equal(t.rows.length, 1);
    assert.deepEqual(t.rows[0].cells.slice(0, 2), ["a", 2]);
    assert.match(t.rows[0].cells[2], /^\d+s$/);
    const obj = t.rows[0].object;
    assert.equal(obj.kind, "PartialObjectMetadata");
    assert.equal(obj.apiVersion, "meta.k8s.io/v1");
    assert.equal(obj.metadata.name, "a");
    assert.equal(obj.metadata.namespace, ns);
    assert.deepEqual(obj.metadata.labels, { app: "x" });
    assert.equal(obj.data, undefined);
    const page2 = await list(`${cmPath(ns)}?limit=1&continue=${q(t.metadata.continue)}`, KUBECTL_GET);
    assert.deepEqual(page2.rows.map((r: Obj) => r.cells[0]), ["b"]);

    const pods = await list("/api/v1/pods?labelSelector=app%3Dp", TABLE_V1);
    assert.deepEqual(pods.columnDefinitions.map((c: Obj) => `${c.name}/${c.priority}`), ["Name/0", "Ready/0", "Status/0", "Restarts/0", "Age/0", "IP/1", "Node/1", "Nominated Node/1", "Readiness Gates/1"]);
    const cells = pods.rows[0].cells;
    assert.deepEqual([cells[0], cells[1], cells[2], cells[3], cells[6]], ["p", "0/1", "Pending", "0", "n1"]);
    assert.equal(pods.rows[0].object.metadata.namespace, ns, "kubectl -A reads NAMESPACE from row.object");

    const one = await list(`${cmPath(ns)}/b`, TABLE_V1);
    assert.equal(one.kind, "Table");
    assert.deepEqual(one.rows.map((r: Obj) => r.cells[0]), ["b"]);
  });

  it("Table includeObject=None|Object and the v1beta1 Table", async () => {
    const none = await list(`${cmPath(ns)}?includeObject=None`, TABLE_V1);
    assert.ok((none.rows as Obj[]).every((r) => r.object === undefined));
    const full = await list(`${cmPath(ns)}?includeObject=Object`, TABLE_V1);
    assert.equal(full.rows[0].object.kind, "ConfigMap");
    assert.equal(full.rows[0].object.apiVersion, "v1");
    assert.deepEqual(full.rows[0].object.data, { one: "1", two: "2" });
    const beta = await list(cmPath(ns), TABLE_V1BETA1);
    assert.equal(beta.apiVersion, "meta.k8s.io/v1beta1");
    assert.equal(beta.rows[0].object.apiVersion, "meta.k8s.io/v1beta1");
    assert.equal(beta.rows[0].object.kind, "PartialObjectMetadata");
  });

  it("PartialObjectMetadataList and PartialObjectMetadata", async () => {
    const l = await list(cmPath(ns), POM_LIST);
    assert.equal(l.kind, "PartialObjectMetadataList");
    assert.equal(l.apiVersion, "meta.k8s.io/v1");
    assert.match(l.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(names(l), ["a", "b"]);
    for (const item of l.items as Obj[]) {
      assert.deepEqual(Object.keys(item).sort(), ["apiVersion", "kind", "metadata"]);
      assert.equal(item.kind, "PartialObjectMetadata");
    }
    const one = await list(`${cmPath(ns)}/a`, "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");
    assert.deepEqual(Object.keys(one).sort(), ["apiVersion", "kind", "metadata"]);
    assert.equal(one.metadata.uid !== undefined, true);
    const beta = await list(cmPath(ns), "application/json;as=PartialObjectMetadataList;v=v1beta1;g=meta.k8s.io");
    assert.equal(beta.apiVersion, "meta.k8s.io/v1beta1");
  });

  it("YAML output via Accept: application/yaml", async () => {
    const one = await s.get(`${cmPath(ns)}/a`).set("Accept", "application/yaml");
    assert.equal(one.status, 200);
    assert.match(String(one.headers["content-type"]), /^application\/yaml/);
    const json = await list(`${cmPath(ns)}/a`);
    assert.deepEqual(parseYaml(one.text), json);
    const many = await s.get(cmPath(ns)).set("Accept", "application/yaml");
    const parsed = parseYaml(many.text) as Obj;
    assert.equal(parsed.kind, "ConfigMapList");
    assert.deepEqual(names(parsed), ["a", "b"]);
  });
});
