// SortedKeys (src/storage/backends/sorted-keys.ts), the chunked ordered index behind prefix lists
// and continue tokens, checked against a plain sorted array over thousands of random inserts and
// removes (enough to split chunks many times and empty some).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SortedKeys } from "../../../src/storage/backends/sorted-keys.js";
import { prng } from "../../helpers/storage/backend.js";

function model() {
  const keys = new Set<string>();
  return {
    keys,
    sorted: () => [...keys].sort(),
    range: (prefix: string, start: string) => [...keys].sort().filter((k) => k.startsWith(prefix) && k >= start),
  };
}

describe("SortedKeys", () => {
  it("handles the empty index", () => {
    const s = new SortedKeys();
    assert.equal(s.size, 0);
    assert.deepEqual([...s.range("/a/", "/a/")], []);
    assert.equal(s.countFrom("/a/", "/a/"), 0);
    s.remove("/a/x");
    assert.equal(s.size, 0);
  });

  it("ignores duplicate inserts and removes of missing keys", () => {
    const s = new SortedKeys();
    for (const k of ["/b", "/a", "/b", "/c", "/a"]) s.insert(k);
    s.remove("/zz");
    s.remove("/0");
    assert.equal(s.size, 3);
    assert.deepEqual([...s.range("/", "/")], ["/a", "/b", "/c"]);
  });

  it("matches a sorted-array model through 20,000 random operations", () => {
    const rand = prng(7);
    const s = new SortedKeys();
    const m = model();
    const prefixes = ["/registry/pods/", "/registry/pods/ns1/", "/registry/services/", "/registry/podsecurity/"];
    const key = () => `${prefixes[Math.floor(rand() * prefixes.length)]}k${String(Math.floor(rand() * 6000)).padStart(5, "0")}`;
    for (let op = 0; op < 20_000; op++) {
      const k = key();
      // grow for the first half, then shrink, so chunks both split and empty out
      if (rand() < (op < 10_000 ? 0.8 : 0.25)) {
        s.insert(k);
        m.keys.add(k);
      } else {
        s.remove(k);
        m.keys.delete(k);
      }
      if (op % 2_000 === 1_999) {
        assert.equal(s.size, m.keys.size, `size after ${op + 1} ops`);
        assert.deepEqual([...s.range("", "")], m.sorted(), `full scan after ${op + 1} ops`);
        for (const p of prefixes) {
          const start = `${p}k0${Math.floor(rand() * 6)}`;
          assert.deepEqual([...s.range(p, start)], m.range(p, start), `range ${p} from ${start}`);
          assert.equal(s.countFrom(p, start), m.range(p, start).length, `countFrom ${p} ${start}`);
          assert.equal(s.countFrom(p, p), m.range(p, p).length, `countFrom ${p}`);
        }
      }
    }
    assert.ok(m.keys.size > 1_024, "the index spans several chunks");
  });

  it("a start key before the prefix starts at the prefix; one after its keys yields nothing", () => {
    const s = new SortedKeys();
    for (let i = 0; i < 3_000; i++) s.insert(`/r/${String(i).padStart(4, "0")}`);
    s.insert("/q");
    s.insert("/s");
    assert.deepEqual([...s.range("/r/", "/a")].slice(0, 2), ["/r/0000", "/r/0001"]);
    assert.equal(s.countFrom("/r/", "/a"), 3_000);
    assert.deepEqual([...s.range("/r/", "/r/2999\u0000")], []);
    assert.equal(s.countFrom("/r/", "/r/2999\u0000"), 0);
    assert.equal(s.countFrom("/r/", "/r/1500"), 1_500);
    // empty whole chunks out of the middle, then refill part of the hole
    for (let i = 200; i < 2_800; i++) s.remove(`/r/${String(i).padStart(4, "0")}`);
    assert.equal(s.size, 402);
    assert.deepEqual([...s.range("/r/", "/r/0199")], ["/r/0199", "/r/2800", ...Array.from({ length: 199 }, (_, i) => `/r/${2801 + i}`)]);
    for (let i = 1_000; i < 1_010; i++) s.insert(`/r/${String(i).padStart(4, "0")}`);
    assert.equal(s.countFrom("/r/", "/r/0199\u0000"), 210);
    assert.deepEqual([...s.range("/r/", "/r/0199\u0000")].slice(0, 11), [...Array.from({ length: 10 }, (_, i) => `/r/${1000 + i}`), "/r/2800"]);
    assert.deepEqual([...s.range("", "")].at(-1), "/s");
  });
});
