// Cron schedules as the CronJob controller evaluates them: robfig/cron/v3 ParseStandard and
// SpecSchedule.Next (its own test table, DST transitions included, translated to five fields),
// descriptors, @every, parse errors, and the Go time formats of CronJob messages.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatRFC1123Z, formatRFC3339In, next, parseGoDuration, parseStandard, ZERO_TIME, zonedDate } from "../../../../src/controllers/batch/cron.js";

/** Parses "Mon Jul 9 14:45 2012" (UTC) or an RFC 3339-like "2012-03-11T00:00:00-0500". */
function at(s: string): number {
  if (s === "") return ZERO_TIME;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)([+-]\d\d)(\d\d)$/.exec(s);
  if (m) return Date.parse(`${m[1]}${m[2]}:${m[3]}`);
  const ms = Date.parse(`${s} UTC`);
  assert.ok(!Number.isNaN(ms), s);
  return ms;
}

describe("cron Next (robfig/cron/v3 semantics)", () => {
  const table: [from: string, spec: string, expected: string][] = [
    // simple
    ["Mon Jul 9 14:45 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"],
    ["Mon Jul 9 14:59 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"],
    ["Mon Jul 9 14:59:59 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"],
    // wrap around hours and days
    ["Mon Jul 9 15:45 2012", "20-35/15 * * * *", "Mon Jul 9 16:20 2012"],
    ["Mon Jul 9 23:46 2012", "*/15 * * * *", "Tue Jul 10 00:00 2012"],
    ["Mon Jul 9 23:45 2012", "20-35/15 * * * *", "Tue Jul 10 00:20 2012"],
    ["Mon Jul 9 23:35 2012", "20-35/15 1/2 * * *", "Tue Jul 10 01:20 2012"],
    ["Mon Jul 9 23:35 2012", "20-35/15 10-12 * * *", "Tue Jul 10 10:20 2012"],
    ["Mon Jul 9 23:35 2012", "20-35/15 1/2 */2 * *", "Thu Jul 11 01:20 2012"],
    ["Mon Jul 9 23:35 2012", "20-35/15 * 9-20 * *", "Wed Jul 10 00:20 2012"],
    ["Mon Jul 9 23:35 2012", "20-35/15 * 9-20 Jul *", "Wed Jul 10 00:20 2012"],
    // wrap around months: dom and dow both restricted → either matches
    ["Mon Jul 9 23:35 2012", "0 0 9 Apr-Oct ?", "Thu Aug 9 00:00 2012"],
    ["Mon Jul 9 23:35 2012", "0 0 */5 Apr,Aug,Oct Mon", "Tue Aug 1 00:00 2012"],
    ["Mon Jul 9 23:35 2012", "0 0 */5 Oct Mon", "Mon Oct 1 00:00 2012"],
    // wrap around years
    ["Mon Jul 9 23:35 2012", "0 0 * Feb Mon", "Mon Feb 4 00:00 2013"],
    ["Mon Jul 9 23:35 2012", "0 0 * Feb Mon/2", "Fri Feb 1 00:00 2013"],
    ["Mon Dec 31 23:59:45 2012", "* * * * *", "Tue Jan 1 00:00:00 2013"],
    // leap year; unsatisfiable schedules give the zero time
    ["Mon Jul 9 23:35 2012", "0 0 29 Feb ?", "Mon Feb 29 00:00 2016"],
    ["Mon Jul 9 23:35 2012", "0 0 30 Feb ?", ""],
    ["Mon Jul 9 23:35 2012", "0 0 31 Apr ?", ""],
    // names and steps
    ["Mon Jul 9 23:35 2012", "0 0 * * sun", "Sun Jul 15 00:00 2012"],
    ["Mon Jul 9 23:35 2012", "5 4 * * *", "Tue Jul 10 04:05 2012"],
    // descriptors
    ["Mon Jul 9 15:04 2012", "@hourly", "Mon Jul 9 16:00 2012"],
    ["Mon Jul 9 15:04 2012", "@daily", "Tue Jul 10 00:00 2012"],
    ["Mon Jul 9 15:04 2012", "@midnight", "Tue Jul 10 00:00 2012"],
    ["Mon Jul 9 15:04 2012", "@weekly", "Sun Jul 15 00:00 2012"],
    ["Mon Jul 9 15:04 2012", "@monthly", "Wed Aug 1 00:00 2012"],
    ["Mon Jul 9 15:04 2012", "@yearly", "Tue Jan 1 00:00 2013"],
    ["Mon Jul 9 15:04 2012", "@annually", "Tue Jan 1 00:00 2013"],
    // DST, EST → EDT (2am skipped)
    ["2012-03-11T00:00:00-0500", "TZ=America/New_York 30 2 11 Mar ?", "2013-03-11T02:30:00-0400"],
    ["2012-03-11T00:00:00-0500", "TZ=America/New_York 0 * * * ?", "2012-03-11T01:00:00-0500"],
    ["2012-03-11T01:00:00-0500", "TZ=America/New_York 0 * * * ?", "2012-03-11T03:00:00-0400"],
    ["2012-03-11T03:00:00-0400", "TZ=America/New_York 0 * * * ?", "2012-03-11T04:00:00-0400"],
    ["2012-03-11T04:00:00-0400", "CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T05:00:00-0400"],
    ["2012-03-11T00:00:00-0500", "TZ=America/New_York 0 1 * * ?", "2012-03-11T01:00:00-0500"],
    ["2012-03-11T01:00:00-0500", "TZ=America/New_York 0 1 * * ?", "2012-03-12T01:00:00-0400"],
    ["2012-03-11T00:00:00-0500", "TZ=America/New_York 0 2 * * ?", "2012-03-12T02:00:00-0400"],
    // DST, EDT → EST (1am twice)
    ["2012-11-04T00:00:00-0400", "TZ=America/New_York 30 2 04 Nov ?", "2012-11-04T02:30:00-0500"],
    ["2012-11-04T01:45:00-0400", "TZ=America/New_York 30 1 04 Nov ?", "2012-11-04T01:30:00-0500"],
    ["2012-11-04T00:00:00-0400", "TZ=America/New_York 0 * * * ?", "2012-11-04T01:00:00-0400"],
    ["2012-11-04T01:00:00-0400", "TZ=America/New_York 0 * * * ?", "2012-11-04T01:00:00-0500"],
    ["2012-11-04T01:00:00-0500", "TZ=America/New_York 0 * * * ?", "2012-11-04T02:00:00-0500"],
    ["2012-11-04T00:00:00-0400", "TZ=America/New_York 0 1 * * ?", "2012-11-04T01:00:00-0400"],
    ["2012-11-04T01:00:00-0400", "TZ=America/New_York 0 1 * * ?", "2012-11-04T01:00:00-0500"],
    ["2012-11-04T01:00:00-0500", "TZ=America/New_York 0 1 * * ?", "2012-11-05T01:00:00-0500"],
    ["2012-11-04T00:00:00-0400", "TZ=America/New_York 0 2 * * ?", "2012-11-04T02:00:00-0500"],
    ["2012-11-04T02:00:00-0500", "TZ=America/New_York 0 2 * * ?", "2012-11-05T02:00:00-0500"],
    ["2012-11-04T00:00:00-0400", "TZ=America/New_York 0 3 * * ?", "2012-11-04T03:00:00-0500"],
    ["2012-11-04T00:00:00-0400", "TZ=America/New_York 0 3 3 * ?", "2012-12-03T03:00:00-0500"],
    // midnight that does not exist (robfig/cron#157)
    ["2018-10-17T05:00:00-0400", "TZ=America/Sao_Paulo 0 9 10 * ?", "2018-11-10T06:00:00-0500"],
    ["2018-02-14T05:00:00-0500", "TZ=America/Sao_Paulo 0 9 22 * ?", "2018-02-22T07:00:00-0500"],
    // zones ahead of UTC
    ["2016-01-03T13:09:03+0530", "TZ=Asia/Kolkata 14 14 * * *", "2016-01-03T14:14:00+0530"],
    ["2025-12-31T20:00:00+0000", "TZ=Asia/Tokyo 0 9 * * *", "2026-01-01T09:00:00+0900"],
    ["2026-01-01T00:00:00+0000", "TZ=Asia/Tokyo 0 9 * * *", "2026-01-02T09:00:00+0900"],
    ["2026-03-29T00:30:00+0000", "TZ=Europe/London 30 1 * * *", "2026-03-30T01:30:00+0100"],
  ];
  for (const [from, spec, expected] of table) {
    test(`${spec} after ${from}`, () => {
      const got = next(parseStandard(spec), at(from));
      assert.equal(new Date(got).toISOString(), new Date(at(expected)).toISOString());
    });
  }

  test("@every: a constant delay, rounded down to whole seconds, at least a second", () => {
    const s = parseStandard("@every 1m30.5s");
    assert.deepEqual(s, { kind: "every", delayMs: 90_000 });
    assert.equal(next(s, at("Mon Jul 9 14:45:10 2012") + 300), at("Mon Jul 9 14:46:40 2012"));
    assert.deepEqual(parseStandard("@every 10ms"), { kind: "every", delayMs: 1000 });
  });

  test("Go time.Date resolution of times in DST gaps and overlaps", () => {
    // 02:30 on the spring-forward day does not exist: Go gives 01:30 EST
    assert.equal(new Date(zonedDate("America/New_York", 2026, 3, 8, 2, 30, 0)).toISOString(), "2026-03-08T06:30:00.000Z");
    // 01:30 on the fall-back day exists twice: Go gives the first (EDT)
    assert.equal(new Date(zonedDate("America/New_York", 2026, 11, 1, 1, 30, 0)).toISOString(), "2026-11-01T05:30:00.000Z");
  });
});

describe("cron ParseStandard errors (robfig's messages)", () => {
  const cases: [string, string][] = [
    ["", "empty spec string"],
    ["* * * *", "expected exactly 5 fields, found 4: [* * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* * * * 7", "end of range (7) above maximum (6): 7"],
    ["* * 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["*/1/2 * * * *", "too many slashes: */1/2"],
    ["x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ["@often", "unrecognized descriptor: @often"],
    ["@every x", 'failed to parse duration @every x: time: invalid duration "x"'],
    ["TZ=Mars/Base * * * * *", "provided bad location Mars/Base: unknown time zone Mars/Base"],
  ];
  for (const [spec, msg] of cases) {
    test(JSON.stringify(spec), () => assert.throws(() => parseStandard(spec), { message: msg }));
  }
  test("Go durations", () => {
    assert.equal(parseGoDuration("1h2m3s"), 3_723_000);
    assert.equal(parseGoDuration("1.5h"), 5_400_000);
    assert.equal(parseGoDuration("0"), 0);
    assert.throws(() => parseGoDuration("5"), { message: 'time: missing unit in duration "5"' });
  });
});

describe("Go time formats", () => {
  test("RFC1123Z in UTC (MissSchedule)", () => {
    assert.equal(formatRFC1123Z(Date.parse("2026-01-01T00:05:00Z")), "Thu, 01 Jan 2026 00:05:00 +0000");
  });
  test("RFC3339 in the CronJob's zone (scheduled-timestamp annotation)", () => {
    assert.equal(formatRFC3339In(Date.parse("2026-01-01T00:05:00Z"), "UTC"), "2026-01-01T00:05:00Z");
    assert.equal(formatRFC3339In(Date.parse("2026-07-01T12:00:00Z"), "America/New_York"), "2026-07-01T08:00:00-04:00");
    assert.equal(formatRFC3339In(Date.parse("2026-01-01T12:00:00Z"), "Asia/Kolkata"), "2026-01-01T17:30:00+05:30");
    assert.equal(formatRFC3339In(Date.parse("2026-01-01T12:00:00Z"), "Europe/London"), "2026-01-01T12:00:00Z");
  });
});
