// The StatefulSet controller in an in-process cluster on a FakeClock. No kubelet runs: the tests
// report pods Running and Ready through pods/status themselves.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { events, names, pods, readyAll, revisions, setPodReady, statefulSet, type Obj } from "./helpers.js";

let c: TestCluster;
let nsSeq = 0;

async function namespace(): Promise<string> {
  const ns = `sts-${++nsSeq}`;
  await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  return ns;
}

async function getSet(ns: string, name: string): Promise<KubeObject & { status: Obj; spec: Obj }> {
  return (await c.client.get(R.statefulsets, ns, name)) as KubeObject & { status: Obj; spec: Obj };
}

/** Records the order of pod ADDED/DELETED events in a namespace. */
async function recordPodEvents(ns: string): Promise<{ log: string[]; stop(): void }> {
  const rv = (await c.client.list(R.pods, ns)).metadata.resourceVersion;
  const w = await c.client.watch(R.pods, ns, rv ? { resourceVersion: rv } : {});
  const log: string[] = [];
  void (async () => {
    for await (const ev of w) if (ev.type === "ADDED" || ev.type === "DELETED") log.push(`${ev.type} ${ev.object.metadata.name}`);
  })();
  return { log, stop: () => w.stop() };
}

/** Keeps marking pods ready until check() holds. */
async function rollUntil<T>(ns: string, selector: string, check: () => Promise<T | undefined | false>, what: string): Promise<T> {
  return c.until(
    async () => {
      await readyAll(c, ns, selector);
      return check();
    },
    { what },
  );
}

before(async () => {
  c = await startCluster({ groups: ["stateful"] });
});
after(async () => {
  await c.stop();
});

describe("StatefulSet controller", () => {
  it("creates ordinal pods one at a time (OrderedReady), claims first, and reports status", async () => {
    const ns = await namespace();
    const rec = await recordPodEvents(ns);
    await c.client.create(
      R.statefulsets,
      ns,
      statefulSet("web", {
        volumeClaimTemplates: [{ metadata: { name: "www", labels: { tier: "data" } }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      }),
    );
    await c.until(async () => (await pods(c, ns)).length === 1, { what: "web-0" });
    // web-1 waits for web-0 to be Running and Ready
    for (let i = 0; i < 5; i++) {
      await c.settle();
      c.clock.advance(1000);
    }
    assert.deepEqual(names(await pods(c, ns)), ["web-0"]);
    const claim = await c.client.get(R.persistentvolumeclaims, ns, "www-web-0");
    assert.deepEqual(claim.metadata.labels, { tier: "data", app: "web" });
    assert.equal(claim.metadata.ownerReferences, undefined, "Retain/Retain: no owner references");

    const pod0 = (await pods(c, ns))[0]!;
    assert.equal((pod0.spec as Obj).hostname, "web-0");
    assert.equal((pod0.spec as Obj).subdomain, "web");
    // the claim volume, then the projected token volume the ServiceAccount admission plugin adds
    const volumes = (pod0.spec as Obj).volumes as Obj[];
    assert.deepEqual(volumes[0], { name: "www", persistentVolumeClaim: { claimName: "www-web-0" } });
    assert.deepEqual(volumes.slice(1).map((v) => v.name.replace(/-[a-z0-9]{5}$/, "")), ["kube-api-access"]);
    assert.equal(pod0.metadata.labels!["statefulset.kubernetes.io/pod-name"], "web-0");
    assert.equal(pod0.metadata.labels!["apps.kubernetes.io/pod-index"], "0");
    assert.match(pod0.metadata.labels!["controller-revision-hash"]!, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(pod0.metadata.managedFields?.[0]?.manager, "kube-controller-manager");

    const set = await rollUntil(ns, "app=web", async () => {
      const s = await getSet(ns, "web");
      return s.status.readyReplicas === 3 && s;
    }, "3 ready replicas");
    rec.stop();
    assert.deepEqual(rec.log, ["ADDED web-0", "ADDED web-1", "ADDED web-2"]);
    const rev = set.status.currentRevision;
    assert.deepEqual(set.status, {
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: rev,
      updateRevision: rev,
      collisionCount: 0,
      availableReplicas: 3,
    });
    const revs = await revisions(c, ns);
    assert.equal(revs.length, 1);
    assert.equal(revs[0]!.metadata.name, rev);
    assert.equal(revs[0]!.revision, 1);
    assert.equal(revs[0]!.metadata.labels!["controller.kubernetes.io/hash"], rev.slice("web-".length));
    assert.equal(((revs[0]!.data as Obj).spec.template as Obj).$patch, "replace");

    const msgs = (await events(c, ns, "web")).map((e) => `${e.type} ${e.reason} ${e.message}`);
    for (const i of [0, 1, 2]) {
      assert.ok(msgs.includes(`Normal SuccessfulCreate create Claim www-web-${i} Pod web-${i} in StatefulSet web success`), msgs.join("\n"));
      assert.ok(msgs.includes(`Normal SuccessfulCreate create Pod web-${i} in StatefulSet web successful`), msgs.join("\n"));
    }
    const ev = (await events(c, ns, "web"))[0]!;
    assert.deepEqual(ev.source, { component: "statefulset-controller" });
    assert.equal(ev.involvedObject.kind, "StatefulSet");
  });

  it("scales down from the highest ordinal, one pod at a time", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("db", { replicas: 4 }));
    await rollUntil(ns, "app=db", async () => (await getSet(ns, "db")).status.readyReplicas === 4, "4 ready");
    const rec = await recordPodEvents(ns);
    await c.client.patch(R.statefulsets, ns, "db", "merge", { spec: { replicas: 1 } });
    await c.until(async () => (await getSet(ns, "db")).status.replicas === 1, { what: "scaled to 1" });
    rec.stop();
    assert.deepEqual(rec.log, ["DELETED db-3", "DELETED db-2", "DELETED db-1"]);
    const msgs = (await events(c, ns, "db")).map((e) => e.message);
    assert.ok(msgs.includes("delete Pod db-3 in StatefulSet db successful"));
  });

  it("waits for an unhealthy pod before scaling further (OrderedReady)", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("q", { replicas: 2 }));
    await rollUntil(ns, "app=q", async () => (await getSet(ns, "q")).status.readyReplicas === 2, "2 ready");
    await setPodReady(c, (await pods(c, ns)).find((p) => p.metadata.name === "q-0")!, false);
    await c.client.patch(R.statefulsets, ns, "q", "merge", { spec: { replicas: 3 } });
    for (let i = 0; i < 5; i++) {
      await c.settle();
      c.clock.advance(1000);
    }
    assert.deepEqual(names(await pods(c, ns)), ["q-0", "q-1"], "q-2 waits for q-0");
    await rollUntil(ns, "app=q", async () => (await pods(c, ns)).length === 3, "q-2 after q-0 is ready again");
  });

  it("creates and deletes all pods at once with Parallel pod management", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("par", { replicas: 5, podManagementPolicy: "Parallel" }));
    await c.until(async () => (await pods(c, ns)).length === 5, { what: "5 pods without readiness" });
    const s = await c.until(async () => {
      const s = await getSet(ns, "par");
      return s.status.replicas === 5 && s;
    }, { what: "status" });
    assert.equal(s.status.readyReplicas, undefined, "zero readyReplicas is omitted");
    await c.client.patch(R.statefulsets, ns, "par", "merge", { spec: { replicas: 0 } });
    await c.until(async () => (await pods(c, ns)).length === 0, { what: "all deleted" });
  });

  it("rolls out a new template from the highest ordinal down to the partition", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("ru", { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }));
    const v1 = await rollUntil(ns, "app=ru", async () => {
      const s = await getSet(ns, "ru");
      return s.status.readyReplicas === 3 && s.status.currentRevision;
    }, "3 ready");
    const rec = await recordPodEvents(ns);
    await c.client.patch(R.statefulsets, ns, "ru", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:1.26" }] } } } });
    const s = await rollUntil(ns, "app=ru", async () => {
      const s = await getSet(ns, "ru");
      return s.status.updatedReplicas === 2 && s.status.readyReplicas === 3 && s;
    }, "partitioned rollout");
    rec.stop();
    assert.deepEqual(
      rec.log.filter((l) => l.startsWith("DELETED")),
      ["DELETED ru-2", "DELETED ru-1"],
    );
    const v2 = s.status.updateRevision;
    assert.notEqual(v2, v1);
    assert.equal(s.status.currentRevision, v1);
    assert.equal(s.status.currentReplicas, 1);
    assert.equal(s.status.observedGeneration, 2);
    const byName = Object.fromEntries((await pods(c, ns)).map((p) => [p.metadata.name, p]));
    assert.equal(byName["ru-0"]!.metadata.labels!["controller-revision-hash"], v1);
    assert.equal(byName["ru-1"]!.metadata.labels!["controller-revision-hash"], v2);
    assert.equal((byName["ru-2"]!.spec as Obj).containers[0].image, "nginx:1.26");

    // lifting the partition completes the rollout and makes the update revision current
    await c.client.patch(R.statefulsets, ns, "ru", "merge", { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    const done = await rollUntil(ns, "app=ru", async () => {
      const s = await getSet(ns, "ru");
      return s.status.currentRevision === v2 && s.status.readyReplicas === 3 && s;
    }, "complete rollout");
    assert.equal(done.status.currentReplicas, 3);
    assert.equal(done.status.updatedReplicas, 3);
    assert.deepEqual(
      (await revisions(c, ns)).map((r) => [r.metadata.name, r.revision]),
      [
        [v1, 1],
        [v2, 2],
      ],
    );
  });

  it("rolls back when the template returns to an earlier revision (kubectl rollout undo)", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("rb", { replicas: 0 }));
    const r1 = await c.until(async () => (await getSet(ns, "rb")).status.updateRevision, { what: "revision 1" });
    await c.client.patch(R.statefulsets, ns, "rb", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:2" }] } } } });
    const r2 = await c.until(async () => {
      const u = (await getSet(ns, "rb")).status.updateRevision;
      return u !== r1 && u;
    }, { what: "revision 2" });
    // kubectl rollout undo sends the previous revision's data as a strategic merge patch
    const rev1 = (await revisions(c, ns)).find((r) => r.metadata.name === r1)!;
    await c.client.patch(R.statefulsets, ns, "rb", "strategic", rev1.data);
    await c.until(async () => (await getSet(ns, "rb")).status.updateRevision === r1, { what: "back on revision 1" });
    assert.deepEqual(
      (await revisions(c, ns)).map((r) => [r.metadata.name, r.revision]),
      [
        [r2, 2],
        [r1, 3],
      ],
      "the earlier revision is renumbered, not duplicated",
    );
    const s = await getSet(ns, "rb");
    assert.equal(s.spec.template.spec.containers[0].image, "nginx:1.25");
    assert.equal(s.status.currentRevision, r1);
  });

  it("keeps revisionHistoryLimit unused revisions and copies the set's annotations", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("hist", { replicas: 0, revisionHistoryLimit: 1 }, { annotations: { "kubernetes.io/change-cause": "v1" } }));
    let last = await c.until(async () => (await getSet(ns, "hist")).status.updateRevision, { what: "revision 1" });
    for (const v of [2, 3, 4]) {
      await c.client.patch(R.statefulsets, ns, "hist", "merge", {
        metadata: { annotations: { "kubernetes.io/change-cause": `v${v}` } },
        spec: { template: { metadata: { labels: { app: "hist", v: String(v) } } } },
      });
      const prev = last;
      last = await c.until(async () => {
        const u = (await getSet(ns, "hist")).status.updateRevision;
        return u !== prev && u;
      }, { what: `revision ${v}` });
    }
    await c.until(async () => (await revisions(c, ns)).length === 2, { what: "history truncated" });
    const revs = await revisions(c, ns);
    assert.deepEqual(
      revs.map((r) => r.revision),
      [3, 4],
    );
    assert.deepEqual(
      revs.map((r) => r.metadata.annotations?.["kubernetes.io/change-cause"]),
      ["v3", "v4"],
    );
  });

  it("replaces pods only when deleted with the OnDelete strategy", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("od", { replicas: 2, updateStrategy: { type: "OnDelete" } }));
    const v1 = await rollUntil(ns, "app=od", async () => {
      const s = await getSet(ns, "od");
      return s.status.readyReplicas === 2 && s.status.currentRevision;
    }, "2 ready");
    await c.client.patch(R.statefulsets, ns, "od", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:9" }] } } } });
    const v2 = await c.until(async () => {
      const s = await getSet(ns, "od");
      return s.status.updateRevision !== v1 && s.status.observedGeneration === 2 && s.status.updateRevision;
    }, { what: "update revision" });
    for (let i = 0; i < 5; i++) {
      await c.settle();
      c.clock.advance(1000);
    }
    assert.ok((await pods(c, ns)).every((p) => p.metadata.labels!["controller-revision-hash"] === v1));
    await c.client.delete(R.pods, ns, "od-1");
    const p = await c.until(async () => (await pods(c, ns)).find((p) => p.metadata.name === "od-1" && p.metadata.labels!["controller-revision-hash"] === v2), { what: "od-1 recreated" });
    assert.equal((p.spec as Obj).containers[0].image, "nginx:9");
    const s = await getSet(ns, "od");
    assert.equal(s.status.currentRevision, v1, "OnDelete never completes a rolling update");
  });

  it("sets PVC owner references per the retention policy", async () => {
    const ns = await namespace();
    await c.client.create(
      R.statefulsets,
      ns,
      statefulSet("ret", {
        replicas: 1,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      }),
    );
    const set = await getSet(ns, "ret");
    const claim = await c.until(async () => {
      const cl = (await c.client.list(R.persistentvolumeclaims, ns)).items[0];
      return cl && (cl.metadata.ownerReferences?.length ?? 0) > 0 && cl;
    }, { what: "owner reference on the claim" });
    assert.deepEqual(claim.metadata.ownerReferences, [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "ret", uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  });

  it("deletes and recreates failed pods", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("f", { replicas: 1 }));
    const p = await c.until(async () => (await pods(c, ns))[0], { what: "f-0" });
    await setPodReady(c, p, false, "Failed");
    const q = await c.until(async () => {
      const q = (await pods(c, ns))[0];
      return q && q.metadata.uid !== p.metadata.uid && q;
    }, { what: "a new f-0" });
    assert.equal(q.metadata.name, "f-0");
    const msgs = (await events(c, ns, "f")).map((e) => e.message);
    assert.ok(msgs.includes("delete Pod f-0 in StatefulSet f successful"));
  });

  it("adopts matching orphans and bumps collisionCount on a name collision", async () => {
    const ns = await namespace();
    // an orphan pod with the set's labels and a member name is adopted
    await c.client.create(R.pods, ns, { apiVersion: "v1", kind: "Pod", metadata: { name: "adopt-0", labels: { app: "adopt" } }, spec: { containers: [{ name: "app", image: "nginx:1.25" }] } });
    // a foreign revision squats on the name the first revision would get
    const probe = await c.client.create(R.statefulsets, ns, statefulSet("probe", { replicas: 0, selector: { matchLabels: { app: "adopt" } }, template: (statefulSet("adopt").spec as Obj).template }));
    const probeRev = await c.until(async () => (await getSet(ns, "probe")).status.updateRevision as string | undefined, { what: "probe revision" });
    const hash = probeRev.slice("probe-".length);
    await c.client.delete(R.statefulsets, ns, "probe");
    await c.until(async () => {
      for (const r of await revisions(c, ns)) await c.client.delete(R.controllerrevisions, ns, r.metadata.name!);
      return (await revisions(c, ns)).length === 0;
    }, { what: "probe revisions gone" });
    assert.ok(probe.metadata.uid);
    await c.client.create(R.controllerrevisions, ns, { apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: `adopt-${hash}`, labels: { other: "x" } }, data: { other: true }, revision: 1 });
    await c.client.create(R.statefulsets, ns, statefulSet("adopt", { replicas: 1 }));
    const set = await c.until(async () => {
      const s = await getSet(ns, "adopt");
      return s.status.collisionCount === 1 && s;
    }, { what: "collisionCount 1" });
    assert.notEqual(set.status.updateRevision, `adopt-${hash}`);
    const pod = await c.until(async () => {
      const p = await c.client.get(R.pods, ns, "adopt-0");
      return (p.metadata.ownerReferences?.length ?? 0) > 0 && p;
    }, { what: "adoption" });
    assert.equal(pod.metadata.ownerReferences![0]!.uid, set.metadata.uid);
    assert.equal(pod.metadata.ownerReferences![0]!.controller, true);
  });

  it("goes quiet once converged (no status writes, events or requeue loops)", async () => {
    const ns = await namespace();
    await c.client.create(R.statefulsets, ns, statefulSet("quiet", { minReadySeconds: 3 }));
    await c.until(
      async () => {
        await readyAll(c, ns, "app=quiet");
        return (await getSet(ns, "quiet")).status.availableReplicas === 3;
      },
      { what: "3 available after minReadySeconds", stepMs: 1000 },
    );
    await c.settle(100);
    const snapshot = async () => [(await getSet(ns, "quiet")).metadata.resourceVersion, (await events(c, ns)).length, (await c.client.list(R.pods, ns)).metadata.resourceVersion];
    const before = await snapshot();
    for (let i = 0; i < 30; i++) {
      c.clock.advance(10_000);
      await c.settle();
    }
    assert.deepEqual(await snapshot(), before);
  });
});
