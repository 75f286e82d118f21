// The storage backend conformance suite against the LevelDB backend (a fresh directory under
// os.tmpdir() per test), plus what only a durable, single-process store promises: the directory
// lock, and that every acknowledged write survives kill -9.
import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { Level } from "level";
import type { StorageBackend } from "../../src/storage/backend.js";
import { DataDirLockedError, isDataDirLocked, LevelDbBackend } from "../../src/storage/backends/leveldb-backend.js";
import { mustPut, range, record } from "../helpers/storage/backend.js";
import { tempDirs } from "../helpers/storage/temp-dir.js";
import { spawnWriter, type WriterProcess } from "../helpers/storage/writer-process.js";
import { storageBackendSuite } from "./storage-backend.suite.js";

const dirs = tempDirs("leveldb");
after(() => dirs.cleanup());

const dirOf = new WeakMap<StorageBackend, string>();

async function openAt(dir: string): Promise<LevelDbBackend> {
  const b = new LevelDbBackend(dir);
  await b.open();
  dirOf.set(b, dir);
  return b;
}

storageBackendSuite("leveldb", () => openAt(dirs.make()), {
  async reopen(b) {
    await b.close();
    return openAt(dirOf.get(b)!);
  },
});

describe("leveldb backend: data directory lock", () => {
  it("a second open of a directory in use fails with DataDirLockedError naming the directory", async () => {
    const dir = dirs.make();
    const first = await openAt(dir);
    try {
      const kv = await mustPut(first, "/registry/x/a", "v");
      const second = new LevelDbBackend(dir);
      await assert.rejects(second.open(), (err: unknown) => {
        assert.ok(err instanceof DataDirLockedError);
        assert.ok(isDataDirLocked(err));
        assert.equal(err.name, "DataDirLockedError");
        assert.equal(err.message, `the storage directory ${dir} is in use by another process`);
        return true;
      });
      // the failed open does not disturb the owner
      assert.equal((await first.optimisticPut("/registry/x/a", "v2", kv.modRevision)).ok, true);
    } finally {
      await first.close();
    }
    const reopened = await openAt(dir);
    assert.equal((await reopened.get("/registry/x/a")).kv!.value, "v2");
    await reopened.close();
  });

  it("a directory held by another process is locked until that process dies", async () => {
    const dir = dirs.make();
    const holder = spawnWriter(dir, "hold");
    try {
      await holder.waitUntil(() => holder.lines.includes("ready"), "the holder to open the directory");
      await assert.rejects(new LevelDbBackend(dir).open(), DataDirLockedError);
    } finally {
      await holder.kill9();
    }
    const b = await openAt(dir);
    assert.equal(await b.currentRevision(), 1);
    await b.close();
  });
});

describe("leveldb backend: durability", () => {
  let writer: WriterProcess | undefined;
  afterEach(async () => {
    await writer?.kill9();
    writer = undefined;
  });

  it("every write acknowledged before kill -9 is present after reopening", async () => {
    const dir = dirs.make();
    writer = spawnWriter(dir, "burst");
    const w = writer;
    await w.waitUntil(() => w.lines.length > 400, "400 acknowledged writes");
    await w.kill9();
    assert.equal(w.child.signalCode, "SIGKILL", "the writer was killed mid-burst, not finished");

    const acked = new Map<string, { rev: number; value: string }>();
    let maxRev = 0;
    for (const line of w.lines.slice(1)) {
      const m = /^ack (\S+) (\d+) (v\d)$/.exec(line);
      assert.ok(m, `unexpected writer output ${JSON.stringify(line)}`);
      const rev = Number(m[2]);
      const prev = acked.get(m[1]!);
      if (!prev || prev.rev < rev) acked.set(m[1]!, { rev, value: m[3]! });
      maxRev = Math.max(maxRev, rev);
    }
    assert.ok(acked.size > 100);

    const b = await openAt(dir);
    try {
      const current = await b.currentRevision();
      assert.ok(current >= maxRev, `revision ${current} < highest acknowledged ${maxRev}`);
      for (const [key, { rev, value }] of acked) {
        const { kv } = await b.get(key);
        assert.ok(kv, `acknowledged key ${key} (revision ${rev}) is missing after kill -9`);
        assert.ok(kv.modRevision >= rev, `${key}: modRevision ${kv.modRevision} < acknowledged ${rev}`);
        if (kv.modRevision === rev) assert.equal(kv.value, value);
      }
      // the history that survived is gap-free and ends at the recovered revision
      const compacted = await b.compactedRevision();
      const w2 = await record(b, "/registry/crash/", compacted);
      await w2.until(current);
      assert.deepEqual(w2.revisions(), range(compacted + 1, current));
      w2.stop();
      // and the store keeps going from there
      const next = await mustPut(b, "/registry/crash/after", "v");
      assert.equal(next.modRevision, current + 1);
    } finally {
      await b.close();
    }
  });

  it(
    "a crash between the two steps of compact() leaves a consistent history",
    async () => {
      const dir = dirs.make();
      let b = await openAt(dir);
      const rev0 = await b.currentRevision();
      for (let i = 0; i < 9; i++) await mustPut(b, `/registry/x/${i}`, "v");
      await b.close();
      // compact() persists m:compacted and then clears the log in a second step; simulate a crash
      // right after the first step
      const raw = new Level<string, string>(dir, { keyEncoding: "utf8", valueEncoding: "utf8" });
      await raw.open();
      await raw.put("m:compacted", String(rev0 + 4), { sync: true });
      await raw.close();
      b = await openAt(dir);
      try {
        assert.equal(await b.compactedRevision(), rev0 + 4);
        const w = await record(b, "/registry/x/", rev0 + 4);
        await w.until(rev0 + 9);
        assert.deepEqual(w.revisions(), range(rev0 + 5, rev0 + 9));
        w.stop();
      } finally {
        await b.close();
      }
    },
  );
});
