// The garbage collector's dependency graph on its own: nodes and edges from ownerReferences,
// virtual owners, the transitions into orphaning and foreground deletion, what gets queued when.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { OwnerReference } from "../../../../src/apimachinery/types.js";
import {
  absentKey,
  DependencyGraph,
  identityString,
  LruSet,
  partitionDependents,
  referencesDiffs,
  type GraphEvent,
  type GraphNode,
  type ObjectIdentity,
} from "../../../../src/controllers/lifecycle/garbage-collector/graph.js";

function recorder() {
  const log: string[] = [];
  const sink = {
    attemptToDelete: (n: GraphNode, rateLimited?: boolean) => log.push(`delete:${n.identity.name}${rateLimited ? ":rl" : ""}`),
    attemptToOrphan: (n: GraphNode) => log.push(`orphan:${n.identity.name}`),
    invalidNamespaceOwnerRef: (dep: GraphNode, owner: ObjectIdentity) => log.push(`invalid:${dep.identity.name}->${owner.name}@${owner.namespace}`),
  };
  return { log, graph: new DependencyGraph(sink) };
}

const id = (kind: string, name: string, namespace = "ns", apiVersion = kind === "ReplicaSet" || kind === "Deployment" ? "apps/v1" : "v1"): ObjectIdentity => ({
  apiVersion,
  kind,
  name,
  uid: `uid-${name}`,
  namespace,
});
const ref = (o: ObjectIdentity, block = true): OwnerReference => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name, uid: o.uid, controller: true, blockOwnerDeletion: block });
const add = (identity: ObjectIdentity, owners: OwnerReference[] = [], extra: Partial<GraphEvent> = {}): GraphEvent => ({ type: "add", identity, owners, finalizers: [], ...extra });

describe("dependency graph", () => {
  const deploy = id("Deployment", "d");
  const rs = id("ReplicaSet", "rs");
  const pod = id("Pod", "p");

  it("builds owner → dependent edges; an unseen owner is a virtual node queued for verification", () => {
    const { graph, log } = recorder();
    graph.process(add(pod, [ref(rs)]));
    assert.deepEqual(log, ["delete:rs"]);
    const v = graph.get(rs.uid)!;
    assert.equal(v.observed, false);
    assert.deepEqual([...v.dependents].map((d) => d.identity.name), ["p"]);
    // the owner shows up: it becomes a real node, nothing else is queued
    graph.process(add(rs, [ref(deploy)]));
    assert.equal(graph.get(rs.uid)!.observed, true);
    assert.deepEqual(log, ["delete:rs", "delete:d"]);
    graph.process(add(deploy));
    assert.equal(graph.size, 3);
    assert.deepEqual(log, ["delete:rs", "delete:d"]);
  });

  it("deleting an owner queues its dependents and remembers the owner as absent", () => {
    const { graph, log } = recorder();
    graph.process(add(deploy));
    graph.process(add(rs, [ref(deploy)]));
    graph.process({ type: "delete", identity: deploy, owners: [], finalizers: [] });
    assert.deepEqual(log, ["delete:rs"]);
    assert.equal(graph.get(deploy.uid), undefined);
    assert.ok(graph.absentOwnerCache.has(absentKey(deploy, "ns")));
  });

  it("an owner deleted with the orphan finalizer goes to attemptToOrphan, once", () => {
    const { graph, log } = recorder();
    graph.process(add(deploy));
    graph.process(add(rs, [ref(deploy)]));
    const deleting = { deletionTimestamp: "2026-01-01T00:00:00Z", finalizers: ["orphan"] };
    graph.process({ type: "update", identity: deploy, owners: [], ...deleting, old: { finalizers: [] } });
    graph.process({ type: "update", identity: deploy, owners: [], ...deleting, old: deleting });
    assert.deepEqual(log, ["orphan:d"]);
  });

  it("an owner deleted in foreground is marked deletingDependents; it and its dependents are queued", () => {
    const { graph, log } = recorder();
    graph.process(add(deploy));
    graph.process(add(rs, [ref(deploy)]));
    graph.process({ type: "update", identity: deploy, owners: [], deletionTimestamp: "t", finalizers: ["foregroundDeletion"], old: { finalizers: [] } });
    assert.deepEqual(log, ["delete:rs", "delete:d"]);
    const d = graph.get(deploy.uid)!;
    assert.ok(d.deletingDependents && d.beingDeleted);
    assert.deepEqual(d.blockingDependents().map((n) => n.identity.name), ["rs"]);
    // a dependent's deletion wakes the waiting owner
    log.length = 0;
    graph.process({ type: "delete", identity: rs, owners: [ref(deploy)], finalizers: [] });
    assert.deepEqual(log, ["delete:d"]);
    assert.deepEqual(d.blockingDependents(), []);
  });

  it("an object first seen already deleting in foreground (a restart) starts the transition", () => {
    const { graph, log } = recorder();
    graph.process(add(deploy, [], { deletionTimestamp: "t", finalizers: ["foregroundDeletion"] }));
    assert.deepEqual(log, ["delete:d"]);
    assert.ok(graph.get(deploy.uid)!.deletingDependents);
  });

  it("dropping blockOwnerDeletion or the reference itself wakes a waiting owner", () => {
    const { graph, log } = recorder();
    graph.process(add(deploy, [], { deletionTimestamp: "t", finalizers: ["foregroundDeletion"] }));
    graph.process(add(rs, [ref(deploy)]));
    log.length = 0;
    graph.process({ type: "update", identity: rs, owners: [ref(deploy, false)], finalizers: [], old: { finalizers: [] } });
    assert.deepEqual(log, ["delete:d"]);
    log.length = 0;
    graph.process({ type: "update", identity: rs, owners: [], finalizers: [], old: { finalizers: [] } });
    // the reference was no longer blocking: nothing to wake
    assert.deepEqual(log, []);
    assert.equal(graph.get(deploy.uid)!.dependents.size, 0);
  });

  it("status-only updates are no-ops", () => {
    const { graph } = recorder();
    graph.process(add(pod, [ref(rs)]));
    const same: GraphEvent = { type: "update", identity: pod, owners: [ref(rs)], finalizers: [], old: { finalizers: [] } };
    assert.equal(graph.isNoop(same), true);
    assert.equal(graph.isNoop({ ...same, owners: [] }), false);
    assert.equal(graph.isNoop({ ...same, deletionTimestamp: "t" }), false);
    assert.equal(graph.isNoop({ ...same, finalizers: ["x"] }), false);
  });

  it("a virtual delete removes a virtual owner and queues its dependents", () => {
    const { graph, log } = recorder();
    graph.process(add(pod, [ref(rs)]));
    log.length = 0;
    graph.process({ type: "delete", identity: rs, owners: [], finalizers: [], virtual: true });
    assert.equal(graph.get(rs.uid), undefined);
    assert.deepEqual(log, ["delete:p"]);
  });

  it("a virtual delete with other coordinates never removes a real node", () => {
    const { graph, log } = recorder();
    graph.process(add(rs));
    graph.process(add(pod, [ref(rs)]));
    log.length = 0;
    graph.process({ type: "delete", identity: { ...rs, apiVersion: "extensions/v1beta1" }, owners: [], finalizers: [], virtual: true });
    assert.ok(graph.get(rs.uid));
    assert.deepEqual(log, []);
  });

  it("a virtual owner named by dependents with different coordinates survives a virtual delete of one of them", () => {
    const { graph, log } = recorder();
    const a = id("Pod", "a");
    const b = id("Pod", "b");
    graph.process(add(a, [ref(rs)]));
    graph.process(add(b, [{ ...ref(rs), apiVersion: "extensions/v1beta1" }]));
    log.length = 0;
    graph.process({ type: "delete", identity: rs, owners: [], finalizers: [], virtual: true });
    const v = graph.get(rs.uid)!;
    assert.ok(v, "kept for the dependents that name it otherwise");
    assert.equal(v.identity.apiVersion, "extensions/v1beta1");
    assert.deepEqual(log, ["delete:a", "delete:rs:rl"]);
  });

  it("a namespaced owner observed in another namespace: an invalid reference, the dependent is checked", () => {
    const { graph, log } = recorder();
    const owner = id("ConfigMap", "cm", "other");
    graph.process(add(owner));
    graph.process(add(id("Secret", "s", "ns"), [ref(owner)]));
    assert.deepEqual(log, ["invalid:s->cm@ns", "delete:s"]);
  });

  it("referencesDiffs: added, removed, changed by uid", () => {
    const a: OwnerReference = { apiVersion: "v1", kind: "A", name: "a", uid: "1" };
    const b: OwnerReference = { apiVersion: "v1", kind: "B", name: "b", uid: "2", blockOwnerDeletion: true };
    const c: OwnerReference = { apiVersion: "v1", kind: "C", name: "c", uid: "3" };
    const d = referencesDiffs([a, b], [{ ...b, blockOwnerDeletion: false }, c]);
    assert.deepEqual(d.added, [c]);
    assert.deepEqual(d.removed, [a]);
    assert.deepEqual(d.changed, [{ old: b, next: { ...b, blockOwnerDeletion: false } }]);
  });

  it("partitionDependents and identityString", () => {
    const { graph } = recorder();
    graph.process(add(pod, [ref(rs)]));
    const dep = graph.get(pod.uid)!;
    assert.deepEqual(partitionDependents([dep], rs).matching, [dep]);
    assert.deepEqual(partitionDependents([dep], { ...rs, namespace: "elsewhere" }).nonmatching, [dep]);
    assert.equal(identityString(rs), "[apps/v1/ReplicaSet, namespace: ns, name: rs, uid: uid-rs]");
  });

  it("the absent-owner cache keeps the 500 most recently used", () => {
    const lru = new LruSet(3);
    for (const k of ["a", "b", "c"]) lru.add(k);
    assert.ok(lru.has("a"));
    lru.add("d");
    assert.equal(lru.has("b"), false);
    assert.ok(lru.has("a") && lru.has("c") && lru.has("d"));
  });
});
