// Part of the storage backend suite for persistent backends: everything the contract promises must
// hold across close and reopen (objects, the revision, retained history and the compaction mark).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StorageBackend } from "../../src/storage/backend.js";
import { mustPut, range, record, rejectsWith } from "../helpers/storage/backend.js";

const P = "/registry/persisted/";

export function persistenceSuite(ctx: { backend: StorageBackend }, reopen: (b: StorageBackend) => Promise<StorageBackend>): void {
  const restart = async () => {
    ctx.backend = await reopen(ctx.backend);
    return ctx.backend;
  };

  describe("persistence across close and reopen", () => {
    it("an empty store reopens empty at the same revision", async () => {
      const rev = await ctx.backend.currentRevision();
      const b = await restart();
      assert.equal(await b.currentRevision(), rev);
      assert.deepEqual((await b.list(P)).kvs, []);
    });

    it("keeps objects, the revision and createRevision/version bookkeeping", async () => {
      let b = ctx.backend;
      const a1 = await mustPut(b, `${P}a`, "a1");
      const bkv = await mustPut(b, `${P}b`, "b1");
      const a2 = await mustPut(b, `${P}a`, "a2", a1.modRevision);
      await b.optimisticDelete(`${P}b`, bkv.modRevision);
      const rev = await b.currentRevision();
      b = await restart();
      assert.equal(await b.currentRevision(), rev);
      assert.deepEqual((await b.get(`${P}a`)).kv, a2);
      assert.equal((await b.get(`${P}b`)).kv, undefined);
      const a3 = await mustPut(b, `${P}a`, "a3", a2.modRevision);
      assert.deepEqual([a3.modRevision, a3.createRevision, a3.version], [rev + 1, a1.createRevision, 3]);
      assert.equal((await b.optimisticPut(`${P}a`, "stale", a2.modRevision)).ok, false);
    });

    it("retained history survives: a watch from a pre-restart revision replays, then continues live", async () => {
      let b = ctx.backend;
      const rev0 = await b.currentRevision();
      const before = await record(b, P, rev0);
      const kv = await mustPut(b, `${P}a`, "1");
      let cur = kv;
      for (let i = 2; i <= 4; i++) cur = await mustPut(b, `${P}a`, String(i), cur.modRevision);
      await b.optimisticDelete(`${P}a`, cur.modRevision);
      await mustPut(b, `${P}b`, "b");
      await before.until(rev0 + 6);
      before.stop();
      b = await restart();
      const after = await record(b, P, rev0 + 1);
      await after.until(rev0 + 6);
      assert.deepEqual(after.events, before.events.slice(1));
      const live = await mustPut(b, `${P}c`, "c");
      assert.equal(live.modRevision, rev0 + 7);
      await after.until(rev0 + 7);
      assert.deepEqual(after.revisions(), range(rev0 + 2, rev0 + 7));
      after.stop();
    });

    it("lists at older revisions are answered after a restart", async () => {
      let b = ctx.backend;
      const a = await mustPut(b, `${P}a`, "a1");
      const r1 = a.modRevision;
      await mustPut(b, `${P}a`, "a2", a.modRevision);
      await mustPut(b, `${P}b`, "b1");
      b = await restart();
      assert.deepEqual((await b.list(P, { revision: r1 })).kvs, [a]);
      assert.deepEqual((await b.list(P)).kvs.map((kv) => kv.value), ["a2", "b1"]);
    });

    it("the compacted revision survives: lists and watches below it stay Compacted", async () => {
      let b = ctx.backend;
      const rev0 = await b.currentRevision();
      for (let i = 0; i < 6; i++) await mustPut(b, `${P}${i}`, "v");
      await b.compact(rev0 + 4);
      b = await restart();
      assert.equal(await b.compactedRevision(), rev0 + 4);
      await rejectsWith(b.list(P, { revision: rev0 + 3 }), "Compacted");
      await rejectsWith(b.watch(P, rev0 + 3, () => {}), "Compacted");
      const w = await record(b, P, rev0 + 4);
      await w.until(rev0 + 6);
      assert.deepEqual(w.revisions(), [rev0 + 5, rev0 + 6]);
      w.stop();
      assert.equal((await b.list(P, { revision: rev0 + 4 })).kvs.length, 4);
    });
  });
}
