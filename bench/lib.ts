// Shared pieces of the benchmarks: a keep-alive HTTPS client authenticated with the admin cert of a
// started server, and latency statistics.
import { readFileSync } from "node:fs";
import https from "node:https";
import { parse } from "yaml";

export interface Client {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  close(): void;
}

export function clientFor(kubeconfigPath: string, url: string, maxSockets = 64): Client {
  const kc = parse(readFileSync(kubeconfigPath, "utf8"));
  const b64 = (s: string) => Buffer.from(s, "base64");
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets,
    ca: b64(kc.clusters[0].cluster["certificate-authority-data"]),
    cert: b64(kc.users[0].user["client-certificate-data"]),
    key: b64(kc.users[0].user["client-key-data"]),
  });
  const base = new URL(url);
  return {
    request: (method, path, body) =>
      new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : JSON.stringify(body);
        const req = https.request(
          { agent, host: base.hostname, port: base.port, method, path, headers: data ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) } : {} },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        req.end(data);
      }),
    close: () => agent.destroy(),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  return kb / 1024;
}

export interface WatchEvent {
  type: string;
  object: Record<string, any>;
}

/**
 * A watch read event by event until `done` returns true (then the stream is closed) or the
 * deadline passes (rejects). Uses the same kubeconfig credentials as clientFor.
 */
export function watchUntil(kubeconfigPath: string, url: string, path: string, done: (e: WatchEvent) => boolean, timeoutMs: number): Promise<void> {
  const kc = parse(readFileSync(kubeconfigPath, "utf8"));
  const b64 = (s: string) => Buffer.from(s, "base64");
  const base = new URL(url);
  return new Promise((resolve, reject) => {
    let finished = false;
    const req = https.request(
      {
        host: base.hostname,
        port: base.port,
        method: "GET",
        path,
        agent: false,
        ca: b64(kc.clusters[0].cluster["certificate-authority-data"]),
        cert: b64(kc.users[0].user["client-certificate-data"]),
        key: b64(kc.users[0].user["client-key-data"]),
      },
      (res) => {
        if (res.statusCode !== 200) {
          finish(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          return;
        }
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buf += chunk;
          for (let nl = buf.indexOf("\n"); nl >= 0 && !finished; nl = buf.indexOf("\n")) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim() && done(JSON.parse(line) as WatchEvent)) finish();
          }
        });
        res.on("end", () => finish(new Error(`watch ${path} ended early`)));
      },
    );
    const timer = setTimeout(() => finish(new Error(`watch ${path}: no result in ${timeoutMs} ms`)), timeoutMs);
    function finish(err?: Error) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      req.destroy();
      if (err) reject(err);
      else resolve();
    }
    req.on("error", (e) => finish(e));
    req.end();
  });
}
