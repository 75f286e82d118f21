// Human-readable durations (upstream k8s.io/apimachinery/pkg/util/duration) and the AGE helper
// the table printers use (upstream translateTimestampSince). Durations are in milliseconds; Go's
// integer conversions truncate toward zero, which Math.trunc reproduces.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Whole seconds, minutes, hours in a duration, truncated toward zero like Go's int(d / unit). */
function whole(ms: number, unit: number): number {
  return Math.trunc(ms / unit);
}

/**
 * A succinct duration with ~2-3 significant figures (upstream HumanDuration): `45s`, `5m30s`, `3h5m`,
 * `2d3h`, `3y45d`. Up to 2s in the future counts as now (`0s`); further in the future is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** A duration with one unit only (upstream ShortHumanDuration): `45s`, `5m`, `3h`, `8d`, `2y`. */
export function shortHumanDuration(ms: number): string {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Go's zero time.Time (0001-01-01T00:00:00Z) in ms since the epoch. */
const ZERO_TIME_MS = Date.parse("0001-01-01T00:00:00Z");

/**
 * Parses an RFC 3339 metav1.Time / metav1.MicroTime value to ms since the epoch. Returns undefined
 * for a missing, unparsable or zero time (Go's Time.IsZero).
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms === ZERO_TIME_MS) return undefined;
  return ms;
}

/** Elapsed time since a timestamp (upstream translateTimestampSince); `<unknown>` when unset. */
export function translateTimestampSince(timestamp: unknown, now: number): string {
  const ms = parseTimestamp(timestamp);
  return ms === undefined ? "<unknown>" : humanDuration(now - ms);
}

/** Time remaining until a timestamp (upstream translateTimestampUntil); `<unknown>` when unset. */
export function translateTimestampUntil(timestamp: unknown, now: number): string {
  const ms = parseTimestamp(timestamp);
  return ms === undefined ? "<unknown>" : humanDuration(ms - now);
}
