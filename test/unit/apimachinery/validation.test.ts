// Name and metadata validation (src/apimachinery/validation.ts) against upstream
// k8s.io/apimachinery/pkg/util/validation and api/validation (v0.33): tables of valid and invalid
// names for each rule, with upstream's messages, and the generic ObjectMeta checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fieldErrorString } from "../../../src/apimachinery/field-errors.js";
import { labelValueErrors, qualifiedNameErrors } from "../../../src/apimachinery/labels.js";
import {
  DNS1035_LABEL_MSG,
  DNS1123_LABEL_MSG,
  DNS1123_SUBDOMAIN_MSG,
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  nameErrors,
  pathSegmentErrors,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from "../../../src/apimachinery/validation.js";

const x = (n: number) => "x".repeat(n);
type Table = [string, string[]][]; // [value, expected errors]

function table(name: string, fn: (v: string) => string[], rows: Table): void {
  describe(name, () => {
    for (const [value, want] of rows) {
      const label = value.length > 20 ? `${value.slice(0, 12)}… (${value.length} chars)` : JSON.stringify(value);
      it(`${label} → ${want.length ? want.map((w) => w.slice(0, 40)).join(" | ") : "valid"}`, () => {
        assert.deepEqual(fn(value), want);
      });
    }
  });
}

table("DNS-1123 subdomain (most resource names)", dns1123SubdomainErrors, [
  ["a", []],
  ["abc-123", []],
  ["0", []],
  ["a.b.c", []],
  ["a1.b2-c3", []],
  [x(253), []],
  ["", [DNS1123_SUBDOMAIN_MSG]],
  ["Bad_Name", [DNS1123_SUBDOMAIN_MSG]],
  ["A", [DNS1123_SUBDOMAIN_MSG]],
  ["-a", [DNS1123_SUBDOMAIN_MSG]],
  ["a-", [DNS1123_SUBDOMAIN_MSG]],
  [".a", [DNS1123_SUBDOMAIN_MSG]],
  ["a..b", [DNS1123_SUBDOMAIN_MSG]],
  ["a b", [DNS1123_SUBDOMAIN_MSG]],
  [x(254), ["must be no more than 253 characters"]],
  [`_${x(253)}`, ["must be no more than 253 characters", DNS1123_SUBDOMAIN_MSG]],
]);

table("DNS-1123 label (namespaces, services)", dns1123LabelErrors, [
  ["a", []],
  ["0a", []],
  ["my-name", []],
  [x(63), []],
  ["", [DNS1123_LABEL_MSG]],
  ["My-name", [DNS1123_LABEL_MSG]],
  ["-a", [DNS1123_LABEL_MSG]],
  ["a_b", [DNS1123_LABEL_MSG]],
  [x(64), ["must be no more than 63 characters"]],
  ["a.b", ["must not contain dots"]],
]);

table("DNS-1035 label", dns1035LabelErrors, [
  ["a", []],
  ["a-1", []],
  ["abc-123", []],
  [`a${x(62)}`, []],
  ["1a", [DNS1035_LABEL_MSG]],
  ["a-", [DNS1035_LABEL_MSG]],
  ["A", [DNS1035_LABEL_MSG]],
  ["a.b", [DNS1035_LABEL_MSG]],
  ["", [DNS1035_LABEL_MSG]],
  [`a${x(63)}`, ["must be no more than 63 characters"]],
]);

table("path segment names", pathSegmentErrors, [
  ["a", []],
  ["...", []],
  ["a.b", []],
  ["UPPER_and:colon", []],
  [".", ["may not be '.'"]],
  ["..", ["may not be '..'"]],
  ["a/b", ["may not contain '/'"]],
  ["a%b", ["may not contain '%'"]],
  ["a/%", ["may not contain '/'", "may not contain '%'"]],
]);

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

table("qualified names (label keys, annotation keys, finalizers)", qualifiedNameErrors, [
  ["app", []],
  ["example.com/App_1.x", []],
  [x(63), []],
  ["-app", [NAME_PART]],
  ["/app", ["prefix part must be non-empty"]],
  ["Example.com/app", [`prefix part ${DNS1123_SUBDOMAIN_MSG}`]],
  ["example.com/", ["name part must be non-empty", NAME_PART]],
  [x(64), ["name part must be no more than 63 characters"]],
  [`${x(254)}/a`, ["prefix part must be no more than 253 characters"]],
]);

table("label values", labelValueErrors, [
  ["", []],
  ["v1.2_3-x", []],
  [x(63), []],
  ["-a", [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]],
  [x(64), ["must be no more than 63 characters"]],
]);

describe("nameErrors for generateName prefixes", () => {
  const rows: [Parameters<typeof nameErrors>[0], string, string[], string?][] = [
    ["DNS1123Subdomain", "web-", []],
    ["DNS1123Subdomain", "web.v1-", []],
    ["DNS1123Label", "web-", []],
    ["DNS1035Label", "web-", []],
    ["DNS1123Subdomain", "Web-", [DNS1123_SUBDOMAIN_MSG]],
    ["DNS1035Label", "1web-", [DNS1035_LABEL_MSG]],
    ["PathSegment", "a/-", ["may not contain '/'"]],
    ["DNS1123Subdomain", "-", [DNS1123_SUBDOMAIN_MSG]],
  ];
  for (const [rule, value, want] of rows) {
    it(`${rule} prefix ${JSON.stringify(value)} → ${want.length ? "invalid" : "valid"}`, () => {
      assert.deepEqual(nameErrors(rule, value, true), want);
    });
  }

  it("a trailing dash is only allowed for prefixes", () => {
    assert.deepEqual(nameErrors("DNS1123Subdomain", "web-", false), [DNS1123_SUBDOMAIN_MSG]);
  });
});

describe("validateObjectMeta", () => {
  const texts = (errs: ReturnType<typeof validateObjectMeta>) => errs.map(fieldErrorString);

  it("accepts a valid namespaced object", () => {
    assert.deepEqual(validateObjectMeta({ name: "web", namespace: "default", labels: { app: "web" }, annotations: { "example.com/a": "x" } }, true, "DNS1123Subdomain"), []);
  });

  it("reports the name, namespace, labels and finalizers with upstream's field paths", () => {
    assert.deepEqual(
      texts(validateObjectMeta({ name: "Bad_Name", namespace: "Not-OK", labels: { "-k": "v", ok: "-v" }, finalizers: ["a/b/c", "x", "x"] }, true, "DNS1123Subdomain")),
      [
        `metadata.name: Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN_MSG}`,
        `metadata.namespace: Invalid value: "Not-OK": ${DNS1123_LABEL_MSG}`,
        `metadata.labels: Invalid value: "-k": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        `metadata.labels: Invalid value: "-v": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        `metadata.finalizers: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
        'metadata.finalizers: Duplicate value: "x"',
      ],
    );
  });

  it("requires a name (even with generateName) and a namespace where namespaced", () => {
    assert.deepEqual(texts(validateObjectMeta({ generateName: "web-" }, true, "DNS1123Subdomain")), [
      "metadata.name: Required value: name or generateName is required",
      "metadata.namespace: Required value",
    ]);
  });

  it("forbids a namespace on cluster-scoped objects and validates generateName", () => {
    assert.deepEqual(texts(validateObjectMeta({ name: "n", generateName: "Bad-", namespace: "default" }, false, "DNS1123Label")), [
      `metadata.generateName: Invalid value: "Bad-": ${DNS1123_LABEL_MSG}`,
      "metadata.namespace: Forbidden: not allowed on this type",
    ]);
  });

  it("rejects more than one controller owner reference", () => {
    const ref = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u1", controller: true };
    const errs = validateObjectMeta({ name: "p", namespace: "d", ownerReferences: [ref, { ...ref, uid: "u2" }] }, true, "DNS1123Subdomain");
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.field, "metadata.ownerReferences");
    assert.equal(errs[0]!.detail, "Only one reference can have Controller set to true");
  });

  it("on update, identity fields are immutable", () => {
    const old = { name: "a", namespace: "d", uid: "u1", creationTimestamp: "2026-01-01T00:00:00Z" };
    assert.deepEqual(validateObjectMetaUpdate({ ...old }, old, true), []);
    assert.deepEqual(texts(validateObjectMetaUpdate({ ...old, name: "b", uid: "u2" }, old, true)), [
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });
});
