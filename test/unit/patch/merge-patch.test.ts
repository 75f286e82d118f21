// JSON merge patch (RFC 7386), as `kubectl patch --type=merge`, `kubectl label` and `kubectl
// annotate` use it: objects merge recursively, null deletes, anything else (arrays included)
// replaces, a non-object patch replaces the whole document. Inputs are deep-frozen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyMergePatch } from "../../../src/endpoints/patch/merge-patch.js";
import { deepFreeze } from "./helpers.js";

interface Case {
  name: string;
  target: unknown;
  patch: unknown;
  expected: unknown;
  todo?: string;
}

const cases: Case[] = [
  { name: "adds a member", target: { kind: "Pod" }, patch: { apiVersion: "v1" }, expected: { kind: "Pod", apiVersion: "v1" } },
  { name: "replaces a scalar member", target: { spec: { replicas: 1 } }, patch: { spec: { replicas: 5 } }, expected: { spec: { replicas: 5 } } },
  {
    name: "null deletes a member",
    target: { metadata: { name: "a", generateName: "a-" } },
    patch: { metadata: { generateName: null } },
    expected: { metadata: { name: "a" } },
  },
  {
    name: "null deletes a deeply nested member and keeps its siblings",
    target: { spec: { template: { spec: { securityContext: { runAsUser: 1000, fsGroup: 2000 } } } } },
    patch: { spec: { template: { spec: { securityContext: { fsGroup: null } } } } },
    expected: { spec: { template: { spec: { securityContext: { runAsUser: 1000 } } } } },
  },
  {
    name: "objects merge recursively, untouched branches stay",
    target: { metadata: { labels: { app: "web" }, annotations: { a: "1" } }, spec: { replicas: 1 } },
    patch: { metadata: { labels: { tier: "fe" } } },
    expected: { metadata: { labels: { app: "web", tier: "fe" }, annotations: { a: "1" } }, spec: { replicas: 1 } },
  },
  {
    name: "arrays are replaced wholesale: containers are not merged by name",
    target: { spec: { containers: [{ name: "web", image: "w:1", ports: [{ containerPort: 80 }] }, { name: "side", image: "s" }] } },
    patch: { spec: { containers: [{ name: "web", image: "w:2" }] } },
    expected: { spec: { containers: [{ name: "web", image: "w:2" }] } },
  },
  {
    name: "arrays of scalars are replaced, not unioned (finalizers)",
    target: { metadata: { finalizers: ["a", "b"] } },
    patch: { metadata: { finalizers: ["c"] } },
    expected: { metadata: { finalizers: ["c"] } },
  },
  {
    name: "an array replaces an object member",
    target: { data: { a: { b: "c" } } },
    patch: { data: { a: [1, 2] } },
    expected: { data: { a: [1, 2] } },
  },
  {
    name: "an object replaces a scalar member",
    target: { data: { a: "text" } },
    patch: { data: { a: { b: "c" } } },
    expected: { data: { a: { b: "c" } } },
  },
  {
    name: "an object replaces an array member, nulls in it dropped",
    target: { a: [1, 2] },
    patch: { a: { b: "c", d: null } },
    expected: { a: { b: "c" } },
  },
  {
    name: "nulls inside a new object are dropped, leaving empty objects",
    target: {},
    patch: { a: { bb: { ccc: null } } },
    expected: { a: { bb: {} } },
  },
  {
    name: "null for a member the target lacks changes nothing",
    target: { a: "b" },
    patch: { nope: null },
    expected: { a: "b" },
  },
  { name: "an empty patch changes nothing", target: { a: { b: [1] } }, patch: {}, expected: { a: { b: [1] } } },
  {
    name: "nulls inside arrays are kept verbatim",
    target: {},
    patch: { a: [null, 1, { b: 2 }] },
    expected: { a: [null, 1, { b: 2 }] },
  },
  {
    name: "an empty object replaces nothing and an empty array empties a list",
    target: { metadata: { labels: { a: "1" } }, spec: { args: ["x"] } },
    patch: { metadata: { labels: {} }, spec: { args: [] } },
    expected: { metadata: { labels: { a: "1" } }, spec: { args: [] } },
  },
  {
    name: "strategic-merge directives have no meaning: `$patch` is an ordinary key",
    target: { metadata: { labels: { a: "1" } } },
    patch: { metadata: { labels: { $patch: "replace", b: "2" } } },
    expected: { metadata: { labels: { a: "1", $patch: "replace", b: "2" } } },
  },
  { name: "a non-object patch (array) replaces the whole document", target: { a: "b" }, patch: ["c"], expected: ["c"] },
  { name: "a non-object patch (string) replaces the whole document", target: { a: "b" }, patch: "c", expected: "c" },
  { name: "a non-object patch (number) replaces the whole document", target: { a: "b" }, patch: 7, expected: 7 },
  { name: "a null patch replaces the whole document with null", target: { a: "b" }, patch: null, expected: null },
  {
    name: "an object patch over a non-object target starts from an empty object",
    target: ["c"],
    patch: { a: "b", c: null },
    expected: { a: "b" },
  },
  {
    name: "an object patch over a scalar target starts from an empty object",
    target: "text",
    patch: { a: { b: null, c: 1 } },
    expected: { a: { c: 1 } },
  },
];

for (const c of cases) {
  test(`merge patch: ${c.name}`, c.todo ? { todo: c.todo } : {}, () => {
    const before = { target: JSON.stringify(c.target), patch: JSON.stringify(c.patch) };
    const result = applyMergePatch(deepFreeze(c.target), deepFreeze(c.patch));
    assert.deepEqual(result, c.expected);
    assert.equal(JSON.stringify(c.target), before.target);
    assert.equal(JSON.stringify(c.patch), before.patch);
  });
}
