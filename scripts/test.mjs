// Runs the node:test suites with tsx. `node scripts/test.mjs [unit|http|conformance|e2e ...]`;
// no argument runs every suite in order (fast ones first).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, existsSync } from "node:fs";
import path from "node:path";

const suites = process.argv.slice(2).length ? process.argv.slice(2) : ["unit", "conformance", "http", "e2e"];
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.test\.ts$/.test(name) ? [p] : [];
  });
}
for (const suite of suites) {
  const list = files(path.join("test", suite)).sort();
  if (list.length === 0) {
    console.error(`no tests found in test/${suite}`);
    process.exit(1);
  }
  console.log(`\n### ${suite}: ${list.length} files`);
  const concurrency = suite === "e2e" ? "1" : "2";
  const r = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...list], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
