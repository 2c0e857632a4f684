import { describe, expect, it } from "vitest";
import { formatResultLine, parseResultLine, parseResultLines, renderTable, replaceTable, TABLE_END, TABLE_START, type BenchRun } from "./results";

describe("RESULT lines", () => {
  it("round-trips a figure through the line and back", () => {
    const line = formatResultLine({ id: "p1-fanout", metric: "p99", value: 38.4321, unit: "ms", anchor: 35.1, ratio: 38.4321 / 35.1 });
    expect(line).toBe("RESULT p1-fanout p99=38.43ms anchor=35.1ms ratio=1.095");
    expect(parseResultLine(line)).toEqual({ id: "p1-fanout", metric: "p99", value: 38.43, unit: "ms", anchor: 35.1, ratio: 1.095 });
  });

  it("reads unitless figures, large and small numbers and NaN", () => {
    expect(parseResultLine("RESULT p4-scale.thread-list median=1234567 anchor=0.0012 ratio=NaN")).toEqual({
      id: "p4-scale.thread-list", metric: "median", value: 1234567, unit: "", anchor: 0.0012, ratio: NaN,
    });
    expect(formatResultLine({ id: "x", metric: "m", value: 1234567.89, unit: "B", anchor: 0.000123456, ratio: 0 })).toBe("RESULT x m=1234568B anchor=0.000123B ratio=0");
  });

  it("rejects lines that do not follow the format", () => {
    for (const line of [
      "RESULT p1 p99=3ms anchor=3s ratio=1", // units differ
      "RESULT p1 p99=3ms anchor=3ms", // no ratio
      "RESULT P1 p99=3ms anchor=3ms ratio=1", // upper-case id
      "RESULT p1 p99=ms anchor=3ms ratio=1", // no value
      "[bench] RESULT p1 p99=3ms anchor=3ms ratio=1",
      "",
    ]) expect(parseResultLine(line), line).toBeNull();
  });

  it("finds every RESULT line among the other output", () => {
    const output = "[bench] starting\nRESULT a p50=1ms anchor=2ms ratio=0.5\r\ntable | x\nRESULT b heap=3MB anchor=3MB ratio=1\n";
    expect(parseResultLines(output).map((r) => r?.id)).toEqual(["a", "b"]);
  });

  it("refuses to write a line it could not read back", () => {
    expect(() => formatResultLine({ id: "has space", metric: "p99", value: 1, unit: "ms", anchor: 1, ratio: 1 })).toThrow();
    expect(() => formatResultLine({ id: "a", metric: "ratio", value: 1, unit: "ms", anchor: 1, ratio: 1 })).toThrow();
    expect(() => formatResultLine({ id: "a", metric: "p99", value: 1, unit: "m s", anchor: 1, ratio: 1 })).toThrow();
  });
});

const run = (bench: string, results: BenchRun["results"], extra: Partial<BenchRun> = {}): BenchRun => ({
  bench, scale: "full", commit: "abc123def456", dirty: false, date: "2026-12-06T23:10:00.000Z", machine: "2 cores (AMD EPYC)", loadAverage: [1, 1, 1], seconds: 10, results, ...extra,
});

describe("the README table", () => {
  it("lists every figure in the issue's order with ratio, target and whether it is met", () => {
    const table = renderTable([
      run("thread-page", [{ id: "p3-thread-first", metric: "median", value: 30, unit: "ms", anchor: 10, ratio: 3, target: 2, anchorLabel: "minimal route", note: "rendering" }], { date: "2026-12-06T23:20:00.000Z" }),
      run("fanout", [{ id: "p1-fanout", metric: "p99", value: 11, unit: "ms", anchor: 10, ratio: 1.1, target: 1.2, anchorLabel: "bare emit | same payload" }]),
      run("zeta", [{ id: "z", metric: "p50", value: 1, unit: "ms", anchor: 1, ratio: 1 }]),
    ]);
    const lines = table.split("\n");
    expect(lines[0]).toContain("commit `abc123def456`");
    expect(lines[0]).toContain("2026-12-06 23:10–2026-12-06 23:20 UTC");
    expect(lines[0]).toContain("2 cores (AMD EPYC)");
    expect(lines.slice(4)).toEqual([
      "| fanout | p1-fanout p99 | 11 ms | 10 ms | bare emit \\| same payload | 1.1× | ≤ 1.2× | yes |",
      "| thread-page | p3-thread-first median | 30 ms | 10 ms | minimal route | 3× | ≤ 2× | no (rendering) |",
      "| zeta | z p50 | 1 ms | 1 ms |  | 1× | — | — |",
    ]);
  });

  it("names each benchmark's scale when the runs come from more than one", () => {
    const table = renderTable([run("fanout", [{ id: "a", metric: "p99", value: 1, unit: "ms", anchor: 1, ratio: 1 }]), run("memory", [{ id: "b", metric: "heap", value: 1, unit: "KB", anchor: 1, ratio: 1 }], { scale: "small" })]);
    expect(table).toContain("scale full, small");
    expect(table).toContain("| fanout (full) | a p99 |");
    expect(table).toContain("| memory (small) | b heap |");
  });

  it("names uncommitted changes and says when there are no results", () => {
    expect(renderTable([run("fanout", [], { dirty: true })])).toContain("(with uncommitted changes)");
    expect(renderTable([])).toMatch(/No benchmark results/);
  });

  it("replaces only what lies between the markers", () => {
    const readme = `# x\n\n${TABLE_START}\nold\n${TABLE_END}\n\nafter\n`;
    expect(replaceTable(readme, "new")).toBe(`# x\n\n${TABLE_START}\nnew\n${TABLE_END}\n\nafter\n`);
    expect(() => replaceTable("no markers", "new")).toThrow();
  });
});
