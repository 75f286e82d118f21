// Label selectors (src/apimachinery/labels.ts) against upstream k8s.io/apimachinery/pkg/labels
// (v0.33): parsing of every operator, whitespace, matching, String() round trips, conversion
// from metav1.LabelSelector (nil vs empty), and the 400s for invalid input with upstream's texts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../../src/apimachinery/errors.js";
import { fromLabelMap, fromMetaLabelSelector, parseLabelSelector } from "../../../src/apimachinery/labels.js";

const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe("parseLabelSelector: valid input", () => {
  // [input, String() of the parsed selector, [key, operator, values] of each requirement]
  const cases: [string, string, [string, string, string[]][]][] = [
    ["", "", []],
    ["x=a", "x=a", [["x", "=", ["a"]]]],
    ["x==a", "x==a", [["x", "==", ["a"]]]],
    ["x!=a", "x!=a", [["x", "!=", ["a"]]]],
    ["x", "x", [["x", "exists", []]]],
    ["!x", "!x", [["x", "!", []]]],
    ["x>1", "x>1", [["x", "gt", ["1"]]]],
    ["x<10", "x<10", [["x", "lt", ["10"]]]],
    ["x in (a,b)", "x in (a,b)", [["x", "in", ["a", "b"]]]],
    ["x in (b,a,b)", "x in (a,b)", [["x", "in", ["a", "b"]]]],
    ["x notin (a)", "x notin (a)", [["x", "notin", ["a"]]]],
    ["x in (foo,,baz)", "x in (,baz,foo)", [["x", "in", ["", "baz", "foo"]]]],
    ["x in ()", "x in ()", [["x", "in", [""]]]],
    ["x in(a)", "x in (a)", [["x", "in", ["a"]]]],
    ["x=", "x=", [["x", "=", [""]]]],
    ["in=notin", "in=notin", [["in", "=", ["notin"]]]],
    ["example.com/app=web-1", "example.com/app=web-1", [["example.com/app", "=", ["web-1"]]]],
    ["  a = b ,\tc in ( x , y ) ,\n!d ", "a=b,c in (x,y),!d", [["a", "=", ["b"]], ["c", "in", ["x", "y"]], ["d", "!", []]]],
    ["a=1,!b,c", "a=1,!b,c", [["a", "=", ["1"]], ["b", "!", []], ["c", "exists", []]]],
  ];
  for (const [input, str, reqs] of cases) {
    it(JSON.stringify(input), () => {
      const sel = parseLabelSelector(input);
      assert.equal(sel.toString(), str);
      assert.deepEqual(sel.requirements.map((r) => [r.key, r.operator, r.values]), reqs);
      assert.equal(sel.empty, reqs.length === 0);
      // the String() form parses back to the same selector
      assert.deepEqual(parseLabelSelector(sel.toString()).requirements, sel.requirements);
    });
  }

  it("sorts requirements by key, so String() is deterministic (upstream parse sorts ByKey)", () => {
    assert.equal(parseLabelSelector("b=1,a=2").toString(), "a=2,b=1");
  });
});

describe("label selector matching", () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ["", {}, true],
    ["", undefined, true],
    ["x=a", { x: "a" }, true],
    ["x=a", { x: "b" }, false],
    ["x=a", {}, false],
    ["x==a", { x: "a", y: "b" }, true],
    ["x!=a", {}, true],
    ["x!=a", { x: "a" }, false],
    ["x!=a", { x: "b" }, true],
    ["x in (a,b)", { x: "b" }, true],
    ["x in (a,b)", { x: "c" }, false],
    ["x in (a,b)", {}, false],
    ["x notin (a,b)", {}, true],
    ["x notin (a,b)", { x: "a" }, false],
    ["x notin (a,b)", { x: "c" }, true],
    ["x in ()", { x: "" }, true],
    ["x", { x: "" }, true],
    ["x", {}, false],
    ["x", undefined, false],
    ["!x", {}, true],
    ["!x", undefined, true],
    ["!x", { x: "" }, false],
    ["x>1", { x: "2" }, true],
    ["x>1", { x: "1" }, false],
    ["x>1", { x: "a" }, false],
    ["x>1", {}, false],
    ["x<1", { x: "0" }, true],
    ["x<1", { x: "-5" }, true],
    ["x=a,y", { x: "a", y: "z" }, true],
    ["x=a,y", { x: "a" }, false],
    ["toString", {}, false],
  ];
  for (const [sel, labels, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? "matches" : "does not match"} ${JSON.stringify(labels)}`, () => {
      assert.equal(parseLabelSelector(sel).matches(labels), want);
    });
  }
});

describe("parseLabelSelector: invalid input", () => {
  // [input, upstream's error text, whether the text once differed here]
  const upstream: [string, string, boolean][] = [
    ["a=-b", `unable to parse requirement: values[0][a]: Invalid value: "-b": ${LABEL_VALUE_MSG}`, false],
    ["!", "unable to parse requirement: found '', expected: identifier", false],
    ["a=b c", "found 'c', expected: ',' or 'end of string'", true],
    ["!a=b", "found '=', expected: ',' or 'end of string'", true],
    ["a=b=c", "found '=', expected: ',' or 'end of string'", true],
    ["a,", "found '', expected: identifier after ','", true],
    ["a,,b", "found ',', expected: identifier after ','", true],
    ["=a", "found '=', expected: !, identifier, or 'end of string'", true],
    ["a foo b", "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt", true],
    ["a in b", "unable to parse requirement: found 'b' expected: '('", true],
    ["a notin", "unable to parse requirement: found '' expected: '('", true],
    ["a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'", true],
    ["a in (x", "unable to parse requirement: found '', expected: ',' or ')'", true],
    ["a>b", `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`, true],
    ["a>-1", `unable to parse requirement: values[0][a]: Invalid value: "-1": ${LABEL_VALUE_MSG}`, true],
    ["-a=b", `unable to parse requirement: <nil>: Invalid value: "-a": ${QUALIFIED_NAME_MSG}`, true],
    [`a=${"x".repeat(64)}`, `unable to parse requirement: values[0][a]: Invalid value: "${"x".repeat(64)}": must be no more than 63 characters`, true],
  ];

  it("every invalid selector is a 400 BadRequest", () => {
    for (const [input] of upstream.filter(([i]) => i !== "a>-1")) {
      assert.throws(() => parseLabelSelector(input), (err: unknown) => {
        assert.ok(err instanceof ApiError, input);
        assert.deepEqual([err.code, err.reason], [400, "BadRequest"], input);
        return true;
      });
    }
  });

  for (const [input, message] of upstream) {
    it(`${JSON.stringify(input)}: ${message.slice(0, 70)}`, () => {
      assert.throws(() => parseLabelSelector(input), (err: unknown) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.code, 400);
        assert.equal(err.message, message);
        return true;
      });
    });
  }
});

describe("fromMetaLabelSelector", () => {
  it("nil selects nothing; {} and empty lists select everything", () => {
    for (const nil of [null, undefined]) {
      const sel = fromMetaLabelSelector(nil);
      assert.equal(sel.empty, false);
      assert.equal(sel.matches({}), false);
      assert.equal(sel.matches({ a: "b" }), false);
    }
    for (const empty of [{}, { matchLabels: {} }, { matchExpressions: [] }, { matchLabels: {}, matchExpressions: [] }]) {
      const sel = fromMetaLabelSelector(empty);
      assert.equal(sel.empty, true, JSON.stringify(empty));
      assert.equal(sel.matches({}), true);
      assert.equal(sel.matches({ a: "b" }), true);
      assert.equal(sel.toString(), "");
    }
  });

  it("converts matchLabels and every matchExpressions operator", () => {
    const sel = fromMetaLabelSelector({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["prod", "dev"] },
        { key: "gpu", operator: "Exists" },
        { key: "legacy", operator: "DoesNotExist" },
        { key: "zone", operator: "NotIn", values: ["b"] },
      ],
    });
    assert.equal(sel.toString(), "app=web,env in (dev,prod),gpu,!legacy,zone notin (b)");
    assert.equal(sel.matches({ app: "web", env: "prod", gpu: "1" }), true);
    assert.equal(sel.matches({ app: "web", env: "prod", gpu: "1", zone: "b" }), false);
    assert.equal(sel.matches({ app: "web", env: "qa", gpu: "1" }), false);
    assert.equal(sel.matches({ app: "web", env: "dev", gpu: "1", legacy: "" }), false);
    assert.deepEqual(parseLabelSelector(sel.toString()).requirements, sel.requirements);
  });

  it("an unknown operator is a 400 naming it", () => {
    assert.throws(() => fromMetaLabelSelector({ matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] }), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.deepEqual([err.code, err.message], [400, '"Gt" is not a valid label selector operator']);
      return true;
    });
  });

  it("orders requirements by key across matchLabels and matchExpressions, as upstream's Add does", () => {
    assert.equal(fromMetaLabelSelector({ matchLabels: { z: "1" }, matchExpressions: [{ key: "a", operator: "Exists" }] }).toString(), "a,z=1");
  });

  it("validates requirements as upstream's NewRequirement does", () => {
    assert.throws(() => fromMetaLabelSelector({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }), /values set can't be empty/);
    assert.throws(() => fromMetaLabelSelector({ matchLabels: { "-bad": "x" } }), /name part must consist of alphanumeric characters/);
  });
});

describe("fromLabelMap", () => {
  it("selects objects carrying every pair; empty or nil selects everything", () => {
    const sel = fromLabelMap({ tier: "fe", app: "web" });
    assert.equal(sel.toString(), "app=web,tier=fe");
    assert.equal(sel.matches({ app: "web", tier: "fe", x: "y" }), true);
    assert.equal(sel.matches({ app: "web" }), false);
    for (const empty of [{}, null, undefined]) assert.equal(fromLabelMap(empty).matches({ any: "thing" }), true);
  });
});
