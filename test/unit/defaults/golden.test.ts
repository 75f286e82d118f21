// Golden tests of defaulting: each manifest in test/golden/manifests is what a client sends with
// `kubectl create -f`; test/golden/expected holds the object a Kubernetes 1.33 API server has
// after decoding it (defaulting, canonical quantities, and what Go's encoder always writes),
// derived by hand from upstream's defaulting code. Admission, strategy, allocation and
// controllers add more (uid, status, clusterIP, tolerations, ...); each expected file's header
// comment says what.
//
// UPDATE_GOLDEN=1 rewrites the expected files from the implementation (keeping their header
// comments); review every change against upstream before committing it.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { defaulterFor } from "../../../src/registry/defaults/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../golden");
const MANIFESTS = path.join(ROOT, "manifests");
const EXPECTED = path.join(ROOT, "expected");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function groupVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** The manifest after the kind's defaulter (kinds upstream does not default stay as sent). */
function defaulted(manifest: KubeObject): KubeObject {
  const obj = structuredClone(manifest);
  const [group, version] = groupVersion(String(obj.apiVersion));
  defaulterFor(group, version, String(obj.kind))?.(obj);
  return obj;
}

/** The leading comment block of an expected file, kept by UPDATE_GOLDEN. */
function headerOf(text: string): string {
  const lines = text.split("\n");
  const header: string[] = [];
  for (const line of lines) {
    if (!line.startsWith("#")) break;
    header.push(line);
  }
  return header.length > 0 ? `${header.join("\n")}\n` : "";
}

const names = readdirSync(MANIFESTS)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("golden defaulting", () => {
  it("every manifest has an expected object and every expected object a manifest", () => {
    const expected = readdirSync(EXPECTED).filter((f) => f.endsWith(".yaml"));
    if (!UPDATE) assert.deepEqual(expected.sort(), names);
  });

  for (const name of names) {
    it(name, () => {
      const manifest = YAML.parse(readFileSync(path.join(MANIFESTS, name), "utf8")) as KubeObject;
      const actual = defaulted(manifest);
      const expectedPath = path.join(EXPECTED, name);
      if (UPDATE) {
        const header = existsSync(expectedPath) ? headerOf(readFileSync(expectedPath, "utf8")) : "";
        writeFileSync(expectedPath, header + YAML.stringify(actual, { sortMapEntries: true }));
      }
      const expected = YAML.parse(readFileSync(expectedPath, "utf8")) as KubeObject;
      assert.deepStrictEqual(actual, expected);
      // defaulting is idempotent: a patch result or a re-read object is defaulted again
      assert.deepStrictEqual(defaulted(actual), expected);
    });
  }
});
