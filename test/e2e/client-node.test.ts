// The official JavaScript client (@kubernetes/client-node 1.x, ESM) against the built server:
// typed CoreV1Api CRUD, Watch, KubernetesObjectApi, and informers (makeInformer) — including an
// informer that outlives several server-side watch timeouts and one that relists after its
// resourceVersion fell out of the server's history (410 Gone) across a restart.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type ListWatch,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Deployment,
} from "@kubernetes/client-node";
import { credentialsFrom, openWatch, within } from "../helpers/kube-https.js";
import { eventually } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

const cleanup: (() => Promise<unknown> | unknown)[] = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});
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
function clients(s: ServerProcess) {
  const kc = new KubeConfig();
  kc.loadFromFile(s.kubeconfig);
  return { kc, core: kc.makeApiClient(CoreV1Api), objects: KubernetesObjectApi.makeApiClient(kc) };
}
/** makeInformer is declared to return an Informer; the object is a ListWatch (an ObjectCache too). */
function informerFor(kc: KubeConfig, core: CoreV1Api, ns: string, onList: () => void = () => {}): ListWatch<V1ConfigMap> {
  return makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${ns}/configmaps`, () => {
    onList();
    return core.listNamespacedConfigMap({ namespace: ns });
  }) as ListWatch<V1ConfigMap>;
}
/**
 * Waits until the root-CA publisher (a controller, as on a real cluster) has put kube-root-ca.crt
 * into a new namespace: every namespace holds it, so lists and informers start from it.
 */
async function rootCaPublished(core: CoreV1Api, ns: string): Promise<void> {
  await eventually(
    async () => (await core.listNamespacedConfigMap({ namespace: ns, fieldSelector: "metadata.name=kube-root-ca.crt" })).items.length === 1,
    10_000,
    `kube-root-ca.crt in ${ns}`,
  );
}
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const cm = (name: string, data: Record<string, string> = { k: "v" }): V1ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });

/** Informer event recorder. */
function record(informer: ListWatch<V1ConfigMap>) {
  const log: string[] = [];
  const errors: unknown[] = [];
  let connects = 0;
  informer.on("add", (o) => log.push(`add ${o.metadata!.name}`));
  informer.on("update", (o) => log.push(`update ${o.metadata!.name} ${JSON.stringify(o.data ?? {})}`));
  informer.on("delete", (o) => log.push(`delete ${o.metadata!.name}`));
  informer.on("error", (e) => errors.push(e));
  informer.on("connect", () => connects++);
  return { log, errors, connects: () => connects };
}
function cacheState(informer: ListWatch<V1ConfigMap>, ns: string) {
  return informer
    .list(ns)
    .map((o) => `${o.metadata!.name}@${o.metadata!.resourceVersion}`)
    .sort();
}
async function serverState(core: CoreV1Api, ns: string) {
  const list = await core.listNamespacedConfigMap({ namespace: ns });
  return list.items.map((o) => `${o.metadata!.name}@${o.metadata!.resourceVersion}`).sort();
}

describe("@kubernetes/client-node", () => {
  let s: ServerProcess;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let objects: KubernetesObjectApi;
  before(async () => {
    s = await start({ dataDir: dataDir("client-node") });
    ({ kc, core, objects } = clients(s));
    for (const name of ["crud", "watch", "objects", "informer"]) await core.createNamespace({ body: { metadata: { name } } });
    for (const name of ["crud", "watch", "informer"]) await rootCaPublished(core, name);
  });

  it("CoreV1Api: list, create, read, replace and delete configmaps", async () => {
    const ns = "crud";
    // A new namespace holds only the kube-root-ca.crt ConfigMap the controllers publish there.
    const fresh = await core.listNamespacedConfigMap({ namespace: ns });
    assert.deepEqual(
      fresh.items.map((i) => i.metadata!.name),
      ["kube-root-ca.crt"],
    );
    assert.deepEqual(Object.keys(fresh.items[0]!.data ?? {}), ["ca.crt"]);
    assert.match(fresh.items[0]!.data!["ca.crt"]!, /^-----BEGIN CERTIFICATE-----\n/);
    assert.match(fresh.metadata!.resourceVersion!, /^\d+$/);

    const created = await core.createNamespacedConfigMap({ namespace: ns, body: cm("one", { a: "1" }) });
    assert.equal(created.metadata!.name, "one");
    assert.equal(created.metadata!.namespace, ns);
    assert.ok(created.metadata!.uid);
    assert.ok(created.metadata!.creationTimestamp instanceof Date);
    assert.deepEqual(created.data, { a: "1" });

    const read = await core.readNamespacedConfigMap({ name: "one", namespace: ns });
    assert.equal(read.metadata!.resourceVersion, created.metadata!.resourceVersion);
    assert.equal(read.metadata!.uid, created.metadata!.uid);

    const replaced = await core.replaceNamespacedConfigMap({ name: "one", namespace: ns, body: { ...read, data: { a: "2", b: "3" } } });
    assert.deepEqual(replaced.data, { a: "2", b: "3" });
    assert.notEqual(replaced.metadata!.resourceVersion, read.metadata!.resourceVersion);

    // A replace with the old resourceVersion is a 409 Conflict.
    await assert.rejects(core.replaceNamespacedConfigMap({ name: "one", namespace: ns, body: { ...read, data: { a: "stale" } } }), (err: unknown) => {
      assert.ok(err instanceof ApiException, String(err));
      assert.equal(err.code, 409);
      const status = JSON.parse(err.body as string);
      assert.equal(status.reason, "Conflict");
      assert.equal(status.message, 'Operation cannot be fulfilled on configmaps "one": the object has been modified; please apply your changes to the latest version and try again');
      return true;
    });

    const list = await core.listNamespacedConfigMap({ namespace: ns });
    assert.deepEqual(
      list.items.map((i) => i.metadata!.name),
      ["kube-root-ca.crt", "one"],
    );
    assert.equal(list.items[1]!.metadata!.resourceVersion, replaced.metadata!.resourceVersion);

    const status = await core.deleteNamespacedConfigMap({ name: "one", namespace: ns });
    assert.equal(status.status, "Success");
    await assert.rejects(core.readNamespacedConfigMap({ name: "one", namespace: ns }), (err: unknown) => {
      assert.ok(err instanceof ApiException);
      assert.equal(err.code, 404);
      const st = JSON.parse(err.body as string);
      assert.deepEqual(
        { kind: st.kind, status: st.status, reason: st.reason, message: st.message, code: st.code, details: st.details },
        { kind: "Status", status: "Failure", reason: "NotFound", message: 'configmaps "one" not found', code: 404, details: { name: "one", kind: "configmaps" } },
      );
      return true;
    });
  });

  it("Watch receives ADDED, MODIFIED and DELETED", async () => {
    const ns = "watch";
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const events: { type: string; name: string; rv: string }[] = [];
    let done: unknown = "not done";
    const watch = new Watch(kc);
    const controller = await watch.watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { resourceVersion: list.metadata!.resourceVersion },
      (type: string, obj: KubernetesObject) => events.push({ type, name: obj.metadata!.name!, rv: obj.metadata!.resourceVersion! }),
      (err: unknown) => (done = err),
    );
    try {
      const a = await core.createNamespacedConfigMap({ namespace: ns, body: cm("w1") });
      // client-node's default PATCH content type is application/json-patch+json.
      const b = await core.patchNamespacedConfigMap({ name: "w1", namespace: ns, body: [{ op: "replace", path: "/data/k", value: "v2" }] });
      assert.deepEqual(b.data, { k: "v2" });
      await core.deleteNamespacedConfigMap({ name: "w1", namespace: ns });
      await eventually(() => events.length >= 3, 10_000, "three watch events");
      assert.deepEqual(
        events.map((e) => `${e.type} ${e.name}`),
        ["ADDED w1", "MODIFIED w1", "DELETED w1"],
      );
      assert.equal(events[0]!.rv, a.metadata!.resourceVersion);
      assert.equal(events[1]!.rv, b.metadata!.resourceVersion);
      assert.ok(Number(events[2]!.rv) > Number(events[1]!.rv), "DELETED carries a new resourceVersion");
      assert.equal(done, "not done", "the watch is still open");
    } finally {
      controller.abort();
    }
  });

  it("KubernetesObjectApi: create, read and patch a Deployment", async () => {
    const ns = "objects";
    const spec: V1Deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: ns, labels: { app: "web" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx:1.25", ports: [{ containerPort: 80 }] }, { name: "sidecar", image: "busybox" }] },
        },
      },
    };
    const created = await objects.create(spec);
    assert.equal(created.kind, "Deployment");
    assert.equal(created.metadata!.generation, 1);
    const read = (await objects.read({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: ns } })) as V1Deployment;
    assert.equal(read.metadata!.uid, created.metadata!.uid);
    assert.equal(read.spec!.template.spec!.containers[0]!.image, "nginx:1.25");

    // Strategic merge: containers merge by name, the sidecar and the ports stay.
    const smp = (await objects.patch(
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: ns }, spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } } as KubernetesObject,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.StrategicMergePatch,
    )) as V1Deployment;
    assert.deepEqual(
      smp.spec!.template.spec!.containers.map((c) => [c.name, c.image, c.ports?.[0]?.containerPort]),
      [
        ["web", "nginx:1.27", 80],
        ["sidecar", "busybox", undefined],
      ],
    );
    assert.equal(smp.metadata!.generation, 2);

    const merged = (await objects.patch(
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: ns, labels: { tier: "front" } }, spec: { replicas: 3 } } as KubernetesObject,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    )) as V1Deployment;
    assert.equal(merged.spec!.replicas, 3);
    assert.deepEqual(merged.metadata!.labels, { app: "web", tier: "front" });

    const again = (await objects.read({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: ns } })) as V1Deployment;
    assert.equal(again.spec!.replicas, 3);
    // the deployment controller may have written status since: the read is at least the patch's version
    assert.ok(Number(again.metadata!.resourceVersion) >= Number(merged.metadata!.resourceVersion), `${again.metadata!.resourceVersion} < ${merged.metadata!.resourceVersion}`);
    assert.deepEqual(again.metadata!.labels, { app: "web", tier: "front" });
  });

  it("makeInformer on configmaps sees add, update and delete", async () => {
    const ns = "informer";
    await core.createNamespacedConfigMap({ namespace: ns, body: cm("pre") });
    const informer = informerFor(kc, core, ns);
    const rec = record(informer);
    await informer.start();
    try {
      await eventually(() => rec.log.includes("add pre"), 10_000, "the listed configmap");
      await core.createNamespacedConfigMap({ namespace: ns, body: cm("i1", { a: "1" }) });
      await eventually(() => rec.log.includes("add i1"), 10_000, "add i1");
      await core.replaceNamespacedConfigMap({ name: "i1", namespace: ns, body: { ...(await core.readNamespacedConfigMap({ name: "i1", namespace: ns })), data: { a: "2" } } });
      await eventually(() => rec.log.includes('update i1 {"a":"2"}'), 10_000, "update i1");
      await core.deleteNamespacedConfigMap({ name: "pre", namespace: ns });
      await eventually(() => rec.log.includes("delete pre"), 10_000, "delete pre");
      assert.deepEqual(rec.log, ["add kube-root-ca.crt", "add pre", "add i1", 'update i1 {"a":"2"}', "delete pre"]);
      assert.deepEqual(rec.errors, []);
      assert.deepEqual(cacheState(informer, ns), await serverState(core, ns));
    } finally {
      await informer.stop();
    }
  });

  after(async () => {
    if (s) assert.equal(await s.stop(), 0);
  });
});

describe("client-node informer and server-side watch timeouts", () => {
  it("keeps receiving events across several watch timeouts (--min-request-timeout 1) without an error", async () => {
    const s = await start({ dataDir: dataDir("timeouts"), args: ["--min-request-timeout", "1"] });
    const { kc, core } = clients(s);
    const ns = "timeouts";
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await rootCaPublished(core, ns);
    const informer = informerFor(kc, core, ns);
    const rec = record(informer);
    await informer.start();
    try {
      await eventually(() => rec.connects() >= 1, 10_000, "the informer to connect");
      // Each round waits for the informer to reconnect after the server ended its watch
      // (1–2 s), then writes and waits for the informer to see the write.
      for (let round = 1; round <= 4; round++) {
        const connectsBefore = rec.connects();
        await core.createNamespacedConfigMap({ namespace: ns, body: cm(`r${round}`) });
        await eventually(() => rec.log.includes(`add r${round}`), 10_000, `add r${round}`);
        if (round > 1) {
          await core.patchNamespacedConfigMap({ name: `r${round - 1}`, namespace: ns, body: { data: { k: `round${round}` } } }, mergePatch);
          await eventually(() => rec.log.includes(`update r${round - 1} {"k":"round${round}"}`), 10_000, `update r${round - 1}`);
        }
        await eventually(() => rec.connects() > connectsBefore, 10_000, `a reconnect after the watch timeout (round ${round})`);
      }
      await core.deleteNamespacedConfigMap({ name: "r1", namespace: ns });
      await eventually(() => rec.log.includes("delete r1"), 10_000, "delete r1");
      assert.ok(rec.connects() >= 5, `the informer re-watched after timeouts (${rec.connects()} connects)`);
      assert.deepEqual(rec.errors, [], "no 'error' events");
      assert.deepEqual(
        rec.log.filter((l) => l.startsWith("add")),
        ["add kube-root-ca.crt", "add r1", "add r2", "add r3", "add r4"],
        `each object added once: ${rec.log.join(", ")}`,
      );
      assert.deepEqual(cacheState(informer, ns), await serverState(core, ns));
    } finally {
      await informer.stop();
    }
    assert.equal(await s.stop(), 0);
  });
});

describe("client-node informer relist after 410 Gone", () => {
  it("relists when its resourceVersion left the history window while the server was down", async () => {
    const dir = dataDir("relist");
    let s = await start({ dataDir: dir });
    const port = s.port;
    const { kc, core } = clients(s);
    const ns = "relist";
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await rootCaPublished(core, ns);
    for (const n of ["a1", "a2", "a3"]) await core.createNamespacedConfigMap({ namespace: ns, body: cm(n) });
    let lists = 0;
    const informer = informerFor(kc, core, ns, () => lists++);
    const rec = record(informer);
    await informer.start();
    try {
      await eventually(() => ["a1", "a2", "a3"].every((n) => rec.log.includes(`add ${n}`)), 10_000, "the initial list");
      await core.createNamespacedConfigMap({ namespace: ns, body: cm("a4") });
      await eventually(() => rec.log.includes("add a4"), 10_000, "add a4 over the watch");
      const staleRv = informer.latestResourceVersion();
      assert.equal(lists, 1);

      // Server goes away: client-node stops and reports an error.
      assert.equal(await s.stop(), 0);
      await eventually(() => rec.errors.length > 0, 15_000, "the informer's 'error' event");

      // Restart with a one-event history and move the window past the informer's resourceVersion.
      s = await start({ dataDir: dir, port, args: ["--history-events", "1", "--history-seconds", "0"] });
      const c = credentialsFrom(s.kubeconfig);
      await core.createNamespacedConfigMap({ namespace: ns, body: cm("b1") });
      await core.createNamespacedConfigMap({ namespace: ns, body: cm("b2") });
      await core.deleteNamespacedConfigMap({ name: "a1", namespace: ns });
      await core.patchNamespacedConfigMap({ name: "a2", namespace: ns, body: { data: { k: "changed" } } }, mergePatch);
      for (let i = 0; i < 5; i++) {
        await core.createNamespacedConfigMap({ namespace: ns, body: cm(`tmp${i}`) });
        await core.deleteNamespacedConfigMap({ name: `tmp${i}`, namespace: ns });
      }
      // The server now answers a watch from the informer's resourceVersion with 410 Expired.
      await eventually(
        async () => {
          const w = await openWatch(c, `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${staleRv}`);
          try {
            if (w.status === 410) return true;
            const [ev] = await w.waitForEvents(1, 2_000);
            return ev!.type === "ERROR" && ev!.object.code === 410;
          } finally {
            w.close();
          }
        },
        10_000,
        `a 410 for a watch from resourceVersion ${staleRv}`,
      );

      const errorsBefore = rec.errors.length;
      await informer.start();
      const expected = await serverState(core, ns);
      assert.deepEqual(
        expected.map((e) => e.split("@")[0]),
        ["a2", "a3", "a4", "b1", "b2", "kube-root-ca.crt"],
      );
      await eventually(() => JSON.stringify(cacheState(informer, ns)) === JSON.stringify(expected), 10_000, "the informer cache to equal the server's list");
      assert.ok(rec.log.includes("delete a1"), `relist reports the deletion: ${rec.log.join(", ")}`);
      assert.ok(rec.log.includes("add b1") && rec.log.includes("add b2"), "relist reports the additions");
      assert.ok(rec.log.includes('update a2 {"k":"changed"}'), "relist reports the update");
      assert.equal(rec.errors.length, errorsBefore, "no further errors after the restart");
      assert.equal(lists, 2, "one initial list and one relist after the 410");

      // And it keeps watching.
      await core.createNamespacedConfigMap({ namespace: ns, body: cm("c1") });
      await eventually(() => rec.log.includes("add c1"), 10_000, "add c1 after the relist");
      assert.deepEqual(cacheState(informer, ns), await serverState(core, ns));
    } finally {
      await informer.stop();
    }
    assert.equal(await within(s.stop(), 10_000, "server stop"), 0);
  });
});
