// WATCH over a real socket (supertest buffers whole responses): newline-delimited JSON events,
// synthetic ADDED for resourceVersion unset/0, replay from a resourceVersion, selector transitions,
// several concurrent watchers, timeouts, bookmarks with sendInitialEvents, 410 for an expired
// resourceVersion, Table-wrapped events and the legacy /watch/ paths. Mirrors the conformance
// watch behaviours of checklist §1.2.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FakeClock } from "../../src/util/clock.js";
import {
  assertStatus,
  configMap,
  createNamespace,
  type Obj,
  openWatch,
  startTestServer,
  summary,
  type TestServer,
  type WatchEvent,
  type WatchStream,
} from "../helpers/api-server.js";

let s: TestServer;
const open: WatchStream[] = [];
before(async () => {
  s = await startTestServer();
});
after(async () => {
  for (const w of open) w.close();
  await s.stop();
});

const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const q = (v: string) => encodeURIComponent(v);
async function watch(path: string, headers: Record<string, string> = {}, server: TestServer = s): Promise<WatchStream> {
  const w = await openWatch(server, path, headers);
  open.push(w);
  assert.equal(w.status, 200, path);
  return w;
}
async function write(method: "post" | "patch" | "del", path: string, obj?: Obj): Promise<Obj> {
  const res = method === "post" ? await s.post(path, obj) : method === "patch" ? await s.patch(path, obj) : await s.del(path);
  assert.ok(res.status === 200 || res.status === 201, `${method} ${path}: ${res.text}`);
  return JSON.parse(res.text) as Obj;
}
const rvOf = (e: WatchEvent) => e.object.metadata.resourceVersion as string;

describe("watch streams", () => {
  const ns = "watch-basics";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("chunked application/json stream; resourceVersion unset or 0 starts with synthetic ADDED events", async () => {
    await write("post", cmPath(ns), configMap("pre-1"));
    await write("post", cmPath(ns), configMap("pre-2"));
    for (const query of ["watch=true", "watch=1&resourceVersion=0"]) {
      const w = await watch(`${cmPath(ns)}?${query}`);
      assert.match(String(w.headers["content-type"]), /^application\/json/);
      assert.equal(w.headers["transfer-encoding"], "chunked");
      const events = await w.take(2);
      assert.deepEqual(summary(events).sort(), ["ADDED pre-1", "ADDED pre-2"]);
      assert.equal(events[0]!.object.kind, "ConfigMap");
      assert.equal(events[0]!.object.apiVersion, "v1");
      w.close();
    }
  });

  it("a watch from a list resourceVersion sees only later ADDED, MODIFIED and DELETED events", async () => {
    const list = JSON.parse((await s.get(cmPath(ns))).text) as Obj;
    const w = await watch(`${cmPath(ns)}?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    const created = await write("post", cmPath(ns), configMap("live"));
    const modified = await write("patch", `${cmPath(ns)}/live`, { data: { k: "2" } });
    await write("del", `${cmPath(ns)}/live`);
    const events = await w.take(3);
    assert.deepEqual(summary(events), ["ADDED live", "MODIFIED live", "DELETED live"], "no replay of pre-1/pre-2");
    assert.equal(rvOf(events[0]!), created.metadata.resourceVersion);
    assert.equal(rvOf(events[1]!), modified.metadata.resourceVersion);
    assert.equal(events[1]!.object.data.k, "2");
    assert.ok(Number(rvOf(events[2]!)) > Number(modified.metadata.resourceVersion), "DELETED carries the delete's resourceVersion");
    assert.deepEqual(w.buffered(), []);
  });

  it("timeoutSeconds ends the stream", async () => {
    const clock = new FakeClock();
    const timed = await startTestServer({ clock });
    try {
      const w = await watch(`${cmPath("default")}?watch=true&timeoutSeconds=30&resourceVersion=0`, {}, timed);
      await timed.post(cmPath("default"), configMap("t"));
      assert.deepEqual(summary([await w.next()]), ["ADDED t"]);
      clock.advance(29_000);
      assert.equal(w.isEnded(), false);
      clock.advance(1_000);
      await w.ended();
    } finally {
      await timed.stop();
    }
  });

  it("sendInitialEvents=true with bookmarks: initial ADDED, then a BOOKMARK marking the end of initial events", async () => {
    const ns2 = await createNamespace(s, "watch-list");
    await write("post", cmPath(ns2), configMap("i-1"));
    await write("post", cmPath(ns2), configMap("i-2"));
    const w = await watch(`${cmPath(ns2)}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`);
    const events = await w.take(3);
    assert.deepEqual(summary(events.slice(0, 2)).sort(), ["ADDED i-1", "ADDED i-2"]);
    const bookmark = events[2]!;
    assert.equal(bookmark.type, "BOOKMARK");
    assert.equal(bookmark.object.kind, "ConfigMap");
    assert.equal(bookmark.object.apiVersion, "v1");
    assert.deepEqual(bookmark.object.metadata.annotations, { "k8s.io/initial-events-end": "true" });
    assert.ok(Number(bookmark.object.metadata.resourceVersion) >= Math.max(...events.slice(0, 2).map((e) => Number(rvOf(e)))));
    assert.equal(bookmark.object.metadata.name, undefined);
    await write("post", cmPath(ns2), configMap("i-3"));
    assert.deepEqual(summary([await w.next()]), ["ADDED i-3"]);
  });

  it("allowWatchBookmarks: periodic BOOKMARKs carry only kind, apiVersion and resourceVersion", async () => {
    const clock = new FakeClock();
    const server = await startTestServer({ clock });
    try {
      const rv = JSON.parse((await server.get(cmPath("default"))).text).metadata.resourceVersion as string;
      const withBookmarks = await watch(`${cmPath("default")}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`, {}, server);
      const without = await watch(`${cmPath("default")}?watch=true&resourceVersion=${rv}`, {}, server);
      clock.advance(61_000);
      const bookmark = await withBookmarks.next();
      assert.equal(bookmark.type, "BOOKMARK");
      assert.equal(bookmark.object.kind, "ConfigMap");
      assert.equal(bookmark.object.apiVersion, "v1");
      assert.ok(Number(bookmark.object.metadata.resourceVersion) >= Number(rv));
      assert.deepEqual(Object.keys(bookmark.object.metadata).filter((k) => k !== "creationTimestamp"), ["resourceVersion"]);
      await server.post(cmPath("default"), configMap("after-bookmark"));
      assert.deepEqual(summary([await without.next()]), ["ADDED after-bookmark"], "no bookmark without allowWatchBookmarks");
    } finally {
      await server.stop();
    }
  });

  it("watch option validation: 422 before the stream opens", async () => {
    const invalid = 'ListOptions.meta.k8s.io "" is invalid: ';
    assertStatus(await s.get(`${cmPath(ns)}?watch=true&sendInitialEvents=true`), 422, "Invalid", `${invalid}resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan`);
    assertStatus(await s.get(`${cmPath(ns)}?watch=true&resourceVersionMatch=NotOlderThan`), 422, "Invalid", `${invalid}resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided`);
    assertStatus(await s.get(`${cmPath(ns)}?watch=true&fieldSelector=spec.nope%3D1`), 400, "BadRequest", "field label not supported: spec.nope");
  });

  it("a too-old resourceVersion: 200 with a single ERROR event carrying a 410 Expired Status", async () => {
    const clock = new FakeClock();
    const small = await startTestServer({ clock, history: { minEvents: 1, minAgeMs: 0 } });
    try {
      const first = JSON.parse((await small.post(cmPath("default"), configMap("old"))).text) as Obj;
      for (let i = 0; i < 5; i++) {
        clock.advance(1000);
        await small.patch(`${cmPath("default")}/old`, { data: { i: String(i) } });
      }
      const w = await watch(`${cmPath("default")}?watch=true&resourceVersion=${first.metadata.resourceVersion}`, {}, small);
      const ev = await w.next();
      assert.equal(ev.type, "ERROR");
      assert.equal(ev.object.kind, "Status");
      assert.equal(ev.object.apiVersion, "v1");
      assert.equal(ev.object.status, "Failure");
      assert.equal(ev.object.code, 410);
      assert.equal(ev.object.reason, "Expired");
      assert.match(ev.object.message, new RegExp(`^too old resource version: ${first.metadata.resourceVersion} \\(\\d+\\)$`));
      await w.ended();
      assert.deepEqual(w.buffered(), [], "nothing follows the ERROR event");
    } finally {
      await small.stop();
    }
  });
});

describe("watch conformance", () => {
  const ns = "watch-conformance";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("watch-configmaps-with-multiple-watchers", async () => {
    const key = "watch-this-configmap";
    const wA = await watch(`${cmPath(ns)}?watch=true&labelSelector=${q(`${key}=multiple-watchers-A`)}`);
    const wB = await watch(`${cmPath(ns)}?watch=true&labelSelector=${q(`${key}=multiple-watchers-B`)}`);
    const wAB = await watch(`${cmPath(ns)}?watch=true&labelSelector=${q(`${key} in (multiple-watchers-A,multiple-watchers-B)`)}`);
    await write("post", cmPath(ns), configMap("cm-a", { [key]: "multiple-watchers-A" }));
    await write("patch", `${cmPath(ns)}/cm-a`, { data: { mutation: "1" } });
    await write("patch", `${cmPath(ns)}/cm-a`, { data: { mutation: "2" } });
    await write("del", `${cmPath(ns)}/cm-a`);
    await write("post", cmPath(ns), configMap("cm-b", { [key]: "multiple-watchers-B" }));
    await write("del", `${cmPath(ns)}/cm-b`);
    const expectA = ["ADDED cm-a", "MODIFIED cm-a", "MODIFIED cm-a", "DELETED cm-a"];
    const expectB = ["ADDED cm-b", "DELETED cm-b"];
    assert.deepEqual(summary(await wA.take(4)), expectA);
    assert.deepEqual(summary(await wB.take(2)), expectB, "B saw none of A's events");
    assert.deepEqual(summary(await wAB.take(6)), [...expectA, ...expectB]);
    // Sentinels: the next event each watcher gets proves nothing else was queued before it.
    await write("post", cmPath(ns), configMap("sentinel-a", { [key]: "multiple-watchers-A" }));
    await write("post", cmPath(ns), configMap("sentinel-b", { [key]: "multiple-watchers-B" }));
    assert.deepEqual(summary([await wA.next()]), ["ADDED sentinel-a"]);
    assert.deepEqual(summary([await wB.next()]), ["ADDED sentinel-b"]);
  });

  it("watch-configmaps-from-resource-version", async () => {
    const key = { "watch-this-configmap": "from-resource-version" };
    await write("post", cmPath(ns), configMap("from-rv", key));
    const first = await write("patch", `${cmPath(ns)}/from-rv`, { data: { mutation: "1" } });
    await write("patch", `${cmPath(ns)}/from-rv`, { data: { mutation: "2" } });
    await write("del", `${cmPath(ns)}/from-rv`);
    const w = await watch(`${cmPath(ns)}?watch=true&labelSelector=${q("watch-this-configmap=from-resource-version")}&resourceVersion=${first.metadata.resourceVersion}`);
    const events = await w.take(2);
    assert.deepEqual(summary(events), ["MODIFIED from-rv", "DELETED from-rv"]);
    assert.equal(events[0]!.object.data.mutation, "2");
  });

  it("watch-configmaps-closed-and-restarted", async () => {
    const selector = `watch=true&labelSelector=${q("watch-this-configmap=watch-closed-and-restarted")}`;
    const w1 = await watch(`${cmPath(ns)}?${selector}`);
    await write("post", cmPath(ns), configMap("restart", { "watch-this-configmap": "watch-closed-and-restarted" }));
    await write("patch", `${cmPath(ns)}/restart`, { data: { mutation: "1" } });
    const seen = await w1.take(2);
    assert.deepEqual(summary(seen), ["ADDED restart", "MODIFIED restart"]);
    w1.close();
    await write("patch", `${cmPath(ns)}/restart`, { data: { mutation: "2" } });
    await write("del", `${cmPath(ns)}/restart`);
    const w2 = await watch(`${cmPath(ns)}?${selector}&resourceVersion=${rvOf(seen[1]!)}`);
    const events = await w2.take(2);
    assert.deepEqual(summary(events), ["MODIFIED restart", "DELETED restart"]);
    assert.equal(events[0]!.object.data.mutation, "2");
  });

  it("watch-configmaps-label-changed", async () => {
    const label = "watch-this-configmap";
    const w = await watch(`${cmPath(ns)}?watch=true&labelSelector=${q(`${label}=label-changed-and-restored`)}`);
    await write("post", cmPath(ns), configMap("relabel", { [label]: "label-changed-and-restored" }));
    await write("patch", `${cmPath(ns)}/relabel`, { data: { mutation: "1" } });
    await write("patch", `${cmPath(ns)}/relabel`, { metadata: { labels: { [label]: "wrong-value" } } });
    assert.deepEqual(summary(await w.take(3)), ["ADDED relabel", "MODIFIED relabel", "DELETED relabel"], "leaving the selector is a DELETED");
    await write("patch", `${cmPath(ns)}/relabel`, { data: { mutation: "2" } });
    await write("patch", `${cmPath(ns)}/relabel`, { metadata: { labels: { [label]: "label-changed-and-restored" } } });
    await write("patch", `${cmPath(ns)}/relabel`, { data: { mutation: "3" } });
    await write("del", `${cmPath(ns)}/relabel`);
    const events = await w.take(3);
    assert.deepEqual(summary(events), ["ADDED relabel", "MODIFIED relabel", "DELETED relabel"], "no event while outside the selector; re-entering is an ADDED");
    assert.equal(events[0]!.object.data.mutation, "2");
    assert.equal(events[1]!.object.data.mutation, "3");
  });

  it("watch-consistency: concurrent watchers started at event resourceVersions see identical sequences", async () => {
    const sel = `labelSelector=${q("consistency=yes")}`;
    const start = JSON.parse((await s.get(`${cmPath(ns)}?${sel}`)).text).metadata.resourceVersion as string;
    const w0 = await watch(`${cmPath(ns)}?watch=true&${sel}&resourceVersion=${start}`);
    const names = ["c-a", "c-b", "c-c"];
    const writer = (async () => {
      for (let round = 0; round < 4; round++) {
        for (const name of names) {
          if (round === 0) await write("post", cmPath(ns), configMap(name, { consistency: "yes" }));
          else if (round < 3) await write("patch", `${cmPath(ns)}/${name}`, { data: { round: String(round) } });
          else await write("del", `${cmPath(ns)}/${name}`);
        }
      }
    })();
    const expected = 12;
    const reference: WatchEvent[] = [];
    const followers: { from: number; stream: WatchStream }[] = [];
    while (reference.length < expected) {
      const ev = await w0.next();
      reference.push(ev);
      if (reference.length % 3 === 0 && reference.length < expected) {
        followers.push({ from: reference.length, stream: await watch(`${cmPath(ns)}?watch=true&${sel}&resourceVersion=${rvOf(ev)}`) });
      }
    }
    await writer;
    const key = (e: WatchEvent) => `${e.type} ${e.object.metadata.name} ${rvOf(e)}`;
    const rvs = reference.map((e) => Number(rvOf(e)));
    assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b), "resourceVersions increase monotonically");
    assert.equal(new Set(rvs).size, rvs.length);
    for (const { from, stream } of followers) {
      const got = await stream.take(expected - from);
      assert.deepEqual(got.map(key), reference.slice(from).map(key), `watcher started after event ${from}`);
    }
  });
});

describe("watch encodings and paths", () => {
  const ns = "watch-formats";
  before(async () => {
    await createNamespace(s, ns);
  });

  it("Table watch: one-row Tables, columnDefinitions only on the first event", async () => {
    await write("post", cmPath(ns), configMap("t-1", { app: "t" }));
    const w = await watch(`${cmPath(ns)}?watch=true`, { Accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" });
    await write("post", cmPath(ns), configMap("t-2", { app: "t" }));
    await write("patch", `${cmPath(ns)}/t-2`, { data: { x: "y" } });
    const events = await w.take(3);
    assert.deepEqual(events.map((e) => e.type), ["ADDED", "ADDED", "MODIFIED"]);
    for (const [i, e] of events.entries()) {
      assert.equal(e.object.kind, "Table");
      assert.equal(e.object.apiVersion, "meta.k8s.io/v1");
      assert.equal(e.object.rows.length, 1);
      assert.equal(e.object.metadata.resourceVersion, e.object.rows[0].object.metadata.resourceVersion);
      assert.equal(e.object.rows[0].object.kind, "PartialObjectMetadata");
      if (i === 0) assert.deepEqual(e.object.columnDefinitions.map((c: Obj) => c.name), ["Name", "Data", "Age"]);
      else assert.equal(e.object.columnDefinitions, null);
    }
    assert.deepEqual(events.map((e) => e.object.rows[0].cells[0]), ["t-1", "t-2", "t-2"]);
    assert.equal(events[2]!.object.rows[0].cells[1], 2);
  });

  it("kubectl get <name> -w: fieldSelector metadata.name with resourceVersion=0 starts with that object's ADDED", async () => {
    await write("post", cmPath(ns), configMap("named"));
    const w = await watch(`${cmPath(ns)}?watch=true&fieldSelector=${q("metadata.name=named")}&resourceVersion=0`);
    assert.deepEqual(summary([await w.next()]), ["ADDED named"]);
    await write("patch", `${cmPath(ns)}/t-1`, { data: { other: "1" } });
    await write("patch", `${cmPath(ns)}/named`, { data: { mine: "1" } });
    assert.deepEqual(summary([await w.next()]), ["MODIFIED named"]);
  });

  it("legacy /api/v1/watch/namespaces/<ns>/configmaps and /watch/.../configmaps/<name> paths", async () => {
    const all = await watch(`/api/v1/watch/namespaces/${ns}/configmaps`);
    const one = await watch(`/api/v1/watch/namespaces/${ns}/configmaps/named`);
    const initial = await all.take(3);
    assert.deepEqual(summary(initial).sort(), ["ADDED named", "ADDED t-1", "ADDED t-2"]);
    assert.deepEqual(summary([await one.next()]), ["ADDED named"]);
    await write("patch", `${cmPath(ns)}/t-1`, { data: { again: "1" } });
    await write("del", `${cmPath(ns)}/named`);
    assert.deepEqual(summary(await all.take(2)), ["MODIFIED t-1", "DELETED named"]);
    assert.deepEqual(summary([await one.next()]), ["DELETED named"], "the single-object watch skips t-1");
    const cluster = await watch("/api/v1/watch/configmaps?labelSelector=app%3Dt");
    assert.deepEqual(summary(await cluster.take(2)).sort(), ["ADDED t-1", "ADDED t-2"]);
  });
});
