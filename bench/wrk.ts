// Load from wrk (a C HTTP benchmark, Debian package `wrk`) when installed: a Node client on the same
// small machine saturates before the server does, so it understates server throughput.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";

export const WRK = ["/usr/bin/wrk", "/usr/local/bin/wrk"].find((p) => existsSync(p));

export interface WrkResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
}

const toMs = (v: string, unit: string) => Number(v) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);

export function runWrk(url: string, token: string, body: unknown, connections: number, seconds: number, dir: string): WrkResult {
  const script = path.join(dir, "create.lua");
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      'wrk.headers["Content-Type"] = "application/json"',
      `wrk.headers["Authorization"] = "Bearer ${token}"`,
      `wrk.body = ${JSON.stringify(JSON.stringify(body))}`,
    ].join("\n"),
  );
  const out = execFileSync(WRK!, ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, url], { encoding: "utf8" });
  const lat = (p: string) => {
    const m = out.match(new RegExp(`${p}%\\s+([\\d.]+)(us|ms|s)`));
    return m ? toMs(m[1]!, m[2]!) : NaN;
  };
  const total = out.match(/(\d+) requests in ([\d.]+)(ms|s)/);
  const requests = Number(total?.[1] ?? 0);
  const secs = total ? toMs(total[2]!, total[3]!) / 1000 : seconds;
  return {
    requests,
    seconds: secs,
    perSecond: requests / secs,
    p50ms: lat("50"),
    p99ms: lat("99"),
    non2xx: Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
  };
}
