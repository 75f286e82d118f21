// Patching never mutates its inputs, and the result never reuses an object of the patch: the PATCH
// handler applies the same parsed patch again on every optimistic-concurrency retry, and the
// patched object is defaulted / admitted / validated in place afterwards. For every row: (1) with
// the original and the patch deep-frozen the patch applies and both inputs are unchanged, (2)
// applying twice gives equal results, (3) with only the patch frozen, nothing frozen ends up in
// the result.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Operation } from "fast-json-patch";
import { applyJsonPatch, parseJsonPatch } from "../../../src/endpoints/patch/json-patch.js";
import { applyMergePatch } from "../../../src/endpoints/patch/merge-patch.js";
import { StrategicMergePatcher } from "../../../src/endpoints/patch/strategic-merge-patch.js";
import { DEPLOYMENT, NODE, POD, type Json, clone, deepFreeze, frozenInside, rootSchema, schemas } from "./helpers.js";

const patcher = new StrategicMergePatcher(schemas);

function deployment(): Json {
  return {
    metadata: { name: "web", labels: { app: "web" }, annotations: { a: "1" }, finalizers: ["f1", "f2"] },
    spec: {
      replicas: 2,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            { name: "web", image: "w:1", args: ["--a"], env: [{ name: "A", value: "1" }, { name: "B", value: "2" }], resources: { limits: { cpu: "1" } } },
            { name: "side", image: "s:1" },
          ],
          tolerations: [{ key: "k", operator: "Exists" }],
          volumes: [{ name: "v", emptyDir: {} }],
        },
      },
    },
  };
}

interface Row {
  name: string;
  original: () => unknown;
  patch: unknown;
  apply: (original: unknown, patch: unknown) => unknown;
  todo?: string;
}

const smpWith =
  (root: string) =>
  (original: unknown, patch: unknown): unknown =>
    patcher.apply(original as Json, patch as Json, rootSchema(root));
const merge = (original: unknown, patch: unknown) => applyMergePatch(original, patch);
const json = (original: unknown, patch: unknown) => applyJsonPatch(original, parseJsonPatch(patch) as Operation[]);

const rows: Row[] = [
  {
    name: "strategic: kubectl apply shape with $setElementOrder, $patch: delete, $retainKeys and new values",
    original: deployment,
    patch: {
      metadata: { labels: { tier: "fe" }, "$deleteFromPrimitiveList/finalizers": ["f1"] },
      spec: {
        strategy: { $retainKeys: ["type"], type: "Recreate" },
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "web" }, { name: "new" }, { name: "side" }],
            containers: [
              { name: "web", "$setElementOrder/env": [{ name: "A" }, { name: "C" }], env: [{ $patch: "delete", name: "B" }, { name: "C", value: "3" }], resources: { limits: { memory: "1Gi" }, requests: { cpu: "1" } } },
              { name: "new", image: "n", args: ["--x"], ports: [{ containerPort: 80 }], securityContext: { capabilities: { add: ["NET_ADMIN"] } } },
            ],
            volumes: [{ $retainKeys: ["configMap", "name"], name: "v", configMap: { name: "cm", items: [{ key: "k", path: "p" }] } }],
            tolerations: [{ key: "other", operator: "Equal", value: "x" }],
            nodeSelector: { zone: "a" },
          },
        },
      },
    },
    apply: smpWith(DEPLOYMENT),
  },
  {
    name: "strategic: $patch: replace of a pod template",
    original: deployment,
    patch: { spec: { template: { $patch: "replace", metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "w:0", env: [{ name: "A", value: "0" }] }] } } } },
    apply: smpWith(DEPLOYMENT),
  },
  {
    name: "strategic: $patch: replace inside a list and a new merged list",
    original: () => ({ spec: { containers: [{ name: "a" }] } }),
    patch: { spec: { containers: [{ $patch: "replace" }, { name: "b", env: [{ name: "X", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }], imagePullSecrets: [{ name: "r" }] } },
    apply: smpWith(POD),
  },
  {
    name: "strategic: node taints replaced, status conditions merged",
    original: () => ({ spec: { taints: [{ key: "a", effect: "NoSchedule" }] }, status: { conditions: [{ type: "Ready", status: "False" }] } }),
    patch: { spec: { taints: [{ key: "b", effect: "NoExecute" }] }, status: { conditions: [{ type: "Ready", status: "True" }, { type: "DiskPressure", status: "False" }] } },
    apply: smpWith(NODE),
  },
  {
    name: "merge: nested maps, arrays and nulls",
    original: deployment,
    patch: { metadata: { labels: { app: null, x: "y" }, finalizers: ["z"] }, spec: { template: { spec: { containers: [{ name: "only", env: [{ name: "A" }] }] } }, extra: { deep: { er: [{ a: 1 }] } } } },
    apply: merge,
  },
  {
    name: "json: replace and copy of scalars, move",
    original: deployment,
    patch: [
      { op: "replace", path: "/spec/replicas", value: 3 },
      { op: "copy", from: "/spec/template/spec/containers/0", path: "/spec/template/spec/containers/-" },
      { op: "move", from: "/metadata/annotations", path: "/metadata/notes" },
    ],
    apply: json,
  },
  {
    name: "json: add of an object value edited by a later operation",
    original: deployment,
    patch: [
      { op: "add", path: "/spec/template/spec/securityContext", value: { runAsUser: 1000, runAsGroup: 3000 } },
      { op: "remove", path: "/spec/template/spec/securityContext/runAsGroup" },
    ],
    apply: json,
  },
];

for (const row of rows) {
  test(`inputs untouched, retry-safe, no shared objects: ${row.name}`, row.todo ? { todo: row.todo } : {}, () => {
    // (1) deep-frozen inputs stay as they were
    const original = deepFreeze(row.original());
    const patch = deepFreeze(clone(row.patch));
    const snapshot = { original: JSON.stringify(original), patch: JSON.stringify(patch) };
    const frozenRun = row.apply(original, patch);
    assert.equal(JSON.stringify(original), snapshot.original, "original changed");
    assert.equal(JSON.stringify(patch), snapshot.patch, "patch changed");

    // (2) the same (unfrozen) patch applied twice, as on a conflict retry
    const reused = clone(row.patch);
    const first = row.apply(row.original(), reused);
    const second = row.apply(row.original(), reused);
    assert.deepEqual(second, first, "second application differs");
    assert.deepEqual(first, frozenRun, "frozen and unfrozen inputs give different results");

    // (3) nothing of the (frozen) patch is reused in the result
    assert.deepEqual(frozenInside(row.apply(row.original(), deepFreeze(clone(row.patch)))), [], "result shares objects with the patch");
  });
}
