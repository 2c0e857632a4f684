/**
 * Every benchmark runs at smoke size and produces figures (issue 13): a benchmark that errors,
 * times out or prints no RESULT line fails CI. Never a threshold: the figures themselves are
 * for `npm run bench` to report. Each runs in its own process against the test PostgreSQL and
 * Redis, writing its JSON to a temporary folder (not bench/results).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BENCHMARKS } from "../../bench/lib/benchmarks";
import { parseResultLines, type BenchRun } from "../../bench/lib/results";
import { repoRoot, testDatabaseUrl, testRedisUrl } from "../helpers/env";

const resultsDir = mkdtempSync(path.join(os.tmpdir(), "crn-bench-smoke-"));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

function runSmoke(bench: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "bench", `${bench}.ts`)], {
      cwd: repoRoot,
      env: { ...process.env, BENCH_SCALE: "smoke", BENCH_RESULTS_DIR: resultsDir, TEST_DATABASE_URL: testDatabaseUrl, TEST_REDIS_URL: testRedisUrl, LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("benchmarks at smoke size", () => {
  it.each(BENCHMARKS)("%s runs, ends with RESULT lines and writes them as JSON", async (bench) => {
    const { code, stdout, stderr } = await runSmoke(bench);
    expect(code, `${bench} exited ${code}\n${stderr.slice(-3000)}\n${stdout.slice(-2000)}`).toBe(0);
    const results = parseResultLines(stdout);
    expect(results.length, stdout.slice(-2000)).toBeGreaterThan(0);
    const file = path.join(resultsDir, "smoke", `${bench}.json`);
    expect(existsSync(file)).toBe(true);
    const run = JSON.parse(readFileSync(file, "utf8")) as BenchRun;
    expect(run).toMatchObject({ bench, scale: "smoke" });
    expect(run.commit).toMatch(/^[0-9a-f]{7,}|unknown$/);
    expect(run.results.map((r) => `${r.id} ${r.metric}`)).toEqual(results.map((r) => `${r!.id} ${r!.metric}`));
  }, 180_000);
});
