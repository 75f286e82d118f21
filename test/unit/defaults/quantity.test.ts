// Quantities come back in resource.Quantity's canonical form; ResourceLists are first rounded up
// to milli precision. Text already in canonical form keeps the client's spelling, and the result
// is what a re-decode of the stored text gives (a fixpoint).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalQuantity, defaultResourceList } from "../../../src/registry/defaults/quantity.js";

describe("canonical quantities", () => {
  const cases: [unknown, string][] = [
    ["1024Mi", "1Gi"],
    ["2048Mi", "2Gi"],
    ["1536Mi", "1536Mi"],
    ["1.5Gi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["0.5Ti", "512Gi"],
    ["1Ki", "1Ki"],
    ["1025Ki", "1025Ki"],
    ["0.5Ki", "512"],
    ["0.5", "500m"],
    [0.5, "500m"],
    [0.05, "50m"],
    ["1000m", "1"],
    ["2000m", "2"],
    ["1500m", "1500m"],
    ["1.5", "1500m"],
    ["1.5k", "1500"],
    [1000, "1k"],
    ["1000", "1k"],
    ["1024", "1024"],
    [128974848, "128974848"],
    ["129e6", "129e6"],
    ["1e3", "1e3"],
    ["120e3", "120e3"],
    ["12e-3", "12e-3"],
    ["1000k", "1M"],
    ["10G", "10G"],
    ["100u", "100u"],
    ["0", "0"],
    ["0Gi", "0"],
    ["0.0", "0"],
    ["-1", "-1"],
    ["-1024Mi", "-1Gi"],
    ["  250m ", "250m"],
    // ParseQuantity keeps the client's text when it is already canonical (leading zeros, a sign
    // and a three-digit fraction included)
    ["1.500", "1.500"],
    ["007", "007"],
    ["+1", "+1"],
    // a BinarySI integer that is no multiple of 1024 prints plainly, then reads back as decimal
    ["1953.125Ki", "2M"],
  ];
  for (const [input, output] of cases) {
    it(`${JSON.stringify(input)} → ${output}`, () => assert.equal(canonicalQuantity(input), output));
  }

  it("leaves what is not a quantity to validation", () => {
    for (const bad of ["abc", "1Zi", "1K", "", ".", "1e", null, true, { a: 1 }]) assert.deepEqual(canonicalQuantity(bad), bad);
  });

  it("is a fixpoint", () => {
    for (const [input] of cases) {
      const once = canonicalQuantity(input);
      assert.equal(canonicalQuantity(once), once);
      assert.equal(canonicalQuantity(once, true), canonicalQuantity(input, true));
    }
  });
});

describe("ResourceList rounding (SetDefaults_ResourceList)", () => {
  const cases: [unknown, string][] = [
    ["100u", "1m"],
    ["1500u", "2m"],
    ["500n", "1m"],
    ["0.0001", "1m"],
    ["1.0001", "1001m"],
    ["100m", "100m"],
    ["0.1", "100m"],
    ["1.1Gi", "1181116006400m"],
    ["100Mi", "100Mi"],
    ["1.500", "1.500"],
  ];
  for (const [input, output] of cases) {
    it(`${JSON.stringify(input)} → ${output}`, () => assert.equal(canonicalQuantity(input, true), output));
  }

  it("rounds every value of the map and drops an empty or null map (omitempty)", () => {
    const resources: Record<string, unknown> = { limits: { cpu: "100u", memory: "1024Mi" }, requests: {}, claims: [] };
    defaultResourceList(resources, "limits");
    defaultResourceList(resources, "requests");
    assert.deepEqual(resources, { limits: { cpu: "1m", memory: "1Gi" }, claims: [] });
    const nulls: Record<string, unknown> = { limits: null };
    defaultResourceList(nulls, "limits");
    assert.deepEqual(nulls, {});
  });
});
