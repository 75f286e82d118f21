// The in-memory MVCC state behind the embedded backends: the latest value of every key, a sorted
// key index, and the revision-ordered event log of the retention window (which also answers lists
// at an older revision by undoing newer events, as kine keeps prev values for). Watch delivery is
// synchronous with the commit, so watchers see events in revision order and never a gap.
import type { BackendEvent, BackendListOptions, BackendListResult, KeyValue, WatchHandler } from "../backend.js";
import { StorageError } from "../errors.js";
import { SortedKeys } from "./sorted-keys.js";

export interface LogEntry extends BackendEvent {
  /** Wall time of the commit (ms), for time-based retention. */
  at: number;
}

interface Subscriber {
  prefix: string;
  /** Only events above this revision (a watch may start from a future revision). */
  after: number;
  handler: WatchHandler;
}

export class MvccState {
  /** The store revision: the modRevision of the newest event. */
  revision = 1;
  /** Events at or below this revision are gone from the log. */
  compacted = 1;
  private readonly index = new Map<string, KeyValue>();
  private readonly keys = new SortedKeys();
  /** Events (compacted, revision], log[i] has revision compacted + 1 + i. */
  private log: LogEntry[] = [];
  private readonly subscribers = new Set<Subscriber>();

  get(key: string): KeyValue | undefined {
    return this.index.get(key);
  }

  get keyCount(): number {
    return this.index.size;
  }

  get logLength(): number {
    return this.log.length;
  }

  /** Loads persisted state (LevelDB open); must be called before any write. */
  load(kvs: Iterable<KeyValue>, log: LogEntry[], revision: number, compacted: number): void {
    for (const kv of kvs) {
      this.index.set(kv.key, kv);
      this.keys.insert(kv.key);
    }
    this.log = log;
    this.revision = revision;
    this.compacted = compacted;
  }

  list(prefix: string, opts: BackendListOptions = {}): BackendListResult {
    const rev = opts.revision ?? 0;
    const start = opts.startKey ?? prefix;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    if (rev > this.revision) throw StorageError.futureRevision(prefix, rev, this.revision);
    if (rev !== 0 && rev < this.compacted) throw StorageError.compacted(prefix, rev, this.compacted);
    if (rev === 0 || rev === this.revision) {
      const kvs: KeyValue[] = [];
      let more = false;
      for (const k of this.keys.range(prefix, start)) {
        if (kvs.length >= limit) {
          more = true;
          break;
        }
        kvs.push(this.index.get(k)!);
      }
      return { kvs, revision: this.revision, more, count: this.keys.countFrom(prefix, start) };
    }
    // State at rev = current state with every later event undone, newest first.
    const overrides = new Map<string, KeyValue | null>();
    for (let i = this.log.length - 1; i >= 0; i--) {
      const ev = this.log[i]!;
      if (ev.kv.modRevision <= rev) break;
      if (ev.kv.key.startsWith(prefix)) overrides.set(ev.kv.key, ev.prevKv ?? null);
    }
    const candidates = new Set<string>(this.keys.range(prefix, start));
    for (const k of overrides.keys()) if (k >= start) candidates.add(k);
    const sorted = [...candidates].sort();
    const all: KeyValue[] = [];
    for (const k of sorted) {
      const kv = overrides.has(k) ? overrides.get(k) : this.index.get(k);
      if (kv) all.push(kv);
    }
    const kvs = all.slice(0, limit === Infinity ? undefined : limit);
    return { kvs, revision: rev, more: all.length > kvs.length, count: all.length };
  }

  /** Applies committed events (consecutive revisions, in order) and notifies watchers. */
  apply(events: LogEntry[]): void {
    for (const ev of events) {
      const { kv } = ev;
      if (ev.type === "put") {
        if (!this.index.has(kv.key)) this.keys.insert(kv.key);
        this.index.set(kv.key, kv);
      } else {
        this.index.delete(kv.key);
        this.keys.remove(kv.key);
      }
      this.log.push(ev);
      this.revision = kv.modRevision;
    }
    for (const sub of this.subscribers) {
      const mine = events.filter((e) => e.kv.modRevision > sub.after && e.kv.key.startsWith(sub.prefix));
      if (mine.length === 0) continue;
      try {
        sub.handler(mine);
      } catch (err) {
        console.error("kubefacade: storage watch handler failed:", err);
      }
    }
  }

  /** Subscribes, then replays retained events after afterRevision (both synchronous: no gap). */
  watch(prefix: string, afterRevision: number, handler: WatchHandler): () => void {
    if (afterRevision < this.compacted) throw StorageError.compacted(prefix, afterRevision, this.compacted);
    const sub: Subscriber = { prefix, after: afterRevision, handler };
    const replay = this.eventsAfter(afterRevision).filter((e) => e.kv.key.startsWith(prefix));
    this.subscribers.add(sub);
    if (replay.length) handler(replay);
    return () => this.subscribers.delete(sub);
  }

  /** Retained events with revision > rev, oldest first. */
  eventsAfter(rev: number): LogEntry[] {
    const from = Math.max(0, rev - this.compacted);
    return this.log.slice(from);
  }

  /** Drops events at or below rev. */
  compact(rev: number): void {
    if (rev <= this.compacted) return;
    const upTo = Math.min(rev, this.revision);
    this.log = this.log.slice(upTo - this.compacted);
    this.compacted = upTo;
  }

  /**
   * The newest revision that retention allows to compact: events must be both older than
   * minAgeMs and outside the newest minEvents.
   */
  compactionCandidate(now: number, minEvents: number, minAgeMs: number): number {
    const byCount = this.revision - minEvents;
    let candidate = this.compacted;
    for (const ev of this.log) {
      const r = ev.kv.modRevision;
      if (r > byCount || now - ev.at < minAgeMs) break;
      candidate = r;
    }
    return candidate;
  }
}
