// The state of one resource in memory (upstream watch_cache.go): every object, a sorted key index
// for pagination, and a history window of events, each with the object's previous state so that
// selector filtering can turn "left the selector" into DELETED and lists can be answered at an
// older revision by undoing newer events.
import type { KubeObject } from "../../apimachinery/types.js";
import type { BackendEvent } from "../backend.js";
import { decodeFrozen, deepFreeze } from "../codec.js";
import { SortedKeys } from "../backends/sorted-keys.js";

export interface CacheEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  key: string;
  /** New state; for DELETED the last state with resourceVersion = the delete's revision. */
  object: KubeObject;
  prevObject?: KubeObject;
  rv: number;
  at: number;
}

export interface HistoryPolicy {
  /** Keep at least this many events... */
  minEvents: number;
  /** ...and at least the events of this many ms. */
  minAgeMs: number;
  /** Never more than this many (memory bound under extreme write rates). */
  maxEvents: number;
}

export class HistoryExpiredError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export class WatchCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly keys = new SortedKeys();
  private history: CacheEvent[] = [];
  private head = 0;
  /** History holds every event with rv > historyStart. */
  historyStart: number;
  /** The newest revision applied. */
  rv: number;

  constructor(
    startRevision: number,
    private readonly policy: HistoryPolicy,
    private readonly now: () => number,
  ) {
    this.historyStart = startRevision;
    this.rv = startRevision;
  }

  get size(): number {
    return this.objects.size;
  }

  get historyLength(): number {
    return this.history.length - this.head;
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  /** Loads the initial state (at historyStart), before any event. */
  load(objects: [string, KubeObject][]): void {
    for (const [key, obj] of objects) {
      this.objects.set(key, deepFreeze(obj));
      this.keys.insert(key);
    }
  }

  /** Applies backend events; returns the cache events for watchers. */
  apply(events: BackendEvent[]): CacheEvent[] {
    const out: CacheEvent[] = [];
    const at = this.now();
    for (const ev of events) {
      const key = ev.kv.key;
      const prev = this.objects.get(key);
      let ce: CacheEvent;
      if (ev.type === "put") {
        const obj = decodeFrozen(ev.kv);
        this.objects.set(key, obj);
        if (!prev) this.keys.insert(key);
        ce = { type: prev ? "MODIFIED" : "ADDED", key, object: obj, ...(prev ? { prevObject: prev } : {}), rv: ev.kv.modRevision, at };
      } else {
        if (!prev) continue;
        this.objects.delete(key);
        this.keys.remove(key);
        const last = deepFreeze({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(ev.kv.modRevision) } });
        ce = { type: "DELETED", key, object: last, prevObject: prev, rv: ev.kv.modRevision, at };
      }
      this.history.push(ce);
      this.rv = ce.rv;
      out.push(ce);
    }
    this.evict(at);
    return out;
  }

  /** Events with rv > rev, oldest first; throws HistoryExpiredError when rev predates the window. */
  eventsAfter(rev: number): CacheEvent[] {
    if (rev < this.historyStart) throw new HistoryExpiredError(rev, this.historyStart);
    const out: CacheEvent[] = [];
    for (let i = this.history.length - 1; i >= this.head; i--) {
      const ev = this.history[i]!;
      if (ev.rv <= rev) break;
      out.push(ev);
    }
    return out.reverse();
  }

  /**
   * Objects under prefix, keys >= start, in key order, as of revision rev (>= historyStart).
   * Yields [key, object].
   */
  *scan(prefix: string, start: string, rev: number): Generator<[string, KubeObject]> {
    if (rev >= this.rv) {
      for (const k of this.keys.range(prefix, start)) yield [k, this.objects.get(k)!];
      return;
    }
    if (rev < this.historyStart) throw new HistoryExpiredError(rev, this.historyStart);
    const overrides = new Map<string, KubeObject | null>();
    for (let i = this.history.length - 1; i >= this.head; i--) {
      const ev = this.history[i]!;
      if (ev.rv <= rev) break;
      if (ev.key.startsWith(prefix)) overrides.set(ev.key, ev.prevObject ?? null);
    }
    const from = start > prefix ? start : prefix;
    const candidates = new Set<string>(this.keys.range(prefix, start));
    for (const k of overrides.keys()) if (k >= from) candidates.add(k);
    for (const k of [...candidates].sort()) {
      const obj = overrides.has(k) ? overrides.get(k) : this.objects.get(k);
      if (obj) yield [k, obj];
    }
  }

  /** Number of objects under prefix from start (current state), for remainingItemCount. */
  countFrom(prefix: string, start: string): number {
    return this.keys.countFrom(prefix, start);
  }

  private evict(now: number): void {
    const { minEvents, minAgeMs, maxEvents } = this.policy;
    while (this.historyLength > 0) {
      const oldest = this.history[this.head]!;
      const n = this.historyLength;
      const tooMany = n > maxEvents;
      const expendable = n > minEvents && now - oldest.at >= minAgeMs;
      if (!tooMany && !expendable) break;
      this.historyStart = oldest.rv;
      this.history[this.head] = undefined as unknown as CacheEvent;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.history.length) {
      this.history = this.history.slice(this.head);
      this.head = 0;
    }
  }
}
