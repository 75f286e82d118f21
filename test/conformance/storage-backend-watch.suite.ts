// Part of the storage backend suite: watches (replay of retained history, then live events, without
// gaps or duplicates, with prefix filtering) and compaction.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StorageBackend } from "../../src/storage/backend.js";
import { isStorageError } from "../../src/storage/errors.js";
import { mustPut, range, record, type Recording } from "../helpers/storage/backend.js";
import { waitFor } from "../helpers/storage/wait.js";

const P = "/registry/things/";

export function watchSuite(ctx: { backend: StorageBackend }): void {
  describe("watch", () => {
    it("replays exactly the events after the revision, in order, then continues live", async () => {
      const b = ctx.backend;
      const rev0 = await b.currentRevision();
      for (let i = 0; i < 10; i++) await mustPut(b, `${P}${i}`, "v");
      const w = await record(b, P, rev0 + 3);
      await w.until(rev0 + 10);
      assert.deepEqual(w.revisions(), range(rev0 + 4, rev0 + 10));
      for (let i = 10; i < 15; i++) await mustPut(b, `${P}${i}`, "v");
      await w.until(rev0 + 15);
      assert.deepEqual(w.revisions(), range(rev0 + 4, rev0 + 15));
      w.stop();
    });

    it("events carry the type, the new state and the previous state", async () => {
      const b = ctx.backend;
      const w = await record(b, P, await b.currentRevision());
      const created = await mustPut(b, `${P}a`, "v1");
      const updated = await mustPut(b, `${P}a`, "v2", created.modRevision);
      const del = await b.optimisticDelete(`${P}a`, updated.modRevision);
      await w.until(del.revision);
      assert.deepEqual(w.events, [
        { type: "put", kv: created },
        { type: "put", kv: updated, prevKv: created },
        { type: "delete", kv: { key: `${P}a`, value: "", createRevision: created.createRevision, modRevision: del.revision, version: 0 }, prevKv: updated },
      ]);
      w.stop();
    });

    it("a watch from the current revision sees only new events, and stop() ends delivery", async () => {
      const b = ctx.backend;
      await mustPut(b, `${P}old`, "v");
      const w = await record(b, P, await b.currentRevision());
      const kv = await mustPut(b, `${P}new`, "v");
      await w.until(kv.modRevision);
      assert.deepEqual(w.revisions(), [kv.modRevision]);
      w.stop();
      await mustPut(b, `${P}after-stop`, "v");
      const probe = await record(b, P, kv.modRevision);
      await probe.until(kv.modRevision + 1);
      assert.equal(w.events.length, 1);
      probe.stop();
    });

    it("filters by prefix (a sibling prefix sharing a leading substring is not included)", async () => {
      const b = ctx.backend;
      const rev0 = await b.currentRevision();
      const w = await record(b, "/registry/pods/", rev0);
      const mine: number[] = [];
      for (const k of ["/registry/pods/a", "/registry/podsecurity/x", "/registry/services/s", "/registry/pods/b", "/registry/pods"]) {
        const kv = await mustPut(b, k, "v");
        if (k.startsWith("/registry/pods/")) mine.push(kv.modRevision);
      }
      const last = await mustPut(b, "/registry/pods/z", "v");
      mine.push(last.modRevision);
      await w.until(last.modRevision);
      assert.deepEqual(w.revisions(), mine);
      const replay = await record(b, "/registry/pods/", rev0);
      await replay.until(last.modRevision);
      assert.deepEqual(replay.revisions(), mine);
      w.stop();
      replay.stop();
    });

    it("subscribing while writers run: every watcher sees a contiguous, duplicate-free sequence", async () => {
      const b = ctx.backend;
      const rev0 = await b.currentRevision();
      const watchers: { from: number; w: Recording }[] = [];
      let written = 0;
      const writer = async (id: number) => {
        for (let i = 0; i < 40; i++) {
          await mustPut(b, `${P}w${id}-${i}`, "v");
          written++;
        }
      };
      const subscriber = async () => {
        for (let i = 0; i < 8; i++) {
          await waitFor(() => written >= i * 20, `${i * 20} writes`);
          // subscribe from a revision slightly in the past: replay and live events overlap here
          const from = Math.max(rev0, (await b.currentRevision()) - 3);
          watchers.push({ from, w: await record(b, P, from) });
        }
      };
      await Promise.all([writer(1), writer(2), writer(3), writer(4), subscriber()]);
      const final = await b.currentRevision();
      assert.equal(final, rev0 + 160);
      for (const { from, w } of watchers) {
        await w.until(final);
        assert.deepEqual(w.revisions(), range(from + 1, final), `watch from ${from}`);
        w.stop();
      }
    });

    it("a watch from a future revision delivers only events after that revision", async () => {
      const b = ctx.backend;
      const rev0 = await b.currentRevision();
      const w = await record(b, P, rev0 + 3);
      for (let i = 0; i < 6; i++) await mustPut(b, `${P}${i}`, "v");
      await w.until(rev0 + 6);
      assert.deepEqual(w.revisions(), range(rev0 + 4, rev0 + 6));
      w.stop();
    });
  });

  describe("compaction", () => {
    it("a watch below the compacted revision is Compacted; at it, the retained history replays", async () => {
      const b = ctx.backend;
      const rev0 = await b.currentRevision();
      for (let i = 0; i < 8; i++) await mustPut(b, `${P}${i}`, "v");
      await b.compact(rev0 + 5);
      assert.equal(await b.compactedRevision(), rev0 + 5);
      await assert.rejects(b.watch(P, rev0 + 4, () => {}), (err: unknown) => {
        assert.ok(isStorageError(err, "Compacted"));
        assert.equal(err.revision, rev0 + 5);
        return true;
      });
      const w = await record(b, P, rev0 + 5);
      await w.until(rev0 + 8);
      assert.deepEqual(w.revisions(), range(rev0 + 6, rev0 + 8));
      w.stop();
    });

    it("keeps current data, never moves backwards, and writes and watches continue", async () => {
      const b = ctx.backend;
      const kv = await mustPut(b, `${P}a`, "v1");
      const rev0 = kv.modRevision;
      const w = await record(b, P, rev0);
      for (let i = 0; i < 5; i++) await mustPut(b, `${P}x${i}`, "v");
      await b.compact(rev0 + 4);
      await b.compact(rev0 + 2); // lower: no-op
      assert.equal(await b.compactedRevision(), rev0 + 4);
      assert.deepEqual((await b.get(`${P}a`)).kv, kv);
      assert.equal((await b.list(P)).kvs.length, 6);
      const next = await mustPut(b, `${P}a`, "v2", kv.modRevision);
      assert.equal(next.modRevision, rev0 + 6);
      await w.until(rev0 + 6);
      assert.deepEqual(w.revisions(), range(rev0 + 1, rev0 + 6));
      w.stop();
    });
  });

}
