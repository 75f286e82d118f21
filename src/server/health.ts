// /healthz, /livez and /readyz with their individual checks and ?verbose, as upstream's
// healthz package prints them ("[+]ping ok" ... "livez check passed").
import type { Request, Response } from "express";

export interface HealthCheck {
  name: string;
  check(): string | undefined; // undefined = ok, else the failure reason
}

function write(res: Response, status: number, text: string): void {
  res.status(status);
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "no-cache, private");
  res.end(text);
}

export function healthHandler(endpoint: "healthz" | "livez" | "readyz", checks: HealthCheck[]) {
  return (req: Request, res: Response): void => {
    const sub = req.path.replace(new RegExp(`^/${endpoint}/?`), "");
    if (sub) {
      const c = checks.find((x) => x.name === sub);
      if (!c) {
        write(res, 404, "404 page not found\n");
        return;
      }
      const err = c.check();
      write(res, err ? 500 : 200, err ? `internal server error: ${err}\n` : "ok");
      return;
    }
    const url = new URL(req.originalUrl, "http://x");
    const excluded = new Set(url.searchParams.getAll("exclude"));
    const lines: string[] = [];
    let failed = false;
    for (const c of checks) {
      if (excluded.has(c.name)) {
        lines.push(`[+]${c.name} excluded: ok`);
        continue;
      }
      const err = c.check();
      if (err) failed = true;
      lines.push(err ? `[-]${c.name} failed: reason withheld` : `[+]${c.name} ok`);
    }
    const verbose = url.searchParams.has("verbose") || failed;
    if (!verbose) {
      write(res, 200, "ok");
      return;
    }
    const trailer = failed ? `${endpoint} check failed` : `${endpoint} check passed`;
    write(res, failed ? 500 : 200, `${lines.join("\n")}\n${trailer}\n`);
  };
}
