// The kind schema a CRD publishes per version: the v3 form (Unfold, nullable and defaults kept)
// and the v2 form (ToStructuralOpenAPIV2 + PruneDefaults), with TypeMeta/ObjectMeta properties,
// embedded resources, x-kubernetes-group-version-kind and selectable fields.
import { test } from "node:test";
import assert from "node:assert/strict";
import { crdKindSchemas } from "../../../../src/apiextensions/openapi.js";
import type { Schema } from "../../../../src/openapi/schema.js";
import { cronTabCRD } from "./fixtures.js";

type Json = Record<string, any>;
const OBJECT_META = { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" };
const GVK = [{ group: "stable.example.com", kind: "CronTab", version: "v1" }];
const spec = (s: Schema): Json => (s.properties as Json).spec;

test("root: apiVersion, kind and metadata added; gvk and selectable fields; description and type kept", () => {
  for (const [form, s] of Object.entries(crdKindSchemas(cronTabCRD(), "v1"))) {
    const root = s as Json;
    assert.equal(root.type, "object", form);
    assert.equal(root.description, "CronTab runs a command on a schedule.");
    assert.deepEqual(root.properties.metadata, OBJECT_META);
    assert.equal(root.properties.apiVersion.type, "string");
    assert.match(root.properties.apiVersion.description, /^APIVersion defines the versioned schema/);
    assert.match(root.properties.kind.description, /^Kind is a string value representing the REST resource/);
    assert.deepEqual(root["x-kubernetes-group-version-kind"], GVK);
    assert.deepEqual(root["x-kubernetes-selectable-fields"], [{ fieldPath: "spec.color" }]);
    assert.deepEqual(Object.keys(root.properties), ["apiVersion", "kind", "metadata", "spec", "status"]);
  }
});

const cases: { name: string; field: string; v3: unknown; v2: unknown }[] = [
  {
    name: "int-or-string unfolds to anyOf in v3 only",
    field: "port",
    v3: { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true },
    v2: { "x-kubernetes-int-or-string": true },
  },
  {
    name: "nullable: kept in v3; untyped, without properties in v2",
    field: "nullableThing",
    v3: { nullable: true, properties: { a: { type: "string" } }, type: "object" },
    v2: {},
  },
  {
    name: "defaults are pruned in v2",
    field: "replicas",
    v3: { default: 1, format: "int32", maximum: 10, minimum: 1, type: "integer" },
    v2: { format: "int32", maximum: 10, minimum: 1, type: "integer" },
  },
  {
    name: "preserve-unknown-fields: no properties and no object type in v2",
    field: "anything",
    v3: { properties: { kept: { type: "string" } }, type: "object", "x-kubernetes-preserve-unknown-fields": true },
    v2: { "x-kubernetes-preserve-unknown-fields": true },
  },
  {
    name: "oneOf is dropped in v2",
    field: "choice",
    v3: { oneOf: [{ required: ["a"] }, { required: ["b"] }], properties: { a: { type: "string" }, b: { type: "string" } }, type: "object" },
    v2: { properties: { a: { type: "string" }, b: { type: "string" } }, type: "object" },
  },
  {
    name: "example and externalDocs are not published",
    field: "image",
    v3: { type: "string" },
    v2: { type: "string" },
  },
  {
    name: "validation rules keep only set fields",
    field: "color",
    v3: { enum: ["red", "blue"], type: "string", "x-kubernetes-validations": [{ rule: "self != 'green'" }] },
    v2: { enum: ["red", "blue"], type: "string", "x-kubernetes-validations": [{ rule: "self != 'green'" }] },
  },
];

for (const c of cases) {
  test(`spec.${c.field}: ${c.name}`, () => {
    const { v2, v3 } = crdKindSchemas(cronTabCRD(), "v1");
    assert.deepEqual(spec(v3).properties[c.field], c.v3);
    assert.deepEqual(spec(v2).properties[c.field], c.v2);
  });
}

test("a nullable field is no longer required in v2", () => {
  const { v2, v3 } = crdKindSchemas(cronTabCRD(), "v1");
  assert.deepEqual(spec(v3).required, ["cronSpec", "nullableThing"]);
  assert.deepEqual(spec(v2).required, ["cronSpec"]);
});

test("list-map keys and item schemas are kept in both forms", () => {
  const { v2, v3 } = crdKindSchemas(cronTabCRD(), "v1");
  for (const s of [v2, v3]) {
    const ports = spec(s).properties.ports;
    assert.equal(ports["x-kubernetes-list-type"], "map");
    assert.deepEqual(ports["x-kubernetes-list-map-keys"], ["name"]);
    assert.deepEqual(ports.items.required, ["name"]);
  }
});

test("embedded resources get apiVersion, kind, metadata and require kind and apiVersion (not in v2 when preserving unknown fields)", () => {
  const { v2, v3 } = crdKindSchemas(cronTabCRD(), "v1");
  for (const s of [v2, v3]) {
    const strict = spec(s).properties.strict;
    assert.deepEqual(Object.keys(strict.properties), ["apiVersion", "kind", "metadata", "spec"]);
    assert.deepEqual(strict.properties.metadata, OBJECT_META);
    assert.match(strict.properties.kind.description, /^kind is a string value representing the type of this object/);
    assert.deepEqual(strict.required, ["kind", "apiVersion"]);
  }
  assert.deepEqual(Object.keys(spec(v3).properties.template.properties), ["apiVersion", "kind", "metadata"]);
  assert.deepEqual(spec(v3).properties.template.required, ["kind", "apiVersion"]);
  assert.deepEqual(spec(v2).properties.template, { "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true });
});

test("a root that preserves unknown fields is a bare object in v2", () => {
  const crd = cronTabCRD({ schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { spec: { type: "object" } } } });
  const { v2, v3 } = crdKindSchemas(crd, "v1");
  assert.deepEqual(v2, { type: "object", "x-kubernetes-group-version-kind": GVK, "x-kubernetes-selectable-fields": [{ fieldPath: "spec.color" }] });
  assert.deepEqual(Object.keys(v3.properties!), ["apiVersion", "kind", "metadata", "spec"]);
  assert.equal(v3["x-kubernetes-preserve-unknown-fields"], true);
});

test("spec.preserveUnknownFields makes the v2 form a bare object", () => {
  const { v2 } = crdKindSchemas(cronTabCRD({ preserveUnknownFields: true }), "v1");
  assert.equal(v2.properties, undefined);
});

test("no schema, or a non-structural one: {type: object} in both forms", () => {
  for (const schema of [null, { type: "object", properties: { spec: { $ref: "#/x" } } }, { type: "object", properties: { spec: { type: "thing" } } }]) {
    const { v2, v3 } = crdKindSchemas(cronTabCRD({ schema }), "v1");
    const want = { type: "object", "x-kubernetes-group-version-kind": GVK, "x-kubernetes-selectable-fields": [{ fieldPath: "spec.color" }] };
    assert.deepEqual(v2, want);
    assert.deepEqual(v3, want);
  }
});

test("an int-or-string already spelled out as anyOf is not unfolded again; other anyOf moves into allOf", () => {
  const schema = {
    type: "object",
    properties: {
      a: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
      b: { "x-kubernetes-int-or-string": true, anyOf: [{ pattern: "^x" }, { pattern: "^y" }] },
    },
  };
  const { v3 } = crdKindSchemas(cronTabCRD({ schema }), "v1");
  const props = v3.properties as Json;
  assert.deepEqual(props.a, { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true });
  assert.deepEqual(props.b.allOf, [{ anyOf: [{ type: "integer" }, { type: "string" }] }]);
  assert.deepEqual(props.b.anyOf, [{ pattern: "^x" }, { pattern: "^y" }]);
});

test("arrays whose items are dropped lose their type in v2", () => {
  const schema = { type: "object", properties: { list: { type: "array", nullable: false, "x-kubernetes-preserve-unknown-fields": true, items: { type: "string" } } } };
  const { v2, v3 } = crdKindSchemas(cronTabCRD({ schema }), "v1");
  assert.deepEqual((v2.properties as Json).list, { "x-kubernetes-preserve-unknown-fields": true });
  assert.deepEqual((v3.properties as Json).list, { items: { type: "string" }, type: "array", "x-kubernetes-preserve-unknown-fields": true });
});

test("an unknown version has no schema", () => {
  const { v3 } = crdKindSchemas(cronTabCRD(), "v2");
  assert.deepEqual(v3, { type: "object", "x-kubernetes-group-version-kind": [{ group: "stable.example.com", kind: "CronTab", version: "v2" }] });
});
