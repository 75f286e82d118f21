// Golden stage tests, as KWOK's: each test/fixtures/stages/<case>.input.yaml (a pod, optionally
// the node's images, outside actions such as a delete, and how long to run) goes through the
// default stages on a fake clock; the steps (stage, events, posted status) must equal
// <case>.output.yaml. UPDATE_GOLDEN=1 rewrites the outputs.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { simulate, type SimulationInput } from "../../../src/kubelet/stages/simulate.ts";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/stages");
const update = process.env.UPDATE_GOLDEN === "1";
const HEADER = "# Generated from the .input.yaml next to it by test/unit/kubelet/golden.test.ts (UPDATE_GOLDEN=1 to refresh).\n";

describe("kubelet stages: golden pod lifecycles", () => {
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith(".input.yaml"))
    .sort();
  it("has cases", () => assert.ok(cases.length >= 10));
  for (const file of cases) {
    const name = file.replace(/\.input\.yaml$/, "");
    it(name, () => {
      const input = parse(readFileSync(path.join(dir, file), "utf8")) as SimulationInput;
      const result = simulate(input);
      const text = HEADER + stringify({ deleted: result.deleted, steps: result.steps }, { lineWidth: 0 });
      const out = path.join(dir, `${name}.output.yaml`);
      if (update || !existsSync(out)) {
        writeFileSync(out, text);
        if (!update) assert.fail(`${out} did not exist and was written: review it`);
        return;
      }
      assert.equal(text, readFileSync(out, "utf8"), `${name}: run with UPDATE_GOLDEN=1 to accept the new output`);
    });
  }
});
