// Cron schedules as the CronJob controller evaluates them: robfig/cron/v3's ParseStandard (five
// fields or a descriptor, optional TZ=/CRON_TZ= prefix) and its SpecSchedule.Next, with Go's
// time.Date normalisation of wall-clock times in a time zone (gaps and overlaps around DST
// transitions resolve as Go resolves them). Time zones are IANA names through Intl; the
// controller-manager's own zone (time.Local) is UTC.

export class CronParseError extends Error {}

/** Go's zero time.Time (January 1, year 1, 00:00:00 UTC), which Next returns when nothing matches within five years. */
export const ZERO_TIME = -62135596800000;

export interface SpecSchedule {
  kind: "spec";
  second: boolean[];
  minute: boolean[];
  hour: boolean[];
  dom: boolean[];
  month: boolean[];
  dow: boolean[];
  /** Whether Dom / Dow were given as * or ? (robfig's starBit): then both must match, else either. */
  domStar: boolean;
  dowStar: boolean;
  /** IANA zone of the schedule ("UTC" when none was given: the controller-manager runs in UTC). */
  timeZone: string;
}

export interface ConstantDelaySchedule {
  kind: "every";
  delayMs: number;
}

export type Schedule = SpecSchedule | ConstantDelaySchedule;

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

interface Bits {
  bits: boolean[];
  star: boolean;
}

function atoi(s: string): number {
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return n;
    throw new CronParseError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  }
  throw new CronParseError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
}

function mustParseInt(expr: string): number {
  let n: number;
  try {
    n = atoi(expr);
  } catch (e) {
    throw new CronParseError(`failed to parse int from ${expr}: ${(e as Error).message}`);
  }
  if (n < 0) throw new CronParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const v = names?.[expr.toLowerCase()];
  return v !== undefined ? v : mustParseInt(expr);
}

function emptyBits(r: Bounds): boolean[] {
  return new Array<boolean>(r.max + 1).fill(false);
}

function allBits(r: Bounds): Bits {
  const bits = emptyBits(r);
  for (let i = r.min; i <= r.max; i++) bits[i] = true;
  return { bits, star: true };
}

function oneBit(r: Bounds, v: number): Bits {
  const bits = emptyBits(r);
  bits[v] = true;
  return { bits, star: false };
}

function getRange(expr: string, r: Bounds, into: Bits): void {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0]!.split("-");
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    if (single) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new CronParseError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronParseError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronParseError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) into.bits[i] = true;
  if (star) into.star = true;
}

function getField(field: string, r: Bounds): Bits {
  const out: Bits = { bits: emptyBits(r), star: false };
  for (const expr of field.split(",")) getRange(expr, r, out);
  return out;
}

/** Go's time.LoadLocation acceptance ("" and "UTC" are UTC; "Local" is the controller-manager's zone, UTC). */
export function loadLocation(name: string): string {
  if (name === "" || name === "UTC" || name === "Local") return "UTC";
  if (name.length > 0 && !name.includes("..") && !name.startsWith("/")) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
      return name;
    } catch {
      // fall through
    }
  }
  throw new CronParseError(`unknown time zone ${name}`);
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds (fractions of a millisecond kept). */
export function parseGoDuration(s: string): number {
  const orig = s;
  const bad = () => new CronParseError(`time: invalid duration ${JSON.stringify(orig)}`);
  let neg = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw bad();
  let total = 0;
  while (s !== "") {
    const m = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(s);
    if (!m) {
      if (/^(\d+(?:\.\d*)?|\.\d+)/.test(s)) throw new CronParseError(`time: missing unit in duration ${JSON.stringify(orig)}`);
      throw bad();
    }
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return neg ? -total : total;
}

function descriptor(spec: string, timeZone: string): Schedule {
  const base = (o: Partial<Record<"second" | "minute" | "hour" | "dom" | "month" | "dow", Bits>>): SpecSchedule => {
    const f = {
      second: o.second ?? oneBit(SECONDS, 0),
      minute: o.minute ?? oneBit(MINUTES, 0),
      hour: o.hour ?? oneBit(HOURS, 0),
      dom: o.dom ?? allBits(DOM),
      month: o.month ?? allBits(MONTHS),
      dow: o.dow ?? allBits(DOW),
    };
    return { kind: "spec", second: f.second.bits, minute: f.minute.bits, hour: f.hour.bits, dom: f.dom.bits, month: f.month.bits, dow: f.dow.bits, domStar: f.dom.star, dowStar: f.dow.star, timeZone };
  };
  switch (spec) {
    case "@yearly":
    case "@annually":
      return base({ dom: oneBit(DOM, 1), month: oneBit(MONTHS, 1) });
    case "@monthly":
      return base({ dom: oneBit(DOM, 1) });
    case "@weekly":
      return base({ dow: oneBit(DOW, 0) });
    case "@daily":
    case "@midnight":
      return base({});
    case "@hourly":
      return base({ hour: allBits(HOURS) });
  }
  if (spec.startsWith("@every ")) {
    let d: number;
    try {
      d = parseGoDuration(spec.slice("@every ".length));
    } catch (e) {
      throw new CronParseError(`failed to parse duration ${spec}: ${(e as Error).message}`);
    }
    if (d < 1000) d = 1000;
    return { kind: "every", delayMs: d - (d % 1000) };
  }
  throw new CronParseError(`unrecognized descriptor: ${spec}`);
}

/** cron.ParseStandard. Throws CronParseError with robfig's message. */
export function parseStandard(spec: string): Schedule {
  if (spec.length === 0) throw new CronParseError("empty spec string");
  let timeZone = "UTC";
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const i = spec.indexOf(" ");
    const eq = spec.indexOf("=");
    const name = i < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, i);
    try {
      timeZone = loadLocation(name);
    } catch (e) {
      throw new CronParseError(`provided bad location ${name}: ${(e as Error).message}`);
    }
    spec = i < 0 ? "" : spec.slice(i).trim();
  }
  if (spec.startsWith("@")) return descriptor(spec, timeZone);
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  const minute = getField(fields[0]!, MINUTES);
  const hour = getField(fields[1]!, HOURS);
  const dom = getField(fields[2]!, DOM);
  const month = getField(fields[3]!, MONTHS);
  const dow = getField(fields[4]!, DOW);
  return {
    kind: "spec",
    second: oneBit(SECONDS, 0).bits,
    minute: minute.bits,
    hour: hour.bits,
    dom: dom.bits,
    month: month.bits,
    dow: dow.bits,
    domStar: dom.star,
    dowStar: dow.star,
    timeZone,
  };
}

// ---- zoned wall-clock arithmetic (Go's time package semantics) ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", era: "short", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(tz, f);
  }
  return f;
}

/** Milliseconds of a UTC wall clock (Go-style normalisation of out-of-range fields, any year). */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** The zone's offset from UTC (ms) at an instant. */
export function zoneOffsetMs(tz: string, ms: number): number {
  if (tz === "UTC") return 0;
  const sec = Math.floor(ms / 1000) * 1000;
  const parts = formatter(tz).formatToParts(new Date(sec));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "0";
  let year = Number(get("year"));
  if (get("era") === "BC" || get("era") === "B") year = 1 - year;
  return utcMs(year, Number(get("month")), Number(get("day")), Number(get("hour")), Number(get("minute")), Number(get("second"))) - sec;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The wall clock of an instant in a zone. */
export function wallClock(ms: number, tz: string): WallClock {
  const d = new Date(ms + zoneOffsetMs(tz, ms));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
}

/** Go's time.Date in a zone: normalises overflowing fields, and resolves DST gaps and overlaps as Go does. */
export function zonedDate(tz: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const local = utcMs(year, month, day, hour, minute, second);
  if (tz === "UTC") return local;
  const guess = zoneOffsetMs(tz, local);
  return local - zoneOffsetMs(tz, local - guess);
}

// ---- Next ----

const HOUR_MS = 3_600_000;

function dayMatches(s: SpecSchedule, w: WallClock): boolean {
  const domMatch = s.dom[w.day] === true;
  const dowMatch = s.dow[w.weekday] === true;
  if (s.domStar || s.dowStar) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/** The schedule's next activation strictly after t (ms since the epoch), or ZERO_TIME if none within five years. */
export function next(schedule: Schedule, t: number): number {
  if (schedule.kind === "every") return t - (((t % 1000) + 1000) % 1000) + schedule.delayMs;
  const s = schedule;
  const tz = s.timeZone;
  // start at the next whole second
  t = t - (((t % 1000) + 1000) % 1000) + 1000;
  let added = false;
  const yearLimit = wallClock(t, tz).year + 5;
  wrap: for (;;) {
    let w = wallClock(t, tz);
    if (w.year > yearLimit) return ZERO_TIME;
    while (!s.month[w.month]) {
      if (!added) {
        added = true;
        t = zonedDate(tz, w.year, w.month, 1, 0, 0, 0);
        w = wallClock(t, tz);
      }
      t = zonedDate(tz, w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
      w = wallClock(t, tz);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        t = zonedDate(tz, w.year, w.month, w.day, 0, 0, 0);
        w = wallClock(t, tz);
      }
      t = zonedDate(tz, w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
      w = wallClock(t, tz);
      // notice if the hour is no longer midnight because of DST
      if (w.hour !== 0) {
        t += w.hour > 12 ? (24 - w.hour) * HOUR_MS : -w.hour * HOUR_MS;
        w = wallClock(t, tz);
      }
      if (w.day === 1) continue wrap;
    }
    while (!s.hour[w.hour]) {
      if (!added) {
        added = true;
        t = zonedDate(tz, w.year, w.month, w.day, w.hour, 0, 0);
        w = wallClock(t, tz);
      }
      t += HOUR_MS;
      w = wallClock(t, tz);
      if (w.hour === 0) continue wrap;
    }
    while (!s.minute[w.minute]) {
      if (!added) {
        added = true;
        t -= ((t % 60_000) + 60_000) % 60_000;
      }
      t += 60_000;
      w = wallClock(t, tz);
      if (w.minute === 0) continue wrap;
    }
    while (!s.second[w.second]) {
      if (!added) {
        added = true;
        t -= ((t % 1000) + 1000) % 1000;
      }
      t += 1000;
      w = wallClock(t, tz);
      if (w.second === 0) continue wrap;
    }
    return t;
  }
}

// ---- Go time formatting used in CronJob messages and annotations ----

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** time.RFC1123Z of an instant in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function formatRFC1123Z(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** time.RFC3339 of an instant in a zone: "2006-01-02T15:04:05Z07:00" (Z for UTC). */
export function formatRFC3339In(ms: number, tz: string): string {
  const off = zoneOffsetMs(tz, ms);
  const w = wallClock(ms, tz);
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  if (off === 0) return `${base}Z`;
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(Math.round(off / 60_000));
  return `${base}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
