// Child process for the LevelDB durability tests (test/conformance/storage-leveldb.test.ts).
//   node --import tsx test/helpers/storage/leveldb-writer.ts <dir> burst
//     writes forever with 32 workers, each creating a key and then updating it once, and prints
//     "ack <key> <revision> <value>" the moment each write's promise resolves (stdout to a pipe is
//     synchronous on Linux, so a printed ack was acknowledged before anything after it happened);
//   node --import tsx test/helpers/storage/leveldb-writer.ts <dir> hold
//     opens the directory, prints "ready" and waits to be killed.
import { LevelDbBackend } from "../../../src/storage/backends/leveldb-backend.js";

const [dir, mode = "burst"] = process.argv.slice(2);
if (!dir) {
  process.stderr.write("usage: leveldb-writer.ts <dir> [burst|hold]\n");
  process.exit(64);
}
const backend = new LevelDbBackend(dir);
await backend.open();
process.stdout.write("ready\n");

if (mode === "hold") {
  setInterval(() => {}, 1 << 30);
} else {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = `/registry/crash/k${String(next++).padStart(8, "0")}`;
      const created = await backend.optimisticPut(key, "v1", 0);
      if (!created.ok) throw new Error(`unexpected conflict creating ${key}`);
      process.stdout.write(`ack ${key} ${created.revision} v1\n`);
      const updated = await backend.optimisticPut(key, "v2", created.revision);
      if (!updated.ok) throw new Error(`unexpected conflict updating ${key}`);
      process.stdout.write(`ack ${key} ${updated.revision} v2\n`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}
