// Selectable fields of custom resources: values as fmt.Sprint renders them, "" when missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { crdFieldSelectors } from "../../../../src/apiextensions/selectable-fields.js";

const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "crontabs.stable.example.com" },
  spec: {
    group: "stable.example.com",
    names: { plural: "crontabs", kind: "CronTab" },
    scope: "Namespaced",
    versions: [
      { name: "v1", served: true, storage: true, selectableFields: [{ jsonPath: ".spec.color" }, { jsonPath: ".spec.size" }, { jsonPath: ".spec.enabled" }, { jsonPath: ".status.phase" }] },
      { name: "v2", served: true, storage: false },
    ],
  },
} as KubeObject;

const obj = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: { name: "a" }, spec }) as KubeObject;

const cases: { name: string; spec: Record<string, unknown>; want: Record<string, string | undefined> }[] = [
  { name: "string, integer, boolean", spec: { color: "red", size: 3, enabled: true }, want: { "spec.color": "red", "spec.size": "3", "spec.enabled": "true", "status.phase": "" } },
  { name: "missing and null are empty", spec: { color: null }, want: { "spec.color": "", "spec.size": "", "spec.enabled": "", "status.phase": "" } },
  { name: "false and zero", spec: { enabled: false, size: 0 }, want: { "spec.color": "", "spec.size": "0", "spec.enabled": "false", "status.phase": "" } },
];

for (const c of cases) {
  test(`selectable fields: ${c.name}`, () => {
    const getters = crdFieldSelectors(crd, "v1");
    assert.deepEqual(Object.keys(getters), ["spec.color", "spec.size", "spec.enabled", "status.phase"]);
    const got = Object.fromEntries(Object.entries(getters).map(([k, g]) => [k, g(obj(c.spec))]));
    assert.deepEqual(got, c.want);
  });
}

test("a version without selectable fields has none", () => {
  assert.deepEqual(crdFieldSelectors(crd, "v2"), {});
  assert.deepEqual(crdFieldSelectors(crd, "v9"), {});
});
