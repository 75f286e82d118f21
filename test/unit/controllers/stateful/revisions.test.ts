// ControllerRevision hashing, naming and ordering (upstream pkg/controller/history).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import {
  computeTemplateHash,
  controllerRevisionName,
  equalRevision,
  fnv32,
  fnv32a,
  goJson,
  hashRevisionData,
  nextRevision,
  revisionTemplate,
  safeEncodeString,
  sortRevisions,
  templatePatch,
} from "../../../../src/controllers/stateful/revisions.js";
import { newStatefulSetRevision } from "../../../../src/controllers/stateful/stateful-set-utils.js";

const enc = (s: string) => new TextEncoder().encode(s);

/** The revision a 1.33 kube-controller-manager recorded (upstream's stateful_set_compatibility_test.go). */
const COMPAT_DATA =
  '{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}';

describe("FNV and SafeEncodeString", () => {
  const cases: [string, number, number][] = [
    ["", 0x811c9dc5, 0x811c9dc5],
    ["a", 0x050c5d7e, 0xe40c292c],
    ["foobar", 0x31f0b262, 0xbf9cf968],
  ];
  for (const [input, fnv1, fnv1a] of cases) {
    it(`hashes ${JSON.stringify(input)}`, () => {
      assert.equal(fnv32(enc(input)), fnv1);
      assert.equal(fnv32a(enc(input)), fnv1a);
    });
  }
  it("maps digits onto the vowel-free alphabet", () => {
    // "0".."9" are 48..57; 48 % 27 = 21, the 22nd letter: "4"
    assert.equal(safeEncodeString("0123456789"), "456789bcdf");
  });
});

describe("Go JSON rendering", () => {
  const cases: [string, unknown, string][] = [
    ["sorted keys at every level", { b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}'],
    ["HTML-safe escapes", { s: "<a href='x'>&</a>" }, `{"s":"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e"}`],
    ["control characters", "a\nb\tc\u0001\b\f\u2028", '"a\\nb\\tc\\u0001\\b\\f\\u2028"'],
    ["$ sorts before letters", { metadata: 1, $patch: "replace" }, '{"$patch":"replace","metadata":1}'],
    ["numbers", [0, 30, -1, 1.5, 1e21], "[0,30,-1,1.5,1e+21]"],
  ];
  for (const [name, value, want] of cases) it(name, () => assert.equal(goJson(value), want));
});

describe("StatefulSet revision hashes", () => {
  it("reproduces the hash a 1.33 controller recorded", () => {
    assert.equal(hashRevisionData(JSON.parse(COMPAT_DATA), 0), "c77f6d978");
  });
  it("changes with the collision count and the template", () => {
    const data = JSON.parse(COMPAT_DATA);
    const h0 = hashRevisionData(data, 0);
    assert.notEqual(hashRevisionData(data, 1), h0);
    data.spec.template.spec.containers[0].image = "test:2";
    assert.notEqual(hashRevisionData(data, 0), h0);
  });
  it("names and labels a revision as upstream", () => {
    const set = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "test", namespace: "test", uid: "ssuid", annotations: { a: "b" } },
      spec: { template: (JSON.parse(COMPAT_DATA) as { spec: { template: Record<string, unknown> } }).spec.template },
    } as KubeObject;
    delete (set.spec as { template: Record<string, unknown> }).template.$patch;
    const rev = newStatefulSetRevision(set, 1, 0);
    assert.equal(rev.metadata.name, "test-c77f6d978");
    assert.deepEqual(rev.metadata.labels, { app: "foo", "controller.kubernetes.io/hash": "c77f6d978" });
    assert.deepEqual(rev.metadata.annotations, { a: "b" });
    assert.deepEqual(rev.metadata.ownerReferences, [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "test", uid: "ssuid", controller: true, blockOwnerDeletion: true }]);
    assert.equal(rev.revision, 1);
    assert.equal(goJson(rev.data), COMPAT_DATA);
  });
  it("truncates long prefixes to 223 characters", () => {
    assert.equal(controllerRevisionName("x".repeat(300), "abc"), `${"x".repeat(223)}-abc`);
    assert.equal(controllerRevisionName("web", "abc"), "web-abc");
  });
});

describe("DaemonSet template hashes", () => {
  it("are stable, and change with the template and collision count", () => {
    const t = { metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "c", image: "i" }] } };
    const h = computeTemplateHash(t);
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(computeTemplateHash(structuredClone(t)), h);
    assert.notEqual(computeTemplateHash(t, 0), h);
    assert.notEqual(computeTemplateHash(t, 1), computeTemplateHash(t, 0));
    assert.notEqual(computeTemplateHash({ ...t, spec: { containers: [{ name: "c", image: "j" }] } }), h);
  });
});

describe("revision bookkeeping", () => {
  const rev = (name: string, revision: number, ts = "2026-01-01T00:00:00Z", data: unknown = { spec: { template: { $patch: "replace", metadata: { labels: { n: name } } } } }) =>
    ({ metadata: { name, creationTimestamp: ts }, revision, data }) as KubeObject;

  it("sorts by revision, then creation time, then name", () => {
    const sorted = sortRevisions([rev("c", 2), rev("b", 1, "2026-01-01T00:00:05Z"), rev("a", 1, "2026-01-01T00:00:05Z"), rev("z", 1, "2026-01-01T00:00:01Z")]);
    assert.deepEqual(
      sorted.map((r) => r.metadata.name),
      ["z", "a", "b", "c"],
    );
  });
  it("numbers the next revision one past the highest", () => {
    assert.equal(nextRevision([]), 1);
    assert.equal(nextRevision(sortRevisions([rev("a", 3), rev("b", 7)])), 8);
  });
  it("compares revisions by their data", () => {
    assert.ok(equalRevision(rev("a", 1), { ...rev("a", 5), metadata: { name: "other" } }));
    assert.ok(!equalRevision(rev("a", 1), rev("b", 1)));
    assert.ok(!equalRevision(rev("a", 1), undefined));
  });
  it("round-trips a template through its patch", () => {
    const template = { metadata: { labels: { a: "b" } }, spec: { containers: [] } };
    const patch = templatePatch(template);
    assert.equal(patch.spec.template.$patch, "replace");
    assert.deepEqual(revisionTemplate({ metadata: {}, data: patch }), template);
    assert.equal((template as Record<string, unknown>).$patch, undefined);
  });
});
