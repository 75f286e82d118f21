// Controller expectations (upstream pkg/controller/controller_utils.go): after issuing creates or
// deletes, a controller waits until its informer has observed them before acting on the key
// again, so it never creates twice from a stale cache. Expectations expire (5 minutes, upstream)
// on the injected Clock.
import type { Clock } from "../../util/clock.js";

const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when the key's informer has caught up (or the expectations expired). */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if ((e.add <= 0 && e.del <= 0) || this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS) {
      this.byKey.delete(key);
      return true;
    }
    return false;
  }

  expect(key: string, adds: number, dels: number): void {
    this.byKey.set(key, { add: adds, del: dels, at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.del--;
  }

  /** A create that failed will never be observed. */
  lowerExpectations(key: string, adds: number, dels: number): void {
    const e = this.byKey.get(key);
    if (e) {
      e.add -= adds;
      e.del -= dels;
    }
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
