// Validation of a CRD version's openAPIV3Schema (upstream's forbidden constructs and structural
// schema rules), with the messages `kubectl apply` of a bad CRD prints.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FieldPath, fieldErrorString } from "../../../../src/apimachinery/field-errors.js";
import type { JSONSchemaProps } from "../../../../src/apiextensions/schema/types.js";
import { validateOpenAPIV3Schema } from "../../../../src/apiextensions/schema/validate-schema.js";

const P = "spec.versions[0].schema.openAPIV3Schema";
const root = () => FieldPath.root("spec").child("versions").index(0).child("schema", "openAPIV3Schema");
const withSpec = (spec: JSONSchemaProps): JSONSchemaProps => ({ type: "object", properties: { spec } });

describe("validateOpenAPIV3Schema", () => {
  const cases: { name: string; schema: JSONSchemaProps; want: string[] }[] = [
    { name: "a structural schema", schema: withSpec({ type: "object", properties: { a: { type: "string" }, l: { type: "array", items: { type: "integer" } } } }), want: [] },
    { name: "preserve-unknown root", schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true }, want: [] },
    { name: "int-or-string without type", schema: withSpec({ type: "object", properties: { port: { "x-kubernetes-int-or-string": true } } }), want: [] },
    {
      name: "a field without type",
      schema: withSpec({ type: "object", properties: { values: { description: "x" } } }),
      want: [`${P}.properties[spec].properties[values].type: Required value: must not be empty for specified object fields`],
    },
    { name: "root without type", schema: { properties: { spec: { type: "object" } } }, want: [`${P}.type: Required value: must not be empty at the root`] },
    { name: "root not an object", schema: { type: "array", items: { type: "string" } }, want: [`${P}.type: Invalid value: "array": must be object at the root`] },
    {
      name: "array items without type",
      schema: withSpec({ type: "array", items: {} }),
      want: [`${P}.properties[spec].items.type: Required value: must not be empty for specified array items`],
    },
    { name: "array without items", schema: withSpec({ type: "array" }), want: [`${P}.properties[spec].items: Required value: must be specified`] },
    { name: "$ref", schema: withSpec({ $ref: "#/definitions/Foo" }), want: [`${P}.properties[spec].$ref: Forbidden: $ref is not supported`] },
    {
      name: "uniqueItems",
      schema: withSpec({ type: "array", items: { type: "string" }, uniqueItems: true }),
      want: [`${P}.properties[spec].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`],
    },
    {
      name: "properties and additionalProperties",
      schema: withSpec({ type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } }),
      want: [`${P}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`],
    },
    {
      name: "metadata beyond name and generateName",
      schema: { type: "object", properties: { metadata: { type: "object", properties: { labels: { type: "object" } } } } },
      want: [`${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`],
    },
    { name: "metadata with name only", schema: { type: "object", properties: { metadata: { type: "object", properties: { name: { type: "string", maxLength: 10 } } } } }, want: [] },
    {
      name: "embedded resource without type",
      schema: withSpec({ type: "object", properties: { t: { "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true } } }),
      want: [`${P}.properties[spec].properties[t].type: Required value: must be object if x-kubernetes-embedded-resource is true`],
    },
    {
      name: "list map without keys",
      schema: withSpec({ type: "array", "x-kubernetes-list-type": "map", items: { type: "object", properties: { name: { type: "string" } } } }),
      want: [`${P}.properties[spec].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(validateOpenAPIV3Schema(c.schema, root()).map(fieldErrorString), c.want));
});
