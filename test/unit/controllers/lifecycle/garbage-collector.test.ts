// The garbage collector on an in-process cluster (FakeClock): background, foreground and orphan
// deletion of a deployment → replicaset → pods chain, blockOwnerDeletion, dangling and virtual
// owners, owners of other kinds (cluster-scoped, custom resources).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { R } from "../../../../src/client/interface.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { chain, createNamespace, createPod, exists, get, gone, ownerRef } from "./helpers.js";

describe("garbage collector", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: [] });
    await createNamespace(c, "gc");
  });
  after(() => c.stop());

  it("background: deleting a deployment removes its replicaset, then the pods", async () => {
    const { rs, pods } = await chain(c.client, "gc", "bg", 3);
    await c.client.delete(R.deployments, "gc", "bg", { propagationPolicy: "Background" });
    await c.until(() => gone(c.client, R.replicasets, "gc", rs.metadata.name!), { what: "replicaset collected" });
    for (const p of pods) await c.until(() => gone(c.client, R.pods, "gc", p.metadata.name!), { what: `pod ${p.metadata.name} collected` });
  });

  it("the default propagation of a plain DELETE is background too", async () => {
    const { rs } = await chain(c.client, "gc", "dflt", 1);
    await c.client.delete(R.deployments, "gc", "dflt");
    await c.until(() => gone(c.client, R.replicasets, "gc", rs.metadata.name!), { what: "replicaset collected" });
    await c.until(() => gone(c.client, R.pods, "gc", "dflt-pod-0"), { what: "pod collected" });
  });

  it("foreground: the owner stays with deletionTimestamp and foregroundDeletion until its blocking dependents are gone", async () => {
    const { rs } = await chain(c.client, "gc", "fg", 2);
    // a pod that cannot go yet: it has a finalizer of its own
    await createPod(c.client, "gc", "fg-held", { owners: [ownerRef(rs)], labels: { app: "fg" }, finalizers: ["example.com/hold"] });
    await c.client.delete(R.deployments, "gc", "fg", { propagationPolicy: "Foreground" });
    const d = await c.client.get(R.deployments, "gc", "fg");
    assert.ok(d.metadata.deletionTimestamp);
    assert.deepEqual(d.metadata.finalizers, ["foregroundDeletion"]);
    // the replicaset is deleted in foreground in turn, its ordinary pods go
    await c.until(async () => (await get(c.client, R.replicasets, "gc", "fg-rs"))?.metadata.finalizers?.includes("foregroundDeletion"), { what: "replicaset deleting in foreground" });
    await c.until(() => gone(c.client, R.pods, "gc", "fg-pod-0"), { what: "pod 0 gone" });
    await c.until(() => gone(c.client, R.pods, "gc", "fg-pod-1"), { what: "pod 1 gone" });
    await c.clock.advance(5000);
    await c.settle();
    assert.ok(await exists(c.client, R.deployments, "gc", "fg"), "the deployment waits for its blocking dependents");
    assert.ok(await exists(c.client, R.replicasets, "gc", "fg-rs"));
    const held = await c.client.get(R.pods, "gc", "fg-held");
    assert.ok(held.metadata.deletionTimestamp);
    // release the last pod: the chain finishes bottom-up
    await c.client.patch(R.pods, "gc", "fg-held", "merge", { metadata: { finalizers: null } });
    await c.until(() => gone(c.client, R.replicasets, "gc", "fg-rs"), { what: "replicaset gone" });
    await c.until(() => gone(c.client, R.deployments, "gc", "fg"), { what: "deployment gone" });
  });

  it("foreground: dependents without blockOwnerDeletion do not hold the owner", async () => {
    const cm = await c.client.create(R.configmaps, "gc", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owner-cm" } });
    await c.client.create(R.secrets, "gc", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "nonblocking", ownerReferences: [ownerRef(cm, { block: false, controller: false })], finalizers: ["example.com/hold"] },
    });
    await c.client.delete(R.configmaps, "gc", "owner-cm", { propagationPolicy: "Foreground" });
    await c.until(() => gone(c.client, R.configmaps, "gc", "owner-cm"), { what: "owner gone without waiting" });
    // the dependent is still collected (it is deleting, held by its own finalizer)
    await c.until(async () => (await get(c.client, R.secrets, "gc", "nonblocking"))?.metadata.deletionTimestamp, { what: "dependent deleting" });
    await c.client.patch(R.secrets, "gc", "nonblocking", "merge", { metadata: { finalizers: null } });
  });

  it("orphan: dependents lose the owner reference and stay; the owner's orphan finalizer is removed", async () => {
    const { deployment, rs, pods } = await chain(c.client, "gc", "orph", 2);
    await c.client.delete(R.deployments, "gc", "orph", { propagationPolicy: "Orphan" });
    await c.until(() => gone(c.client, R.deployments, "gc", "orph"), { what: "deployment gone" });
    const left = await c.client.get(R.replicasets, "gc", rs.metadata.name!);
    assert.equal(left.metadata.ownerReferences, undefined, "owner reference removed");
    assert.equal(left.metadata.deletionTimestamp, undefined);
    for (const p of pods) {
      const pod = await c.client.get(R.pods, "gc", p.metadata.name!);
      assert.equal(pod.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid, "pods keep their replicaset");
    }
    assert.ok(deployment.metadata.uid);
    // nothing collects them later either
    await c.clock.advance(60_000);
    await c.settle();
    assert.ok(await exists(c.client, R.replicasets, "gc", rs.metadata.name!));
  });

  it("orphanDependents: true (the old option) orphans as well", async () => {
    const { rs } = await chain(c.client, "gc", "orph2", 1);
    await c.client.delete(R.deployments, "gc", "orph2", { orphanDependents: true });
    await c.until(() => gone(c.client, R.deployments, "gc", "orph2"), { what: "deployment gone" });
    assert.equal((await c.client.get(R.replicasets, "gc", rs.metadata.name!)).metadata.ownerReferences, undefined);
  });

  it("an object whose owner never existed is collected (virtual owner verified with a live GET)", async () => {
    await c.client.create(R.configmaps, "gc", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "orphaned-cm", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "nope", uid: "00000000-0000-0000-0000-000000000001" }] },
    });
    await c.until(() => gone(c.client, R.configmaps, "gc", "orphaned-cm"), { what: "configmap with a missing owner collected" });
  });

  it("a reference whose uid does not match the live owner dangles", async () => {
    const cm = await c.client.create(R.configmaps, "gc", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "real-owner" } });
    await c.client.create(R.secrets, "gc", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "wrong-uid", ownerReferences: [{ ...ownerRef(cm), uid: "00000000-0000-0000-0000-000000000002" }] },
    });
    await c.until(() => gone(c.client, R.secrets, "gc", "wrong-uid"), { what: "dependent of a uid-mismatched owner collected" });
    assert.ok(await exists(c.client, R.configmaps, "gc", "real-owner"));
  });

  it("with one live owner left, the dangling reference is removed and the object kept", async () => {
    const live = await c.client.create(R.configmaps, "gc", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "live-owner" } });
    const doomed = await c.client.create(R.configmaps, "gc", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "doomed-owner" } });
    await c.client.create(R.secrets, "gc", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "two-owners", ownerReferences: [ownerRef(live, { controller: false }), ownerRef(doomed, { controller: false })] },
    });
    await c.settle();
    await c.client.delete(R.configmaps, "gc", "doomed-owner");
    await c.until(async () => (await c.client.get(R.secrets, "gc", "two-owners")).metadata.ownerReferences?.length === 1, { what: "dangling reference removed" });
    const s = await c.client.get(R.secrets, "gc", "two-owners");
    assert.equal(s.metadata.ownerReferences![0]!.uid, live.metadata.uid);
  });

  it("cluster-scoped owners: a namespaced object owned by a Namespace-less owner (ClusterRole)", async () => {
    const role = await c.client.create({ group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles" }, "", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "gc-owner-role" },
      rules: [],
    });
    await c.client.create(R.configmaps, "gc", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owned-by-cluster", ownerReferences: [ownerRef(role, { controller: false })] } });
    await c.settle();
    await c.clock.advance(1000);
    await c.settle();
    assert.ok(await exists(c.client, R.configmaps, "gc", "owned-by-cluster"), "a live cluster-scoped owner is solid");
    await c.client.delete({ group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles" }, "", "gc-owner-role");
    await c.until(() => gone(c.client, R.configmaps, "gc", "owned-by-cluster"), { what: "dependent of a cluster-scoped owner collected" });
  });

  it("blockOwnerDeletion: a foreground owner waits for a dependent whose own deletion is pending", async () => {
    const owner = await c.client.create(R.configmaps, "gc", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "blocked-owner" } });
    await c.client.create(R.secrets, "gc", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "blocker", ownerReferences: [ownerRef(owner)], finalizers: ["example.com/hold"] },
    });
    await c.settle();
    await c.client.delete(R.configmaps, "gc", "blocked-owner", { propagationPolicy: "Foreground" });
    await c.until(async () => (await get(c.client, R.secrets, "gc", "blocker"))?.metadata.deletionTimestamp, { what: "blocker deleting" });
    await c.clock.advance(10_000);
    await c.settle();
    assert.ok(await exists(c.client, R.configmaps, "gc", "blocked-owner"));
    // dropping blockOwnerDeletion releases the owner
    await c.client.patch(R.secrets, "gc", "blocker", "merge", { metadata: { ownerReferences: [ownerRef(owner, { block: false })] } });
    await c.until(() => gone(c.client, R.configmaps, "gc", "blocked-owner"), { what: "owner released" });
    await c.client.patch(R.secrets, "gc", "blocker", "merge", { metadata: { finalizers: null } });
  });
});
