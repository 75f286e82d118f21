// Table columns and cells of custom resources (upstream tableconvertor): default Age column,
// declared columns with their descriptions, JSONPath cells by column type, dates as durations.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { crdPrinter, validatePrinterColumnJSONPath } from "../../../../src/apiextensions/printer.js";

const NOW = Date.parse("2025-01-01T12:00:00Z");
type Column = { name: string; type: string; jsonPath: string; format?: string; description?: string; priority?: number };

function crd(columns?: Column[]): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "crontabs.stable.example.com" },
    spec: {
      group: "stable.example.com",
      names: { plural: "crontabs", singular: "crontab", kind: "CronTab", listKind: "CronTabList" },
      scope: "Namespaced",
      versions: [{ name: "v1", served: true, storage: true, ...(columns ? { additionalPrinterColumns: columns } : {}) }],
    },
  } as KubeObject;
}

const object = (extra: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: "stable.example.com/v1",
    kind: "CronTab",
    metadata: { name: "my-cron", namespace: "default", creationTimestamp: "2025-01-01T11:55:00Z" },
    spec: {
      cronSpec: "* * * * */5",
      replicas: 3,
      ratio: 1.5,
      big: 1234567.5,
      tiny: 0.00001,
      suspend: false,
      nothing: null,
      tags: ["a", "b"],
      selector: { z: "<1>", a: 2 },
      when: "2025-01-01T10:00:00Z",
      bad: "yesterday",
      empty: "",
    },
    status: {
      conditions: [
        { type: "Synced", status: "False" },
        { type: "Ready", status: "True", observedGeneration: 4 },
      ],
    },
    ...extra,
  }) as KubeObject;

const NAME_COLUMN = {
  name: "Name",
  type: "string",
  format: "name",
  description:
    "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
  priority: 0,
};

test("without additionalPrinterColumns: Name and Age (a date column over creationTimestamp)", () => {
  const p = crdPrinter(crd(), "v1");
  assert.deepEqual(p.columns[0], NAME_COLUMN);
  assert.deepEqual(p.columns.slice(1).map((c) => [c.name, c.type, c.format, c.priority]), [["Age", "date", "", 0]]);
  assert.match(p.columns[1]!.description, /^CreationTimestamp is a timestamp representing the server time/);
  assert.deepEqual(p.cells(object(), { now: NOW }), ["my-cron", "5m"]);
  assert.deepEqual(p.cells({ ...object(), metadata: { name: "x" } } as KubeObject, { now: NOW }), ["x", null]);
});

test("declared columns: definitions as written, default description naming the path", () => {
  const p = crdPrinter(crd([
    { name: "Spec", type: "string", jsonPath: ".spec.cronSpec" },
    { name: "Replicas", type: "integer", jsonPath: ".spec.replicas", description: "The replicas.", priority: 1, format: "int32" },
  ]), "v1");
  assert.deepEqual(p.columns.slice(1), [
    { name: "Spec", type: "string", format: "", description: "Custom resource definition column (in JSONPath format): .spec.cronSpec", priority: 0 },
    { name: "Replicas", type: "integer", format: "int32", description: "The replicas.", priority: 1 },
  ]);
});

const cells: { name: string; type: string; jsonPath: string; want: unknown }[] = [
  { name: "string field", type: "string", jsonPath: ".spec.cronSpec", want: "* * * * */5" },
  { name: "integer field", type: "integer", jsonPath: ".spec.replicas", want: 3 },
  { name: "integer column truncates a float", type: "integer", jsonPath: ".spec.ratio", want: 1 },
  { name: "number field", type: "number", jsonPath: ".spec.ratio", want: 1.5 },
  { name: "boolean field", type: "boolean", jsonPath: ".spec.suspend", want: false },
  { name: "mistyped value is null", type: "integer", jsonPath: ".spec.cronSpec", want: null },
  { name: "missing field is null", type: "string", jsonPath: ".spec.missing", want: null },
  { name: "missing parent is null", type: "string", jsonPath: ".nope.deeper.still", want: null },
  { name: "JSON null in a string column", type: "string", jsonPath: ".spec.nothing", want: "<no value>" },
  { name: "JSON null in an integer column", type: "integer", jsonPath: ".spec.nothing", want: null },
  { name: "number printed in a string column", type: "string", jsonPath: ".spec.replicas", want: "3" },
  { name: "float printed as Go does", type: "string", jsonPath: ".spec.big", want: "1.2345675e+06" },
  { name: "small float printed as Go does", type: "string", jsonPath: ".spec.tiny", want: "1e-05" },
  { name: "boolean printed in a string column", type: "string", jsonPath: ".spec.suspend", want: "false" },
  { name: "array printed as JSON", type: "string", jsonPath: ".spec.tags", want: '["a","b"]' },
  { name: "object printed as Go JSON (sorted, HTML-escaped)", type: "string", jsonPath: ".spec.selector", want: '{"a":2,"z":"\\u003c1\\u003e"}' },
  { name: "first of several results", type: "string", jsonPath: ".spec.tags[*]", want: "a" },
  { name: "index", type: "string", jsonPath: ".spec.tags[1]", want: "b" },
  { name: "negative index", type: "string", jsonPath: ".spec.tags[-1]", want: "b" },
  { name: "index out of range is null", type: "string", jsonPath: ".spec.tags[5]", want: null },
  { name: "filter by condition type", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status', want: "True" },
  { name: "filter with single quotes", type: "string", jsonPath: ".status.conditions[?(@.type=='Synced')].status", want: "False" },
  { name: "filter with no match", type: "string", jsonPath: '.status.conditions[?(@.type=="Gone")].status', want: null },
  { name: "filter comparing numbers", type: "integer", jsonPath: ".status.conditions[?(@.observedGeneration>3)].observedGeneration", want: 4 },
  { name: "existence filter", type: "string", jsonPath: ".status.conditions[?(@.observedGeneration)].type", want: "Ready" },
  { name: "filter on a non-list is null", type: "string", jsonPath: '.spec[?(@.a=="b")]', want: null },
  { name: "recursive descent", type: "string", jsonPath: "..observedGeneration", want: "4" },
  { name: "bracket key", type: "string", jsonPath: ".metadata['name']", want: "my-cron" },
  { name: "date as a duration", type: "date", jsonPath: ".spec.when", want: "120m" },
  { name: "unparsable date", type: "date", jsonPath: ".spec.bad", want: "<invalid>" },
  { name: "empty date", type: "date", jsonPath: ".spec.empty", want: "<unknown>" },
  { name: "date of a non-string", type: "date", jsonPath: ".spec.replicas", want: null },
];

for (const c of cells) {
  test(`cell: ${c.name}`, () => {
    const p = crdPrinter(crd([{ name: "X", type: c.type, jsonPath: c.jsonPath }]), "v1");
    assert.equal(p.columns.length, 2);
    assert.deepEqual(p.cells(object(), { now: NOW }), ["my-cron", c.want]);
  });
}

test("a column whose jsonPath does not parse ends the columns there (upstream's fallback)", () => {
  const p = crdPrinter(crd([
    { name: "A", type: "string", jsonPath: ".spec.cronSpec" },
    { name: "B", type: "string", jsonPath: ".spec.tags[" },
    { name: "C", type: "string", jsonPath: ".spec.cronSpec" },
  ]), "v1");
  assert.deepEqual(p.columns.map((c) => c.name), ["Name", "A"]);
  assert.deepEqual(p.cells(object(), { now: NOW }), ["my-cron", "* * * * */5"]);
});

test("an unknown version prints Name and Age", () => {
  assert.deepEqual(crdPrinter(crd([{ name: "A", type: "string", jsonPath: ".x" }]), "v2").columns.map((c) => c.name), ["Name", "Age"]);
});

test("validatePrinterColumnJSONPath: upstream's details", () => {
  assert.equal(validatePrinterColumnJSONPath(""), "must not be empty");
  assert.equal(validatePrinterColumnJSONPath("spec.x"), "must be a simple json path starting with .");
  assert.equal(validatePrinterColumnJSONPath(".spec.x"), undefined);
  assert.equal(validatePrinterColumnJSONPath("."), undefined);
});
