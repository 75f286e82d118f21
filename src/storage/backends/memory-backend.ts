// The in-memory backend (tests, --storage memory): the MVCC state with immediate commits.
import type {
  BackendListOptions,
  BackendListResult,
  BackendSupports,
  KeyValue,
  StorageBackend,
  WatchHandler,
  WriteResult,
} from "../backend.js";
import { MvccState } from "./mvcc-state.js";
import { WritePipeline } from "./write-pipeline.js";

export class MemoryBackend implements StorageBackend {
  readonly supports: BackendSupports = { multiInstance: false, durable: false };
  protected readonly state = new MvccState();
  protected pipeline: WritePipeline;

  constructor(protected readonly now: () => number = Date.now) {
    this.pipeline = new WritePipeline(this.state, undefined, now);
  }

  async open(): Promise<void> {}

  async close(): Promise<void> {
    await this.pipeline.drain();
  }

  async currentRevision(): Promise<number> {
    return this.state.revision;
  }

  async compactedRevision(): Promise<number> {
    return this.state.compacted;
  }

  async get(key: string): Promise<{ kv?: KeyValue; revision: number }> {
    const kv = this.state.get(key);
    return kv ? { kv, revision: this.state.revision } : { revision: this.state.revision };
  }

  async list(prefix: string, opts?: BackendListOptions): Promise<BackendListResult> {
    return this.state.list(prefix, opts);
  }

  optimisticPut(key: string, value: string, expectedModRevision: number): Promise<WriteResult> {
    return this.pipeline.put(key, value, expectedModRevision);
  }

  optimisticDelete(key: string, expectedModRevision: number): Promise<WriteResult> {
    return this.pipeline.delete(key, expectedModRevision);
  }

  async watch(prefix: string, afterRevision: number, handler: WatchHandler): Promise<() => void> {
    return this.state.watch(prefix, afterRevision, handler);
  }

  async compact(revision: number): Promise<void> {
    this.state.compact(revision);
  }

  /** The newest revision retention allows to compact (see storage/compactor.ts). */
  compactionCandidate(now: number, minEvents: number, minAgeMs: number): number {
    return this.state.compactionCandidate(now, minEvents, minAgeMs);
  }
}
