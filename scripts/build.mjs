// Bundles the server into dist/kubefacade.js with esbuild (type checking is `npm run typecheck`).
// One bundled file, dependencies included, starts much faster than hundreds of modules read one by
// one — the cold-start goal depends on it. Kept external: the native LevelDB binding (level) and
// selfsigned (only loaded when certificates are first generated).
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
  external: ["level", "classic-level", "selfsigned"],
  // CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: { js: 'import { createRequire as __kubefacadeCreateRequire } from "node:module"; const require = __kubefacadeCreateRequire(import.meta.url);' },
  sourcemap: "linked",
  logLevel: "warning",
});
