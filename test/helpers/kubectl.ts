// Runs real kubectl binaries against a test server. Missing binaries fail the test loudly: an
// end-to-end test never skips silently.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { packagedToolPath } from "./tools.js";

const VERSIONED_DIR = "/usr/lib/google-cloud-sdk/bin";

/** Path of kubectl 1.NN ("1.27" … "1.33" preinstalled, "1.35" from its npm package), or /usr/bin/kubectl for "default". */
export function kubectlPath(version: string): string {
  if (version === "1.35") return packagedToolPath("kubectl-1.35");
  const p = version === "default" ? "/usr/bin/kubectl" : path.join(VERSIONED_DIR, `kubectl.${version}`);
  if (!existsSync(p)) throw new Error(`kubectl ${version} is required for this test but ${p} does not exist`);
  return p;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  version: string;
  run(args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  /** Runs and asserts success with an empty stderr; returns stdout. */
  ok(args: string[], opts?: { input?: string }): Promise<string>;
  /** Starts a long-running kubectl (e.g. get -w). */
  spawn(args: string[]): ChildProcess;
}

export function kubectl(version: string, kubeconfig: string, cacheDir: string): Kubectl {
  const bin = kubectlPath(version);
  const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir, HOME: cacheDir };
  const run: Kubectl["run"] = (args, opts = {}) =>
    new Promise((resolve) => {
      const child = execFile(bin, args, { env: { ...env, ...opts.env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
      if (opts.input !== undefined) child.stdin!.end(opts.input);
    });
  return {
    version,
    run,
    async ok(args, opts) {
      const r = await run(args, opts);
      if (r.code !== 0 || r.stderr !== "") {
        throw new Error(`kubectl ${version} ${args.join(" ")} → exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      }
      return r.stdout;
    },
    spawn: (args) => spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] }),
  };
}

/** Polls fn until it returns a truthy value or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
