// FieldsV1 and field paths (structured-merge-diff fieldpath): the wire form managedFields carries,
// its round trip, the element order of serialisation (fields, then keys, then values, then
// indexes; "." first), set algebra, and Path.String() as conflict messages print it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FieldSet, fieldElement, indexElement, keyElement, pathString, valueElement } from "../../../src/registry/fieldmanager/field-set.js";
import { f, k, pathsOf, render, v } from "./helpers.js";

describe("path elements", () => {
  const cases: { name: string; got: string; want: string }[] = [
    { name: "field", got: fieldElement("replicas"), want: "f:replicas" },
    { name: "field with a dot and a slash (map key)", got: fieldElement("app.kubernetes.io/name"), want: "f:app.kubernetes.io/name" },
    { name: "key of one field", got: keyElement({ name: "web" }), want: 'k:{"name":"web"}' },
    { name: "key fields are sorted by name", got: keyElement({ protocol: "TCP", containerPort: 80 }), want: 'k:{"containerPort":80,"protocol":"TCP"}' },
    { name: "set value (string)", got: valueElement("example.com/finalizer"), want: 'v:"example.com/finalizer"' },
    { name: "set value (number)", got: valueElement(42), want: "v:42" },
    { name: "index", got: indexElement(3), want: "i:3" },
  ];
  for (const c of cases) it(c.name, () => assert.equal(c.got, c.want));
});

describe("pathString (SMD Path.String)", () => {
  const cases: { name: string; path: string[]; want: string }[] = [
    { name: "empty path", path: [], want: "" },
    { name: "fields", path: f("spec", "replicas"), want: ".spec.replicas" },
    { name: "associative list item by name", path: [...f("spec", "containers"), k({ name: "web" }), ...f("image")], want: '.spec.containers[name="web"].image' },
    {
      name: "two key fields, sorted, numbers bare and strings quoted",
      path: [...f("spec", "containers"), k({ name: "web" }), ...f("ports"), k({ protocol: "TCP", containerPort: 80 })],
      want: '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
    },
    { name: "set item", path: [...f("metadata", "finalizers"), v("x")], want: '.metadata.finalizers[="x"]' },
    { name: "numeric set item", path: [...f("spec", "values"), v(7)], want: ".spec.values[=7]" },
    { name: "index", path: [...f("spec", "args"), "i:0"], want: ".spec.args[0]" },
    { name: "map key with dots stays one element", path: [...f("metadata", "labels", "app.kubernetes.io/name")], want: ".metadata.labels.app.kubernetes.io/name" },
    { name: "quote inside a string key value", path: [...f("spec", "containers"), k({ name: 'a"b' })], want: '.spec.containers[name="a\\"b"]' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(pathString(c.path), c.want));
});

describe("FieldsV1 round trip", () => {
  // Exactly what `kubectl create deployment web --image=nginx` leaves on a 1.33 cluster
  // (kubectl get -o json, key order as the apiserver serialises it).
  const kubectlCreate = {
    "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
    "f:spec": {
      "f:progressDeadlineSeconds": {},
      "f:replicas": {},
      "f:revisionHistoryLimit": {},
      "f:selector": {},
      "f:strategy": { "f:rollingUpdate": { ".": {}, "f:maxSurge": {}, "f:maxUnavailable": {} }, "f:type": {} },
      "f:template": {
        "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
        "f:spec": {
          "f:containers": {
            'k:{"name":"nginx"}': {
              ".": {},
              "f:image": {},
              "f:imagePullPolicy": {},
              "f:name": {},
              "f:ports": {
                ".": {},
                'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} },
              },
              "f:resources": {},
              "f:terminationMessagePath": {},
              "f:terminationMessagePolicy": {},
            },
          },
          "f:dnsPolicy": {},
          "f:restartPolicy": {},
          "f:schedulerName": {},
          "f:securityContext": {},
          "f:terminationGracePeriodSeconds": {},
        },
      },
    },
  };

  const cases: { name: string; fields: Record<string, unknown>; paths: string[] }[] = [
    { name: "a leaf", fields: { "f:data": { "f:a": {} } }, paths: ["f:data/f:a"] },
    { name: "a map that is itself owned ('.') and its keys", fields: { "f:metadata": { "f:labels": { ".": {}, "f:a": {}, "f:b": {} } } }, paths: ["f:metadata/f:labels", "f:metadata/f:labels/f:a", "f:metadata/f:labels/f:b"] },
    { name: "intermediate structs are not members without '.'", fields: { "f:spec": { "f:template": { "f:spec": { "f:dnsPolicy": {} } } } }, paths: ["f:spec/f:template/f:spec/f:dnsPolicy"] },
    {
      name: "list item with '.' and fields",
      fields: { "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } } },
      paths: ['f:spec/f:containers/k:{"name":"web"}', 'f:spec/f:containers/k:{"name":"web"}/f:image', 'f:spec/f:containers/k:{"name":"web"}/f:name'],
    },
    { name: "set items", fields: { "f:metadata": { "f:finalizers": { ".": {}, 'v:"a"': {}, 'v:"b"': {} } } }, paths: ["f:metadata/f:finalizers", 'f:metadata/f:finalizers/v:"a"', 'f:metadata/f:finalizers/v:"b"'] },
    { name: "empty document", fields: {}, paths: [] },
  ];
  for (const c of cases) {
    it(`decode: ${c.name}`, () => assert.deepEqual(pathsOf(c.fields), [...c.paths].sort()));
    it(`encode(decode(x)) is x: ${c.name}`, () => assert.equal(JSON.stringify(FieldSet.fromFieldsV1(c.fields).toFieldsV1()), JSON.stringify(c.fields)));
  }

  it("kubectl create's managedFields survive decode/encode byte for byte (key order included)", () => {
    assert.equal(JSON.stringify(FieldSet.fromFieldsV1(kubectlCreate).toFieldsV1()), JSON.stringify(kubectlCreate));
  });

  it("encoding sorts elements: fields, then keys, then values, then indexes; '.' first", () => {
    const set = FieldSet.of([
      ["i:1"],
      ['v:"z"'],
      ['k:{"name":"b"}'],
      ["f:z"],
      ['k:{"name":"a"}', "f:x"],
      ['k:{"name":"a"}'],
      ["f:a"],
      ["i:0"],
      ['v:"a"'],
    ]);
    assert.deepEqual(Object.keys(set.toFieldsV1()), ["f:a", "f:z", 'k:{"name":"a"}', 'k:{"name":"b"}', 'v:"a"', 'v:"z"', "i:0", "i:1"]);
    assert.deepEqual(Object.keys(set.toFieldsV1()['k:{"name":"a"}'] as object), [".", "f:x"]);
  });

  it(
    "associative keys sort by value (numbers numerically, as SMD value.Compare), not by their JSON text",
    () => {
      const ports = [9, 10, 8080, 443].map((p) => ["f:ports", k({ containerPort: p, protocol: "TCP" })]);
      const encoded = FieldSet.of(ports).toFieldsV1()["f:ports"] as object;
      assert.deepEqual(Object.keys(encoded), [9, 443, 8080, 10].sort((a, b) => a - b).map((p) => k({ containerPort: p, protocol: "TCP" })));
    },
  );

  it("a path that is both a leaf member and a prefix is written with '.'", () => {
    const set = FieldSet.of([f("metadata", "labels"), f("metadata", "labels", "a")]);
    assert.deepEqual(set.toFieldsV1(), { "f:metadata": { "f:labels": { ".": {}, "f:a": {} } } });
  });
});

describe("set algebra", () => {
  const A = FieldSet.of([f("spec", "replicas"), f("spec", "paused"), [...f("spec", "containers"), k({ name: "web" })], [...f("spec", "containers"), k({ name: "web" }), "f:image"]]);
  const B = FieldSet.of([f("spec", "replicas"), f("spec", "minReadySeconds")]);

  it("union, difference, intersection", () => {
    assert.deepEqual([...A.union(B)].map(render).sort(), [
      "f:spec/f:containers/k:{\"name\":\"web\"}",
      "f:spec/f:containers/k:{\"name\":\"web\"}/f:image",
      "f:spec/f:minReadySeconds",
      "f:spec/f:paused",
      "f:spec/f:replicas",
    ]);
    assert.deepEqual([...A.difference(B)].map(render).sort(), ["f:spec/f:containers/k:{\"name\":\"web\"}", "f:spec/f:containers/k:{\"name\":\"web\"}/f:image", "f:spec/f:paused"]);
    assert.deepEqual([...A.intersection(B)].map(render), ["f:spec/f:replicas"]);
  });

  it("has, hasUnder, size, empty", () => {
    assert.equal(A.has(f("spec", "replicas")), true);
    assert.equal(A.has(f("spec")), false, "a prefix is not a member");
    assert.equal(A.hasUnder(f("spec")), true);
    assert.equal(A.hasUnder([...f("spec", "containers"), k({ name: "web" })]), true);
    assert.equal(A.hasUnder(f("spec", "replicas")), false, "a path is not under itself");
    assert.equal(A.size, 4);
    assert.equal(new FieldSet().empty, true);
  });

  it("withoutPrefixes drops paths equal to or under a prefix; onlyUnder keeps paths strictly under", () => {
    const s = FieldSet.of([f("status"), f("status", "replicas"), f("spec", "replicas"), f("statusx")]);
    assert.deepEqual([...s.withoutPrefixes([f("status")])].map(render).sort(), ["f:spec/f:replicas", "f:statusx"]);
    assert.deepEqual([...s.onlyUnder([f("status")])].map(render), ["f:status/f:replicas"]);
  });
});
