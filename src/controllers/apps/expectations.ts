// upstream UIDTrackingControllerExpectations (pkg/controller/controller_utils.go): creations are
// counted, deletions are tracked by pod key so that a pod seen first with a deletionTimestamp and
// then deleted counts once. Expectations expire after 5 minutes on the injected Clock.
import type { Clock } from "../../util/clock.js";

const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  adds: number;
  dels: Set<string>;
  at: number;
}

export class PodExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when the controller may act on key: every expected create and delete was observed, or they expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.dels.size === 0) || this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS) return true;
    return false;
  }

  expectCreations(key: string, adds: number): void {
    this.byKey.set(key, { adds, dels: new Set(), at: this.clock.now() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.byKey.set(key, { adds: 0, dels: new Set(podKeys), at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.dels.delete(podKey);
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
