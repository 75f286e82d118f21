// Cacher.watch (src/storage/cacher/{cacher,cache-watcher}.ts): initial events for RV unset/"0",
// replay after RV=N, selector transitions (leaving is DELETED, entering is ADDED), the 410 ERROR
// event for a too-old RV, sendInitialEvents with the initial-events-end BOOKMARK, periodic
// bookmarks on the FakeClock, and cutting off a watcher that stops reading.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { KubeObject, WatchEvent } from "../../../src/apimachinery/types.js";
import type { CacheFilter, CacheWatchRequest } from "../../../src/storage/cacher/cacher.js";
import { encodeObject } from "../../../src/storage/codec.js";
import { configMap, everything, keyOf, labelFilter, PREFIX, startCacher, type CacherFixture } from "../../helpers/storage/cacher.js";
import { isPending, waitFor, withDeadline } from "../../helpers/storage/wait.js";
import { collect, type Collector } from "../../helpers/storage/watch-collector.js";

type Ev = WatchEvent<KubeObject>;
/** "TYPE name@rv" for compact assertions. */
const brief = (evs: Ev[]) => evs.map((e) => `${e.type} ${e.object.metadata.name ?? ""}@${e.object.metadata.resourceVersion}`);

let f: CacherFixture;
afterEach(() => f?.stop());

async function watch(req: Partial<CacheWatchRequest> & { filter?: CacheFilter } = {}): Promise<Collector<Ev>> {
  return collect(await f.cacher.watch({ prefix: PREFIX, filter: everything, allowBookmarks: false, ...req }));
}

describe("Cacher.watch starting points", () => {
  it("RV unset and \"0\": synthetic ADDED for the current state, then live events", async () => {
    f = await startCacher();
    const ra = await f.write("a");
    const rb = await f.write("b");
    for (const rv of [undefined, "0"]) {
      const w = await watch({ resourceVersion: rv });
      assert.deepEqual(brief(await w.take(2)), [`ADDED a@${ra}`, `ADDED b@${rb}`], `rv=${rv}`);
    }
    const w = await watch();
    await w.take(2);
    const rc = await f.write("a", { data: { x: "1" } });
    assert.deepEqual(brief(await w.take(3)).slice(2), [`MODIFIED a@${rc}`]);
  });

  it("RV=N: exactly the events after N, then live; no synthetic events", async () => {
    f = await startCacher();
    const ra = await f.write("a");
    const rb = await f.write("b");
    const ra2 = await f.write("a", { data: { x: "1" } });
    const rbDel = await f.remove("b");
    const w = await watch({ resourceVersion: String(rb) });
    assert.deepEqual(brief(await w.take(2)), [`MODIFIED a@${ra2}`, `DELETED b@${rbDel}`]);
    const rc = await f.write("c");
    assert.deepEqual(brief(await w.take(3)).slice(2), [`ADDED c@${rc}`]);
    const fromA = await watch({ resourceVersion: String(ra) });
    assert.equal((await fromA.take(4)).length, 4);
  });

  it("a DELETED event carries the deleted object with the delete's resourceVersion", async () => {
    f = await startCacher();
    await f.write("a", { data: { keep: "me" } });
    const w = await watch({ resourceVersion: String(await f.revision()) });
    const rDel = await f.remove("a");
    const [ev] = await w.take(1);
    assert.equal(ev!.type, "DELETED");
    assert.equal(ev!.object.metadata.resourceVersion, String(rDel));
    assert.deepEqual(ev!.object["data"], { keep: "me" });
  });

  it("a namespace prefix only sees that namespace", async () => {
    f = await startCacher();
    const w = await watch({ prefix: `${PREFIX}team/`, resourceVersion: "0" });
    await f.write("a");
    const rb = await f.write("b", { ns: "team" });
    await f.write("c", { ns: "team-2" });
    const rd = await f.write("d", { ns: "team" });
    assert.deepEqual(brief(await w.take(2)), [`ADDED b@${rb}`, `ADDED d@${rd}`]);
  });

  it("a future RV waits for the revision, then streams from it", async () => {
    f = await startCacher();
    const r0 = await f.write("a");
    const pending = f.cacher.watch({ prefix: PREFIX, filter: everything, allowBookmarks: false, resourceVersion: String(r0 + 1) });
    assert.ok(await isPending(pending));
    const r1 = await f.write("b");
    const w = collect(await withDeadline(pending, "watch at a future revision"));
    const r2 = await f.write("c");
    assert.deepEqual(brief(await w.take(1)), [`ADDED c@${r2}`]);
    assert.ok(r2 > r1);
  });
});

describe("Cacher.watch selectors", () => {
  it("leaving the selector is DELETED, entering is ADDED, invisible changes are dropped", async () => {
    f = await startCacher();
    await f.write("a", { labels: { app: "web" } });
    await f.write("b", { labels: { app: "db" } });
    const w = await watch({ filter: labelFilter("app=web"), resourceVersion: String(await f.revision()) });
    const r1 = await f.write("b", { labels: { app: "db" }, data: { x: "1" } }); // invisible
    const r2 = await f.write("b", { labels: { app: "web" } }); // enters
    const r3 = await f.write("a", { labels: { app: "web" }, data: { x: "1" } }); // stays
    const r4 = await f.write("a", { labels: { app: "db" } }); // leaves
    await f.write("a", { labels: { app: "db" }, data: { x: "2" } }); // invisible
    await f.remove("a"); // invisible (already out)
    const r7 = await f.remove("b"); // visible delete
    assert.deepEqual(brief(await w.take(4)), [`ADDED b@${r2}`, `MODIFIED a@${r3}`, `DELETED a@${r4}`, `DELETED b@${r7}`]);
    assert.ok(r1 < r2);
  });

  it(
    "an object leaving the selector is DELETED with its last matching state at the event's RV (upstream)",
    async () => {
      f = await startCacher();
      await f.write("a", { labels: { app: "web" } });
      const w = await watch({ filter: labelFilter("app=web"), resourceVersion: String(await f.revision()) });
      const r = await f.write("a", { labels: { app: "db" } });
      const [ev] = await w.take(1);
      assert.equal(ev!.type, "DELETED");
      assert.equal(ev!.object.metadata.resourceVersion, String(r));
      assert.deepEqual(ev!.object.metadata.labels, { app: "web" });
    },
  );

  it("initial events honour the selector", async () => {
    f = await startCacher();
    await f.write("a", { labels: { app: "web" } });
    await f.write("b", { labels: { app: "db" } });
    const rc = await f.write("c", { labels: { app: "web" } });
    const w = await watch({ filter: labelFilter("app=web") });
    const r = await f.write("d", { labels: { app: "web" } });
    assert.deepEqual(brief(await w.take(3)).map((s) => s.split("@")[0]), ["ADDED a", "ADDED c", "ADDED d"]);
    assert.ok(rc < r);
  });
});

describe("Cacher.watch errors and initial-events protocol", () => {
  it("a too-old RV yields a single ERROR event with a 410 Expired Status, then the stream ends", async () => {
    f = await startCacher({ history: { minEvents: 0, minAgeMs: 60_000, maxEvents: 3 } });
    const first = await f.write("a");
    for (let i = 0; i < 5; i++) await f.write(`x${i}`);
    const w = await watch({ resourceVersion: String(first - 1) });
    const items = await w.end();
    assert.equal(items.length, 1);
    assert.equal(items[0]!.type, "ERROR");
    const status = items[0]!.object as unknown as Record<string, unknown>;
    assert.equal(status["kind"], "Status");
    assert.equal(status["apiVersion"], "v1");
    assert.equal(status["status"], "Failure");
    assert.equal(status["code"], 410);
    assert.equal(status["reason"], "Expired");
    assert.match(String(status["message"]), new RegExp(`^too old resource version: ${first - 1} \\(\\d+\\)$`));
    assert.equal(f.cacher.watcherCount, 0);
  });

  it("sendInitialEvents=true: ADDED for the state, a BOOKMARK marking the end, then live events", async () => {
    f = await startCacher();
    await f.write("a");
    const rb = await f.write("b");
    const w = await watch({ sendInitialEvents: true, allowBookmarks: true, resourceVersion: "" });
    const [a, b, bookmark] = await w.take(3);
    assert.deepEqual([a!.type, b!.type], ["ADDED", "ADDED"]);
    assert.deepEqual(bookmark, { type: "BOOKMARK", object: { metadata: { resourceVersion: String(rb), annotations: { "k8s.io/initial-events-end": "true" } } } });
    const rc = await f.write("c");
    assert.deepEqual(brief(await w.take(4)).slice(3), [`ADDED c@${rc}`]);
  });

  it("sendInitialEvents=false with RV unset: no initial events, only changes", async () => {
    f = await startCacher();
    await f.write("a");
    const w = await watch({ sendInitialEvents: false });
    const rb = await f.write("b");
    assert.deepEqual(brief(await w.take(1)), [`ADDED b@${rb}`]);
    assert.equal(w.items.length, 1);
  });
});

describe("Cacher.watch bookmarks and back-pressure", () => {
  it("watchers that allow bookmarks get one every bookmark interval of the clock", async () => {
    f = await startCacher({ bookmarkIntervalMs: 10_000 });
    const r0 = await f.write("a");
    const withBm = await watch({ allowBookmarks: true, resourceVersion: String(r0) });
    const without = await watch({ allowBookmarks: false, resourceVersion: String(r0) });
    f.clock.advance(9_999);
    const r1 = await f.write("b");
    f.clock.advance(1);
    const [, bm1] = await withBm.take(2);
    assert.deepEqual(bm1, { type: "BOOKMARK", object: { metadata: { resourceVersion: String(r1) } } });
    const r2 = await f.write("c");
    f.clock.advance(10_000);
    const [, , , bm2] = await withBm.take(4);
    assert.deepEqual(bm2, { type: "BOOKMARK", object: { metadata: { resourceVersion: String(r2) } } });
    assert.deepEqual(brief(await without.take(2)), [`ADDED b@${r1}`, `ADDED c@${r2}`]);
    const r3 = await f.write("d");
    assert.deepEqual(brief(await without.take(3)).slice(2), [`ADDED d@${r3}`], "no bookmark for a watcher that did not allow them");
  });

  it("a watcher that stops reading is cut off past maxWatcherQueue; a fast one keeps going", async () => {
    f = await startCacher({ maxWatcherQueue: 5 });
    const from = String(await f.revision());
    const slow = await f.cacher.watch({ prefix: PREFIX, filter: everything, allowBookmarks: false, resourceVersion: from });
    const fast = await watch({ resourceVersion: from });
    for (let i = 1; i <= 20; i++) {
      await f.write(`o${i}`);
      await fast.take(i); // the fast client reads every event before the next write
      if (i === 5) assert.equal(f.cacher.watcherCount, 2, "5 queued events are within the limit");
      if (i === 6) assert.equal(f.cacher.watcherCount, 1, "the 6th queued event cuts the slow watcher off");
    }
    assert.ok(slow.isClosed);
    assert.deepEqual(await collect(slow).end(), [], "the slow stream ends without its backlog");
    assert.equal(fast.items.length, 20);
    assert.equal(fast.ended, false);
  });

  it("stopping the cacher ends every stream; a consumer that stops iterating unregisters", async () => {
    f = await startCacher();
    const a = await watch({ resourceVersion: "0" });
    const b = await f.cacher.watch({ prefix: PREFIX, filter: everything, allowBookmarks: false, resourceVersion: "0" });
    assert.equal(f.cacher.watcherCount, 2);
    const it = b[Symbol.asyncIterator]();
    const next = it.next();
    await f.write("x");
    assert.equal((await next).done, false);
    await it.return!(undefined);
    assert.equal(f.cacher.watcherCount, 1);
    f.stop();
    assert.equal(f.cacher.watcherCount, 0);
    assert.deepEqual((await a.end()).map((e) => e.type), ["ADDED"]);
  });
});

describe("Cacher.watch under concurrent writes", () => {
  it(
    "a watch with initial events misses no write that commits while it is being set up",
    async () => {
      f = await startCacher();
      await f.write("pre");
      const pending = f.cacher.watch({ prefix: PREFIX, filter: everything, allowBookmarks: false });
      // other clients' writes commit on each of the next microtasks (as HTTP requests and the
      // LevelDB flush loop do), so one of them lands between the cacher's awaits
      let i = 0;
      const writeOne = () => {
        void f.backend.optimisticPut(keyOf(`x${i}`), encodeObject(configMap(`x${i}`)), 0);
        if (++i < 10) queueMicrotask(writeOne);
      };
      queueMicrotask(writeOne);
      const w = collect(await pending);
      await waitFor(() => i === 10, "the concurrent writes");
      await f.write("sentinel");
      await waitFor(() => w.items.some((e) => e.object.metadata.name === "sentinel"), "the sentinel event");
      const seen = w.items.map((e) => e.object.metadata.name!).sort();
      assert.deepEqual(seen, ["pre", "sentinel", ...Array.from({ length: 10 }, (_, k) => `x${k}`)].sort());
    },
  );
});
