// Conditional writes with group commit. Every write is checked against the newest state (committed
// plus in-flight), given the next revision, and queued; a flush loop persists the queued writes as
// ONE synced batch while the next group accumulates, then applies them to the MVCC state (which
// notifies watchers) and acknowledges them. So a write is acknowledged only once durable, watchers
// never see an undurable write, and concurrent clients share each fsync.
import type { KeyValue, WriteResult } from "../backend.js";
import type { LogEntry, MvccState } from "./mvcc-state.js";

/** Makes a group of events durable (one atomic, synced batch). */
export interface Persister {
  persist(events: LogEntry[]): Promise<void>;
}

interface QueuedWrite {
  event: LogEntry;
  resolve(r: WriteResult): void;
  reject(err: unknown): void;
  done: Promise<WriteResult>;
}

export class WritePipeline {
  /** Newest uncommitted state of keys with writes in flight (null: deleted). */
  private readonly overlay = new Map<string, { kv: KeyValue | null; write: QueuedWrite }>();
  private queue: QueuedWrite[] = [];
  private assigned: number;
  private flushing = false;
  private flushDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: MvccState,
    private readonly persister: Persister | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.assigned = state.revision;
  }

  put(key: string, value: string, expectedModRevision: number): Promise<WriteResult> {
    return this.submit("put", key, expectedModRevision, (cur, rev) => ({
      type: "put",
      kv: {
        key,
        value,
        createRevision: cur ? cur.createRevision : rev,
        modRevision: rev,
        version: cur ? cur.version + 1 : 1,
      },
      ...(cur ? { prevKv: cur } : {}),
      at: this.now(),
    }));
  }

  delete(key: string, expectedModRevision: number): Promise<WriteResult> {
    return this.submit("delete", key, expectedModRevision, (cur, rev) => ({
      type: "delete",
      kv: { key, value: "", createRevision: cur!.createRevision, modRevision: rev, version: 0 },
      prevKv: cur!,
      at: this.now(),
    }));
  }

  /** Resolves when every queued write has been persisted (or failed). */
  drain(): Promise<void> {
    return this.flushDone;
  }

  private async submit(
    op: "put" | "delete",
    key: string,
    expected: number,
    build: (cur: KeyValue | undefined, rev: number) => LogEntry,
  ): Promise<WriteResult> {
    const pending = this.overlay.get(key);
    const cur = pending ? pending.kv ?? undefined : this.state.get(key);
    const curMod = cur?.modRevision ?? 0;
    if (curMod !== expected || (op === "delete" && cur === undefined)) {
      // Answer from durable state only: wait for the write in flight on this key first.
      if (pending) await pending.write.done.catch(() => undefined);
      const now = this.state.get(key);
      return { ok: false, revision: this.state.revision, ...(now ? { kv: now } : {}) };
    }
    const rev = ++this.assigned;
    const event = build(cur, rev);
    if (!this.persister) {
      this.state.apply([event]);
      return { ok: true, revision: rev, kv: event.type === "put" ? event.kv : event.prevKv! };
    }
    let resolve!: (r: WriteResult) => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<WriteResult>((res, rej) => ((resolve = res), (reject = rej)));
    const write: QueuedWrite = { event, resolve, reject, done };
    this.overlay.set(key, { kv: event.type === "put" ? event.kv : null, write });
    this.queue.push(write);
    if (!this.flushing) {
      this.flushing = true;
      this.flushDone = Promise.resolve().then(() => this.flush());
    }
    return done;
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const group = this.queue;
      this.queue = [];
      try {
        await this.persister!.persist(group.map((w) => w.event));
      } catch (err) {
        // Nothing of this group or of anything validated against it is durable: fail them all.
        const failed = [...group, ...this.queue];
        this.queue = [];
        this.overlay.clear();
        this.assigned = this.state.revision;
        this.flushing = false;
        for (const w of failed) w.reject(err);
        return;
      }
      this.state.apply(group.map((w) => w.event));
      for (const w of group) {
        const { kv } = w.event;
        const o = this.overlay.get(kv.key);
        if (o && o.write === w) this.overlay.delete(kv.key);
        w.resolve({ ok: true, revision: kv.modRevision, kv: w.event.type === "put" ? kv : w.event.prevKv! });
      }
    }
    this.flushing = false;
  }
}
