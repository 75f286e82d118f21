// Compactor (src/storage/compactor.ts) on a FakeClock: retention keeps at least minEvents revisions
// and at least minAgeMs of history; the periodic pass runs every intervalMs until stopped.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBackend } from "../../../src/storage/backends/memory-backend.js";
import { Compactor } from "../../../src/storage/compactor.js";
import { FakeClock } from "../../../src/util/clock.js";
import { mustPut, rejectsWith } from "../../helpers/storage/backend.js";
import { eventually, tick } from "../../helpers/storage/wait.js";

async function setup(policy = { intervalMs: 60_000, minEvents: 3, minAgeMs: 10_000 }) {
  const clock = new FakeClock();
  const backend = new MemoryBackend(() => clock.now());
  await backend.open();
  return { clock, backend, compactor: new Compactor(backend, clock, policy) };
}

describe("Compactor", () => {
  it("compacts nothing while every event is younger than minAgeMs", async () => {
    const { clock, backend, compactor } = await setup();
    for (let i = 0; i < 10; i++) await mustPut(backend, `/r/${i}`, "v");
    clock.advance(9_999);
    assert.equal(await compactor.compactOnce(), 0);
    assert.equal(await backend.compactedRevision(), 1);
  });

  it("once old enough, compacts all but the newest minEvents revisions", async () => {
    const { clock, backend, compactor } = await setup();
    for (let i = 0; i < 10; i++) await mustPut(backend, `/r/${i}`, "v"); // revisions 2..11
    clock.advance(10_000);
    assert.equal(await compactor.compactOnce(), 8);
    assert.equal(await backend.compactedRevision(), 8);
    await rejectsWith(backend.list("/r/", { revision: 7 }), "Compacted");
    assert.equal((await backend.list("/r/", { revision: 8 })).kvs.length, 7);
    assert.equal(await compactor.compactOnce(), 0, "nothing more is due");
  });

  it("keeps events younger than minAgeMs even beyond minEvents", async () => {
    const { clock, backend, compactor } = await setup();
    for (let i = 0; i < 4; i++) await mustPut(backend, `/old/${i}`, "v"); // 2..5 at t0
    clock.advance(5_000);
    for (let i = 0; i < 6; i++) await mustPut(backend, `/new/${i}`, "v"); // 6..11 at t0+5s
    clock.advance(5_000);
    assert.equal(await compactor.compactOnce(), 5, "only the old events are compactable");
    clock.advance(5_000);
    assert.equal(await compactor.compactOnce(), 8, "now the newest 3 are all that is kept");
  });

  it("runs every intervalMs once started, and not after stop()", async () => {
    const { clock, backend, compactor } = await setup({ intervalMs: 60_000, minEvents: 1, minAgeMs: 0 });
    compactor.start();
    for (let i = 0; i < 5; i++) await mustPut(backend, `/r/${i}`, "v"); // 2..6
    clock.advance(59_999);
    assert.equal(await backend.compactedRevision(), 1);
    clock.advance(1);
    await eventually(async () => (await backend.compactedRevision()) === 5, "the first pass to compact to 5");
    for (let i = 5; i < 8; i++) await mustPut(backend, `/r/${i}`, "v"); // 7..9
    clock.advance(60_000);
    await eventually(async () => (await backend.compactedRevision()) === 8, "the second pass to compact to 8");
    await eventually(async () => clock.pendingTimers() === 1, "the next pass to be scheduled");
    compactor.stop();
    assert.equal(clock.pendingTimers(), 0);
    await mustPut(backend, "/r/x", "v");
    clock.advance(600_000);
    assert.equal(await backend.compactedRevision(), 8);
  });

  it(
    "stop() and start() while a pass is in flight leave exactly one schedule",
    async () => {
      const { clock, backend, compactor } = await setup({ intervalMs: 1_000, minEvents: 0, minAgeMs: 0 });
      compactor.start();
      await mustPut(backend, "/r/a", "v");
      clock.advance(1_000); // the pass is now in flight
      compactor.stop();
      compactor.start();
      await eventually(async () => (await backend.compactedRevision()) === 2, "the in-flight pass to finish");
      for (let i = 0; i < 5; i++) await tick();
      assert.equal(clock.pendingTimers(), 1);
    },
  );

  it("a backend without compactionCandidate is left alone", async () => {
    const { clock, backend } = await setup();
    const plain = { ...backend, compactionCandidate: undefined, compactedRevision: () => backend.compactedRevision(), compact: () => assert.fail("compact called") };
    const c = new Compactor(plain as unknown as MemoryBackend, clock, { intervalMs: 1, minEvents: 0, minAgeMs: 0 });
    assert.equal(await c.compactOnce(), 0);
  });
});
