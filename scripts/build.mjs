// Bundles the server into dist/kubefacade.js with esbuild (type checking is `npm run typecheck`).
// One bundled file starts faster than hundreds of ES modules, which matters for the cold-start goal.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [path.join(root, "src/main.ts")],
  outfile: path.join(root, "dist/kubefacade.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
