// Cacher.list (src/storage/cacher/cacher.ts): resourceVersion semantics (unset, "0", N with
// NotOlderThan and Exact), waiting for a future resourceVersion on the FakeClock, continue tokens
// across pages with writes in between, expired continue tokens, and remainingItemCount.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { ApiError } from "../../../src/apimachinery/errors.js";
import { decodeContinue } from "../../../src/storage/continue-token.js";
import { encodeObject } from "../../../src/storage/codec.js";
import { configMap, everything, keyOf, labelFilter, names, PREFIX, startCacher, summary, type CacherFixture } from "../../helpers/storage/cacher.js";
import { isPending, waitFor, withDeadline } from "../../helpers/storage/wait.js";

const EXPIRED_CONTINUE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

function isApiError(code: number, reason: string, message?: string | RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.reason, reason);
    if (typeof message === "string") assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  };
}

let f: CacherFixture;
afterEach(() => f?.stop());

describe("Cacher.list resourceVersion semantics", () => {
  let r: Record<string, number>;
  beforeEach(async () => {
    f = await startCacher();
    r = {};
    r.a = await f.write("a", { data: { v: "1" } });
    r.b = await f.write("b", { data: { v: "1" } });
    r.c = await f.write("c", { data: { v: "1" } });
    r.b2 = await f.write("b", { data: { v: "2" } });
    r.cDel = await f.remove("c");
    r.d = await f.write("d", { data: { v: "1" } });
  });
  const list = (rv?: string, extra: { resourceVersionMatch?: "" | "NotOlderThan" | "Exact"; limit?: number } = {}) =>
    f.cacher.list({ prefix: PREFIX, filter: everything, resourceVersion: rv, ...extra });

  it("unset and \"0\" serve the current state at the current revision", async () => {
    for (const rv of [undefined, "", "0"]) {
      const l = await list(rv);
      assert.deepEqual(summary(l.items), [`a@${r.a}:{"v":"1"}`, `b@${r.b2}:{"v":"2"}`, `d@${r.d}:{"v":"1"}`], `rv=${rv}`);
      assert.deepEqual(l.metadata, { resourceVersion: String(r.d) });
    }
  });

  it("N with NotOlderThan (explicit, or by default without a limit) serves the current state", async () => {
    for (const match of ["NotOlderThan", "", undefined] as const) {
      const l = await list(String(r.c), { resourceVersionMatch: match });
      assert.deepEqual(names(l.items), ["a", "b", "d"]);
      assert.equal(l.metadata.resourceVersion, String(r.d));
    }
  });

  it("N with Exact (explicit, or legacy N+limit) serves the state at N", async () => {
    const exact = await list(String(r.c), { resourceVersionMatch: "Exact" });
    assert.deepEqual(summary(exact.items), [`a@${r.a}:{"v":"1"}`, `b@${r.b}:{"v":"1"}`, `c@${r.c}:{"v":"1"}`]);
    assert.equal(exact.metadata.resourceVersion, String(r.c));
    const legacy = await list(String(r.b2), { limit: 10 });
    assert.deepEqual(summary(legacy.items), [`a@${r.a}:{"v":"1"}`, `b@${r.b2}:{"v":"2"}`, `c@${r.c}:{"v":"1"}`]);
    assert.equal(legacy.metadata.resourceVersion, String(r.b2));
  });

  it("Exact below the history window is 410 Expired", async () => {
    f.stop();
    f = await startCacher({ history: { minEvents: 0, minAgeMs: 60_000, maxEvents: 3 } });
    const first = await f.write("a");
    for (let i = 0; i < 5; i++) await f.write(`x${i}`);
    await assert.rejects(list(String(first), { resourceVersionMatch: "Exact" }), isApiError(410, "Expired", "The resourceVersion for the provided list is too old."));
    await assert.rejects(list(String(first), { limit: 1 }), isApiError(410, "Expired"));
    assert.equal((await list(String(first))).items.length, 6, "NotOlderThan is still served");
  });

  it("a malformed resourceVersion is 400 BadRequest", async () => {
    await assert.rejects(list("abc"), isApiError(400, "BadRequest", /strconv\.ParseUint: parsing "abc": invalid syntax/));
    await assert.rejects(list("-1"), isApiError(400, "BadRequest"));
  });

  it("a future resourceVersion waits for it to arrive", async () => {
    const pending = list(String(r.d + 1));
    assert.ok(await isPending(pending));
    const rev = await f.write("e");
    const l = await withDeadline(pending, "list at a future revision");
    assert.equal(l.metadata.resourceVersion, String(rev));
    assert.deepEqual(names(l.items), ["a", "b", "d", "e"]);
  });

  it(
    "a future resourceVersion that arrives while the request is being set up does not stall it",
    async () => {
      // one concurrent write, committed on the n-th microtask after the request starts
      for (let n = 0; n < 6; n++) {
        const target = (await f.revision()) + 1;
        const pending = list(String(target));
        let depth = 0;
        const step = () => {
          if (depth === n) void f.backend.optimisticPut(keyOf(`race${n}`), encodeObject(configMap(`race${n}`)), 0);
          if (++depth <= n) queueMicrotask(step);
        };
        queueMicrotask(step);
        const stalled = await isPending(pending);
        f.clock.advance(f.opts.futureRevisionWaitMs); // release a stalled request before asserting
        await pending;
        assert.equal(stalled, false, `request stalled until the timeout when the write landed on microtask ${n}`);
      }
    },
  );

  it("a resourceVersion that never arrives is a 504 Timeout after futureRevisionWaitMs", async () => {
    const timers = f.clock.pendingTimers();
    const pending = list(String(r.d + 10));
    pending.catch(() => undefined);
    await waitFor(() => f.clock.pendingTimers() > timers, "the future-revision wait timer");
    f.clock.advance(f.opts.futureRevisionWaitMs - 1);
    assert.ok(await isPending(pending));
    f.clock.advance(1);
    await assert.rejects(
      withDeadline(pending, "the future-revision timeout"),
      isApiError(504, "Timeout", `Timeout: Too large resource version: ${r.d + 10}, current: ${r.d}`),
    );
    const err = await pending.catch((e: ApiError) => e);
    assert.deepEqual((err as ApiError).details, { retryAfterSeconds: 1, causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }] });
  });
});

describe("Cacher.list pagination", () => {
  beforeEach(async () => {
    f = await startCacher();
    for (const n of ["a", "b", "c", "d", "e"]) await f.write(n, { data: { v: "1" } });
  });
  const page = (limit: number, cont?: string, filter = everything) => f.cacher.list({ prefix: PREFIX, filter, limit, continue: cont });

  it("pages stay consistent at the first page's revision while writes happen in between", async () => {
    const p1 = await page(2);
    const rv = p1.metadata.resourceVersion!;
    assert.deepEqual(names(p1.items), ["a", "b"]);
    assert.deepEqual(decodeContinue(p1.metadata.continue!), { rv: Number(rv), start: "default/b\u0000" });
    await f.write("c", { data: { v: "2" } });
    await f.remove("d");
    await f.write("bb");
    await f.write("f");
    const p2 = await page(2, p1.metadata.continue);
    assert.equal(p2.metadata.resourceVersion, rv);
    assert.deepEqual(summary(p2.items).map((s) => s.split("@")[0] + s.slice(s.indexOf(":"))), ['c:{"v":"1"}', 'd:{"v":"1"}']);
    const p3 = await page(2, p2.metadata.continue);
    assert.equal(p3.metadata.resourceVersion, rv);
    assert.deepEqual(names(p3.items), ["e"]);
    assert.equal(p3.metadata.continue, undefined);
    // a fresh list sees the new state
    assert.deepEqual(names((await f.cacher.list({ prefix: PREFIX, filter: everything })).items), ["a", "b", "bb", "c", "e", "f"]);
  });

  it("remainingItemCount counts what follows the page, only for unfiltered lists", async () => {
    const p1 = await page(2);
    assert.equal(p1.metadata.remainingItemCount, 3);
    const p2 = await page(2, p1.metadata.continue);
    assert.equal(p2.metadata.remainingItemCount, 1);
    const last = await page(2, p2.metadata.continue);
    assert.equal(last.metadata.remainingItemCount, undefined);
    const filtered = await page(1, undefined, labelFilter("!missing"));
    assert.ok(filtered.metadata.continue);
    assert.equal(filtered.metadata.remainingItemCount, undefined);
  });

  it("the limit counts matching objects; no continue when nothing matching follows", async () => {
    await f.write("b", { labels: { app: "web" } });
    await f.write("d", { labels: { app: "web" } });
    const web = labelFilter("app=web");
    const p1 = await page(1, undefined, web);
    assert.deepEqual(names(p1.items), ["b"]);
    const p2 = await page(1, p1.metadata.continue, web);
    assert.deepEqual(names(p2.items), ["d"]);
    assert.equal(p2.metadata.continue, undefined);
    assert.deepEqual(names((await page(5, undefined, web)).items), ["b", "d"]);
  });

  it("a limit covering everything returns no continue token", async () => {
    const l = await page(5);
    assert.equal(l.items.length, 5);
    assert.deepEqual(Object.keys(l.metadata), ["resourceVersion"]);
  });

  it("a namespace prefix pages within the namespace; tokens are relative to the prefix", async () => {
    await f.write("x", { ns: "other" });
    await f.write("y", { ns: "other" });
    const p1 = await f.cacher.list({ prefix: `${PREFIX}other/`, filter: everything, limit: 1 });
    assert.deepEqual(names(p1.items), ["x"]);
    assert.equal(decodeContinue(p1.metadata.continue!).start, "x\u0000");
    const p2 = await f.cacher.list({ prefix: `${PREFIX}other/`, filter: everything, limit: 1, continue: p1.metadata.continue });
    assert.deepEqual(names(p2.items), ["y"]);
    assert.equal(p2.metadata.continue, undefined);
  });
});

describe("Cacher.list with an expired continue token", () => {
  it("is 410 Expired carrying a fresh token that continues at the current revision", async () => {
    f = await startCacher({ history: { minEvents: 0, minAgeMs: 60_000, maxEvents: 3 } });
    for (const n of ["a", "b", "c", "d"]) await f.write(n, { data: { v: "1" } });
    const p1 = await f.cacher.list({ prefix: PREFIX, filter: everything, limit: 2 });
    for (let i = 0; i < 4; i++) await f.write("c", { data: { v: String(i + 2) } });
    const err = await f.cacher.list({ prefix: PREFIX, filter: everything, limit: 2, continue: p1.metadata.continue }).catch((e: unknown) => e);
    isApiError(410, "Expired", EXPIRED_CONTINUE)(err);
    const fresh = (err as ApiError).listMeta.continue!;
    assert.ok(fresh);
    assert.deepEqual(decodeContinue(fresh), { rv: -1, start: "default/b\u0000" });
    const status = (err as ApiError).toStatus();
    assert.deepEqual(status.metadata, { continue: fresh });
    assert.equal(status.code, 410);
    const rest = await f.cacher.list({ prefix: PREFIX, filter: everything, limit: 2, continue: fresh });
    assert.deepEqual(summary(rest.items).map((s) => s.split("@")[0] + s.slice(s.indexOf(":"))), ['c:{"v":"5"}', 'd:{"v":"1"}']);
    assert.equal(rest.metadata.resourceVersion, String(await f.revision()));
  });

  it("a malformed continue token is 400 BadRequest", async () => {
    f = await startCacher();
    await assert.rejects(f.cacher.list({ prefix: PREFIX, filter: everything, continue: "%%%" }), isApiError(400, "BadRequest", /^invalid continue token: continue key is not valid/));
  });
});
