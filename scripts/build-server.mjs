// Compiles server/ (and the app modules it imports) into build/server.js for production.
import { writeFileSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: ["server/index.ts"],
  outfile: "build/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});

// When the build finished: `npm start` (scripts/build-if-stale.mjs) rebuilds only when a source is newer.
writeFileSync("build/.built-at", new Date().toISOString());
