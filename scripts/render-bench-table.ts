/**
 * Renders the README's performance table from the latest run of every benchmark at one scale
 * (`bench/results/<scale>/*.json`, default full), between the bench table markers.
 *
 *   npx tsx scripts/render-bench-table.ts [full|small|smoke] [fallback-scale]    (npm run bench:readme)
 *
 * With a fallback scale, a benchmark with no run at the first scale is taken from the fallback
 * (the table's heading then names both scales).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readResults, renderTable, replaceTable } from "../bench/lib/results";

const root = fileURLToPath(new URL("../", import.meta.url));
const scale = process.argv[2] ?? "full";
const fallback = process.argv[3];
const dir = path.join(root, "bench", "results");
const runs = readResults(dir, scale);
if (fallback) for (const run of readResults(dir, fallback)) if (!runs.some((r) => r.bench === run.bench)) runs.push(run);
if (!runs.length) {
  console.error(`no results in bench/results/${scale}/: run BENCH_SCALE=${scale} npm run bench first`);
  process.exit(1);
}
const readmePath = path.join(root, "README.md");
writeFileSync(readmePath, replaceTable(readFileSync(readmePath, "utf8"), renderTable(runs)));
console.log(`README.md: table from ${runs.length} benchmark(s) at scale ${scale}`);
