// Chooses a backend from a storage URL: "memory:" or "leveldb:<dir>" (etcd later: "etcd://...").
import path from "node:path";
import type { StorageBackend } from "./backend.js";
import { LevelDbBackend } from "./backends/leveldb-backend.js";
import { MemoryBackend } from "./backends/memory-backend.js";

export function createBackend(url: string, now: () => number = Date.now): StorageBackend {
  if (url === "memory:" || url === "memory") return new MemoryBackend(now);
  if (url.startsWith("leveldb:")) return new LevelDbBackend(path.resolve(url.slice("leveldb:".length)), now);
  throw new TypeError(`unsupported storage URL ${JSON.stringify(url)} (use memory: or leveldb:<dir>)`);
}
