// Fresh temporary directories under os.tmpdir() for storage tests, removed by cleanup().
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TempDirs {
  /** A new empty directory. */
  make(): string;
  /** Removes every directory made so far. */
  cleanup(): void;
}

export function tempDirs(prefix: string): TempDirs {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(path.join(tmpdir(), `kubefacade-${prefix}-`));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
