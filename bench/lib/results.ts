/**
 * Benchmark figures: the `RESULT` line every benchmark ends with, its parser, the JSON file it
 * writes, and the README table rendered from those files. Pure functions (no I/O) apart from
 * `writeResults`/`readResults`, so the format is unit-tested (bench/lib/results.test.ts).
 *
 * Line format (issue 13; lower is better for every ratio):
 *   RESULT <id> <metric>=<value><unit> anchor=<value><unit> ratio=<ours/anchor>
 * e.g. `RESULT p1-fanout p99=38.4ms anchor=35.1ms ratio=1.09`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** One figure: ours beside the anchor's, in the same unit, from the same run. */
export interface BenchResult {
  /** Figure id, lower-case words joined by "-" or ".", e.g. `p3-thread-first`. */
  id: string;
  /** What was measured, e.g. `p99`, `median`, `heap_per_socket`. */
  metric: string;
  value: number;
  /** Unit suffix, e.g. `ms`, `KB`, `req/s` is not allowed (lower is better): `ms`, `B`, `KB`, `MB`, `x`, `` (none). */
  unit: string;
  anchor: number;
  /** ours / anchor (lower is better). */
  ratio: number;
  /** The target ratio (≤), when the issue names one. */
  target?: number;
  /** What the anchor is, for the README (e.g. "bare io.to(room).emit"). */
  anchorLabel?: string;
  /** Why a missed target is missed, or any other caveat. */
  note?: string;
}

/** What a benchmark writes to `bench/results/<scale>/<bench>.json`. */
export interface BenchRun {
  bench: string;
  scale: string;
  commit: string;
  /** The working tree had uncommitted changes when it ran. */
  dirty: boolean;
  date: string;
  machine: string;
  loadAverage: number[];
  seconds: number;
  results: BenchResult[];
}

const ID = /^[a-z0-9][a-z0-9._-]*$/;
const UNIT = /^[A-Za-z%/]*$/;

/** A number as the RESULT line prints it: up to 4 significant digits, no exponent. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return "NaN";
  if (x === 0) return "0";
  const digits = Math.max(0, Math.min(6, 3 - Math.floor(Math.log10(Math.abs(x)))));
  return Number(x.toFixed(digits)).toString();
}

/**
 * The RESULT line for one figure.
 * @throws Error when the id, metric or unit could not be parsed back
 */
export function formatResultLine(r: BenchResult): string {
  if (!ID.test(r.id)) throw new Error(`bad result id: ${r.id}`);
  if (!/^[a-z0-9_]+$/.test(r.metric) || r.metric === "anchor" || r.metric === "ratio") throw new Error(`bad metric name: ${r.metric}`);
  if (!UNIT.test(r.unit)) throw new Error(`bad unit: ${r.unit}`);
  return `RESULT ${r.id} ${r.metric}=${formatNumber(r.value)}${r.unit} anchor=${formatNumber(r.anchor)}${r.unit} ratio=${formatNumber(r.ratio)}`;
}

const LINE = /^RESULT ([a-z0-9][a-z0-9._-]*) ([a-z0-9_]+)=(-?\d+(?:\.\d+)?|NaN)([A-Za-z%/]*) anchor=(-?\d+(?:\.\d+)?|NaN)([A-Za-z%/]*) ratio=(-?\d+(?:\.\d+)?|NaN)\s*$/;

/**
 * Parses one RESULT line; null for any other line (or a RESULT line that does not follow the
 * format: a different unit on the two sides, a missing field).
 */
export function parseResultLine(line: string): Pick<BenchResult, "id" | "metric" | "value" | "unit" | "anchor" | "ratio"> | null {
  const m = LINE.exec(line.trim());
  if (!m) return null;
  const [, id, metric, value, unit, anchor, anchorUnit, ratio] = m;
  if (unit !== anchorUnit) return null;
  return { id, metric, value: Number(value), unit, anchor: Number(anchor), ratio: Number(ratio) };
}

/** Every RESULT line in a benchmark's output, in order. */
export function parseResultLines(output: string): ReturnType<typeof parseResultLine>[] {
  return output.split(/\r?\n/).map(parseResultLine).filter((r) => r !== null);
}

/** The commit the working tree is on, and whether it has uncommitted changes outside bench/results ("unknown" outside git). */
export function gitState(cwd: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd, encoding: "utf8" }).trim();
    // Results written by this run's earlier benchmarks are output, not a change to what is measured.
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/results"], { cwd, encoding: "utf8" }).trim();
    return { commit, dirty: status.length > 0 };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}

/** A one-line description of this machine. */
export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Writes `<dir>/<scale>/<bench>.json`; returns its path. */
export function writeResults(dir: string, run: BenchRun): string {
  const folder = path.join(dir, run.scale);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${run.bench}.json`);
  writeFileSync(file, JSON.stringify(run, null, 2) + "\n");
  return file;
}

/** Every run stored under `<dir>/<scale>/`, by benchmark name. */
export function readResults(dir: string, scale: string): BenchRun[] {
  const folder = path.join(dir, scale);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(folder, f), "utf8")) as BenchRun);
}

/** Order of the benchmarks in the README table. */
export const BENCH_ORDER = ["fanout", "coediting", "thread-page", "scale", "memory", "soak", "search", "first-load"];

const escapeCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * The README performance table (Markdown) for a set of runs: one row per figure with ours, the
 * anchor, the ratio, the target and whether it is met; a heading line naming the commit(s),
 * scale, date(s) and machine. Runs are ordered as BENCH_ORDER, unknown ones last by name.
 */
export function renderTable(runs: BenchRun[]): string {
  if (!runs.length) return "_No benchmark results yet: run `npm run bench`._";
  const order = (b: string) => (BENCH_ORDER.includes(b) ? BENCH_ORDER.indexOf(b) : BENCH_ORDER.length);
  const sorted = [...runs].sort((a, b) => order(a.bench) - order(b.bench) || a.bench.localeCompare(b.bench));
  const commits = [...new Set(sorted.map((r) => r.commit + (r.dirty ? " (with uncommitted changes)" : "")))];
  const dates = sorted.map((r) => r.date).sort();
  const scales = [...new Set(sorted.map((r) => r.scale))];
  const machines = [...new Set(sorted.map((r) => r.machine))];
  const lines = [
    `Measured by \`npm run bench\` at scale ${scales.join(", ")} on commit ${commits.map((c) => `\`${c}\``).join(", ")}, ` +
      `${dates[0].slice(0, 16).replace("T", " ")}–${dates[dates.length - 1].slice(0, 16).replace("T", " ")} UTC, on ${machines.join("; ")}.`,
    "",
    "| benchmark | figure | ours | anchor | anchor is | ratio | target | met |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const run of sorted) {
    for (const r of run.results) {
      const met = r.target === undefined ? "—" : Number.isFinite(r.ratio) && r.ratio <= r.target ? "yes" : "no";
      lines.push(
        `| ${run.bench}${scales.length > 1 ? ` (${run.scale})` : ""} | ${r.id} ${r.metric} | ${formatNumber(r.value)} ${r.unit} | ${formatNumber(r.anchor)} ${r.unit} | ${escapeCell(r.anchorLabel ?? "")} | ${formatNumber(r.ratio)}× | ${r.target === undefined ? "—" : `≤ ${r.target}×`} | ${met}${r.note ? ` (${escapeCell(r.note)})` : ""} |`,
      );
    }
  }
  return lines.join("\n");
}

export const TABLE_START = "<!-- bench:table:start (rendered by scripts/render-bench-table.ts; do not edit by hand) -->";
export const TABLE_END = "<!-- bench:table:end -->";

/**
 * Replaces the text between TABLE_START and TABLE_END in `readme` with `table`.
 * @throws Error when the markers are missing or out of order
 */
export function replaceTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error("the README has no bench table markers");
  return readme.slice(0, start + TABLE_START.length) + "\n" + table + "\n" + readme.slice(end);
}
