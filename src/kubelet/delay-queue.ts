// One timer for many deadlines: a min-heap of due times on the injected Clock, with a single
// clock timer armed for the earliest. Thousands of simulated pods and nodes schedule their next
// step here instead of each holding a timer of its own.
import type { Clock, Timer } from "../util/clock.js";

export interface Scheduled {
  readonly at: number;
  cancel(): void;
  readonly cancelled: boolean;
}

interface Entry extends Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class DelayQueue {
  private heap: Entry[] = [];
  private seq = 0;
  private armed: { at: number; timer: Timer } | undefined;
  private live = 0;
  private stopped = false;
  private running = false;

  constructor(private readonly clock: Clock) {}

  /** Number of pending (not cancelled) entries. */
  get size(): number {
    return this.live;
  }

  /** Runs fn at `at` (ms since the epoch, on the clock); at or before now runs on the next turn. */
  at(at: number, fn: () => void): Scheduled {
    const entry: Entry = {
      at,
      seq: this.seq++,
      fn,
      cancelled: false,
      cancel: () => {
        if (entry.cancelled) return;
        entry.cancelled = true;
        this.live--;
      },
    };
    if (this.stopped) {
      entry.cancelled = true;
      return entry;
    }
    this.live++;
    this.push(entry);
    if (!this.running) this.arm();
    return entry;
  }

  after(ms: number, fn: () => void): Scheduled {
    return this.at(this.clock.now() + Math.max(0, ms), fn);
  }

  stop(): void {
    this.stopped = true;
    this.armed?.timer.cancel();
    this.armed = undefined;
    for (const e of this.heap) e.cancelled = true;
    this.heap = [];
    this.live = 0;
  }

  private arm(): void {
    while (this.heap.length && this.heap[0]!.cancelled) this.pop();
    const top = this.heap[0];
    if (!top) {
      this.armed?.timer.cancel();
      this.armed = undefined;
      return;
    }
    if (this.armed && this.armed.at <= top.at) return;
    this.armed?.timer.cancel();
    const at = top.at;
    const timer = this.clock.setTimer(at - this.clock.now(), () => {
      if (this.armed?.timer === timer) this.armed = undefined;
      this.run();
    });
    this.armed = { at, timer };
  }

  private run(): void {
    this.running = true;
    try {
      const now = this.clock.now();
      for (;;) {
        const top = this.heap[0];
        if (!top || top.at > now) break;
        this.pop();
        if (top.cancelled) continue;
        top.cancelled = true;
        this.live--;
        try {
          top.fn();
        } catch (err) {
          console.error("kubefacade: kubelet delay queue task failed:", err);
        }
      }
    } finally {
      this.running = false;
    }
    if (!this.stopped) this.arm();
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
