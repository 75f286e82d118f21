// Small helpers for tests that drive a StorageBackend directly.
import assert from "node:assert/strict";
import type { BackendEvent, KeyValue, StorageBackend } from "../../../src/storage/backend.js";
import { isStorageError, type StorageErrorCode } from "../../../src/storage/errors.js";
import { waitFor } from "./wait.js";

export async function rejectsWith(p: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${String(err)}`);
    return true;
  });
}

/** An event reduced to the fields the contract defines (backends may attach more). */
export function contractEvent(e: BackendEvent): BackendEvent {
  return e.prevKv ? { type: e.type, kv: e.kv, prevKv: e.prevKv } : { type: e.type, kv: e.kv };
}

export interface Recording {
  events: BackendEvent[];
  stop: () => void;
  revisions(): number[];
  /** Waits until an event at revision rev (or later) has arrived. */
  until(rev: number): Promise<void>;
}

/** Records the events of one backend watch. */
export async function record(b: StorageBackend, prefix: string, after: number): Promise<Recording> {
  const events: BackendEvent[] = [];
  const stop = await b.watch(prefix, after, (evs) => events.push(...evs.map(contractEvent)));
  return {
    events,
    stop,
    revisions: () => events.map((e) => e.kv.modRevision),
    until: (rev) => waitFor(() => events.some((e) => e.kv.modRevision >= rev), `watch event at revision ${rev}`),
  };
}

/** A conditional put that must succeed. */
export async function mustPut(b: StorageBackend, key: string, value: string, expected = 0): Promise<KeyValue> {
  const r = await b.optimisticPut(key, value, expected);
  assert.ok(r.ok, `put ${key} (expected ${expected}) failed: ${JSON.stringify(r)}`);
  return r.kv!;
}

/** [from, from+1, ..., to]. */
export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** A small deterministic PRNG, so randomised tests are reproducible. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}
