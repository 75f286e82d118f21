// Field errors (src/apimachinery/field-errors.ts): paths and the text upstream's field.Error
// prints (Error() = "<field>: <ErrorBody>"), plus the aggregate of several messages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aggregateMessages, fieldErrorBody, fieldErrors, fieldErrorString, FieldPath, GoValue, OMIT_VALUE } from "../../../src/apimachinery/field-errors.js";

describe("FieldPath", () => {
  it("builds dotted, indexed and keyed paths without mutating the parent", () => {
    const spec = FieldPath.root("spec", "template", "spec");
    const c0 = spec.child("containers").index(0);
    assert.equal(c0.child("image").toString(), "spec.template.spec.containers[0].image");
    assert.equal(spec.toString(), "spec.template.spec");
    assert.equal(FieldPath.root("metadata").child("annotations").key("example.com/a").toString(), "metadata.annotations[example.com/a]");
    assert.equal(FieldPath.root("metadata").toString(), "metadata");
    assert.equal(FieldPath.root("spec").child("a", "b").index(2).index(3).toString(), "spec.a.b[2][3]");
  });
});

describe("field error text", () => {
  const cases: [string, ReturnType<typeof fieldErrors.invalid>, string][] = [
    ["required", fieldErrors.required("metadata.name", "name or generateName is required"), "metadata.name: Required value: name or generateName is required"],
    ["required without detail", fieldErrors.required(FieldPath.root("spec", "selector")), "spec.selector: Required value"],
    ["invalid string", fieldErrors.invalid("metadata.name", "Bad_Name", "oops"), 'metadata.name: Invalid value: "Bad_Name": oops'],
    ["invalid string with quotes", fieldErrors.invalid("x", 'a"b', "d"), 'x: Invalid value: "a\\"b": d'],
    ["invalid number", fieldErrors.invalid("spec.replicas", -1, "must be greater than or equal to 0"), "spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    ["invalid boolean", fieldErrors.invalid("x", true, "d"), "x: Invalid value: true: d"],
    ["invalid null", fieldErrors.invalid("x", null, "d"), "x: Invalid value: null: d"],
    ["invalid []string", fieldErrors.invalid("x", ["a", "b"], "d"), 'x: Invalid value: []string{"a", "b"}: d'],
    ["invalid map[string]string", fieldErrors.invalid("x", { a: "1" }, "d"), 'x: Invalid value: map[string]string{"a":"1"}: d'],
    ["invalid with a verbatim Go value", fieldErrors.invalid("spec.x", new GoValue("0x0"), "d"), "spec.x: Invalid value: 0x0: d"],
    ["invalid with the value omitted", fieldErrors.invalid("x", OMIT_VALUE, "d"), "x: Invalid value: d"],
    ["invalid without detail", fieldErrors.invalid("x", "v"), 'x: Invalid value: "v"'],
    ["not found", fieldErrors.notFound("spec.x", "y"), 'spec.x: Not found: "y"'],
    ["duplicate", fieldErrors.duplicate("spec.ports[1].name", "http"), 'spec.ports[1].name: Duplicate value: "http"'],
    ["forbidden", fieldErrors.forbidden("spec.nodeName", "may not be set on create"), "spec.nodeName: Forbidden: may not be set on create"],
    ["too long", fieldErrors.tooLong("metadata.annotations", "x".repeat(20), 10), "metadata.annotations: Too long: may not be more than 10 bytes"],
    ["too many", fieldErrors.tooMany("spec.items", 5, 3), "spec.items: Too many: 5: must have at most 3 items"],
    ["not supported", fieldErrors.notSupported("spec.restartPolicy", "Sometimes", ["Always", "OnFailure", "Never"]), 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ["not supported without a list", fieldErrors.notSupported("x", "v", []), 'x: Unsupported value: "v"'],
    ["internal", fieldErrors.internal("spec", new Error("boom")), "spec: Internal error: boom"],
  ];
  for (const [name, err, text] of cases) {
    it(name, () => {
      assert.equal(fieldErrorString(err), text);
      assert.equal(fieldErrorBody(err), text.slice(err.field.length + 2));
    });
  }

  it("prints a map with sorted keys, as Go's %#v does", () => {
    assert.equal(fieldErrorString(fieldErrors.invalid("x", { b: "2", a: "1" }, "d")), 'x: Invalid value: map[string]string{"a":"1", "b":"2"}: d');
  });
});

describe("aggregateMessages", () => {
  it("is the message alone for one, bracketed for several, without duplicates", () => {
    assert.equal(aggregateMessages(["a: x"]), "a: x");
    assert.equal(aggregateMessages(["a: x", "b: y"]), "[a: x, b: y]");
    assert.equal(aggregateMessages(["a: x", "a: x"]), "a: x");
    assert.equal(aggregateMessages(["a: x", "b: y", "a: x"]), "[a: x, b: y]");
  });
});
