// Field selectors (src/apimachinery/fields.ts) against upstream k8s.io/apimachinery/pkg/fields:
// =, == and !=, escaping of \ , and = in values, matching, exact-match lookup and errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../../src/apimachinery/errors.js";
import { parseFieldSelector } from "../../../src/apimachinery/fields.js";

const fieldsOf = (m: Record<string, string>) => (f: string) => m[f];

function badRequest(message: string) {
  return (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.deepEqual([err.code, err.reason, err.message], [400, "BadRequest", message]);
    return true;
  };
}

describe("parseFieldSelector", () => {
  // [input, [field, operator, value][], String()]
  const cases: [string, [string, string, string][], string][] = [
    ["", [], ""],
    ["metadata.name=foo", [["metadata.name", "=", "foo"]], "metadata.name=foo"],
    ["metadata.name==foo", [["metadata.name", "=", "foo"]], "metadata.name=foo"],
    ["status.phase!=Running", [["status.phase", "!=", "Running"]], "status.phase!=Running"],
    ["a=1,b!=2", [["a", "=", "1"], ["b", "!=", "2"]], "a=1,b!=2"],
    ["spec.nodeName=", [["spec.nodeName", "=", ""]], "spec.nodeName="],
    ["x=a\\,b", [["x", "=", "a,b"]], "x=a\\,b"],
    ["x=a\\=b", [["x", "=", "a=b"]], "x=a\\=b"],
    ["x=a\\\\b", [["x", "=", "a\\b"]], "x=a\\\\b"],
    ["x=a\\,b,y!=c\\=d", [["x", "=", "a,b"], ["y", "!=", "c=d"]], "x=a\\,b,y!=c\\=d"],
    ["a=1,,b=2", [["a", "=", "1"], ["b", "=", "2"]], "a=1,b=2"],
  ];
  for (const [input, reqs, str] of cases) {
    it(JSON.stringify(input), () => {
      const sel = parseFieldSelector(input);
      assert.deepEqual(sel.requirements.map((r) => [r.field, r.operator, r.value]), reqs);
      assert.equal(sel.toString(), str);
      assert.equal(sel.empty, reqs.length === 0);
      assert.deepEqual(parseFieldSelector(sel.toString()).requirements, sel.requirements);
    });
  }

  it("matches = and != against the object's field values (a missing field is \"\")", () => {
    const sel = parseFieldSelector("metadata.namespace=default,status.phase!=Running");
    assert.equal(sel.matches(fieldsOf({ "metadata.namespace": "default", "status.phase": "Pending" })), true);
    assert.equal(sel.matches(fieldsOf({ "metadata.namespace": "default", "status.phase": "Running" })), false);
    assert.equal(sel.matches(fieldsOf({ "metadata.namespace": "kube-system" })), false);
    assert.equal(sel.matches(fieldsOf({ "metadata.namespace": "default" })), true);
    assert.equal(parseFieldSelector("spec.nodeName=").matches(fieldsOf({})), true);
    assert.equal(parseFieldSelector("x=a\\,b").matches(() => "a,b"), true);
    assert.equal(parseFieldSelector("").matches(() => undefined), true);
  });

  it("requiresExactMatch returns the value pinned by = only", () => {
    const sel = parseFieldSelector("metadata.name=foo,spec.nodeName!=n1");
    assert.equal(sel.requiresExactMatch("metadata.name"), "foo");
    assert.equal(sel.requiresExactMatch("spec.nodeName"), undefined);
    assert.equal(sel.requiresExactMatch("other"), undefined);
  });

  it("a term without an operator is a 400 naming the selector and the term", () => {
    assert.throws(() => parseFieldSelector("foo"), badRequest("invalid selector: 'foo'; can't understand 'foo'"));
    assert.throws(() => parseFieldSelector("a=1,bar"), badRequest("invalid selector: 'a=1,bar'; can't understand 'bar'"));
  });

  // upstream UnescapeValue errors; the first operator in a term splits it
  const upstreamErrors: [string, string][] = [
    ["a=b=c", "invalid field selector: unescaped character in value: 61"],
    ["a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"],
    ["a=b\\c", "invalid field selector: invalid escape sequence: \\c"],
    ["a=b\\", "invalid field selector: invalid escape sequence: \\"],
  ];
  for (const [input, message] of upstreamErrors) {
    it(`${JSON.stringify(input)} is rejected: ${message}`, () => {
      assert.throws(() => parseFieldSelector(input), badRequest(message));
    });
  }

  it("String() lists terms sorted, as upstream's parser sorts them", () => {
    assert.equal(parseFieldSelector("status.phase=Running,metadata.name=a").toString(), "metadata.name=a,status.phase=Running");
  });
});
