// fieldSetOf (SMD TypedValue.ToFieldSet: the fields an applied configuration owns) and compare
// (SMD TypedValue.Compare: what an update added, modified and removed), table-driven over the
// real Deployment/Pod/ConfigMap schemas.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compare, fieldSetOf } from "../../../src/registry/fieldmanager/walk.js";
import { CONFIGMAP, DEPLOYMENT, type Json, rootSchema, setPaths, types } from "./helpers.js";

const C = 'f:spec/f:template/f:spec/f:containers/k:{"name":"web"}';
const podTemplate = (container: Json = { name: "web", image: "nginx" }, spec: Json = {}) => ({
  spec: { template: { spec: { containers: [container], ...spec } } },
});

describe("fieldSetOf: the fields a configuration sets", () => {
  const cases: { name: string; root?: string; value: Json; want: string[]; todo?: string }[] = [
    {
      name: "scalars are leaves; structs are not members; the atomic selector is one leaf",
      value: { spec: { replicas: 2, paused: false, selector: { matchLabels: { app: "web" } } } },
      want: ["f:spec/f:paused", "f:spec/f:replicas", "f:spec/f:selector"],
    },
    {
      name: "map keys are members, the map itself is not",
      value: { metadata: { labels: { app: "web", tier: "fe" } } },
      want: ["f:metadata/f:labels/f:app", "f:metadata/f:labels/f:tier"],
    },
    {
      name: "associative list items are members, with their fields",
      value: podTemplate({ name: "web", image: "nginx" }),
      want: [C, `${C}/f:image`, `${C}/f:name`],
    },
    {
      name: "nested associative list: ports keyed by containerPort and protocol",
      value: podTemplate({ name: "web", ports: [{ containerPort: 80, protocol: "TCP", name: "http" }] }),
      want: [C, `${C}/f:name`, `${C}/f:ports/k:{"containerPort":80,"protocol":"TCP"}`, `${C}/f:ports/k:{"containerPort":80,"protocol":"TCP"}/f:containerPort`, `${C}/f:ports/k:{"containerPort":80,"protocol":"TCP"}/f:name`, `${C}/f:ports/k:{"containerPort":80,"protocol":"TCP"}/f:protocol`],
    },
    {
      name: "a key field left out takes its schema default (ports: protocol defaults to TCP)",
      value: podTemplate({ name: "web", ports: [{ containerPort: 80 }] }),
      want: [C, `${C}/f:name`, `${C}/f:ports/k:{"containerPort":80,"protocol":"TCP"}`, `${C}/f:ports/k:{"containerPort":80,"protocol":"TCP"}/f:containerPort`],
    },
    {
      name: "set list items are members by value",
      value: { metadata: { finalizers: ["a.io/x", "b.io/y"] } },
      want: ['f:metadata/f:finalizers/v:"a.io/x"', 'f:metadata/f:finalizers/v:"b.io/y"'],
    },
    {
      name: "atomic lists are one leaf (tolerations, args)",
      value: podTemplate({ name: "web", args: ["a", "b"] }, { tolerations: [{ key: "k", operator: "Exists" }] }),
      want: [C, `${C}/f:args`, `${C}/f:name`, "f:spec/f:template/f:spec/f:tolerations"],
    },
    {
      name: "atomic maps are one leaf (nodeSelector)",
      value: podTemplate(undefined, { nodeSelector: { disk: "ssd" } }),
      want: [C, `${C}/f:image`, `${C}/f:name`, "f:spec/f:template/f:spec/f:nodeSelector"],
    },
    {
      name: "an empty struct and an empty map are leaves",
      value: { metadata: { annotations: {} }, ...podTemplate({ name: "web", resources: {}, securityContext: {} }) },
      want: ["f:metadata/f:annotations", C, `${C}/f:name`, `${C}/f:resources`, `${C}/f:securityContext`],
    },
    {
      name: "null is a leaf",
      value: { spec: { strategy: null } },
      want: ["f:spec/f:strategy"],
    },
    {
      name: "an empty granular list owns nothing; an empty atomic list is a leaf",
      value: podTemplate({ name: "web", env: [], args: [] }),
      want: [C, `${C}/f:args`, `${C}/f:name`],
    },
    {
      name: "a map of quantities: each key is a member",
      value: podTemplate({ name: "web", resources: { limits: { cpu: "1", memory: "1Gi" } } }),
      want: [C, `${C}/f:name`, `${C}/f:resources/f:limits/f:cpu`, `${C}/f:resources/f:limits/f:memory`],
    },
    {
      name: "ConfigMap data keys",
      root: CONFIGMAP,
      value: { data: { "a.properties": "x", b: "" } },
      want: ["f:data/f:a.properties", "f:data/f:b"],
    },
    {
      name: "deduced (schemaless) values: every map key is a member, lists are atomic",
      root: "",
      value: { spec: { a: { b: 1 }, list: [1, 2] } },
      want: ["f:spec", "f:spec/f:a", "f:spec/f:a/f:b", "f:spec/f:list"],
    },
  ];
  for (const c of cases) {
    it(c.name, c.todo ? { todo: c.todo } : {}, () => {
      const schema = c.root === "" ? undefined : rootSchema(c.root ?? DEPLOYMENT);
      assert.deepEqual(setPaths(fieldSetOf(types, c.value, schema)), [...c.want].sort());
    });
  }
});

describe("compare: added, modified, removed", () => {
  interface Case {
    name: string;
    root?: string;
    lhs: Json | undefined;
    rhs: Json | undefined;
    added?: string[];
    modified?: string[];
    removed?: string[];
    todo?: string;
  }
  const cases: Case[] = [
    { name: "identical objects", lhs: { spec: { replicas: 1 } }, rhs: { spec: { replicas: 1 } } },
    { name: "scalar modified", lhs: { spec: { replicas: 1 } }, rhs: { spec: { replicas: 2 } }, modified: ["f:spec/f:replicas"] },
    { name: "scalar added", lhs: { spec: {} }, rhs: { spec: { paused: true } }, added: ["f:spec/f:paused"] },
    { name: "scalar removed", lhs: { spec: { paused: true, replicas: 1 } }, rhs: { spec: { replicas: 1 } }, removed: ["f:spec/f:paused"] },
    {
      name: "a map that appears is added with its keys",
      lhs: { metadata: {} },
      rhs: { metadata: { labels: { a: "1" } } },
      added: ["f:metadata/f:labels", "f:metadata/f:labels/f:a"],
    },
    {
      name: "a map that disappears is removed with its keys",
      lhs: { metadata: { labels: { a: "1" } } },
      rhs: { metadata: {} },
      removed: ["f:metadata/f:labels", "f:metadata/f:labels/f:a"],
    },
    { name: "a map key added to an existing map", lhs: { metadata: { labels: { a: "1" } } }, rhs: { metadata: { labels: { a: "1", b: "2" } } }, added: ["f:metadata/f:labels/f:b"] },
    {
      name: "an atomic value changes as a whole (selector)",
      lhs: { spec: { selector: { matchLabels: { a: "1" } } } },
      rhs: { spec: { selector: { matchLabels: { a: "2" }, matchExpressions: [] } } },
      modified: ["f:spec/f:selector"],
    },
    {
      name: "a list item added: the item and its fields",
      lhs: podTemplate(),
      rhs: { spec: { template: { spec: { containers: [{ name: "web", image: "nginx" }, { name: "side", image: "busybox" }] } } } },
      added: ['f:spec/f:template/f:spec/f:containers/k:{"name":"side"}', 'f:spec/f:template/f:spec/f:containers/k:{"name":"side"}/f:image', 'f:spec/f:template/f:spec/f:containers/k:{"name":"side"}/f:name'],
    },
    {
      name: "a list item removed: the item and its fields",
      lhs: { spec: { template: { spec: { containers: [{ name: "web", image: "nginx" }, { name: "side", image: "busybox" }] } } } },
      rhs: podTemplate(),
      removed: ['f:spec/f:template/f:spec/f:containers/k:{"name":"side"}', 'f:spec/f:template/f:spec/f:containers/k:{"name":"side"}/f:image', 'f:spec/f:template/f:spec/f:containers/k:{"name":"side"}/f:name'],
    },
    { name: "a field of a list item modified", lhs: podTemplate(), rhs: podTemplate({ name: "web", image: "nginx:2" }), modified: [`${C}/f:image`] },
    {
      name: "reordering an associative list changes nothing",
      lhs: { spec: { template: { spec: { containers: [{ name: "a" }, { name: "b" }] } } } },
      rhs: { spec: { template: { spec: { containers: [{ name: "b" }, { name: "a" }] } } } },
    },
    {
      name: "set items added and removed",
      lhs: { metadata: { finalizers: ["a", "b"] } },
      rhs: { metadata: { finalizers: ["b", "c"] } },
      added: ['f:metadata/f:finalizers/v:"c"'],
      removed: ['f:metadata/f:finalizers/v:"a"'],
    },
    { name: "an empty struct added is a leaf", lhs: podTemplate(), rhs: podTemplate({ name: "web", image: "nginx", resources: {} }), added: [`${C}/f:resources`] },
    {
      name: "an empty atomic list added is a leaf",
      lhs: podTemplate(),
      rhs: podTemplate({ name: "web", image: "nginx", args: [] }),
      added: [`${C}/f:args`],
    },
    {
      name: "a struct that appears is added itself, not only its fields",
      lhs: podTemplate(),
      rhs: podTemplate({ name: "web", image: "nginx", securityContext: { runAsUser: 1000 } }),
      added: [`${C}/f:securityContext`, `${C}/f:securityContext/f:runAsUser`],
    },
    {
      name: "a granular list that appears is added itself",
      lhs: podTemplate(),
      rhs: podTemplate({ name: "web", image: "nginx", env: [{ name: "A", value: "1" }] }),
      added: [`${C}/f:env`, `${C}/f:env/k:{"name":"A"}`, `${C}/f:env/k:{"name":"A"}/f:name`, `${C}/f:env/k:{"name":"A"}/f:value`],
    },
    {
      name: "a struct that disappears is removed itself",
      lhs: { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } },
      rhs: { spec: { strategy: { type: "Recreate" } } },
      modified: ["f:spec/f:strategy/f:type"],
      removed: ["f:spec/f:strategy/f:rollingUpdate", "f:spec/f:strategy/f:rollingUpdate/f:maxSurge"],
    },
    {
      name: "deduced maps: keys added and removed",
      root: "",
      lhs: { spec: { a: 1, b: { c: 1 } } },
      rhs: { spec: { a: 2, d: true } },
      modified: ["f:spec/f:a"],
      added: ["f:spec/f:d"],
      removed: ["f:spec/f:b", "f:spec/f:b/f:c"],
    },
    {
      name: "everything is added when there was nothing",
      root: CONFIGMAP,
      lhs: undefined,
      rhs: { data: { a: "1" } },
      added: ["f:data", "f:data/f:a"],
    },
  ];
  for (const c of cases) {
    it(c.name, c.todo ? { todo: c.todo } : {}, () => {
      const schema = c.root === "" ? undefined : rootSchema(c.root ?? DEPLOYMENT);
      const got = compare(types, c.lhs, c.rhs, schema);
      assert.deepEqual(
        { added: setPaths(got.added), modified: setPaths(got.modified), removed: setPaths(got.removed) },
        { added: [...(c.added ?? [])].sort(), modified: [...(c.modified ?? [])].sort(), removed: [...(c.removed ?? [])].sort() },
      );
    });
  }
});
