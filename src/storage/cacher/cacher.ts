// Serves get, list and watch of one stored resource from memory (upstream cacher.go), fed by one
// backend watch. Embedded backends deliver events synchronously with the commit, so once
// backend.currentRevision() reports R, the cache holds every event up to R: a consistent read
// needs no round trip. (A remote backend must add a progress wait here; see README limits.)
import { errors } from "../../apimachinery/errors.js";
import type { KubeObject, ListMeta } from "../../apimachinery/types.js";
import type { Clock, Timer } from "../../util/clock.js";
import type { StorageBackend } from "../backend.js";
import { decodeFrozen } from "../codec.js";
import { decodeContinue, encodeContinue } from "../continue-token.js";
import { isStorageError } from "../errors.js";
import { CacheWatcher, type WatchFilter } from "./cache-watcher.js";
import { type CacheEvent, type HistoryPolicy, HistoryExpiredError, WatchCache } from "./watch-cache.js";

export interface CacherOptions {
  history: HistoryPolicy;
  /** Events a watcher may fall behind by before it is cut off. */
  maxWatcherQueue: number;
  /** How often watchers that allow bookmarks get one. */
  bookmarkIntervalMs: number;
  /** How long a request for a future resourceVersion waits for it. */
  futureRevisionWaitMs: number;
  clock: Clock;
}

export const defaultCacherOptions = (clock: Clock): CacherOptions => ({
  history: { minEvents: 10_000, minAgeMs: 5 * 60_000, maxEvents: 200_000 },
  maxWatcherQueue: 10_000,
  bookmarkIntervalMs: 60_000,
  futureRevisionWaitMs: 3_000,
  clock,
});

export interface CacheFilter extends WatchFilter {
  /** True when the filter selects everything (remainingItemCount is only known then). */
  readonly empty: boolean;
}

export interface CacheListRequest {
  prefix: string;
  filter: CacheFilter;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: "" | "NotOlderThan" | "Exact" | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
}

export interface CacheListResult {
  items: KubeObject[];
  metadata: ListMeta;
}

export interface CacheWatchRequest {
  prefix: string;
  filter: CacheFilter;
  resourceVersion?: string | undefined;
  sendInitialEvents?: boolean | undefined;
  allowBookmarks: boolean;
}

const EXPIRED_CONTINUE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/** Parses a resourceVersion query value; "" → undefined. */
export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === "") return undefined;
  if (!/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`);
  return Number(rv);
}

export class Cacher {
  private cache!: WatchCache;
  private unwatch: (() => void) | undefined;
  private readonly watchers = new Map<CacheWatcher, string>();
  private readonly revisionWaiters = new Set<{ rev: number; resolve: () => void }>();
  private bookmarkTimer: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly backend: StorageBackend,
    readonly resourcePrefix: string,
    private readonly opts: CacherOptions,
  ) {}

  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const compacted = await this.backend.compactedRevision();
      try {
        const { kvs, revision } = await this.backend.list(this.resourcePrefix, { revision: compacted });
        this.cache = new WatchCache(revision, this.opts.history, () => this.opts.clock.now());
        this.cache.load(kvs.map((kv) => [kv.key, decodeFrozen(kv)]));
        this.unwatch = await this.backend.watch(this.resourcePrefix, revision, (events) => this.onEvents(this.cache.apply(events)));
        break;
      } catch (err) {
        if (isStorageError(err, "Compacted") && attempt < 5) continue;
        throw err;
      }
    }
    this.scheduleBookmarks();
  }

  stop(): void {
    this.stopped = true;
    this.unwatch?.();
    this.bookmarkTimer?.cancel();
    for (const w of [...this.watchers.keys()]) w.close();
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  /** The current objects under prefix (synchronous; for in-process lookups). */
  snapshot(prefix: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [, obj] of this.cache.scan(prefix, prefix, this.cache.rv)) out.push(obj);
    return out;
  }

  /**
   * The revision a "most recent" read reflects. Callers must use it before yielding again: events
   * applied after the await are in the cache, and cache.rv covers them.
   */
  async currentRevision(): Promise<number> {
    const current = await this.backend.currentRevision();
    return Math.max(current, this.cache.rv);
  }

  async list(req: CacheListRequest): Promise<CacheListResult> {
    let rev: number;
    let start = req.prefix;
    if (req.continue) {
      const token = decodeContinue(req.continue);
      start = req.prefix + token.start;
      const current = await this.currentRevision();
      rev = token.rv === -1 ? current : token.rv;
      if (rev < this.cache.historyStart) {
        const fresh = encodeContinue(-1, token.start.replace(/\u0000$/, ""));
        throw errors.resourceExpired(EXPIRED_CONTINUE, { continue: fresh });
      }
    } else {
      const requested = parseResourceVersion(req.resourceVersion);
      if (requested !== undefined && requested !== 0) await this.waitForRevision(requested);
      const current = await this.currentRevision();
      const match = req.resourceVersionMatch || (req.limit ? "Exact" : "NotOlderThan");
      if (requested === undefined || requested === 0 || match === "NotOlderThan") rev = current;
      else {
        rev = requested;
        if (rev < this.cache.historyStart) throw errors.resourceExpired("The resourceVersion for the provided list is too old.");
      }
    }
    const limit = req.limit && req.limit > 0 ? req.limit : Infinity;
    const items: KubeObject[] = [];
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    const current = rev >= this.cache.rv;
    try {
      for (const [key, obj] of this.cache.scan(req.prefix, start, rev)) {
        if (!req.filter.matches(obj)) continue;
        if (items.length >= limit) {
          more = true;
          // remainingItemCount is only known without a selector; count the snapshot's rest
          // unless the current index can count it directly
          if (!req.filter.empty || current) break;
          remaining++;
          continue;
        }
        items.push(obj);
        lastKey = key;
      }
    } catch (err) {
      if (err instanceof HistoryExpiredError) throw errors.resourceExpired("The resourceVersion for the provided list is too old.");
      throw err;
    }
    const metadata: ListMeta = { resourceVersion: String(rev) };
    if (more && lastKey !== undefined) {
      const relative = lastKey.slice(req.prefix.length);
      metadata.continue = encodeContinue(rev, relative);
      if (req.filter.empty) {
        if (current) remaining = this.cache.countFrom(req.prefix, `${lastKey}\u0000`);
        if (remaining > 0) metadata.remainingItemCount = remaining;
      }
    }
    return { items, metadata };
  }

  async watch(req: CacheWatchRequest): Promise<CacheWatcher> {
    const requested = parseResourceVersion(req.resourceVersion);
    if (requested !== undefined && requested !== 0) await this.waitForRevision(requested);
    // Read the revision and register the watcher in one synchronous step after the await, or a
    // write committed in between would be in neither the initial state nor the live stream.
    const current = Math.max(await this.currentRevision(), this.cache.rv);
    const fromNow = requested === undefined || requested === 0;
    // sendInitialEvents decides explicitly; otherwise RV unset/0 means "current state, then changes".
    const initialState = req.sendInitialEvents ?? fromNow;
    const startRv = initialState || fromNow ? current : requested!;
    const watcher = new CacheWatcher(req.filter, startRv, this.opts.maxWatcherQueue, (w) => this.watchers.delete(w), req.allowBookmarks);
    if (initialState) {
      const objects: KubeObject[] = [];
      for (const [, obj] of this.cache.scan(req.prefix, req.prefix, current)) if (req.filter.matches(obj)) objects.push(obj);
      watcher.setInitial(objects);
      if (req.sendInitialEvents) watcher.bookmark(current, { "k8s.io/initial-events-end": "true" });
      this.watchers.set(watcher, req.prefix);
      return watcher;
    }
    if (fromNow) {
      this.watchers.set(watcher, req.prefix);
      return watcher;
    }
    let history: CacheEvent[];
    try {
      history = this.cache.eventsAfter(requested!);
    } catch (err) {
      if (!(err instanceof HistoryExpiredError)) throw err;
      watcher.fail(errors.resourceExpired(err.message).toStatus() as unknown as KubeObject);
      return watcher;
    }
    this.watchers.set(watcher, req.prefix);
    for (const ev of history) if (ev.key.startsWith(req.prefix)) watcher.deliver(ev);
    return watcher;
  }

  private onEvents(events: CacheEvent[]): void {
    if (events.length === 0) return;
    for (const [w, prefix] of this.watchers) {
      for (const ev of events) if (ev.key.startsWith(prefix)) w.deliver(ev);
    }
    const rv = this.cache.rv;
    for (const waiter of this.revisionWaiters) if (waiter.rev <= rv) waiter.resolve();
  }

  /** Waits (bounded) until the store reaches rev; a revision that never arrives is a 504. */
  private async waitForRevision(rev: number): Promise<void> {
    if (Math.max(await this.currentRevision(), this.cache.rv) >= rev) return;
    await new Promise<void>((resolve) => {
      const waiter = { rev, resolve: () => done() };
      const timer = this.opts.clock.setTimer(this.opts.futureRevisionWaitMs, () => done());
      const done = () => {
        timer.cancel();
        this.revisionWaiters.delete(waiter);
        resolve();
      };
      this.revisionWaiters.add(waiter);
    });
    const current = Math.max(await this.currentRevision(), this.cache.rv);
    if (current < rev) {
      const err = errors.timeout(`Too large resource version: ${rev}, current: ${current}`, 1);
      err.details!.causes = [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }];
      throw err;
    }
  }

  private scheduleBookmarks(): void {
    if (this.stopped) return;
    this.bookmarkTimer = this.opts.clock.setTimer(this.opts.bookmarkIntervalMs, () => {
      void this.currentRevision().then((rev) => {
        for (const w of this.watchers.keys()) if (w.allowBookmarks) w.bookmark(rev);
      });
      this.scheduleBookmarks();
    });
  }
}
