import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fieldErrorString } from "../../../../src/apimachinery/field-errors.js";
import { validateCustomResourceRules } from "../../../../src/apiextensions/cel/validate.js";
import type { JSONSchemaProps, ValidationRule } from "../../../../src/apiextensions/schema/types.js";

/** A CR schema whose spec has the given properties and rules. */
function crSchema(specProps: Record<string, JSONSchemaProps>, rules: ValidationRule[] = [], extra: Partial<JSONSchemaProps> = {}): JSONSchemaProps {
  return {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: { type: "object", properties: specProps, "x-kubernetes-validations": rules, ...extra },
    },
  };
}

const cr = (spec: unknown, name = "obj") => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name }, spec });

const errors = (schema: JSONSchemaProps, obj: unknown, old?: unknown) => validateCustomResourceRules(schema, obj, old).map(fieldErrorString);

describe("validateCustomResourceRules: rule outcomes on spec", () => {
  const props: Record<string, JSONSchemaProps> = {
    replicas: { type: "integer" },
    maxReplicas: { type: "integer" },
    ratio: { type: "number" },
    name: { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    labels: { type: "object", additionalProperties: { type: "string" } },
    size: { "x-kubernetes-int-or-string": true },
    memory: { type: "string" },
    created: { type: "string", format: "date-time" },
    timeout: { type: "string", format: "duration" },
    data: { type: "string", format: "byte" },
    endpoint: { type: "string" },
    absent: { type: "string" },
  };
  const spec = {
    replicas: 5,
    maxReplicas: 3,
    ratio: 0.5,
    name: "web-1",
    tags: ["b", "a", "c"],
    labels: { app: "web" },
    size: "50%",
    memory: "1Gi",
    created: "2024-01-02T03:04:05Z",
    timeout: "1m30s",
    data: "aGVsbG8=",
    endpoint: "https://example.com:8443/api/v1?x=1&x=2&y=z",
  };
  const cases: { name: string; rule: ValidationRule; want: string[] }[] = [
    {
      name: "message",
      rule: { rule: "self.replicas <= self.maxReplicas", message: "replicas must be smaller than maxReplicas" },
      want: ['spec: Invalid value: "object": replicas must be smaller than maxReplicas'],
    },
    { name: "default message", rule: { rule: "self.replicas <= self.maxReplicas" }, want: ['spec: Invalid value: "object": failed rule: self.replicas <= self.maxReplicas'] },
    { name: "default message trims the rule", rule: { rule: "  self.replicas < 0  " }, want: ['spec: Invalid value: "object": failed rule: self.replicas < 0'] },
    { name: "message is trimmed", rule: { rule: "false", message: "  no  " }, want: ['spec: Invalid value: "object": no'] },
    { name: "passing rule", rule: { rule: "self.replicas > self.maxReplicas" }, want: [] },
    {
      name: "messageExpression",
      rule: { rule: "self.replicas <= self.maxReplicas", messageExpression: "'replicas ' + string(self.replicas) + ' exceed ' + string(self.maxReplicas)" },
      want: ['spec: Invalid value: "object": replicas 5 exceed 3'],
    },
    {
      name: "messageExpression evaluating to empty falls back to message",
      rule: { rule: "false", message: "static", messageExpression: "'  '" },
      want: ['spec: Invalid value: "object": static'],
    },
    {
      name: "messageExpression with a line break falls back to the default",
      rule: { rule: "false", messageExpression: "'a\\nb'" },
      want: ['spec: Invalid value: "object": failed rule: false'],
    },
    {
      name: "messageExpression failing at runtime falls back",
      rule: { rule: "false", message: "m", messageExpression: "self.labels['missing']" },
      want: ['spec: Invalid value: "object": m'],
    },
    { name: "reason Forbidden", rule: { rule: "false", message: "nope", reason: "FieldValueForbidden" }, want: ["spec: Forbidden: nope"] },
    { name: "reason Required", rule: { rule: "false", message: "need it", reason: "FieldValueRequired" }, want: ["spec: Required value: need it"] },
    { name: "reason Duplicate", rule: { rule: "false", message: "dup", reason: "FieldValueDuplicate" }, want: ['spec: Duplicate value: "object"'] },
    { name: "reason Invalid", rule: { rule: "false", message: "bad", reason: "FieldValueInvalid" }, want: ['spec: Invalid value: "object": bad'] },
    { name: "fieldPath", rule: { rule: "self.replicas < 3", message: "too many", fieldPath: ".replicas" }, want: ['spec.replicas: Invalid value: "object": too many'] },
    { name: "fieldPath into a map", rule: { rule: "false", message: "m", fieldPath: ".labels['app']" }, want: ['spec.labels[app]: Invalid value: "object": m'] },
    { name: "int comparison with double (cross-type)", rule: { rule: "self.ratio < 1" }, want: [] },
    { name: "double literal", rule: { rule: "self.ratio == 0.5" }, want: [] },
    { name: "int arithmetic", rule: { rule: "self.replicas / 2 == 2 && self.replicas % 2 == 1" }, want: [] },
    { name: "has on present field", rule: { rule: "has(self.name)" }, want: [] },
    { name: "has on absent field", rule: { rule: "!has(self.absent)" }, want: [] },
    { name: "has in a map", rule: { rule: "has(self.labels.app) && !has(self.labels.other)" }, want: [] },
    { name: "map index", rule: { rule: "self.labels['app'] == 'web'" }, want: [] },
    { name: "all/exists/exists_one", rule: { rule: "self.tags.all(t, t.size() == 1) && self.tags.exists(t, t == 'a') && self.tags.exists_one(t, t == 'b')" }, want: [] },
    { name: "map/filter", rule: { rule: "self.tags.filter(t, t != 'a').map(t, t + '!') == ['b!', 'c!']" }, want: [] },
    { name: "map macros iterate keys", rule: { rule: "self.labels.all(k, k == 'app')" }, want: [] },
    { name: "lists library", rule: { rule: "!self.tags.isSorted() && self.tags.min() == 'a' && self.tags.max() == 'c' && self.tags.indexOf('a') == 1 && [1, 2, 3].sum() == 6 && [1, 2, 1].lastIndexOf(1) == 2" }, want: [] },
    { name: "regex library", rule: { rule: "self.name.find('[0-9]+') == '1' && 'a1b22'.findAll('[0-9]+') == ['1', '22'] && self.name.matches('^web')" }, want: [] },
    { name: "quantity library", rule: { rule: "quantity(self.memory).isGreaterThan(quantity('512Mi')) && quantity(self.memory).compareTo(quantity('1024Mi')) == 0 && quantity('1.5').isInteger() == false && quantity('2k').asInteger() == 2000 && quantity('1').add(quantity('500m')).asApproximateFloat() == 1.5 && quantity('1').sub(2).sign() == -1 && isQuantity('1Gi') && !isQuantity('1GiB')" }, want: [] },
    { name: "quantity equality", rule: { rule: "quantity('1000m') == quantity('1')" }, want: [] },
    { name: "url library", rule: { rule: "url(self.endpoint).getScheme() == 'https' && url(self.endpoint).getHost() == 'example.com:8443' && url(self.endpoint).getHostname() == 'example.com' && url(self.endpoint).getPort() == '8443' && url(self.endpoint).getEscapedPath() == '/api/v1' && url(self.endpoint).getQuery()['x'] == ['1', '2'] && isURL('/path') && !isURL('example.com')" }, want: [] },
    { name: "strings extension", rule: { rule: "'abc'.charAt(1) == 'b' && 'a-b-c'.replace('-', '.') == 'a.b.c' && 'a-b-c'.replace('-', '.', 1) == 'a.b-c' && 'abc'.reverse() == 'cba' && 'A'.lowerAscii() == 'a' && ' x '.trim() == 'x' && 'a,b'.split(',') == ['a', 'b'] && ['a', 'b'].join('-') == 'a-b' && strings.quote('a\"b') == '\"a\\\\\"b\"' && 'hello'.substring(1, 3) == 'el' && 'hello'.lastIndexOf('l') == 3" }, want: [] },
    { name: "sets extension", rule: { rule: "sets.contains([1, 2, 3], [1, 2]) && sets.equivalent([1, 2], [2, 1, 2]) && sets.intersects(self.tags, ['c', 'z']) && !sets.intersects([1], [2])" }, want: [] },
    { name: "format library", rule: { rule: "!format.dns1123Label().validate(self.name).hasValue() && format.named('dns1123Label').value().validate('Web').hasValue() && !format.named('nope').hasValue()" }, want: [] },
    { name: "timestamp from date-time", rule: { rule: "self.created < timestamp('2025-01-01T00:00:00Z') && self.created.getFullYear() == 2024" }, want: [] },
    { name: "duration from duration format", rule: { rule: "self.timeout == duration('90s') && self.timeout < duration('2m')" }, want: [] },
    { name: "bytes from byte format", rule: { rule: "self.data == b'hello' && size(self.data) == 5" }, want: [] },
    { name: "int-or-string is dyn", rule: { rule: "type(self.size) == string ? self.size.endsWith('%') : self.size < 100" }, want: [] },
    { name: "optional field access", rule: { rule: "self.?absent.orValue('x') == 'x' && self.?name.hasValue()" }, want: [] },
    { name: "root metadata is visible from spec? no: spec rules see spec only", rule: { rule: "size(self.name) > 0" }, want: [] },
    {
      name: "runtime error: missing key",
      rule: { rule: "self.absent == 'x'" },
      want: ['spec: Invalid value: "object": no such key: absent evaluating rule: self.absent == \'x\''],
    },
    {
      name: "runtime error uses the message in ruleErrorString",
      rule: { rule: "self.labels['nope'] == 'x'", message: "label check" },
      want: ['spec: Invalid value: "object": no such key: nope evaluating rule: label check'],
    },
    { name: "runtime error: index out of bounds", rule: { rule: "self.tags[5] == 'x'" }, want: ["spec: Invalid value: \"object\": index out of bounds: 5 evaluating rule: self.tags[5] == 'x'"] },
    { name: "runtime error: division by zero", rule: { rule: "self.replicas / (self.maxReplicas - 3) == 1" }, want: ['spec: Invalid value: "object": division by zero evaluating rule: self.replicas / (self.maxReplicas - 3) == 1'] },
    {
      name: "runtime error: malformed quantity",
      rule: { rule: "quantity('1GiB').isInteger()" },
      want: ["spec: Invalid value: \"object\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' evaluating rule: quantity('1GiB').isInteger()"],
    },
    { name: "runtime error: bad quantity suffix", rule: { rule: "quantity('1ki').isInteger()" }, want: ["spec: Invalid value: \"object\": unable to parse quantity's suffix evaluating rule: quantity('1ki').isInteger()"] },
    {
      name: "undeclared field is a compile error",
      rule: { rule: "self.missing == 'x'" },
      want: ["spec: Invalid value: \"object\": rule compile error: compilation failed: ERROR: <input>:1:5: undefined field 'missing'\n | self.missing == 'x'\n | ....^"],
    },
    { name: "runtime error: empty min", rule: { rule: "self.tags.filter(t, t == 'z').min() == 'a'" }, want: ["spec: Invalid value: \"object\": min called on empty list evaluating rule: self.tags.filter(t, t == 'z').min() == 'a'"] },
    {
      name: "runtime overload error on dyn",
      rule: { rule: "self.size > 1" },
      want: ["spec: Invalid value: \"object\": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: self.size > 1"],
    },
    {
      name: "compile errors surface at runtime",
      rule: { rule: "self.nope > 1" },
      want: ["spec: Invalid value: \"object\": rule compile error: compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope > 1\n | ....^"],
    },
    { name: "empty rule is skipped", rule: { rule: "  " }, want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(errors(crSchema(props, [c.rule]), cr(spec)), c.want));
  }
});

describe("validateCustomResourceRules: where rules run", () => {
  it("root rules report the nil path and see apiVersion, kind, metadata.name", () => {
    const schema: JSONSchemaProps = {
      type: "object",
      properties: { spec: { type: "object" } },
      "x-kubernetes-validations": [
        { rule: "self.metadata.name.startsWith('a')", messageExpression: "'name ' + self.metadata.name + ' must start with a'" },
        { rule: "self.kind == 'Widget' && self.apiVersion.startsWith('example.com/')" },
        { rule: "!has(self.metadata.generateName)" },
      ],
    };
    assert.deepEqual(errors(schema, cr({}, "web")), ['<nil>: Invalid value: "object": name web must start with a']);
  });

  it("rules on a nested root fieldPath are children of nil", () => {
    const schema: JSONSchemaProps = {
      type: "object",
      properties: { spec: { type: "object", properties: { a: { type: "string" } } } },
      "x-kubernetes-validations": [{ rule: "false", message: "m", fieldPath: ".spec.a" }],
    };
    assert.deepEqual(errors(schema, cr({ a: "x" })), ['spec.a: Invalid value: "object": m']);
  });

  it("runs on scalars, list items and map values with their paths and types", () => {
    const schema = crSchema({
      name: { type: "string", "x-kubernetes-validations": [{ rule: "self.size() < 3" }] },
      count: { type: "integer", "x-kubernetes-validations": [{ rule: "self >= 0", message: "must be non-negative" }] },
      ports: { type: "array", items: { type: "integer", "x-kubernetes-validations": [{ rule: "self < 65536" }] } },
      env: { type: "object", additionalProperties: { type: "string", "x-kubernetes-validations": [{ rule: "self != ''" }] } },
    });
    assert.deepEqual(errors(schema, cr({ name: "long", count: -1, ports: [80, 70000], env: { A: "", B: "x" } })), [
      'spec.name: Invalid value: "string": failed rule: self.size() < 3',
      'spec.count: Invalid value: "integer": must be non-negative',
      'spec.ports[1]: Invalid value: "integer": failed rule: self < 65536',
      "spec.env[A]: Invalid value: \"string\": failed rule: self != ''",
    ]);
  });

  it("skips null values and absent fields", () => {
    const schema = crSchema({ name: { type: "string", nullable: true, "x-kubernetes-validations": [{ rule: "false" }] } });
    assert.deepEqual(errors(schema, cr({ name: null })), []);
    assert.deepEqual(errors(schema, cr({})), []);
  });

  it("node rules come before rules below them", () => {
    const schema = crSchema({ a: { type: "integer", "x-kubernetes-validations": [{ rule: "false", message: "child" }] } }, [{ rule: "false", message: "parent" }]);
    assert.deepEqual(errors(schema, cr({ a: 1 })), ['spec: Invalid value: "object": parent', 'spec.a: Invalid value: "integer": child']);
  });

  it("embedded resources see apiVersion, kind and metadata.name", () => {
    const schema = crSchema({
      template: {
        type: "object",
        "x-kubernetes-embedded-resource": true,
        "x-kubernetes-preserve-unknown-fields": true,
        "x-kubernetes-validations": [{ rule: "self.kind == 'Pod' && self.metadata.name == 'p'" }],
      },
    });
    assert.deepEqual(errors(schema, cr({ template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } } })), []);
    assert.deepEqual(errors(schema, cr({ template: { apiVersion: "v1", kind: "Service", metadata: { name: "p" } } })), [
      "spec.template: Invalid value: \"object\": failed rule: self.kind == 'Pod' && self.metadata.name == 'p'",
    ]);
  });

  it("objects compare field by field, lists in order", () => {
    const schema = crSchema({
      a: { type: "object", properties: { x: { type: "integer" }, y: { type: "string" } } },
      b: { type: "object", properties: { x: { type: "integer" }, y: { type: "string" } } },
      l: { type: "array", items: { type: "object", properties: { x: { type: "integer" } } } },
    }, [{ rule: "self.l[0] == self.l[1] && self.l[0] != self.l[2]" }]);
    assert.deepEqual(errors(schema, cr({ l: [{ x: 1 }, { x: 1 }, { x: 2 }] })), []);
  });

  it("caches compiled programs: repeated validation is cheap", () => {
    const schema = crSchema({ n: { type: "integer" } }, [{ rule: "self.n > 0" }]);
    errors(schema, cr({ n: 1 }));
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) errors(schema, cr({ n: i }));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < 200, `200 validations took ${ms}ms`);
  });
});

describe("validateCustomResourceRules: transition rules", () => {
  const immutable = crSchema({
    name: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "Value is immutable" }] },
  });
  const cases: { name: string; schema: JSONSchemaProps; obj: unknown; old: unknown; want: string[] }[] = [
    { name: "immutability violated", schema: immutable, obj: cr({ name: "b" }), old: cr({ name: "a" }), want: ['spec.name: Invalid value: "string": Value is immutable'] },
    { name: "immutability kept", schema: immutable, obj: cr({ name: "a" }), old: cr({ name: "a" }), want: [] },
    { name: "not run on create", schema: immutable, obj: cr({ name: "b" }), old: undefined, want: [] },
    { name: "not run when the old value is absent", schema: immutable, obj: cr({ name: "b" }), old: cr({}), want: [] },
    {
      name: "object-level transition rule",
      schema: crSchema({ n: { type: "integer" } }, [{ rule: "self.n >= oldSelf.n", message: "n may not decrease" }]),
      obj: cr({ n: 1 }),
      old: cr({ n: 2 }),
      want: ['spec: Invalid value: "object": n may not decrease'],
    },
    {
      name: "optionalOldSelf runs on create with oldSelf none",
      schema: crSchema({ n: { type: "integer" } }, [{ rule: "!oldSelf.hasValue() || self.n >= oldSelf.value().n", optionalOldSelf: true, message: "no decrease" }, { rule: "oldSelf.hasValue()", optionalOldSelf: true, message: "create" }]),
      obj: cr({ n: 1 }),
      old: undefined,
      want: ['spec: Invalid value: "object": create'],
    },
    {
      name: "optionalOldSelf with an old value",
      schema: crSchema({ n: { type: "integer" } }, [{ rule: "!oldSelf.hasValue() || self.n >= oldSelf.value().n", optionalOldSelf: true, message: "no decrease" }]),
      obj: cr({ n: 1 }),
      old: cr({ n: 5 }),
      want: ['spec: Invalid value: "object": no decrease'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(errors(c.schema, c.obj, c.old), c.want));

  const listSchema = (listType: "map" | "atomic" | "set") =>
    crSchema({
      items: {
        type: "array",
        "x-kubernetes-list-type": listType,
        ...(listType === "map" ? { "x-kubernetes-list-map-keys": ["name"] } : {}),
        items: {
          type: "object",
          properties: { name: { type: "string" }, value: { type: "integer" } },
          "x-kubernetes-validations": [{ rule: "self.value >= oldSelf.value", message: "value may not decrease" }],
        },
      },
    });

  it("list-type=map items correlate by key, whatever their position", () => {
    const old = cr({ items: [{ name: "a", value: 5 }, { name: "b", value: 1 }] });
    const obj = cr({ items: [{ name: "b", value: 2 }, { name: "a", value: 4 }, { name: "c", value: 0 }] });
    assert.deepEqual(errors(listSchema("map"), obj, old), ['spec.items[1]: Invalid value: "object": value may not decrease']);
  });

  it("atomic list items do not correlate", () => {
    const old = cr({ items: [{ name: "a", value: 5 }] });
    const obj = cr({ items: [{ name: "a", value: 4 }] });
    assert.deepEqual(errors(listSchema("atomic"), obj, old), []);
  });

  it("map values correlate by key", () => {
    const schema = crSchema({
      limits: { type: "object", additionalProperties: { type: "integer", "x-kubernetes-validations": [{ rule: "self >= oldSelf" }] } },
    });
    assert.deepEqual(errors(schema, cr({ limits: { a: 1, b: 5 } }), cr({ limits: { a: 2, b: 5 } })), [
      'spec.limits[a]: Invalid value: "integer": failed rule: self >= oldSelf',
    ]);
  });
});
