// The embedded default backend: the MVCC state in memory, made durable in LevelDB. Each group of
// writes is ONE atomic, synced batch holding every object (k:<key>), its change-log entry
// (l:<revision>) and the store revision (m:rev), so an acknowledged write survives kill -9 and a
// restart resumes the same revisions and watch history. LevelDB allows one process per directory.
import { mkdir } from "node:fs/promises";
import type { Level } from "level";
import type { KeyValue } from "../backend.js";
import { StorageError } from "../errors.js";
import { MemoryBackend } from "./memory-backend.js";
import type { LogEntry } from "./mvcc-state.js";
import { WritePipeline, type Persister } from "./write-pipeline.js";

type BatchOp = { type: "put"; key: string; value: string } | { type: "del"; key: string };

const KV = "k:";
const LOG = "l:";
const META_REV = "m:rev";
const META_COMPACTED = "m:compacted";

const padRev = (rev: number) => rev.toString().padStart(16, "0");

function encodeKv(kv: KeyValue): string {
  return `${kv.createRevision} ${kv.modRevision} ${kv.version}\n${kv.value}`;
}

function decodeKv(key: string, raw: string): KeyValue {
  const nl = raw.indexOf("\n");
  const [c, m, n] = raw.slice(0, nl).split(" ").map(Number) as [number, number, number];
  return { key, value: raw.slice(nl + 1), createRevision: c, modRevision: m, version: n };
}

type KvTuple = [number, number, number, string];
const tuple = (kv: KeyValue): KvTuple => [kv.createRevision, kv.modRevision, kv.version, kv.value];
const fromTuple = (key: string, t: KvTuple): KeyValue => ({ key, createRevision: t[0], modRevision: t[1], version: t[2], value: t[3] });

function encodeLog(ev: LogEntry): string {
  return JSON.stringify({ t: ev.type, k: ev.kv.key, kv: tuple(ev.kv), p: ev.prevKv ? tuple(ev.prevKv) : undefined, at: ev.at });
}

function decodeLog(raw: string): LogEntry {
  const o = JSON.parse(raw) as { t: "put" | "delete"; k: string; kv: KvTuple; p?: KvTuple; at: number };
  return { type: o.t, kv: fromTuple(o.k, o.kv), ...(o.p ? { prevKv: fromTuple(o.k, o.p) } : {}), at: o.at };
}

export class DataDirLockedError extends Error {
  constructor(dir: string) {
    super(`the storage directory ${dir} is in use by another process`);
    this.name = "DataDirLockedError";
  }
}

export class LevelDbBackend extends MemoryBackend implements Persister {
  override readonly supports = { multiInstance: false, durable: true };
  private db!: Level<string, string>;

  constructor(
    private readonly dir: string,
    now: () => number = Date.now,
  ) {
    super(now);
    this.pipeline = new WritePipeline(this.state, this, now);
  }

  override async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const { Level } = await import("level");
    this.db = new Level<string, string>(this.dir, { keyEncoding: "utf8", valueEncoding: "utf8" });
    try {
      await this.db.open();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (cause?.code === "LEVEL_LOCKED" || (err as { code?: string }).code === "LEVEL_LOCKED") throw new DataDirLockedError(this.dir);
      throw err;
    }
    const kvs: KeyValue[] = [];
    for await (const [k, v] of this.db.iterator({ gte: KV, lt: "k;" })) kvs.push(decodeKv(k.slice(KV.length), v));
    const log: LogEntry[] = [];
    for await (const v of this.db.values({ gte: LOG, lt: "l;" })) log.push(decodeLog(v));
    const rev = Number((await this.db.get(META_REV)) ?? 1);
    const storedCompacted = Number((await this.db.get(META_COMPACTED)) ?? 1);
    const retained = log.filter((ev) => ev.kv.modRevision > storedCompacted);
    const revision = Math.max(rev, log.length ? log[log.length - 1]!.kv.modRevision : 1);
    // The log must cover (compacted, revision] contiguously.
    const compacted = retained.length ? Math.max(storedCompacted, retained[0]!.kv.modRevision - 1) : revision;
    this.state.load(kvs, retained, revision, compacted);
    this.pipeline = new WritePipeline(this.state, this, this.now);
  }

  override async close(): Promise<void> {
    await this.pipeline.drain();
    await this.db.close();
  }

  /** Persister: one atomic synced batch per group of writes. */
  async persist(events: LogEntry[]): Promise<void> {
    const ops: BatchOp[] = [];
    for (const ev of events) {
      const k = KV + ev.kv.key;
      if (ev.type === "put") ops.push({ type: "put", key: k, value: encodeKv(ev.kv) });
      else ops.push({ type: "del", key: k });
      ops.push({ type: "put", key: LOG + padRev(ev.kv.modRevision), value: encodeLog(ev) });
    }
    ops.push({ type: "put", key: META_REV, value: String(events[events.length - 1]!.kv.modRevision) });
    await this.db.batch(ops, { sync: true });
  }

  override async compact(revision: number): Promise<void> {
    const before = this.state.compacted;
    await super.compact(revision);
    const after = this.state.compacted;
    if (after <= before) return;
    const ops: BatchOp[] = [{ type: "put", key: META_COMPACTED, value: String(after) }];
    for (let r = before + 1; r <= after; r++) ops.push({ type: "del", key: LOG + padRev(r) });
    await this.db.batch(ops, { sync: true });
  }
}

export function isDataDirLocked(err: unknown): err is DataDirLockedError {
  return err instanceof DataDirLockedError;
}

export { StorageError };
