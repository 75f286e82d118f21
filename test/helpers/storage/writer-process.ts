// Spawns test/helpers/storage/leveldb-writer.ts as a child process and exposes its stdout lines.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { withDeadline } from "./wait.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
const SCRIPT = path.join(here, "leveldb-writer.ts");

export interface WriterProcess {
  child: ChildProcess;
  /** Every complete stdout line so far. */
  lines: string[];
  stderr(): string;
  /** Resolves once cond() holds, checked on every line (rejects at the deadline or if the child exits first). */
  waitUntil(cond: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the child has exited and its stdout is fully read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, then wait until the child is gone and its output drained. */
  kill9(): Promise<void>;
}

export function spawnWriter(dir: string, mode: "burst" | "hold"): WriterProcess {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, dir, mode], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let err = "";
  let exited = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    notify();
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      exited = true;
      notify();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    lines,
    stderr: () => err,
    async waitUntil(cond, what, timeoutMs = 30_000) {
      let listener: (() => void) | undefined;
      const seen = new Promise<void>((resolve) => {
        listener = () => {
          if (cond() || exited) resolve();
        };
        listeners.add(listener);
        listener();
      });
      try {
        await withDeadline(seen, what, timeoutMs);
      } finally {
        listeners.delete(listener!);
      }
      if (!cond()) throw new Error(`writer exited before ${what}; stderr:\n${err}`);
    },
    closed,
    async kill9() {
      if (!exited) child.kill("SIGKILL");
      await closed;
    },
  };
}
