// The storage contract (modelled on etcd's client/v3/kubernetes interface and kine's Backend):
// bytes under keys, a global monotonic revision that becomes every object's resourceVersion,
// conditional writes on mod-revision, prefix lists at a revision, and watches from a revision.
// Backends know nothing of Kubernetes objects; the object store and watch cache sit above.

export interface KeyValue {
  key: string;
  /** The serialised object (JSON without metadata.resourceVersion); "" on delete events. */
  value: string;
  /** Revision of the write that created the key. */
  createRevision: number;
  /** Revision of the last write to the key (its resourceVersion). */
  modRevision: number;
  /** Number of writes since creation (1 on create). */
  version: number;
}

export interface BackendEvent {
  type: "put" | "delete";
  /** For put: the new state. For delete: key, modRevision = the delete's revision, empty value. */
  kv: KeyValue;
  /** The state before the event (absent for creates). */
  prevKv?: KeyValue;
}

export interface BackendListOptions {
  /** Read the state as of this revision (0/undefined: current). Older than compaction → Compacted. */
  revision?: number;
  /** First key to return (inclusive); must start with the prefix. */
  startKey?: string;
  /** Maximum number of kvs (0/undefined: all). */
  limit?: number;
}

export interface BackendListResult {
  kvs: KeyValue[];
  /** The revision the list reflects. */
  revision: number;
  /** More keys follow the last one returned. */
  more: boolean;
  /** Number of keys from startKey to the end of the prefix (including those returned). */
  count: number;
}

export interface WriteResult {
  ok: boolean;
  /** The store revision after the operation (the new modRevision when ok). */
  revision: number;
  /** On success the new state (put) or the deleted state (delete); on failure the current state, if any. */
  kv?: KeyValue;
}

export type WatchHandler = (events: BackendEvent[]) => void;

export interface BackendSupports {
  /** Several server instances may share the store (etcd); embedded stores are single-process. */
  multiInstance: boolean;
  /** Acknowledged writes survive a crash. */
  durable: boolean;
}

export interface StorageBackend {
  readonly supports: BackendSupports;
  open(): Promise<void>;
  close(): Promise<void>;
  currentRevision(): Promise<number>;
  /** Revisions at or below this one have been compacted away. */
  compactedRevision(): Promise<number>;
  get(key: string): Promise<{ kv?: KeyValue; revision: number }>;
  list(prefix: string, opts?: BackendListOptions): Promise<BackendListResult>;
  /**
   * Writes value if the key's current modRevision equals expectedModRevision (0: the key must not
   * exist). The write is durable when the promise resolves.
   */
  optimisticPut(key: string, value: string, expectedModRevision: number): Promise<WriteResult>;
  /** Deletes the key if its current modRevision equals expectedModRevision. */
  optimisticDelete(key: string, expectedModRevision: number): Promise<WriteResult>;
  /**
   * Delivers, in revision order and without gaps or duplicates, every event under prefix with a
   * revision above afterRevision: first the retained history, then live events. Throws a
   * StorageError "Compacted" when afterRevision is below the compacted revision.
   * Returns a function that stops the watch.
   */
  watch(prefix: string, afterRevision: number, handler: WatchHandler): Promise<() => void>;
  /** Discards history at and below revision. */
  compact(revision: number): Promise<void>;
}
