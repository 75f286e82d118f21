#!/usr/bin/env node
// CLI entry for `npx kubefacade`: runs the bundled server (built by `npm install` / `npm run build`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "kubefacade.js");
if (!existsSync(bundle)) {
  console.error("kubefacade: dist/kubefacade.js is missing; run `npm run build` first");
  process.exit(1);
}
await import(bundle);
