// Pure algorithms of the apps controllers: pod-template-hash, rolling-update arithmetic,
// proportional scaling, deletion ranking, revision bookkeeping, slow start, ReplicaSet status.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  getProportion,
  isSaturated,
  lastRevision,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  scaledValue,
  setCondition,
  setDeploymentAnnotationsTo,
  setNewReplicaSetAnnotations,
  deploymentTimedOut,
  deploymentProgressing,
  type Deployment,
  type RS,
} from "../../../../src/controllers/apps/deployment-util.js";
import { canonicalJSON, computeHash, fnv32a, safeEncodeString } from "../../../../src/controllers/apps/hash.js";
import { deleteBefore, isPodAvailable, podsToDelete, type Pod } from "../../../../src/controllers/apps/pod-util.js";
import { calculateReplicaSetStatus, podFromTemplate } from "../../../../src/controllers/apps/replica-set.js";
import { slowStartBatch, slowStartBatchSizes } from "../../../../src/controllers/apps/slow-start.js";
import { PodExpectations } from "../../../../src/controllers/apps/expectations.js";
import { FakeClock } from "../../../../src/util/clock.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function deployment(replicas: number, strategy: Deployment["spec"]["strategy"] = { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }, extra: Partial<Deployment["spec"]> = {}): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", uid: "d-uid", generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } }, strategy, ...extra },
  };
}

function rs(name: string, replicas: number, opts: { available?: number; created?: number; revision?: string; annotations?: Record<string, string>; image?: string } = {}): RS {
  const annotations: Record<string, string> = { ...(opts.annotations ?? {}) };
  if (opts.revision) annotations["deployment.kubernetes.io/revision"] = opts.revision;
  return {
    metadata: { name, namespace: "default", uid: `${name}-uid`, creationTimestamp: iso(opts.created ?? T0), annotations },
    spec: { replicas, template: { metadata: { labels: { app: "web", "pod-template-hash": name } }, spec: { containers: [{ name: "c", image: opts.image ?? "nginx" }] } } },
    status: { replicas, availableReplicas: opts.available ?? replicas },
  };
}

describe("pod-template-hash", () => {
  test("FNV-32a test vectors", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    assert.equal(fnv32a(enc("")), 0x811c9dc5);
    assert.equal(fnv32a(enc("a")), 0xe40c292c);
    assert.equal(fnv32a(enc("foobar")), 0xbf9cf968);
  });

  test("SafeEncodeString maps bytes onto the consonant/digit alphabet", () => {
    // '0'..'9' are bytes 48..57; 48 % 27 = 21 → "4"
    assert.equal(safeEncodeString("0123456789"), "456789bcdf");
    assert.match(safeEncodeString("4294967295"), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  test("stable, key-order independent, changes with the template and the collision count", () => {
    const t1 = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } };
    const t2 = { spec: { containers: [{ image: "nginx", name: "c" }] }, metadata: { labels: { app: "web" } } };
    assert.equal(canonicalJSON(t1), canonicalJSON(t2));
    const h = computeHash(t1);
    assert.equal(h, computeHash(t2));
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.notEqual(computeHash({ ...t1, spec: { containers: [{ name: "c", image: "nginx:1.25" }] } }), h);
    assert.notEqual(computeHash(t1, 0), h, "a collision count of 0 is hashed too");
    assert.notEqual(computeHash(t1, 1), computeHash(t1, 0));
  });
});

describe("rolling update arithmetic", () => {
  test("percentages: surge rounds up, unavailability rounds down, both zero means one unavailable", () => {
    const table: [number | string, number | string, number, number, number][] = [
      ["25%", "25%", 3, 1, 0],
      ["25%", "25%", 10, 3, 2],
      ["25%", "25%", 4, 1, 1],
      [0, "25%", 3, 0, 1],
      ["0%", "10%", 5, 0, 1],
      [1, 0, 3, 1, 0],
      ["50%", "50%", 1, 1, 0],
      ["100%", 0, 7, 7, 0],
    ];
    for (const [s, u, desired, surge, unavailable] of table) {
      assert.deepEqual(resolveFenceposts(s, u, desired), { surge, unavailable }, `${s}/${u} of ${desired}`);
    }
    assert.equal(scaledValue("33%", 10, true), 4);
    assert.equal(scaledValue("33%", 10, false), 3);
  });

  test("maxSurge and maxUnavailable of deployments", () => {
    assert.equal(maxSurge(deployment(10)), 3);
    assert.equal(maxUnavailable(deployment(10)), 2);
    assert.equal(maxUnavailable(deployment(0)), 0);
    assert.equal(maxSurge(deployment(10, { type: "Recreate" })), 0);
    assert.equal(maxUnavailable(deployment(10, { type: "Recreate" })), 0);
    // unavailability never exceeds the replicas
    assert.equal(maxUnavailable(deployment(2, { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 5 } })), 2);
  });

  test("NewRSNewReplicas: scale up within surge, never past the desired count", () => {
    const d = deployment(10); // surge 3
    const old = rs("old", 10);
    const fresh = rs("new", 0);
    assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 3);
    assert.equal(newRSNewReplicas(d, [rs("old", 8), rs("new", 3)], rs("new", 3)), 5);
    assert.equal(newRSNewReplicas(d, [rs("old", 10), rs("new", 3)], rs("new", 3)), 3, "at maxTotal: no scale up");
    assert.equal(newRSNewReplicas(d, [rs("old", 0), rs("new", 9)], rs("new", 9)), 10);
    assert.equal(newRSNewReplicas(deployment(10, { type: "Recreate" }), [old, fresh], fresh), 10);
  });

  test("proportional scaling shares a scaling event by size (GetProportion)", () => {
    // deployment scaled 10 → 20 mid-rollout (surge 3 → 5); RSs sized 8 and 5 with max-replicas 13
    const d = deployment(20);
    d.status = { replicas: 13 };
    const a = rs("a", 8, { annotations: { "deployment.kubernetes.io/max-replicas": "13" } });
    const b = rs("b", 5, { annotations: { "deployment.kubernetes.io/max-replicas": "13" } });
    const toAdd = 25 - 13;
    const pa = getProportion(a, d, toAdd, 0);
    const pb = getProportion(b, d, toAdd, pa);
    assert.equal(pa, 7); // round(8*25/13)=15 → +7
    assert.equal(pb, 5); // round(5*25/13)=10 → +5, capped by what is left (5)
    // scaling to zero removes each RS's whole size
    const z = deployment(0);
    assert.equal(getProportion(a, z, -13, 0), -8);
    assert.equal(getProportion(rs("e", 0), d, 5, 0), 0);
  });

  test("saturation, active-or-latest, new/old ReplicaSets", () => {
    const d = deployment(3);
    const sat = rs("n", 3, { annotations: { "deployment.kubernetes.io/desired-replicas": "3" } });
    assert.equal(isSaturated(d, sat), true);
    assert.equal(isSaturated(d, rs("n", 3)), false);
    const older = rs("o", 0, { created: T0 - 1000 });
    assert.equal(findActiveOrLatest(undefined, [older, rs("o2", 0, { created: T0 })])?.metadata.name, "o2");
    assert.equal(findActiveOrLatest(rs("n", 0), [rs("x", 2)])?.metadata.name, "x");
    assert.equal(findActiveOrLatest(rs("n", 1), [rs("x", 2)]), undefined);
    const matching = rs("m", 1, { image: "nginx" });
    assert.equal(findNewReplicaSet(d, [rs("q", 1, { image: "other" }), matching])?.metadata.name, "m");
    assert.equal(equalIgnoreHash(d.spec.template, matching.spec!.template), true);
  });
});

describe("revision bookkeeping", () => {
  test("max and last revision", () => {
    const list = [rs("a", 0, { revision: "1" }), rs("b", 0, { revision: "4" }), rs("c", 0, { revision: "2" }), rs("d", 0, { revision: "x" })];
    assert.equal(maxRevision(list), 4);
    assert.equal(lastRevision(list), 2);
  });

  test("a new ReplicaSet gets the deployment's annotations but not kubectl's or the controller's", () => {
    const d = deployment(3);
    d.metadata.annotations = {
      "kubernetes.io/change-cause": "kubectl set image deployment/web c=nginx:1.25",
      "kubectl.kubernetes.io/last-applied-configuration": "{}",
      "deployment.kubernetes.io/revision": "7",
      team: "a",
    };
    const r = rs("n", 0);
    r.metadata.annotations = {};
    assert.equal(setNewReplicaSetAnnotations(d, r, "3", false), true);
    assert.deepEqual(r.metadata.annotations, {
      "kubernetes.io/change-cause": "kubectl set image deployment/web c=nginx:1.25",
      team: "a",
      "deployment.kubernetes.io/revision": "3",
      "deployment.kubernetes.io/desired-replicas": "3",
      "deployment.kubernetes.io/max-replicas": "4",
    });
  });

  test("reusing an old ReplicaSet bumps its revision and records the old one in revision-history", () => {
    const d = deployment(3);
    const r = rs("n", 0, { revision: "1" });
    assert.equal(setNewReplicaSetAnnotations(d, r, "3", true), true);
    assert.equal(r.metadata.annotations!["deployment.kubernetes.io/revision"], "3");
    assert.equal(r.metadata.annotations!["deployment.kubernetes.io/revision-history"], "1");
    assert.equal(setNewReplicaSetAnnotations(d, r, "5", true), true);
    assert.equal(r.metadata.annotations!["deployment.kubernetes.io/revision-history"], "1,3");
    assert.equal(setNewReplicaSetAnnotations(d, r, "4", true), false, "never lowers a revision");
    assert.equal(r.metadata.annotations!["deployment.kubernetes.io/desired-replicas"], undefined, "existing ReplicaSets keep their replica annotations");
  });

  test("revision-history is bounded in length, dropping the oldest", () => {
    const d = deployment(1);
    const r = rs("n", 0, { revision: "99", annotations: { "deployment.kubernetes.io/revision-history": "1,2,3" } });
    setNewReplicaSetAnnotations(d, r, "100", true, 7);
    assert.equal(r.metadata.annotations!["deployment.kubernetes.io/revision-history"], "2,3,99");
  });

  test("rolling back takes the ReplicaSet's annotations, keeping the deployment's skipped ones", () => {
    const d = deployment(1);
    d.metadata.annotations = { "deployment.kubernetes.io/revision": "2", "kubernetes.io/change-cause": "v2", x: "1" };
    const r = rs("n", 0, { revision: "1", annotations: { "kubernetes.io/change-cause": "v1", "deployment.kubernetes.io/desired-replicas": "1" } });
    setDeploymentAnnotationsTo(d, r);
    assert.deepEqual(d.metadata.annotations, { "deployment.kubernetes.io/revision": "2", "kubernetes.io/change-cause": "v1" });
  });
});

describe("conditions and progress", () => {
  test("setCondition keeps lastTransitionTime while the status is unchanged", () => {
    const s = { conditions: [{ type: "Progressing", status: "True", reason: "A", lastUpdateTime: "t0", lastTransitionTime: "t0" }] };
    setCondition(s, { type: "Progressing", status: "True", reason: "B", lastUpdateTime: "t1", lastTransitionTime: "t1" });
    assert.equal(s.conditions[0]!.lastTransitionTime, "t0");
    assert.equal(s.conditions[0]!.lastUpdateTime, "t1");
    setCondition(s, { type: "Available", status: "True", reason: "X" });
    setCondition(s, { type: "Progressing", status: "False", reason: "C", lastTransitionTime: "t2" });
    assert.deepEqual(
      s.conditions.map((c) => c.type),
      ["Available", "Progressing"],
      "a changed condition moves to the end",
    );
  });

  test("progress and timeout", () => {
    const d = deployment(3, undefined, { progressDeadlineSeconds: 60 });
    d.status = { replicas: 3, updatedReplicas: 1, availableReplicas: 2 };
    assert.equal(deploymentProgressing(d, { replicas: 3, updatedReplicas: 2, availableReplicas: 2 }), true);
    assert.equal(deploymentProgressing(d, { replicas: 3, updatedReplicas: 1, availableReplicas: 2 }), false);
    const cond = { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", lastUpdateTime: iso(T0) };
    assert.equal(deploymentTimedOut(d, { conditions: [cond] }, T0 + 60_000), false);
    assert.equal(deploymentTimedOut(d, { conditions: [cond] }, T0 + 60_001), true);
    assert.equal(deploymentTimedOut(d, { conditions: [{ ...cond, reason: "NewReplicaSetAvailable" }] }, T0 + 600_000), false);
  });
});

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readySince?: number; restarts?: number; created?: number; cost?: string; uid?: string } = {}): Pod {
  return {
    metadata: {
      name,
      namespace: "default",
      uid: o.uid ?? name,
      creationTimestamp: iso(o.created ?? T0),
      ...(o.cost !== undefined ? { annotations: { "controller.kubernetes.io/pod-deletion-cost": o.cost } } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? "Running",
      conditions: o.ready ? [{ type: "Ready", status: "True", lastTransitionTime: iso(o.readySince ?? T0) }] : [{ type: "Ready", status: "False" }],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}

describe("deletion ranking (ActivePodsWithRanks)", () => {
  const now = T0 + 3600_000;
  const cases: [string, Pod, Pod][] = [
    ["unscheduled before scheduled", pod("a", { phase: "Pending" }), pod("b", { node: "n1", phase: "Pending" })],
    ["pending before running", pod("a", { node: "n1", phase: "Pending" }), pod("b", { node: "n1" })],
    ["unknown before running", pod("a", { node: "n1", phase: "Unknown" }), pod("b", { node: "n1" })],
    ["not ready before ready", pod("a", { node: "n1" }), pod("b", { node: "n1", ready: true })],
    ["lower deletion cost first", pod("a", { node: "n1", ready: true, cost: "-5" }), pod("b", { node: "n1", ready: true })],
    ["ready more recently first", pod("a", { node: "n1", ready: true, readySince: now - 10_000 }), pod("b", { node: "n1", ready: true, readySince: now - 3000_000 })],
    ["more restarts first", pod("a", { node: "n1", ready: true, restarts: 3 }), pod("b", { node: "n1", ready: true })],
    ["newer first", pod("a", { node: "n1", created: now - 5_000 }), pod("b", { node: "n1", created: now - 3000_000 })],
  ];
  for (const [name, first, second] of cases) {
    test(name, () => {
      assert.equal(deleteBefore({ pod: first, rank: 0 }, { pod: second, rank: 0 }, now), true);
      assert.equal(deleteBefore({ pod: second, rank: 0 }, { pod: first, rank: 0 }, now), false);
    });
  }

  test("doubled-up pods go first; equal log-scale ages fall back to UID", () => {
    const a = pod("a", { node: "n1", ready: true });
    const b = pod("b", { node: "n2", ready: true });
    assert.equal(deleteBefore({ pod: a, rank: 2 }, { pod: b, rank: 1 }, now), true);
    // ready 1100s vs 1200s ago: the same power-of-two bucket of nanoseconds
    const x = pod("x", { node: "n1", ready: true, readySince: now - 1100_000, uid: "2" });
    const y = pod("y", { node: "n1", ready: true, readySince: now - 1200_000, uid: "1" });
    assert.equal(deleteBefore({ pod: y, rank: 0 }, { pod: x, rank: 0 }, now), true);
  });

  test("podsToDelete ranks by co-location on nodes", () => {
    const pods = [pod("p1", { node: "n1", ready: true }), pod("p2", { node: "n2", ready: true }), pod("p3", { node: "n2", ready: true }), pod("p4", { node: "n3", phase: "Pending" })];
    const victims = podsToDelete(pods, pods, 2, now).map((p) => p.metadata.name);
    assert.deepEqual(victims, ["p4", pods[1]!.metadata.uid! < pods[2]!.metadata.uid! ? "p2" : "p3"]);
    assert.equal(podsToDelete(pods, pods, 9, now).length, 4);
  });

  test("availability needs Ready for longer than minReadySeconds", () => {
    const p = pod("a", { ready: true, readySince: T0 });
    assert.equal(isPodAvailable(p, 0, T0), true);
    assert.equal(isPodAvailable(p, 10, T0 + 10_000), false);
    assert.equal(isPodAvailable(p, 10, T0 + 10_001), true);
    assert.equal(isPodAvailable(pod("b"), 0, T0), false);
  });
});

describe("ReplicaSet helpers", () => {
  test("slow start: 1, 2, 4, … and the first failing batch ends it", async () => {
    assert.deepEqual(slowStartBatchSizes(10), [1, 2, 4, 3]);
    assert.deepEqual(slowStartBatchSizes(500), [1, 2, 4, 8, 16, 32, 64, 128, 245]);
    let calls = 0;
    const r = await slowStartBatch(10, 1, async () => {
      calls++;
      if (calls > 3) throw new Error("quota");
    });
    assert.equal(calls, 7, "batches 1, 2, then 4 with failures");
    assert.equal(r.successes, 3);
    assert.equal((r.error as Error).message, "quota");
  });

  test("pods from the template", () => {
    const ref = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-abc", uid: "u", controller: true, blockOwnerDeletion: true };
    const p = podFromTemplate({ metadata: { labels: { app: "web" }, annotations: { a: "b" } }, spec: { containers: [] } }, "web-abc", ref);
    assert.equal(p.metadata.generateName, "web-abc-");
    assert.deepEqual(p.metadata.labels, { app: "web" });
    assert.deepEqual(p.metadata.annotations, { a: "b" });
    assert.deepEqual(p.metadata.ownerReferences, [ref]);
  });

  test("status counts and the ReplicaFailure condition", () => {
    const set: RS = { metadata: { name: "r", generation: 2 }, spec: { replicas: 3, minReadySeconds: 5, template: { metadata: { labels: { app: "web", tier: "fe" } } } }, status: { replicas: 0, observedGeneration: 1 } };
    const pods = [pod("a", { ready: true, readySince: T0 }), pod("b", { ready: true, readySince: T0 + 9000 }), pod("c")];
    pods[0]!.metadata.labels = { app: "web", tier: "fe" };
    const s = calculateReplicaSetStatus(set, pods, undefined, T0 + 10_000);
    assert.deepEqual(s, { replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 1 });
    const failed = calculateReplicaSetStatus(set, pods.slice(0, 2), new Error(`pods "r-x" is forbidden: exceeded quota`), T0);
    assert.deepEqual(failed.conditions, [{ type: "ReplicaFailure", status: "True", lastTransitionTime: iso(T0), reason: "FailedCreate", message: `pods "r-x" is forbidden: exceeded quota` }]);
    const cleared = calculateReplicaSetStatus({ ...set, status: failed }, pods, undefined, T0);
    assert.equal(cleared.conditions, undefined);
  });

  test("expectations track deletions by pod key", () => {
    const clock = new FakeClock(T0);
    const e = new PodExpectations(clock);
    e.expectDeletions("ns/rs", ["ns/a", "ns/b"]);
    e.deletionObserved("ns/rs", "ns/a");
    e.deletionObserved("ns/rs", "ns/a"); // the same pod seen twice (deletionTimestamp, then gone)
    assert.equal(e.satisfied("ns/rs"), false);
    e.deletionObserved("ns/rs", "ns/b");
    assert.equal(e.satisfied("ns/rs"), true);
    e.expectCreations("ns/rs", 2);
    e.creationObserved("ns/rs");
    assert.equal(e.satisfied("ns/rs"), false);
    clock.advance(5 * 60_000 + 1);
    assert.equal(e.satisfied("ns/rs"), true, "expectations expire");
  });
});
