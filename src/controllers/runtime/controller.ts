// A controller (controller-runtime's reconcileHandler): keys in a rate-limited queue, a level-based
// reconcile per key, errors retried with per-key backoff, requeueAfter on the Clock, a terminal
// error that is not retried.
import { ExponentialBackoff, RateLimitingQueue } from "../../client/workqueue/queue.js";
import type { Clock } from "../../util/clock.js";

export interface Result {
  /** Reconcile again after this many ms (on the injected Clock). */
  requeueAfterMs?: number;
  /** Reconcile again with backoff. */
  requeue?: boolean;
}

export type Reconcile = (key: string) => Promise<Result | void>;

/** An error that retrying cannot fix: logged, not requeued. */
export class TerminalError extends Error {}

export interface Runnable {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export class Controller implements Runnable {
  readonly queue: RateLimitingQueue<string>;
  private workers: Promise<void>[] = [];

  constructor(
    readonly name: string,
    private readonly reconcile: Reconcile,
    clock: Clock,
    private readonly concurrency = 1,
    /** Retry backoff of failed keys (default client-go's: 5 ms doubling to 1000 s; the Job controller starts at 1 s). */
    backoff?: { baseMs: number; maxMs: number },
  ) {
    this.queue = new RateLimitingQueue<string>(clock, backoff ? new ExponentialBackoff<string>(backoff.baseMs, backoff.maxMs) : undefined);
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  start(): void {
    for (let i = 0; i < this.concurrency; i++) this.workers.push(this.work());
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.workers);
    this.workers = [];
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const res = await this.reconcile(key);
        if (res?.requeueAfterMs !== undefined) {
          this.queue.forget(key);
          this.queue.addAfter(key, res.requeueAfterMs);
        } else if (res?.requeue) this.queue.addRateLimited(key);
        else this.queue.forget(key);
      } catch (err) {
        if (err instanceof TerminalError) {
          console.error(`kubefacade: ${this.name}: ${key}: ${err.message}`);
          this.queue.forget(key);
        } else {
          const n = this.queue.numRequeues(key);
          if (n === 3 || (n > 0 && n % 50 === 0)) console.error(`kubefacade: ${this.name}: ${key}: ${(err as Error).message} (retry ${n})`);
          this.queue.addRateLimited(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }
}

/** The key of an object: namespace/name, or name when cluster-scoped. */
export function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
