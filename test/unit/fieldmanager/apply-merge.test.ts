// merge (SMD TypedValue.Merge: an applied configuration over the live object) and removePath
// (prune's removal of a field, map key or list item). The list-order cases are upstream's
// typed/merge_test.go triplets carried onto real fields: set lists as metadata.finalizers,
// associative lists as containers (by name) and container ports (by containerPort+protocol).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { merge, removePath } from "../../../src/registry/fieldmanager/apply-merge.js";
import { DEPLOYMENT, type Json, f, k, rootSchema, types, v } from "./helpers.js";

const schema = rootSchema(DEPLOYMENT);
const mergeD = (lhs: Json, rhs: Json) => {
  const before = JSON.stringify(lhs);
  const out = merge(types, lhs, rhs, schema) as Json;
  assert.equal(JSON.stringify(lhs), before, "merge must not modify the live object");
  return out;
};

describe("merge: set lists keep live items and add the configuration's (upstream triplets)", () => {
  const fin = (items: string[]) => ({ metadata: { finalizers: items } });
  const triplets: [string[], string[], string[]][] = [
    [["a", "b", "c"], ["a", "b"], ["a", "b", "c"]],
    [["a", "b"], ["a", "b", "c"], ["a", "b", "c"]],
    [["a", "b", "c"], [], ["a", "b", "c"]],
    [[], ["a", "b", "c"], ["a", "b", "c"]],
    [["a", "b"], ["b", "a"], ["b", "a"]],
    [["a", "b", "c"], ["d", "e", "f"], ["a", "b", "c", "d", "e", "f"]],
    [["a", "b", "c"], ["c", "d", "e", "f"], ["a", "b", "c", "d", "e", "f"]],
    [["a", "b", "c", "g", "f"], ["c", "d", "e", "f"], ["a", "b", "c", "g", "d", "e", "f"]],
    [["a", "b", "c"], ["d", "e", "f", "x", "y", "z"], ["a", "b", "c", "d", "e", "f", "x", "y", "z"]],
    [["c", "d", "e", "f"], ["a", "c", "e"], ["a", "c", "d", "e", "f"]],
    [["a", "b", "c", "x", "y", "z"], ["d", "e", "f"], ["a", "b", "c", "x", "y", "z", "d", "e", "f"]],
    [["a", "b", "c", "x", "y", "z"], ["d", "e", "f", "x", "y", "z"], ["a", "b", "c", "d", "e", "f", "x", "y", "z"]],
    [["c", "a", "g", "f"], ["c", "f", "a", "g"], ["c", "f", "a", "g"]],
    [["a", "b", "c", "d"], ["d", "e", "f", "a"], ["b", "c", "d", "e", "f", "a"]],
    [["c", "d", "e", "f", "g", "h", "i", "j"], ["2", "h", "3", "e", "4", "k", "l"], ["c", "d", "f", "g", "2", "h", "i", "j", "3", "e", "4", "k", "l"]],
    [["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], ["1", "b", "2", "h", "3", "e", "4", "k", "l"], ["a", "1", "b", "c", "d", "f", "g", "2", "h", "i", "j", "3", "e", "4", "k", "l"]],
    // duplicates in the live list (allowed there, never in a configuration)
    [["a", "b", "b"], ["c"], ["a", "b", "b", "c"]],
    [["a", "b", "b"], ["b"], ["a", "b"]],
    [["a", "b", "b"], ["a"], ["a", "b", "b"]],
    [["a", "b", "c", "d", "e", "c"], ["1", "b", "2", "e", "d"], ["a", "1", "b", "c", "2", "e", "c", "d"]],
    [["a", "b", "c", "d", "e", "c"], ["1", "b", "2", "c", "e", "d"], ["a", "1", "b", "2", "c", "e", "d"]],
    [["a", "a", "b", "b"], ["b", "c", "d"], ["a", "a", "b", "c", "d"]],
    [["a", "a", "b", "b"], [], ["a", "a", "b", "b"]],
    [["c", "a", "g", "f", "c", "a"], ["c", "f", "a", "g"], ["c", "f", "a", "g"]],
  ];
  for (const [lhs, rhs, out] of triplets) {
    it(`[${lhs}] + [${rhs}] → [${out}]`, () => assert.deepEqual(mergeD(fin(lhs), fin(rhs)), fin(out)));
  }
});

describe("merge: associative lists merge items by key (upstream triplets on containers and ports)", () => {
  const cs = (...items: Json[]) => ({ spec: { template: { spec: { containers: items } } } });
  const cases: { name: string; lhs: Json; rhs: Json; out: Json }[] = [
    { name: "same item", lhs: cs({ name: "a", image: "x" }), rhs: cs({ name: "a", image: "x" }), out: cs({ name: "a", image: "x" }) },
    {
      name: "an item's fields merge: the configuration's win, live-only fields stay",
      lhs: cs({ name: "a", image: "x", imagePullPolicy: "Always", env: [{ name: "A", value: "1" }] }),
      rhs: cs({ name: "a", image: "y", env: [{ name: "B", value: "2" }] }),
      out: cs({ name: "a", image: "y", imagePullPolicy: "Always", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] }),
    },
    { name: "new items are appended", lhs: cs({ name: "b" }), rhs: cs({ name: "a" }, { name: "b" }, { name: "c" }), out: cs({ name: "a" }, { name: "b" }, { name: "c" }) },
    { name: "shared items follow the configuration's order (1)", lhs: cs({ name: "a" }, { name: "b" }, { name: "c" }), rhs: cs({ name: "c" }, { name: "b" }), out: cs({ name: "a" }, { name: "c" }, { name: "b" }) },
    { name: "shared items follow the configuration's order (2)", lhs: cs({ name: "a" }, { name: "b" }, { name: "c" }), rhs: cs({ name: "c" }, { name: "a" }), out: cs({ name: "b" }, { name: "c" }, { name: "a" }) },
    { name: "an empty list in the configuration keeps the live items", lhs: cs({ name: "a" }), rhs: cs(), out: cs({ name: "a" }) },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(mergeD(c.lhs, c.rhs), c.out));

  it("two-key items (ports): same containerPort, different protocol are different items", () => {
    const ports = (...p: Json[]) => cs({ name: "a", ports: p });
    assert.deepEqual(
      mergeD(ports({ containerPort: 53, protocol: "TCP" }, { containerPort: 80, protocol: "TCP" }), ports({ containerPort: 53, protocol: "UDP" }, { containerPort: 80, protocol: "TCP", name: "http" })),
      ports({ containerPort: 53, protocol: "TCP" }, { containerPort: 53, protocol: "UDP" }, { containerPort: 80, protocol: "TCP", name: "http" }),
    );
  });

  it(
    "a port without protocol in the configuration is the live TCP port (key default)",
    () => {
      const ports = (...p: Json[]) => cs({ name: "a", ports: p });
      assert.deepEqual(mergeD(ports({ containerPort: 80, protocol: "TCP" }), ports({ containerPort: 80, name: "http" })), ports({ containerPort: 80, protocol: "TCP", name: "http" }));
    },
  );
});

describe("merge: structs, maps, atomics, null", () => {
  const cases: { name: string; lhs: Json; rhs: Json; out: Json }[] = [
    { name: "structs merge field by field", lhs: { spec: { replicas: 1, paused: true } }, rhs: { spec: { replicas: 3 } }, out: { spec: { replicas: 3, paused: true } } },
    { name: "granular maps merge key by key", lhs: { metadata: { labels: { a: "1", b: "2" } } }, rhs: { metadata: { labels: { b: "3", c: "4" } } }, out: { metadata: { labels: { a: "1", b: "3", c: "4" } } } },
    {
      name: "an atomic struct is replaced (selector)",
      lhs: { spec: { selector: { matchLabels: { a: "1", b: "2" } } } },
      rhs: { spec: { selector: { matchLabels: { c: "3" } } } },
      out: { spec: { selector: { matchLabels: { c: "3" } } } },
    },
    {
      name: "an atomic list is replaced (tolerations)",
      lhs: { spec: { template: { spec: { tolerations: [{ key: "a", operator: "Exists" }, { key: "b", operator: "Exists" }] } } } },
      rhs: { spec: { template: { spec: { tolerations: [{ key: "c", operator: "Exists" }] } } } },
      out: { spec: { template: { spec: { tolerations: [{ key: "c", operator: "Exists" }] } } } },
    },
    {
      name: "an atomic map is replaced (nodeSelector)",
      lhs: { spec: { template: { spec: { nodeSelector: { a: "1" } } } } },
      rhs: { spec: { template: { spec: { nodeSelector: { b: "2" } } } } },
      out: { spec: { template: { spec: { nodeSelector: { b: "2" } } } } },
    },
    { name: "null in the configuration sets null", lhs: { spec: { strategy: { type: "Recreate" } } }, rhs: { spec: { strategy: null } }, out: { spec: { strategy: null } } },
    { name: "an empty struct keeps the live fields", lhs: { spec: { strategy: { type: "Recreate" } } }, rhs: { spec: { strategy: {} } }, out: { spec: { strategy: { type: "Recreate" } } } },
    { name: "fields only in the live object stay", lhs: { spec: { replicas: 1 }, status: { replicas: 1 } }, rhs: { spec: { paused: true } }, out: { spec: { replicas: 1, paused: true }, status: { replicas: 1 } } },
    { name: "the whole configuration onto nothing", lhs: {}, rhs: { spec: { replicas: 2 } }, out: { spec: { replicas: 2 } } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(mergeD(c.lhs, c.rhs), c.out));

  it("deduced (schemaless) values: maps merge, lists are replaced", () => {
    assert.deepEqual(merge(types, { spec: { a: { x: 1 }, l: [1, 2] } }, { spec: { a: { y: 2 }, l: [3] } }, undefined), { spec: { a: { x: 1, y: 2 }, l: [3] } });
  });
});

describe("removePath", () => {
  const C = [...f("spec", "template", "spec", "containers")];
  const base = (): Json => ({
    metadata: { labels: { a: "1", b: "2" }, finalizers: ["x", "y"] },
    spec: {
      replicas: 2,
      template: { spec: { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80, protocol: "TCP" }] }, { name: "side", image: "busybox" }] } },
    },
  });
  const cases: { name: string; path: string[]; edit: (o: Json) => void }[] = [
    { name: "a scalar field", path: f("spec", "replicas"), edit: (o) => delete o.spec.replicas },
    { name: "a map key", path: f("metadata", "labels", "a"), edit: (o) => delete o.metadata.labels.a },
    { name: "a set item", path: [...f("metadata", "finalizers"), v("x")], edit: (o) => o.metadata.finalizers.splice(0, 1) },
    { name: "an associative item", path: [...C, k({ name: "side" })], edit: (o) => o.spec.template.spec.containers.splice(1, 1) },
    { name: "a field of an associative item", path: [...C, k({ name: "web" }), "f:image"], edit: (o) => delete o.spec.template.spec.containers[0].image },
    { name: "a nested associative item", path: [...C, k({ name: "web" }), "f:ports", k({ containerPort: 80, protocol: "TCP" })], edit: (o) => o.spec.template.spec.containers[0].ports.splice(0, 1) },
    { name: "a missing field is a no-op", path: f("spec", "paused"), edit: () => {} },
    { name: "a missing item is a no-op", path: [...C, k({ name: "nope" })], edit: () => {} },
    { name: "a path through a missing parent is a no-op", path: f("spec", "strategy", "type"), edit: () => {} },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const obj = base();
      removePath(types, obj, schema, c.path);
      const want = base();
      c.edit(want);
      assert.deepEqual(obj, want);
    });
  }
});
