// Durability and process lifecycle of the built server with LevelDB storage: objects, their
// resourceVersions and watch history survive a clean restart; every write acknowledged with 201
// survives SIGKILL in the middle of a burst; SIGTERM exits 0 and ends open watches; a second server
// on the same data directory refuses to start with one clear line; authentication (401 Status for
// requests without credentials, --token-auth-file bearer tokens).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { after, describe, it } from "node:test";
import { anonymous, credentialsFrom, type Credentials, type Obj, openWatch, request, type WatchStream, within } from "../helpers/kube-https.js";
import { eventually, kubectl } from "../helpers/kubectl.js";
import { removeDir, SERVER_BUNDLE, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

const cleanup: (() => Promise<unknown> | void)[] = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** Starts a server and registers it (and, unless kept, its data directory) for cleanup. */
async function start(opts: Parameters<typeof startServer>[0] = {}): Promise<ServerProcess> {
  const s = await startServer(opts);
  cleanup.push(async () => {
    if (s.child.exitCode === null && s.child.signalCode === null) await s.kill9();
  });
  return s;
}
function dataDir(prefix: string): string {
  const d = tempDir(prefix);
  cleanup.push(() => removeDir(d));
  return d;
}

const cm = (name: string, data: Record<string, string> = { k: "v" }): Obj => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });

async function ok(c: Credentials, method: string, p: string, body?: unknown, expect = method === "POST" ? 201 : 200, contentType?: string): Promise<Obj> {
  const r = await request(c, method, p, { body, ...(contentType ? { contentType } : {}) });
  assert.equal(r.status, expect, `${method} ${p} → ${r.status} ${r.text}`);
  return r.body!;
}
/** Creates a namespace and, as on a real cluster, waits for the root-CA publisher to put its
 * kube-root-ca.crt ConfigMap there, so later lists and watches of the namespace are deterministic. */
async function createNamespace(c: Credentials, name: string): Promise<void> {
  await ok(c, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  await eventually(async () => (await request(c, "GET", `/api/v1/namespaces/${name}/configmaps/kube-root-ca.crt`)).status === 200, 10_000, `kube-root-ca.crt in ${name}`);
}
const summary = (events: { type: string; object: Obj }[]) => events.map((e) => `${e.type} ${e.object.metadata?.name} ${e.object.metadata?.resourceVersion}`);

describe("restart with LevelDB storage", () => {
  it("keeps objects, their resourceVersions and the watch history across a clean restart", async () => {
    const dir = dataDir("restart");
    let s = await start({ dataDir: dir });
    let c = credentialsFrom(s.kubeconfig);
    await createNamespace(c, "keep");
    const base = "/api/v1/namespaces/keep/configmaps";
    for (const n of ["a", "b", "c"]) await ok(c, "POST", base, cm(n, { v: n }));
    const mid = (await ok(c, "GET", base)).metadata.resourceVersion as string;

    // The changes after `mid`, as a live watch sees them before the restart.
    const live = await openWatch(c, `${base}?watch=true&resourceVersion=${mid}`);
    assert.equal(live.status, 200);
    await ok(c, "PATCH", `${base}/a`, { data: { v: "a2" } }, 200, "application/merge-patch+json");
    await ok(c, "POST", base, cm("d"));
    await ok(c, "DELETE", `${base}/b`);
    await ok(c, "PUT", `${base}/c`, { ...(await ok(c, "GET", `${base}/c`)), data: { v: "c2" } });
    const before = await live.waitForEvents(4);
    live.close();
    assert.deepEqual(
      before.map((e) => `${e.type} ${e.object.metadata.name}`),
      ["MODIFIED a", "ADDED d", "DELETED b", "MODIFIED c"],
    );
    const listBefore = await ok(c, "GET", base);
    const nsBefore = await ok(c, "GET", "/api/v1/namespaces/keep");

    assert.equal(await s.stop(), 0, "SIGTERM exit code");
    s = await start({ dataDir: dir });
    c = credentialsFrom(s.kubeconfig);

    const listAfter = await ok(c, "GET", base);
    assert.deepEqual(listAfter.items, listBefore.items, "objects (with uid, resourceVersion, timestamps) are unchanged");
    assert.deepEqual(await ok(c, "GET", "/api/v1/namespaces/keep"), nsBefore);
    assert.ok(BigInt(listAfter.metadata.resourceVersion) >= BigInt(listBefore.metadata.resourceVersion), "list resourceVersion does not go back");

    // A watch from the pre-restart resourceVersion replays exactly the same events.
    const replay = await openWatch(c, `${base}?watch=true&resourceVersion=${mid}`);
    assert.equal(replay.status, 200, replay.text());
    const after4 = await replay.waitForEvents(4);
    assert.deepEqual(summary(after4), summary(before));
    assert.deepEqual(after4, before, "replayed event objects equal the original ones");

    // New writes continue the resourceVersion sequence and reach the replaying watch.
    const e = await ok(c, "POST", base, cm("e"));
    const maxBefore = Math.max(...before.map((ev) => Number(ev.object.metadata.resourceVersion)));
    assert.ok(Number(e.metadata.resourceVersion) > maxBefore, `rv ${e.metadata.resourceVersion} > ${maxBefore}`);
    const all = await replay.waitForEvents(5);
    replay.close();
    assert.equal(`${all[4]!.type} ${all[4]!.object.metadata.name}`, "ADDED e");
    assert.equal(await s.stop(), 0);
  });

  it("keeps every write acknowledged with 201 when killed with SIGKILL during a burst of creates", async () => {
    const dir = dataDir("kill9");
    let s = await start({ dataDir: dir });
    let c = credentialsFrom(s.kubeconfig);
    await createNamespace(c, "burst");
    const base = "/api/v1/namespaces/burst/configmaps";
    // Every configmap of the burst carries this label; the namespace also holds kube-root-ca.crt,
    // published by the controllers, not by this test.
    const burstLabels = { burst: "create" };
    const agent = new https.Agent({ keepAlive: true, maxSockets: 16 });
    const acked = new Map<string, string>(); // name → resourceVersion from the 201
    const attempted = new Set<string>();
    const TOTAL = 300;
    let next = 0;
    let killed = false;
    let kill: Promise<void> | undefined;
    const worker = async () => {
      while (next < TOTAL && !killed) {
        const name = `cm-${String(next++).padStart(3, "0")}`;
        attempted.add(name);
        try {
          const r = await request(c, "POST", base, { body: { ...cm(name, { payload: "x".repeat(200) }), metadata: { name, labels: burstLabels } }, agent });
          if (r.status === 201) acked.set(name, r.body!.metadata.resourceVersion);
          else if (!killed) assert.fail(`create ${name} → ${r.status} ${r.text}`);
        } catch (err) {
          if (!killed) throw err;
        }
        if (acked.size >= 120 && !killed) {
          killed = true;
          kill = s.kill9();
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await kill;
    agent.destroy();
    assert.ok(killed, "the server was killed during the burst");
    assert.ok(acked.size >= 120 && acked.size < TOTAL, `acknowledged ${acked.size} of ${TOTAL} before the kill`);

    s = await start({ dataDir: dir });
    c = credentialsFrom(s.kubeconfig);
    const list = await ok(c, "GET", base);
    const ours = (o: Obj) => o.metadata.labels?.burst === burstLabels.burst;
    assert.deepEqual(
      list.items.filter((o: Obj) => !ours(o)).map((o: Obj) => o.metadata.name),
      ["kube-root-ca.crt"],
      "besides the burst, the namespace holds only what the controllers put there",
    );
    const stored = new Map<string, string>(list.items.filter(ours).map((o: Obj) => [o.metadata.name, o.metadata.resourceVersion]));
    const lost = [...acked.keys()].filter((n) => !stored.has(n));
    assert.deepEqual(lost, [], `acknowledged creates lost after SIGKILL (${lost.length} of ${acked.size})`);
    for (const [name, rv] of acked) assert.equal(stored.get(name), rv, `${name} keeps the resourceVersion of its 201`);
    for (const name of stored.keys()) assert.ok(attempted.has(name), `${name} was never created`);
    // The revision sequence continues past everything that survived.
    const maxRv = Math.max(...[...stored.values()].map(Number));
    const fresh = await ok(c, "POST", base, cm("after-restart"));
    assert.ok(Number(fresh.metadata.resourceVersion) > maxRv, `rv ${fresh.metadata.resourceVersion} > ${maxRv}`);
    assert.equal(await s.stop(), 0);
  });
});

describe("process lifecycle", () => {
  it("exits with code 0 on SIGTERM and ends open watch streams", async () => {
    const s = await start({ dataDir: dataDir("sigterm") });
    const c = credentialsFrom(s.kubeconfig);
    const watches: WatchStream[] = [];
    for (const p of ["/api/v1/namespaces?watch=true", "/api/v1/configmaps?watch=true&resourceVersion=0", "/apis/apps/v1/namespaces/default/deployments?watch=true&allowWatchBookmarks=true"]) {
      const w = await openWatch(c, p);
      assert.equal(w.status, 200, p);
      watches.push(w);
    }
    await watches[0]!.waitForEvents(1); // the stream is live
    const code = await within(s.stop(), 10_000, "the server to exit after SIGTERM");
    assert.equal(code, 0);
    for (const w of watches) assert.equal(await within(w.ended, 5_000, "the watch stream to end"), "end", "the watch response is completed, not cut");
    assert.doesNotMatch(s.stderr(), /\n\s+at |Error/, `no errors on stderr:\n${s.stderr()}`);
  });

  it("refuses a second server on the same data directory with a one-line error", async () => {
    const dir = dataDir("lock");
    const s = await start({ dataDir: dir });
    const kubeconfigBefore = readFileSync(s.kubeconfig, "utf8");
    const other = mkdtempSync(path.join(dir, "second-"));
    const child = spawn(process.execPath, [SERVER_BUNDLE, "--port", "0", "--data-dir", dir, "--kubeconfig", path.join(other, "kubeconfig")], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await within(new Promise<number | null>((r) => child.once("exit", (c) => r(c))), 15_000, "the second server to exit");
    assert.notEqual(code, 0);
    assert.equal(out, "", "nothing on stdout (no ready line)");
    const lines = err.split("\n").filter(Boolean);
    assert.equal(lines.length, 1, `exactly one line on stderr, got:\n${err}`);
    assert.match(lines[0]!, /in use by another process/);
    assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
    // The first server is unaffected.
    assert.equal(readFileSync(s.kubeconfig, "utf8"), kubeconfigBefore);
    const c = credentialsFrom(s.kubeconfig);
    await ok(c, "GET", "/api/v1/namespaces/default");
    assert.equal(await s.stop(), 0);
  });
});

describe("authentication", () => {
  it("answers a request without credentials with a 401 Status", async () => {
    const s = await start({ dataDir: dataDir("anon") });
    const c = anonymous(credentialsFrom(s.kubeconfig));
    for (const p of ["/api/v1/namespaces", "/api/v1/namespaces/default/configmaps?watch=true", "/apis/apps/v1/deployments"]) {
      const r = await request(c, "GET", p);
      assert.equal(r.status, 401, p);
      assert.match(String(r.headers["content-type"]), /^application\/json/);
      assert.deepEqual(r.body, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    }
    const post = await request(c, "POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } } });
    assert.equal(post.status, 401);
    const bad = await request(anonymous(c, "not-a-valid-token"), "GET", "/api/v1/namespaces");
    assert.equal(bad.status, 401);
    assert.equal(bad.body?.reason, "Unauthorized");
    assert.equal(await s.stop(), 0);
  });

  it("accepts bearer tokens from --token-auth-file (raw HTTPS and kubectl)", async () => {
    const dir = dataDir("tokens");
    const tokenFile = path.join(dir, "tokens.csv");
    writeFileSync(tokenFile, 'admin-token-e2e,alice,uid-alice,"system:masters,devs"\n');
    const s = await start({ dataDir: dir, args: ["--token-auth-file", tokenFile] });
    const c = anonymous(credentialsFrom(s.kubeconfig), "admin-token-e2e");
    const list = await ok(c, "GET", "/api/v1/namespaces");
    assert.ok(list.items.some((n: Obj) => n.metadata.name === "default"));
    await ok(c, "POST", "/api/v1/namespaces/default/configmaps", cm("by-token"));
    const w = await openWatch(c, "/api/v1/namespaces/default/configmaps?watch=true");
    assert.equal(w.status, 200);
    assert.equal((await w.waitForEvents(1))[0]!.object.metadata.name, "by-token");
    w.close();
    const wrong = await request(anonymous(c, "admin-token-e2f"), "GET", "/api/v1/namespaces");
    assert.equal(wrong.status, 401);

    // kubectl with a token-only kubeconfig.
    const cacheDir = path.join(dir, "kubectl-cache");
    const kubeconfig = path.join(dir, "token-kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: c",
        "  cluster:",
        `    server: ${s.url}`,
        `    certificate-authority-data: ${c.ca.toString("base64")}`,
        "users:",
        "- name: alice",
        "  user:",
        "    token: admin-token-e2e",
        "contexts:",
        "- name: c",
        "  context: {cluster: c, user: alice}",
        "current-context: c",
        "",
      ].join("\n"),
    );
    const k = kubectl("1.33", kubeconfig, cacheDir);
    assert.equal(await k.ok(["get", "configmap", "by-token", "-o", "name"]), "configmap/by-token\n");
    writeFileSync(kubeconfig, readFileSync(kubeconfig, "utf8").replace("token: admin-token-e2e", "token: wrong-token"));
    const denied = await k.run(["get", "configmap", "by-token", "-o", "name"]);
    assert.equal(denied.code, 1);
    assert.equal(denied.stderr, "error: You must be logged in to the server (Unauthorized)\n");
    assert.equal(await s.stop(), 0);
  });
});
