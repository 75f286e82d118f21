// WritePipeline (src/storage/backends/write-pipeline.ts) with a persister the test controls: group
// commit, acknowledgement only once durable, watchers never seeing an undurable write, conflicts
// against in-flight writes, and a failed persist failing its group without a revision gap.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BackendEvent, WriteResult } from "../../../src/storage/backend.js";
import { MvccState, type LogEntry } from "../../../src/storage/backends/mvcc-state.js";
import { WritePipeline, type Persister } from "../../../src/storage/backends/write-pipeline.js";
import { isPending, waitFor } from "../../helpers/storage/wait.js";

class GatedPersister implements Persister {
  readonly calls: { events: LogEntry[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  persist(events: LogEntry[]): Promise<void> {
    return new Promise((resolve, reject) => this.calls.push({ events, resolve, reject }));
  }
  async call(n: number) {
    await waitFor(() => this.calls.length >= n, `persist call ${n}`);
    return this.calls[n - 1]!;
  }
}

function setup() {
  const state = new MvccState();
  const persister = new GatedPersister();
  const pipeline = new WritePipeline(state, persister, () => 0);
  const seen: BackendEvent[] = [];
  state.watch("/", state.revision, (evs) => seen.push(...evs));
  return { state, persister, pipeline, seen };
}

const revs = (rs: WriteResult[]) => rs.map((r) => r.revision);

describe("WritePipeline", () => {
  it("commits concurrent writes as one group and acknowledges them only once durable", async () => {
    const { state, persister, pipeline, seen } = setup();
    const first = ["a", "b", "c", "d", "e"].map((k) => pipeline.put(`/k/${k}`, k, 0));
    const call1 = await persister.call(1);
    assert.deepEqual(call1.events.map((e) => e.kv.modRevision), [2, 3, 4, 5, 6]);
    const second = ["f", "g"].map((k) => pipeline.put(`/k/${k}`, k, 0));
    assert.ok(await isPending(Promise.race(first)));
    assert.equal(persister.calls.length, 1, "the next group waits for the one being persisted");
    assert.deepEqual([state.revision, seen.length, state.get("/k/a")], [1, 0, undefined], "nothing undurable is visible");
    call1.resolve();
    assert.deepEqual(revs(await Promise.all(first)), [2, 3, 4, 5, 6]);
    assert.equal(state.revision, 6);
    assert.equal(seen.length, 5);
    const call2 = await persister.call(2);
    assert.deepEqual(call2.events.map((e) => e.kv.key), ["/k/f", "/k/g"]);
    call2.resolve();
    assert.deepEqual(revs(await Promise.all(second)), [7, 8]);
    await pipeline.drain();
    assert.deepEqual(seen.map((e) => e.kv.modRevision), [2, 3, 4, 5, 6, 7, 8]);
  });

  it("validates against in-flight writes: a conflicting write waits and reports the durable state", async () => {
    const { persister, pipeline } = setup();
    const a = pipeline.put("/k/x", "a", 0);
    const dup = pipeline.put("/k/x", "dup", 0); // conflicts with the in-flight create
    const next = pipeline.put("/k/x", "next", 2); // builds on the in-flight create
    const call1 = await persister.call(1);
    assert.equal(call1.events.length, 2);
    assert.ok(await isPending(dup), "the conflict is reported only once the write it lost to is durable");
    call1.resolve();
    const [ra, rdup, rnext] = await Promise.all([a, dup, next]);
    assert.deepEqual([ra.ok, ra.revision, rnext.ok, rnext.revision], [true, 2, true, 3]);
    assert.equal(rdup.ok, false);
    assert.deepEqual(rdup.kv, rnext.kv, "the durable state once the group landed");
  });

  it("a failed persist fails its group and the writes validated against it, leaving no revision gap", async () => {
    const { state, persister, pipeline, seen } = setup();
    const a = pipeline.put("/k/a", "a", 0);
    const b = pipeline.put("/k/b", "b", 0);
    const call1 = await persister.call(1);
    const c = pipeline.put("/k/a", "a2", 2); // validated against the in-flight a
    const d = pipeline.delete("/k/b", 3);
    const outcomes = Promise.allSettled([a, b, c, d]);
    call1.reject(new Error("disk full"));
    const settled = await outcomes;
    assert.deepEqual(settled.map((s) => s.status), ["rejected", "rejected", "rejected", "rejected"]);
    assert.equal((settled[0] as PromiseRejectedResult).reason.message, "disk full");
    assert.deepEqual([state.revision, seen.length, state.get("/k/a")], [1, 0, undefined]);
    // the pipeline recovers: the next write takes the next durable revision
    const e = pipeline.put("/k/a", "again", 0);
    (await persister.call(2)).resolve();
    const re = await e;
    assert.deepEqual([re.ok, re.revision], [true, 2]);
    assert.deepEqual(seen.map((ev) => ev.kv.modRevision), [2]);
  });

  it("without a persister (memory) each write is applied at once", async () => {
    const state = new MvccState();
    const pipeline = new WritePipeline(state, undefined);
    const p = pipeline.put("/k/a", "a", 0);
    assert.equal(state.revision, 2, "applied synchronously");
    assert.deepEqual(await p, { ok: true, revision: 2, kv: { key: "/k/a", value: "a", createRevision: 2, modRevision: 2, version: 1 } });
    const del = await pipeline.delete("/k/a", 2);
    assert.deepEqual([del.ok, del.revision, del.kv!.value], [true, 3, "a"]);
  });
});
