// Drains an async iterable (a CacheWatcher) in the background so tests can wait for events with a
// deadline and check that a stream has ended.
import { waitFor } from "./wait.js";

export class Collector<T> {
  readonly items: T[] = [];
  ended = false;
  error: unknown;

  constructor(iterable: AsyncIterable<T>) {
    void (async () => {
      try {
        for await (const item of iterable) this.items.push(item);
      } catch (err) {
        this.error = err;
      } finally {
        this.ended = true;
      }
    })();
  }

  /** Waits until at least n items have arrived; returns the first n. */
  async take(n: number, timeoutMs?: number): Promise<T[]> {
    await waitFor(() => this.items.length >= n || this.ended, `${n} watch events (have ${this.items.length})`, timeoutMs);
    if (this.items.length < n) throw new Error(`stream ended after ${this.items.length} events, expected ${n}: ${JSON.stringify(this.items)}`);
    return this.items.slice(0, n);
  }

  /** Waits until the stream has ended. */
  async end(timeoutMs?: number): Promise<T[]> {
    await waitFor(() => this.ended, "end of the watch stream", timeoutMs);
    return this.items;
  }
}

export function collect<T>(iterable: AsyncIterable<T>): Collector<T> {
  return new Collector(iterable);
}
