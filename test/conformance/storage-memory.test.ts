// The storage backend conformance suite against the in-memory backend.
import { MemoryBackend } from "../../src/storage/backends/memory-backend.js";
import { storageBackendSuite } from "./storage-backend.suite.js";

storageBackendSuite("memory", async () => {
  const b = new MemoryBackend();
  await b.open();
  return b;
});
