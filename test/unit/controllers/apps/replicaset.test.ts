// The ReplicaSet and ReplicationController controllers on an in-memory cluster with a FakeClock;
// pods' status is written by the tests in place of kubelets.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { condition, events, isReady, listPods, markReady, NS, quiesce, replicaSetObject } from "./helpers.js";

const POD_NAME = /^[a-z0-9-]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

describe("ReplicaSet controller", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: ["apps"] });
  });
  after(async () => {
    await c.stop();
  });

  test("creates pods from the template, owned by the ReplicaSet, and reports status", async () => {
    const rs = await c.client.create(R.replicasets, NS, replicaSetObject("front", 3));
    await quiesce(c);
    const pods = await listPods(c, "app=front");
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name!, POD_NAME);
      assert.ok(p.metadata.name!.startsWith("front-"));
      assert.equal(p.metadata.generateName, "front-");
      assert.deepEqual(p.metadata.labels, { app: "front" });
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "front", uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal((p.spec as any).containers[0].image, "nginx");
      const writer = p.metadata.managedFields?.[0];
      assert.equal(writer?.manager, "kube-controller-manager");
    }
    const got = (await c.client.get(R.replicasets, NS, "front")) as any;
    assert.deepEqual(got.status, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    const ev = await events(c, "ReplicaSet", "front");
    assert.deepEqual(new Set(ev), new Set(pods.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`)));
    const e = ((await c.client.list(R.events, NS)).items as any[]).find((x) => x.involvedObject.name === "front");
    assert.equal(e.source.component, "replicaset-controller");
  });

  test("ready and available replicas honour minReadySeconds", async () => {
    await c.client.create(R.replicasets, NS, replicaSetObject("slow", 2, { minReadySeconds: 10 }));
    await quiesce(c);
    for (const p of await listPods(c, "app=slow")) await markReady(c, p);
    await quiesce(c);
    let s = ((await c.client.get(R.replicasets, NS, "slow")) as any).status;
    assert.equal(s.readyReplicas, 2);
    assert.equal(s.availableReplicas, undefined, "not available before minReadySeconds");
    s = await c.until(
      async () => {
        const st = ((await c.client.get(R.replicasets, NS, "slow")) as any).status;
        return st.availableReplicas === 2 ? st : undefined;
      },
      { stepMs: 1000, what: "available after minReadySeconds", maxFakeMs: 30_000 },
    );
    assert.deepEqual(s, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
  });

  test("scales up and down; scaling down deletes not-ready pods before ready ones", async () => {
    await c.client.create(R.replicasets, NS, replicaSetObject("scale", 2));
    await quiesce(c);
    const first = await listPods(c, "app=scale");
    for (const p of first) await markReady(c, p);
    await c.client.patch(R.replicasets, NS, "scale", "merge", { spec: { replicas: 5 } });
    await quiesce(c);
    assert.equal((await listPods(c, "app=scale")).length, 5);
    let rs = (await c.client.get(R.replicasets, NS, "scale")) as any;
    assert.equal(rs.status.observedGeneration, 2);
    assert.equal(rs.status.replicas, 5);
    await c.client.patch(R.replicasets, NS, "scale", "merge", { spec: { replicas: 2 } });
    await quiesce(c);
    const left = await listPods(c, "app=scale");
    assert.deepEqual(left.map((p) => p.metadata.name).sort(), first.map((p) => p.metadata.name).sort(), "the ready pods stay");
    assert.ok(left.every(isReady));
    rs = (await c.client.get(R.replicasets, NS, "scale")) as any;
    assert.deepEqual(rs.status, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 3 });
    const deleted = (await events(c, "ReplicaSet", "scale")).filter((e) => e.includes("SuccessfulDelete"));
    assert.equal(deleted.length, 3);
    assert.match(deleted[0]!, /^Normal SuccessfulDelete Deleted pod: scale-[a-z0-9]{5}$/);
  });

  test("adopts matching orphans and releases pods whose labels stop matching", async () => {
    const orphan = await c.client.create(R.pods, NS, { apiVersion: "v1", kind: "Pod", metadata: { name: "stray", labels: { app: "adopt" } }, spec: { containers: [{ name: "app", image: "nginx" }] } } as KubeObject);
    const rs = await c.client.create(R.replicasets, NS, replicaSetObject("adopt", 2));
    await quiesce(c);
    const pods = await listPods(c, "app=adopt");
    assert.equal(pods.length, 2, "the orphan counts towards the replicas");
    const adopted = pods.find((p) => p.metadata.name === "stray")!;
    assert.equal(adopted.metadata.uid, orphan.metadata.uid);
    assert.deepEqual(adopted.metadata.ownerReferences, [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "adopt", uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    // relabel it: the ReplicaSet lets go and makes a replacement
    await c.client.patch(R.pods, NS, "stray", "merge", { metadata: { labels: { app: "elsewhere" } } });
    await quiesce(c);
    const released = (await c.client.get(R.pods, NS, "stray")) as KubeObject;
    // (upstream drops the emptied list on encoding — omitempty; the patch engine here keeps [])
    assert.equal(released.metadata.ownerReferences?.length ?? 0, 0);
    const now = await listPods(c, "app=adopt");
    assert.equal(now.length, 2);
    assert.ok(!now.some((p) => p.metadata.name === "stray"));
  });

  test("deleted pods are replaced", async () => {
    await c.client.create(R.replicasets, NS, replicaSetObject("heal", 2));
    await quiesce(c);
    const [victim] = await listPods(c, "app=heal");
    await c.client.delete(R.pods, NS, victim!.metadata.name!);
    await quiesce(c);
    const pods = await listPods(c, "app=heal");
    assert.equal(pods.length, 2);
    assert.ok(!pods.some((p) => p.metadata.name === victim!.metadata.name));
  });

  test("creates at most 500 pods per sync, in slow-start batches, until all exist", async () => {
    await c.client.create(R.replicasets, NS, replicaSetObject("burst", 700));
    await quiesce(c, { maxRounds: 2000 });
    assert.equal((await listPods(c, "app=burst")).length, 700);
    const rs = (await c.client.get(R.replicasets, NS, "burst")) as any;
    assert.equal(rs.status.replicas, 700);
    assert.equal(condition(rs, "ReplicaFailure"), undefined);
    await c.client.patch(R.replicasets, NS, "burst", "merge", { spec: { replicas: 0 } });
    await quiesce(c, { maxRounds: 2000 });
    assert.equal((await listPods(c, "app=burst")).length, 0);
  });
});

describe("ReplicationController manager", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: ["apps"] });
  });
  after(async () => {
    await c.stop();
  });

  test("creates pods named <rc>-xxxxx owned by the ReplicationController and reports status", async () => {
    const rc = await c.client.create(R.replicationcontrollers, NS, {
      apiVersion: "v1",
      kind: "ReplicationController",
      metadata: { name: "legacy" },
      spec: { replicas: 2, template: { metadata: { labels: { app: "legacy" } }, spec: { containers: [{ name: "app", image: "nginx" }] } } },
    } as KubeObject);
    assert.deepEqual((rc as any).spec.selector, { app: "legacy" }, "defaulted from the template labels");
    await quiesce(c);
    const pods = await listPods(c, "app=legacy");
    assert.equal(pods.length, 2);
    for (const p of pods) {
      assert.match(p.metadata.name!, /^legacy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: "v1", kind: "ReplicationController", name: "legacy", uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await markReady(c, pods[0]!);
    await quiesce(c);
    const got = (await c.client.get(R.replicationcontrollers, NS, "legacy")) as any;
    assert.deepEqual(got.status, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 });
    const e = ((await c.client.list(R.events, NS)).items as any[]).filter((x) => x.involvedObject.name === "legacy");
    assert.equal(e.length, 2);
    assert.equal(e[0].source.component, "replication-controller");
    assert.equal(e[0].involvedObject.kind, "ReplicationController");
    await c.client.patch(R.replicationcontrollers, NS, "legacy", "merge", { spec: { replicas: 1 } });
    await quiesce(c);
    const left = await listPods(c, "app=legacy");
    assert.deepEqual(
      left.map((p) => p.metadata.name),
      [pods[0]!.metadata.name],
      "the ready pod stays",
    );
  });
});
