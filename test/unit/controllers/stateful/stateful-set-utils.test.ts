// StatefulSet identity, ordinal and partition arithmetic, claims and their owner references,
// status bookkeeping (upstream stateful_set_utils.go).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import {
  claimsFor,
  completeRollingUpdate,
  countReplicas,
  encodeStatefulSetStatus,
  identityMatches,
  inconsistentStatus,
  isClaimOwnerUpToDate,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  parentAndOrdinal,
  podInOrdinalRange,
  storageMatches,
  updateClaimOwnerRefs,
  type StatefulSetStatusFields,
} from "../../../../src/controllers/stateful/stateful-set-utils.js";
import type { Obj } from "./helpers.js";

function set(spec: Obj = {}, status: Obj = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "web", namespace: "ns", uid: "set-uid" },
    spec: {
      replicas: 3,
      serviceName: "nginx",
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" }, annotations: { note: "x" } }, spec: { containers: [{ name: "c", image: "v1" }], volumes: [{ name: "cfg", configMap: { name: "cfg" } }] } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      volumeClaimTemplates: [{ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "www", labels: { tier: "db" }, creationTimestamp: null }, spec: { accessModes: ["ReadWriteOnce"] }, status: { phase: "Pending" } }],
      ...spec,
    },
    status,
  };
}

describe("ordinals", () => {
  const cases: [string, string, number][] = [
    ["web-0", "web", 0],
    ["web-12", "web", 12],
    ["my-db-3", "my-db", 3],
    ["web", "", -1],
    ["web-", "", -1],
    ["web-x", "", -1],
    ["web-99999999999", "web", -1],
  ];
  for (const [name, parent, ordinal] of cases)
    it(`parses ${name}`, () => {
      const r = parentAndOrdinal(name);
      assert.equal(r.ordinal, ordinal);
      if (ordinal >= 0) assert.equal(r.parent, parent);
    });

  const pod = (name: string) => ({ metadata: { name } }) as KubeObject;
  it("ranges over [start, start+replicas)", () => {
    assert.ok(podInOrdinalRange(pod("web-2"), set()));
    assert.ok(!podInOrdinalRange(pod("web-3"), set()));
    const s = set({ ordinals: { start: 5 } });
    assert.ok(!podInOrdinalRange(pod("web-0"), s));
    assert.ok(podInOrdinalRange(pod("web-5"), s));
    assert.ok(podInOrdinalRange(pod("web-7"), s));
    assert.ok(!podInOrdinalRange(pod("web-8"), s));
  });
});

describe("pods of a StatefulSet", () => {
  it("carry the ordinal identity, storage and owner", () => {
    const p = newStatefulSetPod(set(), 1);
    assert.equal(p.metadata.name, "web-1");
    assert.equal(p.metadata.generateName, "web-");
    assert.equal(p.metadata.namespace, "ns");
    assert.deepEqual(p.metadata.labels, { app: "web", "statefulset.kubernetes.io/pod-name": "web-1", "apps.kubernetes.io/pod-index": "1" });
    assert.deepEqual(p.metadata.annotations, { note: "x" });
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "set-uid", controller: true, blockOwnerDeletion: true }]);
    const spec = p.spec as Obj;
    assert.equal(spec.hostname, "web-1");
    assert.equal(spec.subdomain, "nginx");
    assert.deepEqual(spec.volumes, [{ name: "www", persistentVolumeClaim: { claimName: "www-web-1" } }, { name: "cfg", configMap: { name: "cfg" } }]);
    assert.ok(identityMatches(set(), p));
    assert.ok(storageMatches(set(), p));
  });

  it("detect identity and storage drift", () => {
    const p = newStatefulSetPod(set(), 0);
    p.metadata.labels!["statefulset.kubernetes.io/pod-name"] = "other";
    assert.ok(!identityMatches(set(), p));
    const q = newStatefulSetPod(set(), 0);
    (q.spec as Obj).volumes = [];
    assert.ok(!storageMatches(set(), q));
  });

  // which revision a newly created pod gets: below the partition the current one
  const cases: { name: string; spec: Obj; status?: Obj; ordinal: number; want: "cur" | "upd" }[] = [
    { name: "partition 0 → update", spec: {}, ordinal: 0, want: "upd" },
    { name: "below partition → current", spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } }, ordinal: 1, want: "cur" },
    { name: "at partition → update", spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } }, ordinal: 2, want: "upd" },
    { name: "partition counts from ordinals.start", spec: { ordinals: { start: 10 }, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }, ordinal: 10, want: "cur" },
    { name: "no rollingUpdate block: below currentReplicas", spec: { updateStrategy: { type: "RollingUpdate" } }, status: { currentReplicas: 2 }, ordinal: 1, want: "cur" },
    { name: "no rollingUpdate block: at currentReplicas", spec: { updateStrategy: { type: "RollingUpdate" } }, status: { currentReplicas: 2 }, ordinal: 2, want: "upd" },
    { name: "OnDelete → update", spec: { updateStrategy: { type: "OnDelete" } }, status: { currentReplicas: 3 }, ordinal: 0, want: "upd" },
  ];
  for (const c of cases)
    it(`versioned pod: ${c.name}`, () => {
      const cur = set(c.spec, c.status);
      const upd = structuredClone(cur) as Obj;
      upd.spec.template.spec.containers[0].image = "v2";
      const pod = newVersionedStatefulSetPod(cur, upd as KubeObject, "web-cur", "web-upd", c.ordinal);
      assert.equal(pod.metadata.labels!["controller-revision-hash"], c.want === "cur" ? "web-cur" : "web-upd");
      assert.equal((pod.spec as Obj).containers[0].image, c.want === "cur" ? "v1" : "v2");
    });
});

describe("claims", () => {
  it("are named <claim>-<set>-<ordinal> with the template's and selector's labels", () => {
    const claims = claimsFor(set(), 2);
    const c = claims.get("www")!;
    assert.equal(c.metadata.name, "www-web-2");
    assert.equal(c.metadata.namespace, "ns");
    assert.deepEqual(c.metadata.labels, { tier: "db", app: "web" });
    assert.equal(c.kind, "PersistentVolumeClaim");
    assert.equal(c.status, undefined);
    assert.equal(c.metadata.creationTimestamp, undefined);
    assert.deepEqual(c.spec, { accessModes: ["ReadWriteOnce"] });
  });

  const pod = (ordinal: number, uid = `pod-${ordinal}`) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: `web-${ordinal}`, uid } }) as KubeObject;
  const setRef = { apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "set-uid", controller: true, blockOwnerDeletion: true };
  const podRef = (ordinal: number) => ({ apiVersion: "v1", kind: "Pod", name: `web-${ordinal}`, uid: `pod-${ordinal}`, controller: true, blockOwnerDeletion: true });
  const policies: { whenDeleted: string; whenScaled: string; inRange: unknown[]; scaledDown: unknown[] }[] = [
    { whenDeleted: "Retain", whenScaled: "Retain", inRange: [], scaledDown: [] },
    { whenDeleted: "Delete", whenScaled: "Retain", inRange: [setRef], scaledDown: [setRef] },
    { whenDeleted: "Retain", whenScaled: "Delete", inRange: [], scaledDown: ["pod"] },
    { whenDeleted: "Delete", whenScaled: "Delete", inRange: [setRef], scaledDown: ["pod"] },
  ];
  for (const p of policies) {
    for (const [where, ordinal, want] of [
      ["in range", 1, p.inRange],
      ["scaled down", 5, p.scaledDown],
    ] as const) {
      it(`owner references for whenDeleted=${p.whenDeleted} whenScaled=${p.whenScaled}, pod ${where}`, () => {
        const s = set({ persistentVolumeClaimRetentionPolicy: { whenDeleted: p.whenDeleted, whenScaled: p.whenScaled } });
        const claim = { metadata: { name: `www-web-${ordinal}` } } as KubeObject;
        const expected = want.map((r) => (r === "pod" ? podRef(ordinal) : r));
        assert.equal(isClaimOwnerUpToDate(claim, s, pod(ordinal)), expected.length === 0);
        updateClaimOwnerRefs(claim, s, pod(ordinal));
        assert.deepEqual(claim.metadata.ownerReferences ?? [], expected);
        assert.ok(isClaimOwnerUpToDate(claim, s, pod(ordinal)));
      });
    }
  }
  it("leaves claims controlled by someone else alone", () => {
    const s = set({ persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" } });
    const other = { apiVersion: "x/v1", kind: "Other", name: "o", uid: "o", controller: true };
    const claim = { metadata: { name: "www-web-0", ownerReferences: [other] } } as KubeObject;
    assert.ok(isClaimOwnerUpToDate(claim, s, pod(0)));
  });
  it("treats references to an earlier set of the same name as stale (not to be touched)", () => {
    const s = set({ persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" } });
    const claim = { metadata: { name: "www-web-0", ownerReferences: [{ ...setRef, uid: "old" }] } } as KubeObject;
    assert.ok(isClaimOwnerUpToDate(claim, s, pod(0)));
  });
});

describe("status", () => {
  const running = (name: string, rev: string, ready = true, extra: Obj = {}) =>
    ({ metadata: { name, labels: { "controller-revision-hash": rev }, ...extra }, status: { phase: "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: "2026-01-01T00:00:00Z" }] } }) as KubeObject;
  const blank = (): StatefulSetStatusFields => ({
    observedGeneration: 2,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision: "a",
    updateRevision: "b",
    collisionCount: 0,
  });

  it("counts created, ready, available, current and updated replicas", () => {
    const s = blank();
    const now = Date.parse("2026-01-01T00:00:05Z");
    countReplicas(s, 10, now, "a", "b", [running("web-0", "a"), running("web-1", "b"), running("web-2", "b", false), { metadata: { name: "web-3" } } as KubeObject]);
    assert.deepEqual({ ...s }, { ...blank(), replicas: 3, readyReplicas: 2, availableReplicas: 0, currentReplicas: 1, updatedReplicas: 2 });
    countReplicas(s, 0, now, "a", "b", [running("web-0", "a"), running("web-1", "b", true, { deletionTimestamp: "2026-01-01T00:00:00Z" })]);
    assert.equal(s.availableReplicas, 2);
    assert.equal(s.updatedReplicas, 0);
  });

  it("completes a rolling update once every replica is updated and ready", () => {
    const s = { ...blank(), replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 0 };
    completeRollingUpdate(set(), s);
    assert.equal(s.currentRevision, "b");
    assert.equal(s.currentReplicas, 3);
    const t = { ...blank(), replicas: 3, readyReplicas: 2, updatedReplicas: 3 };
    completeRollingUpdate(set(), t);
    assert.equal(t.currentRevision, "a");
    const u = { ...blank(), replicas: 3, readyReplicas: 3, updatedReplicas: 3 };
    completeRollingUpdate(set({ updateStrategy: { type: "OnDelete" } }), u);
    assert.equal(u.currentRevision, "a");
  });

  it("encodes omitempty fields as Go does", () => {
    assert.deepEqual(encodeStatefulSetStatus({ ...blank(), observedGeneration: 1, currentRevision: "", updateRevision: "" }), {
      observedGeneration: 1,
      replicas: 0,
      collisionCount: 0,
      availableReplicas: 0,
    });
    assert.deepEqual(Object.keys(encodeStatefulSetStatus({ ...blank(), replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1, availableReplicas: 1 })), [
      "observedGeneration",
      "replicas",
      "readyReplicas",
      "currentReplicas",
      "updatedReplicas",
      "currentRevision",
      "updateRevision",
      "collisionCount",
      "availableReplicas",
    ]);
  });

  it("writes only when something changed", () => {
    const s = { ...blank(), replicas: 1 };
    assert.ok(inconsistentStatus(set({}, {}), s));
    assert.ok(!inconsistentStatus(set({}, { observedGeneration: 2, replicas: 1, currentRevision: "a", updateRevision: "b", collisionCount: 0, availableReplicas: 0 }), s));
    assert.ok(inconsistentStatus(set({}, { observedGeneration: 1, replicas: 1, currentRevision: "a", updateRevision: "b" }), s));
  });
});
