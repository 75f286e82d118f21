// Generates openapi/definitions.json: the Swagger 2.0 definitions of every built-in type of
// Kubernetes v1.33, derived from @kubernetes/client-node (1.33 models) and kubernetes-models
// (descriptions, enums, references) plus our fact tables. Run: npx tsx scripts/gen-openapi/main.ts
// Options: --check (exit 1 when the committed file differs), --verbose (print every warning).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DefinitionsFile } from "../../src/openapi/schema.js";
import { readModels } from "./read-models.js";
import { readClientApis, readClientNode, readDeleteResponses } from "./read-client-node.js";
import { resolveNames } from "./naming.js";
import { buildDefinitions } from "./build-definitions.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const nodeModules = path.join(root, "node_modules");
const out = path.join(root, "openapi", "definitions.json");
const args = new Set(process.argv.slice(2));

const started = Date.now();
const models = readModels(nodeModules);
const clients = readClientNode(nodeModules);
const resolution = resolveNames(models, clients, readClientApis(nodeModules));
if (resolution.unresolved.length) throw new Error(`client-node classes without a package: ${resolution.unresolved.join(", ")}`);
const built = buildDefinitions(resolution, models);

const clientVersion = readFileSync(path.join(nodeModules, "@kubernetes", "client-node", "dist", "gen", "models", "V1Pod.js"), "utf8").match(
  /OpenAPI spec version: (v[\d.]+)/,
)?.[1];
if (!clientVersion) throw new Error("cannot read the spec version of @kubernetes/client-node");

const classToName = new Map([...resolution.sources.values()].flatMap((s) => (s.client ? [[s.client.className, s.name] as const] : [])));
const deleteReturnsObject = [...readDeleteResponses(nodeModules)]
  .map((cls) => classToName.get(cls))
  .filter((n): n is string => !!n && !!built.definitions[n])
  .sort();

const file: DefinitionsFile = { kubernetesVersion: clientVersion, definitions: built.definitions, v3: built.v3, deleteReturnsObject };
const json = JSON.stringify(file);
if (args.has("--check")) {
  const current = existsSync(out) ? readFileSync(out, "utf8") : "";
  if (current !== json) {
    console.error(`${path.relative(root, out)} is out of date; run npx tsx scripts/gen-openapi/main.ts`);
    process.exit(1);
  }
} else {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, json);
}
const names = Object.keys(built.definitions);
console.log(
  `${path.relative(root, out)}: ${names.length} definitions of ${clientVersion}, ` +
    `${(json.length / 1024).toFixed(0)} KiB, ${built.warnings.length} warnings, ${Date.now() - started} ms`,
);
for (const w of args.has("--verbose") ? built.warnings : built.warnings.slice(0, 10)) console.log(`  warning: ${w}`);
