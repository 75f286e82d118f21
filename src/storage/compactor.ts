// Periodic compaction of the backend's history (upstream: the apiserver compacts etcd every 5
// minutes). Retention keeps at least minEvents revisions and at least minAgeMs of history, so
// watches and continue tokens within that window keep working.
import type { Clock, Timer } from "../util/clock.js";
import type { StorageBackend } from "./backend.js";

export interface CompactionPolicy {
  intervalMs: number;
  minEvents: number;
  minAgeMs: number;
}

interface CompactableBackend extends StorageBackend {
  compactionCandidate?(now: number, minEvents: number, minAgeMs: number): number;
}

export class Compactor {
  private timer: Timer | undefined;
  private running = false;

  constructor(
    private readonly backend: CompactableBackend,
    private readonly clock: Clock,
    private readonly policy: CompactionPolicy,
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** One compaction pass; returns the revision compacted to (0 when nothing was due). */
  async compactOnce(): Promise<number> {
    if (this.running || !this.backend.compactionCandidate) return 0;
    this.running = true;
    try {
      const rev = this.backend.compactionCandidate(this.clock.now(), this.policy.minEvents, this.policy.minAgeMs);
      if (rev > (await this.backend.compactedRevision())) {
        await this.backend.compact(rev);
        return rev;
      }
      return 0;
    } finally {
      this.running = false;
    }
  }

  private schedule(): void {
    const timer = this.clock.setTimer(this.policy.intervalMs, () => {
      void this.compactOnce()
        .catch((err) => console.error("kubefacade: compaction failed:", err))
        .finally(() => {
          if (this.timer === timer) this.schedule();
        });
    });
    this.timer = timer;
  }
}
