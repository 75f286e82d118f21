// The storage contract (src/storage/backend.ts) as a suite every backend must pass, in the style of
// upstream's pkg/storage/testing/store_tests.go: conditional writes on mod-revision, one global
// revision that grows by exactly one per write, lists at a revision with paging, watches that
// replay retained history and then continue live without gaps or duplicates, and compaction.
// Run it from a *.test.ts file with a factory that returns an opened, empty backend.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { KeyValue, StorageBackend } from "../../src/storage/backend.js";
import { mustPut, prng, range, rejectsWith } from "../helpers/storage/backend.js";
import { persistenceSuite } from "./storage-backend-persistence.suite.js";
import { watchSuite } from "./storage-backend-watch.suite.js";

export interface BackendSuiteOptions {
  /** Closes the backend and opens a new instance over the same data (persistent backends only). */
  reopen?: (backend: StorageBackend) => Promise<StorageBackend>;
}

/** The state of the suite's current backend; tests that reopen replace `backend`. */
export interface SuiteContext {
  backend: StorageBackend;
}

const P = "/registry/things/";

export function storageBackendSuite(name: string, factory: () => Promise<StorageBackend>, opts: BackendSuiteOptions = {}): void {
  describe(`storage backend conformance: ${name}`, () => {
    const ctx = {} as SuiteContext;
    beforeEach(async () => {
      ctx.backend = await factory();
    });
    afterEach(async () => {
      await ctx.backend.close();
    });

    describe("create and get", () => {
      it("creates with createRevision = modRevision = the next revision and version 1", async () => {
        const b = ctx.backend;
        const rev0 = await b.currentRevision();
        const r = await b.optimisticPut(`${P}a`, "v1", 0);
        assert.deepEqual(r, { ok: true, revision: rev0 + 1, kv: { key: `${P}a`, value: "v1", createRevision: rev0 + 1, modRevision: rev0 + 1, version: 1 } });
        assert.deepEqual(await b.get(`${P}a`), { kv: r.kv, revision: rev0 + 1 });
        assert.equal(await b.currentRevision(), rev0 + 1);
      });

      it("get of a missing key returns no kv and the current revision", async () => {
        const b = ctx.backend;
        await mustPut(b, `${P}a`, "v");
        const got = await b.get(`${P}missing`);
        assert.equal(got.kv, undefined);
        assert.equal(got.revision, await b.currentRevision());
      });

      it("create on an existing key fails, returns the current kv and writes nothing", async () => {
        const b = ctx.backend;
        const kv = await mustPut(b, `${P}a`, "first");
        const rev = await b.currentRevision();
        const r = await b.optimisticPut(`${P}a`, "second", 0);
        assert.equal(r.ok, false);
        assert.deepEqual(r.kv, kv);
        assert.equal(r.revision, rev);
        assert.equal(await b.currentRevision(), rev);
        assert.equal((await b.get(`${P}a`)).kv!.value, "first");
      });

      it("a put expecting a revision on a missing key fails without a kv", async () => {
        const b = ctx.backend;
        const rev = await b.currentRevision();
        const r = await b.optimisticPut(`${P}nope`, "v", 7);
        assert.equal(r.ok, false);
        assert.equal(r.kv, undefined);
        assert.equal(await b.currentRevision(), rev);
      });
    });

    describe("conditional update and delete", () => {
      it("an update at the current modRevision succeeds and bumps modRevision and version only", async () => {
        const b = ctx.backend;
        const created = await mustPut(b, `${P}a`, "v1");
        const r = await b.optimisticPut(`${P}a`, "v2", created.modRevision);
        assert.equal(r.ok, true);
        assert.equal(r.revision, created.modRevision + 1);
        assert.deepEqual(r.kv, { key: `${P}a`, value: "v2", createRevision: created.createRevision, modRevision: created.modRevision + 1, version: 2 });
        const r3 = await b.optimisticPut(`${P}a`, "v3", r.kv!.modRevision);
        assert.equal(r3.kv!.version, 3);
        assert.equal(r3.kv!.createRevision, created.createRevision);
      });

      it("an update at a stale modRevision conflicts and returns the current kv", async () => {
        const b = ctx.backend;
        const created = await mustPut(b, `${P}a`, "v1");
        const current = await mustPut(b, `${P}a`, "v2", created.modRevision);
        const rev = await b.currentRevision();
        const r = await b.optimisticPut(`${P}a`, "lost", created.modRevision);
        assert.equal(r.ok, false);
        assert.deepEqual(r.kv, current);
        assert.equal(r.revision, rev);
        assert.equal((await b.get(`${P}a`)).kv!.value, "v2");
        assert.equal(await b.currentRevision(), rev);
      });

      it("a delete at the current modRevision removes the key and returns the deleted state", async () => {
        const b = ctx.backend;
        const kv = await mustPut(b, `${P}a`, "v1");
        const r = await b.optimisticDelete(`${P}a`, kv.modRevision);
        assert.equal(r.ok, true);
        assert.equal(r.revision, kv.modRevision + 1);
        assert.deepEqual(r.kv, kv);
        assert.equal((await b.get(`${P}a`)).kv, undefined);
        assert.equal(await b.currentRevision(), kv.modRevision + 1);
      });

      it("a delete at a wrong modRevision fails, returns the current kv and keeps the key", async () => {
        const b = ctx.backend;
        const kv = await mustPut(b, `${P}a`, "v1");
        const rev = await b.currentRevision();
        for (const wrong of [0, kv.modRevision - 1, kv.modRevision + 5]) {
          const r = await b.optimisticDelete(`${P}a`, wrong);
          assert.equal(r.ok, false, `delete expecting ${wrong}`);
          assert.deepEqual(r.kv, kv);
        }
        assert.deepEqual((await b.get(`${P}a`)).kv, kv);
        assert.equal(await b.currentRevision(), rev);
      });

      it("a delete of a missing key fails without a kv", async () => {
        const b = ctx.backend;
        const rev = await b.currentRevision();
        for (const expected of [0, 1, rev]) assert.deepEqual(await b.optimisticDelete(`${P}missing`, expected), { ok: false, revision: rev });
      });

      it("re-creating a deleted key starts a new createRevision and version 1", async () => {
        const b = ctx.backend;
        const kv = await mustPut(b, `${P}a`, "v1");
        const updated = await mustPut(b, `${P}a`, "v2", kv.modRevision);
        await b.optimisticDelete(`${P}a`, updated.modRevision);
        const again = await mustPut(b, `${P}a`, "v3");
        assert.equal(again.version, 1);
        assert.equal(again.createRevision, again.modRevision);
        assert.equal(again.modRevision, updated.modRevision + 2);
      });
    });

    describe("revisions and concurrency", () => {
      it("every successful write advances the revision by exactly one; failed writes by none", async () => {
        const b = ctx.backend;
        const rev0 = await b.currentRevision();
        let rev = rev0;
        const ops: (() => Promise<{ ok: boolean; revision: number }>)[] = [
          () => b.optimisticPut(`${P}a`, "1", 0),
          () => b.optimisticPut(`${P}a`, "x", 0), // conflict
          () => b.optimisticPut(`${P}b`, "1", 0),
          () => b.optimisticPut(`${P}a`, "2", rev0 + 1),
          () => b.optimisticDelete(`${P}b`, 1_000_000), // conflict
          () => b.optimisticDelete(`${P}b`, rev0 + 2),
          () => b.optimisticDelete(`${P}b`, 0), // missing
          () => b.optimisticPut(`${P}b`, "again", 0),
        ];
        const expectOk = [true, false, true, true, false, true, false, true];
        for (const [i, op] of ops.entries()) {
          const r = await op();
          assert.equal(r.ok, expectOk[i], `op ${i}`);
          if (r.ok) rev++;
          assert.equal(r.revision, rev, `op ${i} revision`);
          assert.equal(await b.currentRevision(), rev);
        }
      });

      it("200 concurrent creates on distinct keys all succeed with distinct consecutive revisions", async () => {
        const b = ctx.backend;
        const rev0 = await b.currentRevision();
        const keys = range(0, 199).map((i) => `${P}k${String(i).padStart(3, "0")}`);
        const results = await Promise.all(keys.map((k) => b.optimisticPut(k, `value of ${k}`, 0)));
        assert.ok(results.every((r) => r.ok));
        const revs = results.map((r) => r.revision).sort((x, y) => x - y);
        assert.deepEqual(revs, range(rev0 + 1, rev0 + 200));
        for (const r of results) assert.equal(r.kv!.modRevision, r.revision);
        assert.equal(await b.currentRevision(), rev0 + 200);
        const list = await b.list(P);
        assert.deepEqual(list.kvs.map((kv) => kv.key), keys);
        assert.ok(list.kvs.every((kv) => kv.value === `value of ${kv.key}`));
      });

      it("racing updates of one key: exactly one winner per revision, losers see the winner", async () => {
        const b = ctx.backend;
        let current = await mustPut(b, `${P}hot`, "r0");
        for (let round = 1; round <= 10; round++) {
          const expected = current.modRevision;
          const results = await Promise.all(range(1, 20).map((i) => b.optimisticPut(`${P}hot`, `r${round}-w${i}`, expected)));
          const winners = results.filter((r) => r.ok);
          assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
          const win = winners[0]!;
          assert.equal(win.revision, expected + 1);
          for (const lost of results.filter((r) => !r.ok)) assert.deepEqual(lost.kv, win.kv);
          current = win.kv!;
        }
        assert.equal(current.version, 11);
        assert.deepEqual((await b.get(`${P}hot`)).kv, current);
      });

      it("racing deletes and updates of one key: exactly one succeeds", async () => {
        const b = ctx.backend;
        const kv = await mustPut(b, `${P}a`, "v");
        const ops = [
          ...range(1, 5).map(() => b.optimisticDelete(`${P}a`, kv.modRevision)),
          ...range(1, 5).map((i) => b.optimisticPut(`${P}a`, `u${i}`, kv.modRevision)),
        ];
        const results = await Promise.all(ops);
        assert.equal(results.filter((r) => r.ok).length, 1);
        assert.equal(await b.currentRevision(), kv.modRevision + 1);
      });

      it("mixed concurrent writes leave a gap-free revision sequence", async () => {
        const b = ctx.backend;
        const rev0 = await b.currentRevision();
        const base = await Promise.all(range(0, 9).map((i) => mustPut(b, `${P}m${i}`, "0")));
        const results = await Promise.all([
          ...base.map((kv) => b.optimisticPut(kv.key, "1", kv.modRevision)),
          ...base.map((kv) => b.optimisticPut(kv.key, "lost", kv.modRevision)),
          ...range(10, 29).map((i) => b.optimisticPut(`${P}m${i}`, "0", 0)),
          ...base.slice(0, 3).map((kv) => b.optimisticDelete(kv.key, kv.modRevision)),
        ]);
        const okRevs = results.filter((r) => r.ok).map((r) => r.revision);
        const all = [...base.map((kv) => kv.modRevision), ...okRevs].sort((x, y) => x - y);
        assert.deepEqual(all, range(rev0 + 1, rev0 + all.length));
        assert.equal(await b.currentRevision(), rev0 + all.length);
      });
    });

    describe("list", () => {
      async function seed(b: StorageBackend) {
        for (const k of ["c", "a", "e", "b", "d"]) await mustPut(b, `${P}${k}`, `v-${k}`);
        await mustPut(b, "/registry/thingsextra/x", "outside");
        await mustPut(b, "/registry/other/y", "outside");
      }

      it("returns the keys under the prefix in order, at the current revision", async () => {
        const b = ctx.backend;
        await seed(b);
        const l = await b.list(P);
        assert.deepEqual(l.kvs.map((kv) => kv.key), ["a", "b", "c", "d", "e"].map((k) => P + k));
        assert.deepEqual({ revision: l.revision, more: l.more, count: l.count }, { revision: await b.currentRevision(), more: false, count: 5 });
        assert.deepEqual((await b.list("/registry/nothing/")).kvs, []);
      });

      it("pages with limit and startKey; count covers startKey to the end of the prefix", async () => {
        const b = ctx.backend;
        await seed(b);
        const p1 = await b.list(P, { limit: 2 });
        assert.deepEqual([p1.kvs.map((kv) => kv.key), p1.more, p1.count], [[`${P}a`, `${P}b`], true, 5]);
        const p2 = await b.list(P, { limit: 2, startKey: `${P}b\u0000` });
        assert.deepEqual([p2.kvs.map((kv) => kv.key), p2.more, p2.count], [[`${P}c`, `${P}d`], true, 3]);
        const p3 = await b.list(P, { limit: 2, startKey: `${P}d\u0000` });
        assert.deepEqual([p3.kvs.map((kv) => kv.key), p3.more, p3.count], [[`${P}e`], false, 1]);
        const exact = await b.list(P, { limit: 1, startKey: `${P}c` });
        assert.deepEqual(exact.kvs.map((kv) => kv.key), [`${P}c`]);
        const all = await b.list(P, { limit: 5 });
        assert.equal(all.more, false);
      });

      it("lists at an older revision reconstruct that revision's state, with paging", async () => {
        const b = ctx.backend;
        const a = await mustPut(b, `${P}a`, "a1");
        const bb = await mustPut(b, `${P}b`, "b1");
        const c = await mustPut(b, `${P}c`, "c1");
        const r1 = c.modRevision;
        await mustPut(b, `${P}b`, "b2", bb.modRevision);
        await b.optimisticDelete(`${P}c`, c.modRevision);
        await mustPut(b, `${P}aa`, "new");
        const old = await b.list(P, { revision: r1 });
        assert.equal(old.revision, r1);
        assert.deepEqual(old.kvs, [a, bb, c]);
        assert.equal(old.count, 3);
        const page = await b.list(P, { revision: r1, limit: 2, startKey: `${P}a\u0000` });
        assert.deepEqual([page.kvs, page.more, page.count], [[bb, c], false, 2]);
        const page1 = await b.list(P, { revision: r1, limit: 1 });
        assert.deepEqual([page1.kvs, page1.more, page1.count], [[a], true, 3]);
        const now = await b.list(P);
        assert.deepEqual(now.kvs.map((kv) => `${kv.key}=${kv.value}`), [`${P}a=a1`, `${P}aa=new`, `${P}b=b2`]);
      });

      it("a list at every retained revision matches a model of the writes", async () => {
        const b = ctx.backend;
        const rand = prng(42);
        const model = new Map<string, KeyValue>();
        const snapshots = new Map<number, KeyValue[]>();
        const snap = () => [...model.values()].sort((x, y) => (x.key < y.key ? -1 : 1));
        snapshots.set(await b.currentRevision(), []);
        for (let i = 0; i < 120; i++) {
          const key = `${P}k${Math.floor(rand() * 12)}`;
          const cur = model.get(key);
          if (cur && rand() < 0.3) {
            const r = await b.optimisticDelete(key, cur.modRevision);
            assert.ok(r.ok);
            model.delete(key);
            snapshots.set(r.revision, snap());
          } else {
            const r = await b.optimisticPut(key, `v${i}`, cur?.modRevision ?? 0);
            assert.ok(r.ok);
            model.set(key, r.kv!);
            snapshots.set(r.revision, snap());
          }
          if (i % 10 === 0) await mustPut(b, `/registry/noise/${i}`, "x"); // revisions outside the prefix
        }
        let expected: KeyValue[] = [];
        const first = Math.max(await b.compactedRevision(), Math.min(...snapshots.keys()));
        for (let rev = first; rev <= (await b.currentRevision()); rev++) {
          expected = snapshots.get(rev) ?? expected;
          const l = await b.list(P, { revision: rev });
          assert.deepEqual(l.kvs, expected, `list at revision ${rev}`);
          assert.equal(l.count, expected.length);
        }
      });

      it("a list below the compacted revision is Compacted; above the current one FutureRevision", async () => {
        const b = ctx.backend;
        for (let i = 0; i < 6; i++) await mustPut(b, `${P}${i}`, "v");
        const current = await b.currentRevision();
        await b.compact(current - 2);
        assert.equal(await b.compactedRevision(), current - 2);
        await rejectsWith(b.list(P, { revision: current - 3 }), "Compacted");
        assert.equal((await b.list(P, { revision: current - 2 })).kvs.length, 4);
        await rejectsWith(b.list(P, { revision: current + 1 }), "FutureRevision");
        assert.equal((await b.list(P, { revision: current })).kvs.length, 6);
      });
    });

    watchSuite(ctx);
    if (opts.reopen) persistenceSuite(ctx, opts.reopen);
  });
}
