// WatchCache (src/storage/cacher/watch-cache.ts): turning backend events into ADDED/MODIFIED/
// DELETED, the history window (eviction by count and by age on a FakeClock), and reads at an
// older revision.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BackendEvent, KeyValue } from "../../../src/storage/backend.js";
import { HistoryExpiredError, WatchCache, type HistoryPolicy } from "../../../src/storage/cacher/watch-cache.js";
import { encodeObject } from "../../../src/storage/codec.js";
import { FakeClock } from "../../../src/util/clock.js";
import { configMap, keyOf, PREFIX } from "../../helpers/storage/cacher.js";

/** Builds backend events like a store would, starting after revision `rev`. */
function eventSource(rev: number) {
  const live = new Map<string, KeyValue>();
  return {
    put(name: string, data: Record<string, string> = {}): BackendEvent {
      const key = keyOf(name);
      const prev = live.get(key);
      rev++;
      const kv: KeyValue = {
        key,
        value: encodeObject(configMap(name, { data })),
        createRevision: prev?.createRevision ?? rev,
        modRevision: rev,
        version: (prev?.version ?? 0) + 1,
      };
      live.set(key, kv);
      return prev ? { type: "put", kv, prevKv: prev } : { type: "put", kv };
    },
    del(name: string): BackendEvent {
      const key = keyOf(name);
      const prev = live.get(key)!;
      live.delete(key);
      rev++;
      return { type: "delete", kv: { key, value: "", createRevision: prev.createRevision, modRevision: rev, version: 0 }, prevKv: prev };
    },
  };
}

const roomy: HistoryPolicy = { minEvents: 1000, minAgeMs: 60_000, maxEvents: 10_000 };

function cacheAt(start: number, policy = roomy, clock = new FakeClock()) {
  return { cache: new WatchCache(start, policy, () => clock.now()), clock, src: eventSource(start) };
}

describe("WatchCache.apply", () => {
  it("turns puts into ADDED then MODIFIED with the previous state, stamping resourceVersion", () => {
    const { cache, src, clock } = cacheAt(10);
    const [added] = cache.apply([src.put("a", { v: "1" })]);
    const [modified] = cache.apply([src.put("a", { v: "2" })]);
    assert.equal(added!.type, "ADDED");
    assert.equal(added!.rv, 11);
    assert.equal(added!.at, clock.now());
    assert.equal(added!.object.metadata.resourceVersion, "11");
    assert.equal(added!.prevObject, undefined);
    assert.equal(modified!.type, "MODIFIED");
    assert.deepEqual(modified!.object["data"], { v: "2" });
    assert.equal(modified!.prevObject, added!.object);
    assert.equal(cache.get(keyOf("a")), modified!.object);
    assert.equal(cache.rv, 12);
  });

  it("a DELETED event carries the last state with the delete's revision", () => {
    const { cache, src } = cacheAt(1);
    cache.apply([src.put("a", { v: "1" })]);
    const [deleted] = cache.apply([src.del("a")]);
    assert.equal(deleted!.type, "DELETED");
    assert.equal(deleted!.rv, 3);
    assert.equal(deleted!.object.metadata.resourceVersion, "3");
    assert.deepEqual(deleted!.object["data"], { v: "1" });
    assert.equal(deleted!.prevObject!.metadata.resourceVersion, "2");
    assert.equal(cache.get(keyOf("a")), undefined);
    assert.equal(cache.size, 0);
  });

  it("cached objects are frozen (shared between readers)", () => {
    const { cache, src } = cacheAt(1);
    const [ev] = cache.apply([src.put("a", { v: "1" })]);
    assert.ok(Object.isFrozen(ev!.object));
    assert.ok(Object.isFrozen(ev!.object.metadata));
    assert.throws(() => {
      (ev!.object.metadata as { name?: string }).name = "changed";
    }, TypeError);
  });
});

describe("WatchCache reads", () => {
  it("eventsAfter returns the later events in order; before the window it throws HistoryExpiredError", () => {
    const { cache, src } = cacheAt(5);
    cache.apply([src.put("a"), src.put("b"), src.put("a"), src.del("b")]);
    assert.deepEqual(cache.eventsAfter(6).map((e) => [e.type, e.rv]), [["ADDED", 7], ["MODIFIED", 8], ["DELETED", 9]]);
    assert.deepEqual(cache.eventsAfter(5).length, 4);
    assert.deepEqual(cache.eventsAfter(9), []);
    assert.throws(() => cache.eventsAfter(4), HistoryExpiredError);
  });

  it("scan at an older revision undoes later events (key order, start key, prefix)", () => {
    const { cache, src } = cacheAt(1);
    cache.load([[keyOf("z", "other"), { ...configMap("z", { ns: "other" }), metadata: { name: "z", namespace: "other", resourceVersion: "1" } }]]);
    cache.apply([src.put("c", { v: "1" }), src.put("a", { v: "1" }), src.put("b", { v: "1" })]); // 2,3,4
    cache.apply([src.put("a", { v: "2" }), src.del("c"), src.put("d", { v: "1" })]); // 5,6,7
    const at = (rev: number, start = `${PREFIX}default/`) =>
      [...cache.scan(`${PREFIX}default/`, start, rev)].map(([k, o]) => `${k.slice(PREFIX.length + 8)}@${o.metadata.resourceVersion}`);
    assert.deepEqual(at(4), ["a@3", "b@4", "c@2"]);
    assert.deepEqual(at(5), ["a@5", "b@4", "c@2"]);
    assert.deepEqual(at(7), ["a@5", "b@4", "d@7"]);
    assert.deepEqual(at(100), ["a@5", "b@4", "d@7"]);
    assert.deepEqual(at(4, `${keyOf("a")}\u0000`), ["b@4", "c@2"]);
    assert.deepEqual(at(1), []);
    assert.equal([...cache.scan(PREFIX, PREFIX, 1)].length, 1);
    assert.equal(cache.countFrom(`${PREFIX}default/`, `${keyOf("a")}\u0000`), 2);
  });
});

describe("WatchCache history eviction", () => {
  it("never keeps more than maxEvents", () => {
    const { cache, src } = cacheAt(1, { minEvents: 0, minAgeMs: 60_000, maxEvents: 3 });
    for (let i = 0; i < 8; i++) cache.apply([src.put(`o${i}`)]); // revisions 2..9
    assert.equal(cache.historyLength, 3);
    assert.equal(cache.historyStart, 6);
    assert.deepEqual(cache.eventsAfter(6).map((e) => e.rv), [7, 8, 9]);
    assert.throws(() => cache.eventsAfter(5), HistoryExpiredError);
    assert.throws(() => [...cache.scan(PREFIX, PREFIX, 5)], HistoryExpiredError);
    assert.equal([...cache.scan(PREFIX, PREFIX, 6)].length, 5);
  });

  it("drops events older than minAgeMs beyond the newest minEvents (FakeClock)", () => {
    const { cache, src, clock } = cacheAt(1, { minEvents: 2, minAgeMs: 10_000, maxEvents: 1_000 });
    for (let i = 0; i < 5; i++) cache.apply([src.put(`o${i}`)]); // 2..6 at t0
    clock.advance(9_999);
    cache.apply([src.put("young")]); // 7: the old events are just under minAgeMs old, still kept
    assert.equal(cache.historyLength, 6);
    clock.advance(1);
    cache.apply([src.put("younger")]); // 8: now five events are minAgeMs old (minAgeMs 0 keeps nothing by age)
    assert.equal(cache.historyLength, 2);
    assert.equal(cache.historyStart, 6);
    assert.deepEqual(cache.eventsAfter(6).map((e) => e.rv), [7, 8]);
  });

  it("keeps at least minEvents however old they are", () => {
    const { cache, src, clock } = cacheAt(1, { minEvents: 4, minAgeMs: 1_000, maxEvents: 1_000 });
    for (let i = 0; i < 6; i++) cache.apply([src.put(`o${i}`)]); // 2..7
    clock.advance(1_000_000);
    cache.apply([src.put("new")]); // 8
    assert.equal(cache.historyLength, 4);
    assert.equal(cache.historyStart, 4);
    assert.deepEqual(cache.eventsAfter(4).map((e) => e.rv), [5, 6, 7, 8]);
  });

  it(
    "the too-old error names the oldest resourceVersion a client can still use, as upstream does",
    () => {
      const { cache, src } = cacheAt(1, { minEvents: 0, minAgeMs: 60_000, maxEvents: 3 });
      for (let i = 0; i < 8; i++) cache.apply([src.put(`o${i}`)]); // 2..9, keeps 7..9
      // upstream watch_cache.go: "too old resource version: %d (%d)" with oldest-1, the lowest
      // resourceVersion still served (here 6: events after 6 are all retained)
      assert.throws(() => cache.eventsAfter(3), { message: "too old resource version: 3 (6)" });
    },
  );
});
