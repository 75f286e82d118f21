// Starts the real, built server (dist/kubefacade.js) as a child process on a free port with its own
// data directory and kubeconfig, for end-to-end tests with real clients.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SERVER_BUNDLE = path.join(root, "dist", "kubefacade.js");

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill9(): Promise<void>;
}

export interface StartOptions {
  storage?: "leveldb" | "memory";
  /** Reuse a data directory (restart tests); default: a fresh temporary one. */
  dataDir?: string;
  port?: number;
  args?: string[];
  timeoutMs?: number;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `kubefacade-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function startServer(opts: StartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` before the e2e tests`);
  const dataDir = opts.dataDir ?? tempDir("e2e");
  const kubeconfig = path.join(dataDir, "kubeconfig");
  const args = [
    SERVER_BUNDLE,
    "--port",
    String(opts.port ?? 0),
    "--data-dir",
    dataDir,
    "--kubeconfig",
    kubeconfig,
    "--storage",
    opts.storage ?? "leveldb",
    ...(opts.args ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      if (!opts.dataDir) removeDir(dataDir);
      reject(new Error(`server did not become ready in time\nstdout: ${out}\nstderr: ${err}`));
    }, opts.timeoutMs ?? 20_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = out.match(/ready at (https:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    kubeconfig,
    child,
    stderr: () => err,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
    kill9: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
