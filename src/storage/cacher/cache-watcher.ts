// One client's watch on a watch cache (upstream cache_watcher.go): filters events through the
// client's selector (an object that leaves the selector is DELETED for this client, one that
// enters is ADDED), queues them without blocking the cache, and terminates itself when the client
// falls too far behind — the client then re-watches from its last resourceVersion.
import type { KubeObject, WatchEvent } from "../../apimachinery/types.js";
import type { Watch } from "../../registry/rest.js";
import type { CacheEvent } from "./watch-cache.js";

export interface WatchFilter {
  matches(obj: KubeObject): boolean;
}

type Item = WatchEvent<KubeObject>;

export class CacheWatcher implements Watch {
  private initial: KubeObject[] = [];
  private initialIndex = 0;
  private queue: Item[] = [];
  private head = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  /** Revision of the last event or bookmark queued (bookmarks never go backwards). */
  lastRv: number;

  constructor(
    private readonly filter: WatchFilter,
    startRv: number,
    private readonly maxQueue: number,
    private readonly onStop: (w: CacheWatcher) => void,
    readonly allowBookmarks: boolean,
  ) {
    this.lastRv = startRv;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Synthetic ADDED events for the initial state, delivered before any queued event. */
  setInitial(objects: KubeObject[]): void {
    this.initial = objects;
  }

  deliver(ev: CacheEvent): void {
    if (this.closed || ev.rv <= this.lastRv) return;
    const now = ev.type !== "DELETED" && this.filter.matches(ev.object);
    const before = ev.prevObject !== undefined && this.filter.matches(ev.prevObject);
    let type: Item["type"] | undefined;
    if (ev.type === "DELETED") type = before ? "DELETED" : undefined;
    else if (now && before) type = "MODIFIED";
    else if (now) type = "ADDED";
    else if (before) type = "DELETED";
    this.lastRv = ev.rv;
    if (!type) return;
    if (type === "DELETED" && ev.type !== "DELETED") {
      // left the selector: upstream sends the last matching state, stamped with this revision
      const prev = ev.prevObject!;
      this.push({ type, object: { ...prev, metadata: { ...prev.metadata, resourceVersion: String(ev.rv) } } });
      return;
    }
    this.push({ type, object: ev.object });
  }

  /** Queues a BOOKMARK at rv (never below what was already delivered). */
  bookmark(rv: number, annotations?: Record<string, string>): void {
    if (this.closed) return;
    const at = Math.max(rv, this.lastRv);
    this.lastRv = at;
    const metadata: KubeObject["metadata"] = { resourceVersion: String(at) };
    if (annotations) metadata.annotations = annotations;
    this.push({ type: "BOOKMARK", object: { metadata } });
  }

  /** Ends the stream after what is queued (timeout, shutdown, or an error event pushed first). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onStop(this);
    this.wake?.();
  }

  /** Queues a terminal ERROR event and ends the stream. */
  fail(status: KubeObject): void {
    this.queue.push({ type: "ERROR", object: status });
    this.close();
  }

  stop(): void {
    this.initial = [];
    this.queue = [];
    this.head = 0;
    this.close();
  }

  private push(item: Item): void {
    this.queue.push(item);
    if (this.queue.length - this.head > this.maxQueue) {
      // Too slow: drop the backlog and end the stream; the client resumes from its last RV.
      this.queue = [];
      this.head = 0;
      this.close();
      return;
    }
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    try {
      yield* this.items();
    } finally {
      if (!this.closed) this.stop();
    }
  }

  private async *items(): AsyncGenerator<Item> {
    for (;;) {
      if (this.initialIndex < this.initial.length) {
        yield { type: "ADDED", object: this.initial[this.initialIndex++]! };
        continue;
      }
      if (this.head < this.queue.length) {
        const item = this.queue[this.head]!;
        this.queue[this.head++] = undefined as unknown as Item;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
