// Shared fixture for the HTTP tests: an in-memory ApiServer behind the Express app, driven by
// supertest with a bearer token, plus a raw-http watch client (supertest cannot read a stream
// incrementally) on an ephemeral listener. Nothing here sleeps: waits are event-driven and bounded
// by a deadline.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import request from "supertest";
import { createApp } from "../../src/server/app.js";
import { ApiServer, type ApiServerOptions } from "../../src/server/api-server.js";

export const TOKEN = "admin-token-for-http-tests";
export const AUTH = { Authorization: `Bearer ${TOKEN}` };
export const DEADLINE_MS = 5_000;

/** JSON object as returned by the server (loosely typed; tests assert on shape). */
export type Obj = Record<string, any>;

export interface TestServer {
  api: ApiServer;
  app: Express;
  /** Authenticated request builders (Authorization header preset). */
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
  patch(path: string, body: unknown, contentType?: string): request.Test;
  del(path: string, body?: unknown): request.Test;
  /** Unauthenticated agent. */
  anon(): ReturnType<typeof request>;
  /** An http listener on 127.0.0.1:0 for streaming (watch) tests; started lazily, closed by stop(). */
  baseUrl(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestServer(opts: Partial<ApiServerOptions> = {}): Promise<TestServer> {
  const api = await ApiServer.start({
    storage: "memory:",
    tokens: [{ token: TOKEN, user: { username: "test-admin", groups: ["system:masters"] } }],
    // no controllers run here to create `default` ServiceAccounts, so (like upstream's integration
    // test framework) the ServiceAccount admission plugin is off unless a test turns it on
    disableAdmissionPlugins: ["ServiceAccount"],
    ...opts,
  });
  const app = createApp(api);
  let listener: http.Server | undefined;
  const sockets = new Set<import("node:net").Socket>();
  const withBody = (t: request.Test, body: unknown) => (body === undefined ? t : typeof body === "string" || Buffer.isBuffer(body) ? t.send(body as string) : t.send(body as object));
  return {
    api,
    app,
    get: (p) => request(app).get(p).set(AUTH),
    post: (p, body) => withBody(request(app).post(p).set(AUTH), body),
    put: (p, body) => withBody(request(app).put(p).set(AUTH), body),
    patch: (p, body, contentType = "application/merge-patch+json") =>
      request(app)
        .patch(p)
        .set(AUTH)
        .set("Content-Type", contentType)
        .send(typeof body === "string" ? body : JSON.stringify(body)),
    del: (p, body) => withBody(request(app).delete(p).set(AUTH), body),
    anon: () => request(app),
    async baseUrl() {
      if (!listener) {
        listener = http.createServer(app);
        listener.on("connection", (s) => {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
        });
        await new Promise<void>((resolve) => listener!.listen(0, "127.0.0.1", resolve));
      }
      return `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    },
    async stop() {
      await api.stop();
      if (listener) {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => listener!.close(() => resolve()));
      }
    },
  };
}

/** Asserts a metav1.Status error response: code, reason, JSON content type; returns the body. */
export function assertStatus(res: request.Response, code: number, reason: string, message?: string | RegExp): Obj {
  assert.equal(res.status, code, `expected ${code}, got ${res.status}: ${res.text.slice(0, 600)}`);
  assert.match(String(res.headers["content-type"]), /^application\/json\b/, `content-type of ${code}`);
  const body = JSON.parse(res.text) as Obj;
  assert.equal(body.kind, "Status");
  assert.equal(body.apiVersion, "v1");
  assert.equal(body.status, "Failure");
  assert.equal(body.code, code);
  assert.equal(body.reason, reason, `reason: ${res.text.slice(0, 600)}`);
  if (typeof message === "string") assert.equal(body.message, message);
  else if (message) assert.match(body.message, message);
  return body;
}

export function configMap(name: string, labels?: Record<string, string>, data: Record<string, string> = { k: "v" }): Obj {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...(labels ? { labels } : {}) }, data };
}

export function deployment(name: string, replicas = 1, labels: Record<string, string> = { app: name }): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "nginx" }] } },
    },
  };
}

export function pod(name: string, extra: Obj = {}): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...(extra.metadata ?? {}) },
    spec: { containers: [{ name: "c", image: "nginx" }], ...(extra.spec ?? {}) },
  };
}

/** Creates a namespace and returns its name. */
export async function createNamespace(s: TestServer, name: string): Promise<string> {
  const res = await s.post("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  assert.equal(res.status, 201, res.text);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Watch streams

export interface WatchEvent {
  type: string;
  object: Obj;
}

export interface WatchStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The next event; rejects if none arrives before the deadline or the stream ends first. */
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** The next n events. */
  take(n: number, timeoutMs?: number): Promise<WatchEvent[]>;
  /** Every event received so far and not yet consumed by next()/take(). */
  buffered(): WatchEvent[];
  /** Resolves when the server ends the stream (rejects after the deadline). */
  ended(timeoutMs?: number): Promise<void>;
  isEnded(): boolean;
  close(): void;
}

/**
 * Opens a watch with a raw http GET (resolves once the response headers arrived, i.e. once the
 * server has registered the watcher). Events are newline-delimited JSON.
 */
export async function openWatch(s: TestServer, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const base = await s.baseUrl();
  const queue: WatchEvent[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  let error: Error | undefined;
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { ...AUTH, Accept: "application/json", ...headers } }, (res) => {
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) {
            try {
              queue.push(JSON.parse(line) as WatchEvent);
            } catch (err) {
              error = new Error(`unparsable watch line ${JSON.stringify(line)}: ${(err as Error).message}`);
            }
          }
        }
        wake();
      });
      const finish = () => {
        if (buf.trim()) {
          try {
            queue.push(JSON.parse(buf) as WatchEvent);
          } catch {
            // a non-JSON tail (e.g. a Status body of an error response) is read via next() failing
          }
          buf = "";
        }
        ended = true;
        wake();
      };
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", finish);

      const waitUntil = async (cond: () => boolean, what: string, timeoutMs: number) => {
        const deadline = Date.now() + timeoutMs;
        while (!cond()) {
          if (error) throw error;
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what} on ${path}; buffered: ${JSON.stringify(queue)}`);
          await new Promise<void>((r) => {
            const t = setTimeout(r, left);
            waiters.push(() => {
              clearTimeout(t);
              r();
            });
          });
        }
      };
      const stream: WatchStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        async next(timeoutMs = DEADLINE_MS) {
          await waitUntil(() => queue.length > 0 || ended, "an event", timeoutMs);
          if (queue.length === 0) throw new Error(`watch ${path} ended before the next event`);
          return queue.shift()!;
        },
        async take(n, timeoutMs = DEADLINE_MS) {
          const out: WatchEvent[] = [];
          for (let i = 0; i < n; i++) out.push(await stream.next(timeoutMs));
          return out;
        },
        buffered: () => queue.splice(0),
        async ended(timeoutMs = DEADLINE_MS) {
          await waitUntil(() => ended, "the end of the stream", timeoutMs);
        },
        isEnded: () => ended,
        close() {
          req.destroy();
          res.destroy();
        },
      };
      resolve(stream);
    });
    req.on("error", (err) => {
      if (!ended) reject(err);
    });
  });
}

/** Short description of events for assertion messages and comparisons: "ADDED a", "DELETED b". */
export function summary(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object?.metadata?.name ?? ""}`.trim());
}
