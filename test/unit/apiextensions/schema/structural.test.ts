// Structural pruning, defaulting and schema validation of custom resources (upstream
// apiextensions-apiserver pkg/apiserver/schema/pruning, defaulting, and the schema validator's
// messages as kubectl prints them).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fieldErrorString } from "../../../../src/apimachinery/field-errors.js";
import { applyDefaults, hasDefaults } from "../../../../src/apiextensions/schema/defaults.js";
import { pruneCustomResource } from "../../../../src/apiextensions/schema/prune.js";
import type { JSONSchemaProps } from "../../../../src/apiextensions/schema/types.js";
import { validateCustomResource } from "../../../../src/apiextensions/schema/validate.js";

type Obj = Record<string, any>;

const schema: JSONSchemaProps = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["image"],
      properties: {
        cronSpec: { type: "string", pattern: "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$" },
        image: { type: "string", maxLength: 5 },
        replicas: { type: "integer", minimum: 1, maximum: 10, default: 1 },
        mode: { type: "string", enum: ["a", "b"] },
        ratio: { type: "number", exclusiveMaximum: true, maximum: 1 },
        port: { "x-kubernetes-int-or-string": true },
        when: { type: "string", format: "date-time" },
        nick: { type: "string", nullable: true },
        tags: { type: "array", items: { type: "string" }, maxItems: 2, "x-kubernetes-list-type": "set" },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", required: ["name"], properties: { name: { type: "string" }, port: { type: "integer", default: 80 } } },
        },
        free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { known: { type: "object", properties: { a: { type: "string" } } } } },
        labels: { type: "object", additionalProperties: { type: "string" } },
        template: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          properties: { spec: { type: "object", properties: { x: { type: "string" } } } },
        },
        withDefaults: { type: "object", default: {}, properties: { inner: { type: "string", default: "in" } } },
      },
    },
    status: { type: "object", properties: { replicas: { type: "integer" } } },
  },
};

const cr = (spec: Obj, extra: Obj = {}): Obj => ({ apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: { name: "x" }, spec, ...extra });

describe("pruneCustomResource", () => {
  const cases: { name: string; obj: Obj; pruned: string[]; after: Obj }[] = [
    { name: "unknown spec field", obj: cr({ image: "a", foo: 1 }), pruned: ["spec.foo"], after: cr({ image: "a" }) },
    { name: "unknown top-level field", obj: cr({ image: "a" }, { extra: true }), pruned: ["extra"], after: cr({ image: "a" }) },
    {
      name: "unknown metadata field",
      obj: { ...cr({ image: "a" }), metadata: { name: "x", bogus: 1 } },
      pruned: ["metadata.bogus"],
      after: cr({ image: "a" }),
    },
    { name: "list items", obj: cr({ image: "a", ports: [{ name: "p", bar: 1 }] }), pruned: ["spec.ports[0].bar"], after: cr({ image: "a", ports: [{ name: "p" }] }) },
    {
      name: "preserve-unknown keeps unknown fields but prunes inside known ones",
      obj: cr({ image: "a", free: { anything: { deep: 1 }, known: { a: "x", b: "y" } } }),
      pruned: ["spec.free.known.b"],
      after: cr({ image: "a", free: { anything: { deep: 1 }, known: { a: "x" } } }),
    },
    { name: "additionalProperties map values", obj: cr({ image: "a", labels: { a: "b" } }), pruned: [], after: cr({ image: "a", labels: { a: "b" } }) },
    {
      name: "embedded resource keeps apiVersion/kind/metadata, prunes its metadata",
      obj: cr({ image: "a", template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", unknownSubMeta: 1 }, spec: { x: "1", y: 2 } } }),
      pruned: ["spec.template.metadata.unknownSubMeta", "spec.template.spec.y"],
      after: cr({ image: "a", template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { x: "1" } } }),
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const obj = structuredClone(c.obj);
      assert.deepEqual(pruneCustomResource(schema, obj), c.pruned);
      assert.deepEqual(obj, c.after);
    });

  it("without a schema only metadata is pruned", () => {
    const obj: Obj = { ...cr({ anything: 1 }), metadata: { name: "x", bogus: 1 } };
    assert.deepEqual(pruneCustomResource(undefined, obj), ["metadata.bogus"]);
    assert.deepEqual(obj.spec, { anything: 1 });
  });
});

describe("applyDefaults", () => {
  const cases: { name: string; spec: Obj; want: Obj }[] = [
    { name: "missing property", spec: { image: "a" }, want: { image: "a", replicas: 1, withDefaults: { inner: "in" } } },
    { name: "present property kept", spec: { image: "a", replicas: 3, withDefaults: {} }, want: { image: "a", replicas: 3, withDefaults: { inner: "in" } } },
    { name: "null on a non-nullable field with a default", spec: { image: "a", replicas: null, withDefaults: {} }, want: { image: "a", replicas: 1, withDefaults: { inner: "in" } } },
    { name: "list items", spec: { image: "a", ports: [{ name: "p" }], withDefaults: {} }, want: { image: "a", replicas: 1, ports: [{ name: "p", port: 80 }], withDefaults: { inner: "in" } } },
  ];
  for (const c of cases)
    it(c.name, () => {
      const obj = cr(structuredClone(c.spec));
      applyDefaults(schema, obj);
      assert.deepEqual(obj.spec, c.want);
    });

  it("defaults are copies", () => {
    const a = cr({ image: "a" });
    const b = cr({ image: "b" });
    applyDefaults(schema, a);
    applyDefaults(schema, b);
    a.spec.withDefaults.inner = "changed";
    assert.equal(b.spec.withDefaults.inner, "in");
  });

  it("hasDefaults tells schemas with defaults", () => {
    assert.equal(hasDefaults(schema), true);
    assert.equal(hasDefaults({ type: "object", properties: { a: { type: "string" } } }), false);
    assert.equal(hasDefaults(undefined), false);
  });
});

describe("validateCustomResource", () => {
  const cases: { name: string; spec: Obj; want: string[] }[] = [
    { name: "valid", spec: { image: "a", replicas: 3 }, want: [] },
    { name: "required", spec: {}, want: ["spec.image: Required value"] },
    { name: "type", spec: { image: "a", replicas: "3" }, want: ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'] },
    { name: "maximum", spec: { image: "a", replicas: 20 }, want: ["spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10"] },
    { name: "minimum", spec: { image: "a", replicas: 0 }, want: ["spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"] },
    { name: "exclusive maximum", spec: { image: "a", ratio: 1 }, want: ["spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1"] },
    {
      name: "pattern",
      spec: { image: "a", cronSpec: "x" },
      want: [`spec.cronSpec: Invalid value: "x": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`],
    },
    { name: "enum", spec: { image: "a", mode: "c" }, want: ['spec.mode: Unsupported value: "c": supported values: "a", "b"'] },
    { name: "maxLength", spec: { image: "abcdef" }, want: ['spec.image: Too long: may not be more than 5 bytes'] },
    { name: "int-or-string accepts both", spec: { image: "a", port: "http" }, want: [] },
    { name: "int-or-string refuses others", spec: { image: "a", port: true }, want: ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'] },
    { name: "format", spec: { image: "a", when: "yesterday" }, want: ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"'] },
    { name: "nullable", spec: { image: "a", nick: null }, want: [] },
    { name: "null on a non-nullable field", spec: { image: null }, want: ['spec.image: Invalid value: "null": spec.image in body must be of type string: "null"'] },
    { name: "maxItems", spec: { image: "a", tags: ["a", "b", "c"] }, want: ["spec.tags: Too many: 3: must have at most 2 items"] },
    { name: "set duplicates", spec: { image: "a", tags: ["a", "a"] }, want: ['spec.tags[1]: Duplicate value: "a"'] },
    { name: "map list duplicates", spec: { image: "a", ports: [{ name: "p" }, { name: "p" }] }, want: ['spec.ports[1]: Duplicate value: map[string]interface {}{"name":"p"}'] },
    {
      name: "every failing field",
      spec: { cronSpec: "x", replicas: 20 },
      want: [
        `spec.cronSpec: Invalid value: "x": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`,
        "spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10",
        "spec.image: Required value",
      ],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const got = validateCustomResource(schema, cr(c.spec)).map(fieldErrorString);
      assert.deepEqual(got.sort(), [...c.want].sort());
    });
});
