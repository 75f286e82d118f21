import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  humanDuration,
  parseTimestamp,
  shortHumanDuration,
  translateTimestampSince,
  translateTimestampUntil,
} from "../../../src/apimachinery/duration.js";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("humanDuration", () => {
  const cases: [number, string][] = [
    [-2 * s, "<invalid>"],
    [-1999, "0s"],
    [-1 * s, "0s"],
    [-500, "0s"],
    [0, "0s"],
    [999, "0s"],
    [45 * s, "45s"],
    [119 * s + 999, "119s"],
    [2 * m, "2m"],
    [5 * m, "5m"],
    [5 * m + 30 * s, "5m30s"],
    [9 * m + 59 * s, "9m59s"],
    [10 * m, "10m"],
    [10 * m + 59 * s, "10m"],
    [179 * m + 59 * s, "179m"],
    [3 * h, "3h"],
    [3 * h + 5 * m, "3h5m"],
    [3 * h + 5 * m + 59 * s, "3h5m"],
    [7 * h + 59 * m, "7h59m"],
    [8 * h, "8h"],
    [8 * h + 30 * m, "8h"],
    [47 * h + 59 * m, "47h"],
    [48 * h, "2d"],
    [2 * d + 3 * h, "2d3h"],
    [7 * d + 23 * h + 59 * m, "7d23h"],
    [8 * d, "8d"],
    [8 * d + 23 * h, "8d"],
    [729 * d, "729d"],
    [730 * d, "2y"],
    [3 * 365 * d + 45 * d, "3y45d"],
    [3 * 365 * d, "3y"],
    [8 * 365 * d - 1 * d, "7y364d"],
    [8 * 365 * d, "8y"],
    [20 * 365 * d + 100 * d, "20y"],
  ];
  for (const [ms, want] of cases) {
    it(`${ms}ms -> ${want}`, () => assert.equal(humanDuration(ms), want));
  }
});

describe("shortHumanDuration", () => {
  const cases: [number, string][] = [
    [-2 * s, "<invalid>"],
    [-1 * s, "0s"],
    [0, "0s"],
    [59 * s, "59s"],
    [60 * s, "1m"],
    [59 * m + 59 * s, "59m"],
    [60 * m, "1h"],
    [23 * h + 59 * m, "23h"],
    [24 * h, "1d"],
    [364 * d, "364d"],
    [365 * d, "1y"],
    [3 * 365 * d + 45 * d, "3y"],
  ];
  for (const [ms, want] of cases) {
    it(`${ms}ms -> ${want}`, () => assert.equal(shortHumanDuration(ms), want));
  }
});

describe("translateTimestampSince", () => {
  const now = Date.parse("2025-05-01T12:00:00Z");
  it("formats the age of a timestamp", () => {
    assert.equal(translateTimestampSince("2025-05-01T11:55:00Z", now), "5m");
    assert.equal(translateTimestampSince("2025-04-29T09:00:00Z", now), "2d3h");
    assert.equal(translateTimestampSince("2025-05-01T11:59:59.500000Z", now), "0s");
  });
  it("is <unknown> for missing, zero or unparsable timestamps", () => {
    for (const v of [undefined, null, "", "0001-01-01T00:00:00Z", "not a time", 12]) {
      assert.equal(translateTimestampSince(v, now), "<unknown>");
    }
  });
  it("tolerates up to 2s of clock skew, then reports <invalid>", () => {
    assert.equal(translateTimestampSince("2025-05-01T12:00:01Z", now), "0s");
    assert.equal(translateTimestampSince("2025-05-01T12:00:05Z", now), "<invalid>");
  });
  it("translateTimestampUntil counts down", () => {
    assert.equal(translateTimestampUntil("2025-05-01T15:05:00Z", now), "3h5m");
    assert.equal(translateTimestampUntil(undefined, now), "<unknown>");
  });
  it("parseTimestamp reads RFC 3339 with and without fractions", () => {
    assert.equal(parseTimestamp("2025-05-01T12:00:00Z"), now);
    assert.equal(parseTimestamp("2025-05-01T12:00:00.250000Z"), now + 250);
    assert.equal(parseTimestamp("0001-01-01T00:00:00Z"), undefined);
  });
});
