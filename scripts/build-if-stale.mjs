// `npm start`'s build step: builds only when build/ is missing or older than anything it is made
// from (app/, server/, prisma/, public/, the configs and the lockfile), so a second start is
// quick and a fresh clone still builds. `npm run build` always builds.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
/** Written by scripts/build-server.mjs, the last step of `npm run build`. */
const STAMP = path.join(root, "build", ".built-at");
const SOURCES = ["app", "server", "prisma", "public", "scripts", "package.json", "package-lock.json", "remix.config.js", "vite.config.ts", "tsconfig.json"];

/** The newest modification time (ms) under `target`, skipping generated folders. */
function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated") continue;
    latest = Math.max(latest, newest(path.join(target, entry.name)));
  }
  return latest;
}

const builtAt = existsSync(STAMP) && existsSync(path.join(root, "build", "server.js")) ? statSync(STAMP).mtimeMs : 0;
const changedAt = Math.max(...SOURCES.map((source) => newest(path.join(root, source))));

if (builtAt > changedAt) {
  console.log("[crn] build is up to date (npm run build to rebuild)");
} else {
  console.log(builtAt ? "[crn] sources changed since the last build: building" : "[crn] no build yet: building");
  const result = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
