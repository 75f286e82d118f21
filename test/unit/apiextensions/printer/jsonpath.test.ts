// The Kubernetes JSONPath subset printer columns and selectable fields use (client-go jsonpath).
import { test } from "node:test";
import assert from "node:assert/strict";
import { findResults, goFormatFloat, JSONPathError, parseJSONPath } from "../../../../src/apiextensions/jsonpath.js";

const data = {
  items: [
    { name: "a", n: 1, labels: { x: "1" } },
    { name: "b", n: 2.5 },
    { name: "c", n: 3 },
  ],
  map: { k1: "v1", "dotted.key": "v2" },
  floats: [
    { name: "x", f: 1.5 },
    { name: "y", f: 2.5 },
  ],
};

const cases: { path: string; want: unknown[] }[] = [
  { path: "{.items[*].name}", want: ["a", "b", "c"] },
  { path: "{.items[0:2].name}", want: ["a", "b"] },
  { path: "{.items[::2].name}", want: ["a", "c"] },
  { path: "{.items[-2:].name}", want: ["b", "c"] },
  { path: "{.items[0,2].name}", want: ["a", "c"] },
  { path: "{.items[?(@.name<'b')].name}", want: ["a"] },
  { path: "{.floats[?(@.f==2.5)].name}", want: ["y"] },
  { path: "{.items[?(@.name!='a')].name}", want: ["b", "c"] },
  { path: "{.items[?(@.labels.x)].name}", want: ["a"] },
  // upstream re-parses a bracketed key as a dotted path, so a key with a dot needs the escape
  { path: "{.map['dotted.key']}", want: [] },
  { path: "{.map.dotted\\.key}", want: ["v2"] },
  { path: "{$.map.k1}", want: ["v1"] },
  { path: "{.missing}", want: [] },
];

for (const c of cases) {
  test(`findResults ${c.path}`, () => {
    assert.deepEqual(findResults(parseJSONPath(c.path), data, { allowMissingKeys: true })[0], c.want);
  });
}

test("text outside braces and several actions are separate results", () => {
  assert.deepEqual(findResults(parseJSONPath("x{.map.k1}{.items[0].name}"), data), [["x"], ["v1"], ["a"]]);
});

test("missing keys are an error unless allowed", () => {
  assert.throws(() => findResults(parseJSONPath("{.missing}"), data), /missing is not found/);
});

test("comparing an integer with a float is an error (Go template kinds)", () => {
  assert.throws(() => findResults(parseJSONPath("{.items[?(@.n==3.0)].name}"), data), /incompatible types for comparison/);
  assert.throws(() => findResults(parseJSONPath("{.items[?(@.n<3)].name}"), data), /incompatible types for comparison/);
});

const parseErrors: [string, string][] = [
  ["{.a", "unclosed action"],
  ["{.a[0}", "unterminated array"],
  ["{.a[x]}", "invalid array index x"],
  ["{.a[?(@.x==1)}", "unclosed array expect ]"],
  ["{#}", "unrecognized character in action: U+0023 '#'"],
  ["{.a..b..c....d}", "invalid multiple recursive descent"],
];
for (const [path, message] of parseErrors) {
  test(`parse error: ${path}`, () => {
    assert.throws(() => parseJSONPath(path), (e: unknown) => e instanceof JSONPathError && e.message === message);
  });
}

test("goFormatFloat matches Go's %v for float64", () => {
  const want: [number, string][] = [
    [1.5, "1.5"],
    [123456.5, "123456.5"],
    [1234567.5, "1.2345675e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [-2.25, "-2.25"],
    [1e21, "1e+21"],
    [1e100, "1e+100"],
  ];
  for (const [f, s] of want) assert.equal(goFormatFloat(f), s, String(f));
});
