// The object layer of one stored resource (upstream storage.Interface over etcd3 + Cacher): writes
// go to the backend as conditional operations; reads come from the watch cache. The optimistic
// retry loop of guaranteedUpdate lives here, so every update — PUT, each patch type, finalizer
// removal — is re-applied to fresh state when it races another writer.
import type { KubeObject } from "../apimachinery/types.js";
import type { KeyValue, StorageBackend } from "./backend.js";
import { Cacher, type CacheListRequest, type CacheListResult, type CacheWatchRequest } from "./cacher/cacher.js";
import type { CacheWatcher } from "./cacher/cache-watcher.js";
import { decodeObject, deepCopy, encodeObject } from "./codec.js";
import { StorageError } from "./errors.js";
import { deepEqual } from "../util/deep-equal.js";

/** Largest object the store accepts (etcd's default request limit). */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

export interface UpdateOutcome {
  object: KubeObject;
  created: boolean;
  /** False when the transform produced no change (nothing written, resourceVersion unchanged). */
  changed: boolean;
}

/**
 * Computes the next state from the current one (a mutable copy; undefined when absent). Returning
 * the input unchanged is a no-op. Throwing aborts the update.
 */
export type TryUpdate = (current: KubeObject | undefined) => Promise<KubeObject>;

const MAX_RETRIES = 64;

/** Equal objects apart from key order and resourceVersion: an update that changes nothing. */
function sameContent(next: KubeObject, current: KubeObject): boolean {
  const { resourceVersion: _a, ...nm } = next.metadata;
  const { resourceVersion: _b, ...cm } = current.metadata;
  return deepEqual({ ...next, metadata: nm }, { ...current, metadata: cm });
}

function checkSize(key: string, value: string): void {
  if (Buffer.byteLength(value) > MAX_OBJECT_BYTES) throw new StorageError("RequestTooLarge", key, "request is too large");
}

export class ObjectStore {
  constructor(
    private readonly backend: StorageBackend,
    readonly cacher: Cacher,
  ) {}

  get(key: string): KubeObject | undefined {
    return this.cacher.get(key);
  }

  list(req: CacheListRequest): Promise<CacheListResult> {
    return this.cacher.list(req);
  }

  watch(req: CacheWatchRequest): Promise<CacheWatcher> {
    return this.cacher.watch(req);
  }

  currentRevision(): Promise<number> {
    return this.cacher.currentRevision();
  }

  /** Stores a new object; StorageError KeyExists when the key is taken. */
  async create(key: string, obj: KubeObject, dryRun: boolean): Promise<KubeObject> {
    const value = encodeObject(obj);
    checkSize(key, value);
    if (dryRun) {
      if (this.cacher.get(key)) throw new StorageError("KeyExists", key, "key exists");
      return obj;
    }
    const res = await this.backend.optimisticPut(key, value, 0);
    if (!res.ok) throw new StorageError("KeyExists", key, "key exists");
    return this.written(key, res.kv!);
  }

  /**
   * The object a write stored, for the caller to keep (mutable): a copy of the watch cache's
   * decoded object when it already holds this revision (embedded backends deliver the event before
   * the write returns) — the same value and key order as decoding the text again, for less work.
   */
  private written(key: string, kv: KeyValue): KubeObject {
    const cached = this.cacher.get(key);
    if (cached !== undefined && cached.metadata.resourceVersion === String(kv.modRevision)) return deepCopy(cached);
    return decodeObject(kv);
  }

  async guaranteedUpdate(key: string, tryUpdate: TryUpdate, dryRun: boolean): Promise<UpdateOutcome> {
    let current = this.cacher.get(key);
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const next = await tryUpdate(current ? deepCopy(current) : undefined);
      const value = encodeObject(next);
      checkSize(key, value);
      if (current && (value === encodeObject(current) || sameContent(next, current))) return { object: current, created: false, changed: false };
      if (dryRun) {
        const out = deepCopy(next);
        if (current) out.metadata.resourceVersion = current.metadata.resourceVersion;
        return { object: out, created: !current, changed: true };
      }
      const expected = current ? Number(current.metadata.resourceVersion) : 0;
      const res = await this.backend.optimisticPut(key, value, expected);
      if (res.ok) return { object: this.written(key, res.kv!), created: !current, changed: true };
      current = res.kv ? decodeObject(res.kv) : undefined;
    }
    throw new StorageError("ResourceVersionConflicts", key, "too many conflicting updates");
  }

  /**
   * Deletes the object after check(current) accepts it (preconditions); retries on races. Returns
   * the deleted state with resourceVersion = the delete's revision.
   */
  async delete(key: string, check: (current: KubeObject) => void, dryRun: boolean): Promise<KubeObject> {
    let current = this.cacher.get(key);
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      if (!current) throw new StorageError("KeyNotFound", key, "not found");
      check(current);
      if (dryRun) return current;
      const res = await this.backend.optimisticDelete(key, Number(current.metadata.resourceVersion));
      if (res.ok) return { ...current, metadata: { ...current.metadata, resourceVersion: String(res.revision) } };
      current = res.kv ? decodeObject(res.kv) : undefined;
    }
    throw new StorageError("ResourceVersionConflicts", key, "too many conflicting deletes");
  }
}
