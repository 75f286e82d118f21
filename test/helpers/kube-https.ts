// A minimal raw HTTPS client for end-to-end tests against a spawned server (see server-process.ts):
// credentials come from the server's kubeconfig (CA, admin client certificate) or a bearer token;
// requests return status + parsed JSON; watches are read incrementally, event by event. Nothing
// here sleeps: waits are event-driven and bounded by a deadline.
import { readFileSync } from "node:fs";
import https from "node:https";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";

/** JSON object as returned by the server (loosely typed; tests assert on shape). */
export type Obj = Record<string, any>;

export interface Credentials {
  server: string;
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

/** The cluster CA and the admin client certificate of a kubeconfig written by the server. */
export function credentialsFrom(kubeconfig: string): Credentials {
  const cfg = parseYaml(readFileSync(kubeconfig, "utf8")) as Obj;
  const cluster = cfg.clusters[0].cluster;
  const user = cfg.users[0].user;
  const b64 = (s: string | undefined) => (s ? Buffer.from(s, "base64") : undefined);
  return {
    server: cluster.server,
    ca: b64(cluster["certificate-authority-data"])!,
    ...(user["client-certificate-data"] ? { cert: b64(user["client-certificate-data"]), key: b64(user["client-key-data"]) } : {}),
    ...(user.token ? { token: user.token } : {}),
  };
}

/** The same server and CA, but no client certificate: optionally a bearer token instead. */
export function anonymous(c: Credentials, token?: string): Credentials {
  return { server: c.server, ca: c.ca, ...(token ? { token } : {}) };
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: Obj | undefined;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  agent?: https.Agent;
  timeoutMs?: number;
}

function requestOptions(c: Credentials, method: string, path: string, headers: Record<string, string>, agent?: https.Agent): https.RequestOptions {
  const url = new URL(path, c.server);
  return {
    method,
    hostname: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    ca: c.ca,
    ...(c.cert ? { cert: c.cert, key: c.key } : {}),
    headers: { Accept: "application/json", ...(c.token ? { Authorization: `Bearer ${c.token}` } : {}), ...headers },
    ...(agent ? { agent } : { agent: false }),
  };
}

export function request(c: Credentials, method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = payload === undefined ? {} : { "Content-Type": opts.contentType ?? "application/json" };
    const req = https.request(requestOptions(c, method, path, headers, opts.agent), (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("error", reject);
      res.on("end", () => {
        let body: Obj | undefined;
        try {
          body = text ? (JSON.parse(text) as Obj) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    req.on("error", reject);
    req.setTimeout(opts.timeoutMs ?? 15_000, () => req.destroy(new Error(`${method} ${path}: no answer in time`)));
    req.end(payload);
  });
}

export interface WatchEvent {
  type: string;
  object: Obj;
}

export interface WatchStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every event received so far, in order. */
  events: WatchEvent[];
  /** Waits until at least n events have arrived (or the deadline passes) and returns them. */
  waitForEvents(n: number, timeoutMs?: number): Promise<WatchEvent[]>;
  /**
   * Settles when the server ends the stream: "end" for a complete response, "aborted" when the
   * connection was cut mid-response.
   */
  ended: Promise<"end" | "aborted">;
  /** Non-JSON body of a non-200 answer. */
  text(): string;
  close(): void;
}

/** Opens GET path (a ?watch=true URL) and reads newline-delimited JSON events as they arrive. */
export function openWatch(c: Credentials, path: string, timeoutMs = 10_000): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = https.request(requestOptions(c, "GET", path, {}), (res: IncomingMessage) => {
      const events: WatchEvent[] = [];
      let buf = "";
      let raw = "";
      const waiters = new Set<() => void>();
      const notify = () => waiters.forEach((w) => w());
      let settle!: (how: "end" | "aborted") => void;
      const ended = new Promise<"end" | "aborted">((r) => (settle = r));
      let done = false;
      const finish = (how: "end" | "aborted") => {
        if (done) return;
        done = true;
        settle(how);
        notify();
      };
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        if (res.statusCode !== 200) {
          raw += d;
          return;
        }
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) events.push(JSON.parse(line) as WatchEvent);
        }
        notify();
      });
      res.on("end", () => finish("end"));
      res.on("aborted", () => finish("aborted"));
      res.on("error", () => finish("aborted"));
      res.on("close", () => finish(res.complete ? "end" : "aborted"));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        ended,
        text: () => raw,
        waitForEvents(n, ms = 10_000) {
          return new Promise((ok, fail) => {
            const check = () => {
              if (events.length >= n) {
                cleanup();
                ok(events.slice());
              } else if (done) {
                cleanup();
                fail(new Error(`watch ${path} ended after ${events.length} of ${n} events: ${JSON.stringify(events.map((e) => e.type))}`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`watch ${path}: only ${events.length} of ${n} events in ${ms} ms: ${JSON.stringify(events.map((e) => e.type))}`));
            }, ms);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
        close: () => {
          req.destroy();
          res.destroy();
        },
      });
    });
    req.on("error", reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`watch ${path}: no response headers in time`)));
    req.on("response", () => req.setTimeout(0));
    req.end();
  });
}

/** Resolves with what `promise` resolves to, or rejects after ms with a message naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}
