/**
 * P4 scale: the same pages timed on a network of N₀ replies and again after growing it in place
 * to N (full: 10,000 → 1,000,000 replies in 10,000 threads, 20,000 members, 5,000 case studies,
 * generated with COPY: bench/lib/dataset.ts): the thread list, a thread's last page, search for
 * an English word and for a two-character Chinese word, the notifications page and the member
 * directory, as a signed-in member over HTTP. Target: each ≤ 1.2 × its time at N₀. Every SQL
 * statement those pages send at N is EXPLAINed and printed; a sequential scan on a large table
 * (≥ 10,000 rows: at smoke scale only the biggest qualify) is reported.
 *
 *   npm run bench:scale           BENCH_SCALE=smoke (300 → 3,000) | small (10,000 → 100,000) | full
 *
 * Environment: TEST_DATABASE_URL (admin connection; a scratch database is created and dropped),
 * BENCH_EXPLAIN=1 prints every plan in full (default: each statement's scan lines).
 */
import pg from "pg";
import { startApp, type AppProcess } from "./lib/app";
import { openDataset, sizesFor } from "./lib/dataset";
import { atScale, figure, log, printTable, runBenchmark, scratchDatabase, stats } from "./lib/harness";
import type { BenchResult } from "./lib/results";

const BASE = atScale({ smoke: 300, small: 10_000, full: 10_000 });
const LARGE = atScale({ smoke: 3_000, small: 100_000, full: 1_000_000 });
const RUNS = atScale({ smoke: 3, small: 15, full: 30 });
const WARMUP = 5;
/** A table is "large" from this many rows (the planner rightly scans smaller ones). */
const LARGE_ROWS = 10_000;

async function timePages(app: AppProcess, cookie: string, pages: { name: string; path: string }[]) {
  const out = new Map<string, ReturnType<typeof stats>>();
  for (const page of pages) {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      const response = await fetch(app.base + page.path, { headers: { cookie } });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${page.path} answered ${response.status}`);
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
    out.set(page.name, stats(times));
  }
  return out;
}

runBenchmark("scale", { deadlineMs: atScale({ smoke: 90_000, small: 600_000, full: 3_600_000 }) }, async ({ onCleanup }) => {
  const db = await scratchDatabase("scale");
  onCleanup(db.drop);
  const app = await startApp({ databaseUrl: db.url });
  onCleanup(app.stop);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  onCleanup(() => client.end());
  const data = await openDataset(client);

  const t0 = performance.now();
  const baseTimings = await data.grow(sizesFor(BASE));
  log(`generated ${BASE} replies in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Object.entries(baseTimings).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")})`);
  // The reader: the dataset's first member (a share of the notifications is theirs), signed in.
  process.env.DATABASE_URL = db.url;
  const { createSession } = await import("~/models/sessions.server");
  const { disconnectPrisma } = await import("~/db.server");
  onCleanup(disconnectPrisma);
  const cookie = `crn_session=${(await createSession(data.members[0].id, { userAgent: "bench" })).token}`;
  const busiest = [...data.threads].sort((a, b) => b.replies - a.replies)[0];
  const en = data.vocab.english[Math.floor(data.vocab.english.length / 3)].toLowerCase();
  const zh = data.vocab.chinese.filter((w) => w.length === 2)[8] ?? "转型";
  const pages = [
    { name: "thread-list", path: "/network" },
    { name: "thread-last-page", path: `/threads/${busiest.id}?last=1` },
    { name: "search-en", path: `/search?q=${encodeURIComponent(en)}` },
    { name: "search-zh", path: `/search?q=${encodeURIComponent(zh)}` },
    { name: "notifications", path: "/notifications" },
    { name: "member-directory", path: "/members" },
  ];
  const base = await timePages(app, cookie, pages);

  const t1 = performance.now();
  const largeTimings = await data.grow(sizesFor(LARGE));
  log(`grew to ${LARGE} replies in ${((performance.now() - t1) / 1000).toFixed(1)} s (${Object.entries(largeTimings).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")})`);
  const large = await timePages(app, cookie, pages);

  // Plans: every statement the pages send at N.
  let seqScans = 0;
  let explained = 0;
  const { rows: sizes } = await client.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= $1`, [LARGE_ROWS]);
  const LARGE_TABLES = new Set(sizes.map((r) => r.relname));
  log(`large tables (≥ ${LARGE_ROWS} rows): ${[...LARGE_TABLES].join(", ") || "none"}`);
  for (const page of pages) {
    await app.capture(true);
    await (await fetch(app.base + page.path, { headers: { cookie } })).arrayBuffer();
    const statements = (await app.capture(false)).filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.text));
    console.log(`\nplans for ${page.name} (${page.path}): ${statements.length} statements`);
    for (const s of statements) {
      const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${s.text}`, s.values);
      explained++;
      const plan = rows.map((r) => r["QUERY PLAN"]);
      const scans = plan.filter((l) => /Scan|Join|Sort|Limit/.test(l));
      const bad = plan.flatMap((l) => /Seq Scan on (\w+)/.exec(l)?.[1] ?? []).filter((t) => LARGE_TABLES.has(t));
      seqScans += bad.length;
      console.log(`  ${s.text.replace(/\s+/g, " ").slice(0, 110)}…${bad.length ? `   ← SEQUENTIAL SCAN on ${bad.join(", ")}` : ""}`);
      for (const line of process.env.BENCH_EXPLAIN === "1" ? plan : scans) console.log(`      ${line.trim()}`);
    }
  }

  printTable(`P4 scale: median ms of ${RUNS} views per page (signed-in member), at ${BASE.toLocaleString("en")} and ${LARGE.toLocaleString("en")} replies`, ["page", `p50 @${BASE}`, `p50 @${LARGE}`, `p99 @${LARGE}`, "ratio"], pages.map((p) => [p.name, base.get(p.name)!.p50, large.get(p.name)!.p50, large.get(p.name)!.p99, large.get(p.name)!.p50 / base.get(p.name)!.p50]));
  console.log(`\n  ${explained} statements explained at ${LARGE} replies; sequential scans on large tables: ${seqScans}`);
  const results: BenchResult[] = pages.map((p) =>
    figure(`p4-scale.${p.name}`, "median", "ms", large.get(p.name)!.p50, base.get(p.name)!.p50, { target: 1.2, anchorLabel: `same page at ${BASE.toLocaleString("en")} replies` }),
  );
  results.push(figure("p4-scale.plans", "seq_scans_on_large_tables", "", seqScans, explained, { target: 0, anchorLabel: "statements explained" }));
  return results;
});
