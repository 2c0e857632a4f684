/**
 * `npm run bench`: every benchmark in turn, each in its own process (BENCH_SCALE passes
 * through), its output shown as it runs; then one summary of every RESULT line. Exits 1 when
 * any benchmark failed or printed no RESULT line (the others still run).
 *
 *   npm run bench                  BENCH_SCALE=smoke|small|full (default full)
 *   npm run bench -- fanout soak   only these
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { BENCHMARKS } from "./lib/benchmarks";
import { benchScale, printTable, ROOT } from "./lib/harness";
import { formatNumber, parseResultLines } from "./lib/results";

const only = process.argv.slice(2);
const chosen = only.length ? BENCHMARKS.filter((b) => only.includes(b)) : BENCHMARKS;
if (only.length && chosen.length !== only.length) {
  console.error(`unknown benchmark(s): ${only.filter((b) => !BENCHMARKS.includes(b)).join(", ")}; known: ${BENCHMARKS.join(", ")}`);
  process.exit(2);
}

const summary: (string | number)[][] = [];
const failed: string[] = [];
const started = Date.now();
for (const bench of chosen) {
  const t0 = Date.now();
  let output = "";
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", `${bench}.ts`)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: process.env });
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("exit", (c) => resolve(c ?? 1));
  });
  const results = parseResultLines(output);
  if (code !== 0 || results.length === 0) failed.push(`${bench} (exit ${code}, ${results.length} RESULT lines)`);
  for (const r of results) summary.push([bench, `${r!.id} ${r!.metric}`, `${formatNumber(r!.value)}${r!.unit}`, `${formatNumber(r!.anchor)}${r!.unit}`, `${formatNumber(r!.ratio)}×`]);
  console.log(`[bench] ${bench}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}
printTable(`All benchmarks at scale ${benchScale()} (${((Date.now() - started) / 60_000).toFixed(1)} min)`, ["benchmark", "figure", "ours", "anchor", "ratio"], summary);
if (failed.length) {
  console.error(`\n[bench] failed: ${failed.join("; ")}`);
  process.exit(1);
}
