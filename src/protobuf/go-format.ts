// The JSON forms of metav1.Time (RFC 3339, seconds), metav1.MicroTime (RFC 3339 with exactly six
// fractional digits) and metav1.Duration (Go's time.Duration.String(): "1h0m0s", "1.5s", "300ms").

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** time.Unix(seconds, nanos) normalisation: nanos into [0, 1e9), carrying into seconds. */
function normalise(seconds: number, nanos: number): [number, number] {
  if (nanos < 0 || nanos >= 1e9) {
    const carry = Math.floor(nanos / 1e9);
    seconds += carry;
    nanos -= carry * 1e9;
  }
  return [seconds, nanos];
}

// JS dates reach ±8.64e15 ms; Go times reach further, but nothing real does.
const MAX_SECONDS = 8.64e12;

function rfc3339(seconds: number, fraction: string): string | undefined {
  if (!Number.isFinite(seconds) || Math.abs(seconds) > MAX_SECONDS) return undefined;
  const d = new Date(seconds * 1000);
  const y = d.getUTCFullYear();
  const year = y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
  return (
    `${year}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}${fraction}Z`
  );
}

/** metav1.Time as JSON: `t.UTC().Format(time.RFC3339)`; undefined when out of range. */
export function formatTime(seconds: number, nanos: number): string | undefined {
  const [s] = normalise(seconds, nanos);
  return rfc3339(s, "");
}

/** metav1.MicroTime as JSON: RFC3339Micro ("2006-01-02T15:04:05.000000Z07:00"). */
export function formatMicroTime(seconds: number, nanos: number): string | undefined {
  const [s, n] = normalise(seconds, nanos);
  return rfc3339(s, `.${pad(Math.floor(n / 1000), 6)}`);
}

/** fmtFrac: the fraction of v/10^prec without trailing zeros (and without "." when it is 0). */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print ||= digit !== 0n;
    if (print) out = String(digit) + out;
    v /= 10n;
  }
  return [print ? `.${out}` : "", v];
}

/** Go's time.Duration.String() for a duration in nanoseconds. */
export function formatDuration(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  if (u === 0n) return "0s";
  let out: string;
  if (u < 1_000_000_000n) {
    let prec: number;
    let unit: string;
    if (u < 1_000n) {
      prec = 0;
      unit = "ns";
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = "µs";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, whole] = fmtFrac(u, prec);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}
