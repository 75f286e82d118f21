import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FieldPath, fieldErrorString } from "../../../../src/apimachinery/field-errors.js";
import { validateSchemaRules, validateSchemaRulesDetailed } from "../../../../src/apiextensions/cel/compile.js";
import { validFieldPath } from "../../../../src/apiextensions/cel/field-path.js";
import type { JSONSchemaProps, ValidationRule } from "../../../../src/apiextensions/schema/types.js";

const root = FieldPath.root("spec").child("versions").index(0).child("schema", "openAPIV3Schema");
const SPEC = "spec.versions[0].schema.openAPIV3Schema.properties[spec]";

function schemaWith(rules: ValidationRule[], spec: Partial<JSONSchemaProps> = {}): JSONSchemaProps {
  return {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          replicas: { type: "integer" },
          ratio: { type: "number" },
          name: { type: "string" },
          labels: { type: "object", additionalProperties: { type: "string" } },
          tags: { type: "array", items: { type: "string" } },
        },
        "x-kubernetes-validations": rules,
        ...spec,
      },
    },
  };
}

const goRule = (r: Partial<ValidationRule>) =>
  `apiextensions.ValidationRule{Rule:${JSON.stringify(r.rule ?? "")}, Message:${JSON.stringify(r.message ?? "")}, MessageExpression:${JSON.stringify(r.messageExpression ?? "")}, Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:${JSON.stringify(r.fieldPath ?? "")}, OptionalOldSelf:(*bool)(nil)}`;

const errors = (schema: JSONSchemaProps) => validateSchemaRules(schema, root).map(fieldErrorString);

describe("validateSchemaRules", () => {
  const cases: { name: string; rules: ValidationRule[]; want: string[] }[] = [
    { name: "valid rules", rules: [{ rule: "self.replicas >= 0" }, { rule: "self.ratio < 1.5", messageExpression: "'ratio ' + string(self.ratio)" }], want: [] },
    {
      name: "undefined field",
      rules: [{ rule: "self.foo > 0" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "self.foo > 0" })}: compilation failed: ERROR: <input>:1:5: undefined field 'foo'\n | self.foo > 0\n | ....^`],
    },
    {
      name: "no matching overload (int == double)",
      rules: [{ rule: "self.replicas == 1.0" }],
      want: [
        `${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "self.replicas == 1.0" })}: compilation failed: ERROR: <input>:1:15: found no matching overload for '_==_' applied to '(int, double)'\n | self.replicas == 1.0\n | ..............^`,
      ],
    },
    {
      name: "undeclared reference",
      rules: [{ rule: "foo == 1" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "foo == 1" })}: compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo == 1\n | ^`],
    },
    {
      name: "not a bool",
      rules: [{ rule: "self.replicas" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "self.replicas" })}: cel expression must evaluate to a bool`],
    },
    {
      name: "syntax error",
      rules: [{ rule: "self.replicas >" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "self.replicas >" })}: compilation failed: ERROR: <input>:1:16: Syntax error: Unexpected token: EOF\n | self.replicas >\n | ...............^`],
    },
    {
      name: "presence test of an undefined field",
      rules: [{ rule: "has(self.nope)" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "has(self.nope)" })}: compilation failed: ERROR: <input>:1:9: undefined field 'nope'\n | has(self.nope)\n | ........^`],
    },
    {
      name: "invalid regex literal",
      rules: [{ rule: "self.name.matches(')')" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "self.name.matches(')')" })}: compilation failed: ERROR: <input>:1:19: invalid matches argument\n | self.name.matches(')')\n | ..................^`],
    },
    {
      name: "invalid duration literal",
      rules: [{ rule: "duration('1') > duration('1s')" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "duration('1') > duration('1s')" })}: compilation failed: ERROR: <input>:1:10: invalid duration argument\n | duration('1') > duration('1s')\n | .........^`],
    },
    {
      name: "heterogeneous list literal",
      rules: [{ rule: "[1, 'a'].size() == 2" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Invalid value: ${goRule({ rule: "[1, 'a'].size() == 2" })}: compilation failed: ERROR: <input>:1:5: expected type 'int' but found 'string'\n | [1, 'a'].size() == 2\n | ....^`],
    },
    { name: "empty rule", rules: [{ rule: "" }], want: [`${SPEC}.x-kubernetes-validations[0].rule: Required value: rule is not specified`] },
    { name: "blank message", rules: [{ rule: "true", message: "  " }], want: [`${SPEC}.x-kubernetes-validations[0].message: Invalid value: "  ": message must be non-empty if specified`] },
    { name: "message with a line break", rules: [{ rule: "true", message: "a\nb" }], want: [`${SPEC}.x-kubernetes-validations[0].message: Invalid value: "a\\nb": message must not contain line breaks`] },
    { name: "multi-line rule needs a message", rules: [{ rule: "true &&\ntrue" }], want: [`${SPEC}.x-kubernetes-validations[0].message: Required value: message must be specified if rule contains line breaks`] },
    { name: "multi-line rule with a message", rules: [{ rule: "true &&\ntrue", message: "m" }], want: [] },
    { name: "blank messageExpression", rules: [{ rule: "true", messageExpression: " " }], want: [`${SPEC}.x-kubernetes-validations[0].messageExpression: Required value: messageExpression must be non-empty if specified`] },
    {
      name: "messageExpression not a string",
      rules: [{ rule: "true", messageExpression: "self.replicas" }],
      want: [`${SPEC}.x-kubernetes-validations[0].messageExpression: Invalid value: ${goRule({ rule: "true", messageExpression: "self.replicas" })}: messageExpression must evaluate to a string`],
    },
    {
      name: "messageExpression compile error",
      rules: [{ rule: "true", messageExpression: "self.nope" }],
      want: [
        `${SPEC}.x-kubernetes-validations[0].messageExpression: Invalid value: ${goRule({ rule: "true", messageExpression: "self.nope" })}: messageExpression compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope\n | ....^`,
      ],
    },
    {
      name: "unsupported reason",
      rules: [{ rule: "true", reason: "FieldValueBad" as ValidationRule["reason"] }],
      want: [`${SPEC}.x-kubernetes-validations[0].reason: Unsupported value: "FieldValueBad": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`],
    },
    { name: "valid fieldPaths", rules: [{ rule: "true", fieldPath: ".name" }, { rule: "true", fieldPath: ".labels['a.b']" }, { rule: "true", fieldPath: "['name']" }], want: [] },
    { name: "fieldPath to an unknown field", rules: [{ rule: "true", fieldPath: ".nope" }], want: [`${SPEC}.x-kubernetes-validations[0].fieldPath: Invalid value: ".nope": fieldPath must be a valid path`] },
    { name: "fieldPath into a list", rules: [{ rule: "true", fieldPath: ".tags[0]" }], want: [`${SPEC}.x-kubernetes-validations[0].fieldPath: Invalid value: ".tags[0]": fieldPath must be a valid path`] },
    { name: "blank fieldPath", rules: [{ rule: "true", fieldPath: " " }], want: [`${SPEC}.x-kubernetes-validations[0].fieldPath: Invalid value: " ": fieldPath must be non-empty if specified`, `${SPEC}.x-kubernetes-validations[0].fieldPath: Invalid value: " ": fieldPath must be a valid path`] },
    {
      name: "optionalOldSelf without oldSelf",
      rules: [{ rule: "self.replicas > 0", optionalOldSelf: true }],
      want: [`${SPEC}.x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule`],
    },
    { name: "optionalOldSelf with oldSelf", rules: [{ rule: "oldSelf.hasValue()", optionalOldSelf: true }], want: [] },
    { name: "transition rule on a correlatable node", rules: [{ rule: "self == oldSelf" }], want: [] },
    {
      name: "schema errors suppress compilation at the node",
      rules: [{ rule: "" }, { rule: "self.foo" }],
      want: [`${SPEC}.x-kubernetes-validations[0].rule: Required value: rule is not specified`],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(errors(schemaWith(c.rules)), c.want));

  it("reports oldSelf under items of non-map lists", () => {
    const schema: JSONSchemaProps = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: {
            atomic: { type: "array", items: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf" }] } },
            keyed: {
              type: "array",
              "x-kubernetes-list-type": "map",
              "x-kubernetes-list-map-keys": ["k"],
              items: { type: "object", properties: { k: { type: "string" } }, required: ["k"], "x-kubernetes-validations": [{ rule: "self.k == oldSelf.k" }] },
            },
          },
        },
      },
    };
    assert.deepEqual(errors(schema), [
      `${SPEC}.properties[atomic].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${SPEC}.properties[atomic]`,
    ]);
  });

  it("walks items, additionalProperties and nested properties; schema errors before CEL errors", () => {
    const schema: JSONSchemaProps = {
      type: "object",
      "x-kubernetes-validations": [{ rule: "self.metadata.name.size() > 0 && self.kind != ''" }],
      properties: {
        spec: {
          type: "object",
          properties: {
            m: { type: "object", additionalProperties: { type: "integer", "x-kubernetes-validations": [{ rule: "self.x" }] } },
            l: { type: "array", items: { type: "integer", "x-kubernetes-validations": [{ rule: "", message: "x" }] } },
          },
        },
      },
    };
    const got = validateSchemaRulesDetailed(schema, root);
    assert.deepEqual(got.schemaErrors.map(fieldErrorString), [`${SPEC}.properties[l].items.x-kubernetes-validations[0].rule: Required value: rule is not specified`]);
    assert.deepEqual(
      got.celErrors.map((e) => e.field),
      [`${SPEC}.properties[m].additionalProperties.x-kubernetes-validations[0].rule`],
    );
    assert.match(got.celErrors[0]!.detail!, /compilation failed: ERROR: <input>:1:5: /);
  });

  it("does not compile when the schema is not structural", () => {
    assert.deepEqual(validateSchemaRulesDetailed(schemaWith([{ rule: "self.nope" }]), root, { structural: false }).celErrors, []);
  });

  it("reports nodes without a CEL type", () => {
    const schema: JSONSchemaProps = {
      type: "object",
      properties: { spec: { "x-kubernetes-preserve-unknown-fields": true, "x-kubernetes-validations": [{ rule: "true" }] } },
    };
    assert.deepEqual(errors(schema), [
      `${SPEC}.x-kubernetes-validations: Internal error: internal error: failed to construct type information for x-kubernetes-validations rules: unable to convert structural schema to CEL declarations`,
    ]);
  });

  it("escapes property names as upstream", () => {
    const schema: JSONSchemaProps = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: { "dash-name": { type: "string" }, "dot.name": { type: "string" }, namespace: { type: "string" }, "x__y": { type: "string" }, "1st": { type: "string" } },
          "x-kubernetes-validations": [{ rule: "self.dash__dash__name == '' || self.dot__dot__name == '' || self.__namespace__ == '' || self.x__underscores__y == ''" }],
        },
      },
    };
    assert.deepEqual(errors(schema), []);
  });
});

describe("validFieldPath", () => {
  const schema: JSONSchemaProps = {
    type: "object",
    properties: { a: { type: "object", properties: { b: { type: "string" } } }, m: { type: "object", additionalProperties: { type: "string" } } },
  };
  const cases: [string, string][] = [
    [".a.b", "a.b"],
    ["['a'].b", "a.b"],
    [".m['x.y']", "m[x.y]"],
    [".m.k", "m[k]"],
    [".a.c", "does not refer to a valid field"],
    ["a", "expected [ or . but got: a"],
    [".a[b]", "expected single quoted string but got b"],
    [".a['b'", "unexpected end of JSON path"],
  ];
  for (const [input, want] of cases) {
    it(input, () => {
      const got = validFieldPath(input, schema);
      assert.equal(typeof got === "string" ? got : got.path, want);
    });
  }
});
