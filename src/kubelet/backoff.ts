// The kubelet's back-off (client-go util/flowcontrol.Backoff) for restarting crashed containers
// and retrying image pulls: 10 s doubling to 5 min per key; an entry idle for twice the maximum
// starts over.
import { formatDuration } from "../protobuf/go-format.js";

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly initialMs = INITIAL_BACKOFF_MS,
    readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  private expired(e: Entry, at: number): boolean {
    return at - e.lastUpdate > 2 * this.maxMs;
  }

  /** Current back-off of a key (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Records a failure at `eventTime`: starts at the initial back-off, else doubles (capped). */
  next(key: string, eventTime: number, now: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventTime)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
      return this.initialMs;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = now;
    return e.backoffMs;
  }

  /** Whether less than the current back-off has passed since eventTime (crash loops: the container's finish). */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) return false;
    return now - eventTime < e.backoffMs;
  }

  /** Whether less than the current back-off has passed since the last failure (image pulls). */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) return false;
    return now - e.lastUpdate < e.backoffMs;
  }

  /** When the back-off that started at `since` ends. */
  until(key: string, since: number): number {
    return since + this.get(key);
  }

  lastUpdate(key: string): number | undefined {
    return this.entries.get(key)?.lastUpdate;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }
}

/** Go's time.Duration string of a whole number of milliseconds ("10s", "2m40s", "1.234s"). */
export function goDuration(ms: number): string {
  return formatDuration(BigInt(Math.round(ms)) * 1_000_000n);
}
