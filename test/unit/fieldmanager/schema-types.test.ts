// How the published schemas map to structured-merge-diff node types (kube-openapi schemaconv):
// x-kubernetes-list-type / list-map-keys / map-type first, else the strategic-merge-patch facts
// (patch strategy merge + merge key → associative, merge alone → set), atomic otherwise; structs,
// granular maps, scalars (IntOrString and Quantity included) and deduced (schemaless) nodes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Schema } from "../../../src/openapi/schema.js";
import type { NodeType } from "../../../src/registry/fieldmanager/schema-types.js";
import { SchemaTypes } from "../../../src/registry/fieldmanager/schema-types.js";
import { DEPLOYMENT, POD, SERVICE, rootSchema, types } from "./helpers.js";

/** The node type at a path of field names ("[]" steps into list items). */
function typeAt(root: string, path: string[]): NodeType {
  let t = types.typeOf(rootSchema(root));
  for (const step of path) {
    if (step === "[]") {
      assert.equal(t.kind, "list", `[] on a ${t.kind}`);
      t = types.typeOf((t as Extract<NodeType, { kind: "list" }>).elem);
    } else {
      assert.ok(t.kind === "struct" || t.kind === "map", `.${step} on a ${t.kind}`);
      t = types.typeOf(types.child(t, step));
    }
  }
  return t;
}

const summary = (t: NodeType): string => (t.kind === "list" ? `list:${t.listType}${t.keys.length ? `[${t.keys.join(",")}]` : ""}` : t.kind);

describe("schema node types of the built-in kinds", () => {
  const cases: { root: string; path: string; want: string; todo?: string }[] = [
    { root: DEPLOYMENT, path: "", want: "struct" },
    { root: DEPLOYMENT, path: "metadata", want: "struct" },
    { root: DEPLOYMENT, path: "metadata.labels", want: "map" },
    { root: DEPLOYMENT, path: "metadata.annotations", want: "map" },
    { root: DEPLOYMENT, path: "metadata.finalizers", want: "list:set" },
    { root: DEPLOYMENT, path: "metadata.ownerReferences", want: "list:map[uid]" },
    { root: DEPLOYMENT, path: "metadata.managedFields", want: "atomic" },
    { root: DEPLOYMENT, path: "spec.replicas", want: "scalar" },
    { root: DEPLOYMENT, path: "spec.selector", want: "atomic" },
    { root: DEPLOYMENT, path: "spec.strategy", want: "struct" },
    { root: DEPLOYMENT, path: "spec.strategy.rollingUpdate.maxSurge", want: "scalar" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers", want: "list:map[name]" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers.[].ports", want: "list:map[containerPort,protocol]" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers.[].env", want: "list:map[name]" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers.[].env.[].valueFrom.secretKeyRef", want: "atomic" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers.[].args", want: "atomic" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers.[].resources.limits", want: "map" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers.[].resources.limits.[cpu]", want: "scalar" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers.[].securityContext", want: "struct" },
    { root: DEPLOYMENT, path: "spec.template.spec.containers.[].livenessProbe.httpGet.port", want: "scalar" },
    { root: DEPLOYMENT, path: "spec.template.spec.tolerations", want: "atomic" },
    { root: DEPLOYMENT, path: "spec.template.spec.nodeSelector", want: "atomic" },
    { root: DEPLOYMENT, path: "spec.template.spec.volumes", want: "list:map[name]" },
    { root: DEPLOYMENT, path: "spec.template.spec.imagePullSecrets", want: "list:map[name]" },
    { root: DEPLOYMENT, path: "status.conditions", want: "list:map[type]" },
    { root: POD, path: "spec.containers", want: "list:map[name]" },
    { root: POD, path: "spec.readinessGates", want: "atomic" },
    { root: SERVICE, path: "spec.ports", want: "list:map[port,protocol]" },
    { root: SERVICE, path: "spec.selector", want: "atomic" },
    { root: SERVICE, path: "spec.clusterIPs", want: "atomic" },
    // a RawExtension is one value: real ControllerRevisions show `f:data: {}`
    { root: "io.k8s.api.apps.v1.ControllerRevision", path: "data", want: "atomic" },
  ];
  for (const c of cases) {
    it(`${c.root.split(".").pop()}.${c.path || "<root>"} is ${c.want}`, c.todo ? { todo: c.todo } : {}, () => {
      const steps = c.path ? c.path.split(".").map((s) => (s.startsWith("[") && s !== "[]" ? s.slice(1, -1) : s)) : [];
      assert.equal(summary(typeAt(c.root, steps)), c.want);
    });
  }
});

describe("schema node types from extensions and patch facts (synthetic schemas)", () => {
  const arr = (extra: Schema): Schema => ({ type: "array", items: { type: "object", properties: { k: { type: "string" } } }, ...extra });
  const cases: { name: string; schema: Schema; want: string; todo?: string }[] = [
    { name: "list-type map with keys", schema: arr({ "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["k"] }), want: "list:map[k]" },
    { name: "list-type set", schema: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" }, want: "list:set" },
    { name: "list-type atomic wins over a merge strategy", schema: arr({ "x-kubernetes-list-type": "atomic", "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "k" }), want: "atomic" },
    { name: "merge strategy + merge key → associative", schema: arr({ "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "k" }), want: "list:map[k]" },
    { name: "merge,retainKeys + merge key → associative", schema: arr({ "x-kubernetes-patch-strategy": "merge,retainKeys", "x-kubernetes-patch-merge-key": "k" }), want: "list:map[k]" },
    { name: "merge strategy without key → set", schema: { type: "array", items: { type: "string" }, "x-kubernetes-patch-strategy": "merge" }, want: "list:set" },
    { name: "plain array → atomic", schema: { type: "array", items: { type: "string" } }, want: "atomic" },
    { name: "struct", schema: { type: "object", properties: { a: { type: "string" } } }, want: "struct" },
    { name: "struct with map-type atomic", schema: { type: "object", properties: { a: { type: "string" } }, "x-kubernetes-map-type": "atomic" }, want: "atomic" },
    { name: "map (additionalProperties)", schema: { type: "object", additionalProperties: { type: "string" } }, want: "map" },
    { name: "map with map-type atomic", schema: { type: "object", additionalProperties: { type: "string" }, "x-kubernetes-map-type": "atomic" }, want: "atomic" },
    { name: "map with map-type granular", schema: { type: "object", additionalProperties: { type: "string" }, "x-kubernetes-map-type": "granular" }, want: "map" },
    { name: "object without properties (RawExtension) → deduced", schema: { type: "object" }, want: "deduced" },
    { name: "preserve-unknown-fields without properties → deduced", schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true }, want: "deduced" },
    { name: "int-or-string → scalar", schema: { "x-kubernetes-int-or-string": true, type: "string", format: "int-or-string" }, want: "scalar" },
    { name: "string → scalar", schema: { type: "string" }, want: "scalar" },
    {
      name: "untyped schema (apiextensions JSON: defaults, examples) → deduced",
      schema: { description: "JSON represents any valid JSON value." },
      want: "deduced",
    },
    { name: "no schema at all → deduced", schema: undefined as unknown as Schema, want: "deduced" },
  ];
  for (const c of cases) {
    it(c.name, c.todo ? { todo: c.todo } : {}, () => assert.equal(summary(types.typeOf(c.schema)), c.want));
  }

  it("without a schema index everything is deduced", () => {
    assert.equal(new SchemaTypes(undefined).typeOf(rootSchema(DEPLOYMENT)).kind, "deduced");
  });

  it("list extensions on the property win over the referenced definition", () => {
    // metadata.finalizers is published with list-type set on the property itself
    const meta = rootSchema("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assert.equal(summary(types.typeOf(meta.properties!.finalizers)), "list:set");
  });
});
