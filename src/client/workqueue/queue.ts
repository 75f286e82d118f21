// Work queues with client-go's semantics (util/workqueue): an item is never processed by two
// workers at once, adding an item already waiting is a no-op, an item re-added while being
// processed is processed again once done; delayed adds and per-item exponential backoff run on
// the injected Clock.
import type { Clock, Timer } from "../../util/clock.js";

export class WorkQueue<T> {
  private queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private waiters: ((item: T | undefined) => void)[] = [];
  private shuttingDown = false;

  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.push(item);
  }

  private push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(item);
      this.processing.add(item);
      waiter(item);
    } else this.queue.push(item);
  }

  /** The next item, or undefined once the queue shuts down. Call done(item) after processing. */
  get(): Promise<T | undefined> {
    const item = this.queue.shift();
    if (item !== undefined) {
      this.dirty.delete(item);
      this.processing.add(item);
      return Promise.resolve(item);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.dirty.delete(item);
      this.add(item);
    }
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}

export class DelayingQueue<T> extends WorkQueue<T> {
  private readonly timers = new Map<T, { at: number; timer: Timer }>();

  constructor(protected readonly clock: Clock) {
    super();
  }

  /** Adds item after delayMs; an earlier pending add for the same item wins. */
  addAfter(item: T, delayMs: number): void {
    if (this.isShuttingDown) return;
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const at = this.clock.now() + delayMs;
    const pending = this.timers.get(item);
    if (pending && pending.at <= at) return;
    pending?.timer.cancel();
    const timer = this.clock.setTimer(delayMs, () => {
      this.timers.delete(item);
      this.add(item);
    });
    this.timers.set(item, { at, timer });
  }

  override shutDown(): void {
    for (const { timer } of this.timers.values()) timer.cancel();
    this.timers.clear();
    super.shutDown();
  }
}

/** Per-item exponential backoff (client-go ItemExponentialFailureRateLimiter). */
export class ExponentialBackoff<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1000 * 1000,
  ) {}

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  retries(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export class RateLimitingQueue<T> extends DelayingQueue<T> {
  constructor(
    clock: Clock,
    private readonly limiter = new ExponentialBackoff<T>(),
  ) {
    super(clock);
  }

  addRateLimited(item: T): void {
    this.addAfter(item, this.limiter.when(item));
  }

  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.retries(item);
  }
}
