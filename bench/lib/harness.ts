/**
 * What every benchmark shares: the scale (BENCH_SCALE=smoke|small|full, default full), tables,
 * percentiles, a scratch database, the overall deadline, and the ending — RESULT lines on stdout
 * and `bench/results/<scale>/<bench>.json` (bench/lib/results.ts).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { formatResultLine, gitState, machineDescription, writeResults, type BenchResult } from "./results";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export type Scale = "smoke" | "small" | "full";

/** BENCH_SCALE, default full. @throws Error for any other value */
export function benchScale(): Scale {
  const value = process.env.BENCH_SCALE ?? "full";
  if (value !== "smoke" && value !== "small" && value !== "full") throw new Error(`BENCH_SCALE must be smoke, small or full (got ${value})`);
  return value;
}

/** The value for the current scale. */
export function atScale<T>(values: Record<Scale, T>): T {
  return values[benchScale()];
}

export const adminUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const log = (line: string) => console.log(`[bench] ${line}`);

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** p50/p99/mean/max of unsorted samples. */
export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / (s.length || 1), max: s[s.length - 1] ?? NaN };
}

/** Prints an aligned text table. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? (Number.isInteger(c) ? String(c) : c.toFixed(2)) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  console.log("");
  console.log(title);
  for (const [i, row] of cells.entries()) {
    console.log("  " + row.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  "));
    if (i === 0) console.log("  " + widths.map((w) => "-".repeat(w)).join("  "));
  }
}

export async function adminQuery(sql: string, url = adminUrl) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database `crn_bench_<name>_<random>`; `drop()` removes it. */
export async function scratchDatabase(name: string) {
  const dbName = `crn_bench_${name.replace(/\W/g, "_")}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return {
    name: dbName,
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).then(() => undefined),
  };
}

/** Waits until `condition()` holds, polling every 5 ms. @throws Error after timeoutMs */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Runs `run` over `items`, `size` at a time. */
export async function inBatches<T>(items: T[], size: number, run: (item: T, index: number) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map((item, j) => run(item, i + j)));
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). */
export async function processCpuMs(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/**
 * Runs a benchmark: `body` returns its figures; they are printed as RESULT lines and written to
 * bench/results/<scale>/<bench>.json (BENCH_RESULTS_DIR overrides the folder). `cleanup` runs
 * whatever happens, also on SIGINT/SIGTERM and when the deadline passes. Exit code 0 only when
 * the body finished and produced at least one figure.
 */
export function runBenchmark(bench: string, options: { deadlineMs: number }, body: (ctx: { onCleanup(fn: () => unknown): void }) => Promise<BenchResult[]>): void {
  const started = Date.now();
  const loadAverage = os.loadavg();
  const cleanups: (() => unknown)[] = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (error) {
          log(`cleanup: ${(error as Error)?.message ?? error}`);
        }
      }
    })());
  const deadline = setTimeout(() => {
    console.error(`[bench] ${bench}: gave up after ${options.deadlineMs / 1000} s`);
    void cleanup().finally(() => process.exit(2));
  }, options.deadlineMs);
  deadline.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  log(`${bench} at scale ${benchScale()} (load average ${loadAverage.map((l) => l.toFixed(2)).join(" ")})`);

  body({ onCleanup: (fn) => cleanups.push(fn) })
    .then(async (results) => {
      await cleanup();
      clearTimeout(deadline);
      if (!results.length) throw new Error("the benchmark produced no figures");
      const seconds = (Date.now() - started) / 1000;
      console.log("");
      for (const r of results) {
        console.log(formatResultLine(r));
      }
      const file = writeResults(process.env.BENCH_RESULTS_DIR || path.join(ROOT, "bench", "results"), {
        bench,
        scale: benchScale(),
        ...gitState(ROOT),
        date: new Date().toISOString(),
        machine: machineDescription(),
        loadAverage: loadAverage.map((l) => Number(l.toFixed(2))),
        seconds: Number(seconds.toFixed(1)),
        results,
      });
      log(`${bench} finished in ${seconds.toFixed(1)} s; figures in ${path.relative(ROOT, file)}`);
      process.exit(0);
    })
    .catch(async (error) => {
      console.error(`[bench] ${bench} failed: ${(error as Error)?.stack ?? error}`);
      await cleanup();
      process.exit(1);
    });
}

/** ours/anchor as a figure. */
export function figure(id: string, metric: string, unit: string, value: number, anchor: number, extra: Partial<BenchResult> = {}): BenchResult {
  return { id, metric, unit, value, anchor, ratio: value / anchor, ...extra };
}
