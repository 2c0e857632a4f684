/**
 * P4 scale: the same pages timed, request by request in turn, on a network of N₀ replies and on
 * one grown in place from N₀ to N, each with its own server (full: 10,000 → 1,000,000 replies in 10,000 threads, 20,000 members, 5,000 case studies,
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
import { startApp } from "./lib/app";
import { openDataset, sizesFor } from "./lib/dataset";
import { atScale, figure, log, printTable, runBenchmark, scratchDatabase, stats } from "./lib/harness";
import type { BenchResult } from "./lib/results";

const BASE = atScale({ smoke: 300, small: 10_000, full: 10_000 });
const LARGE = atScale({ smoke: 3_000, small: 100_000, full: 1_000_000 });
const RUNS = atScale({ smoke: 3, small: 15, full: 30 });
const WARMUP = 5;
/** A table is "large" from this many rows (the planner rightly scans smaller ones). */
const LARGE_ROWS = 10_000;

runBenchmark("scale", { deadlineMs: atScale({ smoke: 150_000, small: 900_000, full: 3_600_000 }) }, async ({ onCleanup }) => {
  // Two networks, each with its own server: N₀ replies, and N (grown from N₀ in place). Pages
  // are then timed on both in turn, request by request, so load on this shared machine falls
  // on both sides alike.
  const open = async (name: string) => {
    const db = await scratchDatabase(name);
    onCleanup(db.drop);
    const app = await startApp({ databaseUrl: db.url });
    onCleanup(app.stop);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    onCleanup(() => client.end());
    return { db, app, client, data: await openDataset(client) };
  };
  const small = await open("scale_base");
  const big = await open("scale_large");
  for (const [net, size] of [[small, BASE], [big, BASE], [big, LARGE]] as const) {
    const t0 = performance.now();
    const timings = await net.data.grow(sizesFor(size));
    log(`${net.db.name}: ${size} replies in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")})`);
  }
  // The reader: each network's first member (a share of the notifications is theirs), signed in
  // through the product's createSession on the first network; the same session row (same token)
  // is copied to the second network for its own first member.
  process.env.DATABASE_URL = small.db.url;
  const { createSession } = await import("~/models/sessions.server");
  const { disconnectPrisma } = await import("~/db.server");
  onCleanup(disconnectPrisma);
  const { token } = await createSession(small.data.members[0].id, { userAgent: "bench" });
  const row = (await small.client.query("SELECT id, secret_hash, expires_at FROM sessions WHERE id = $1", [token.split(".")[0]])).rows[0];
  await big.client.query("INSERT INTO sessions (id, secret_hash, user_id, expires_at) VALUES ($1, $2, $3, $4)", [row.id, row.secret_hash, big.data.members[0].id, row.expires_at]);
  const cookies = [`crn_session=${token}`, `crn_session=${token}`];
  const pagesOf = (net: typeof small) => {
    // The busiest thread among the first N₀ replies' threads, so both show a thread of the same size.
    const busiest = [...net.data.threads.slice(0, sizesFor(BASE).threads)].sort((a, b) => b.replies - a.replies)[0];
    const en = net.data.vocab.english[Math.floor(net.data.vocab.english.length / 3)].toLowerCase();
    const zh = net.data.vocab.chinese.filter((w) => w.length === 2)[8] ?? "转型";
    return [
      { name: "thread-list", path: "/network" },
      { name: "thread-last-page", path: `/threads/${busiest.id}?last=1` },
      { name: "search-en", path: `/search?q=${encodeURIComponent(en)}` },
      { name: "search-zh", path: `/search?q=${encodeURIComponent(zh)}` },
      { name: "notifications", path: "/notifications" },
      { name: "member-directory", path: "/members" },
    ];
  };
  const pages = [pagesOf(small), pagesOf(big)];
  const times = pages[0].map(() => [[] as number[], [] as number[]]);
  for (const [p] of pages[0].entries()) {
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const side of [0, 1] as const) {
        const app = side === 0 ? small.app : big.app;
        const t0 = performance.now();
        const response = await fetch(app.base + pages[side][p].path, { headers: { cookie: cookies[side] } });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${pages[side][p].path} answered ${response.status}`);
        if (i >= WARMUP) times[p][side].push(performance.now() - t0);
      }
    }
  }
  const base = new Map(pages[0].map((p, i) => [p.name, stats(times[i][0])]));
  const large = new Map(pages[0].map((p, i) => [p.name, stats(times[i][1])]));
  const app = big.app;
  const client = big.client;
  const cookie = cookies[1];

  // Plans: every statement the pages send at N.
  let seqScans = 0;
  let explained = 0;
  const { rows: sizes } = await client.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= $1`, [LARGE_ROWS]);
  const LARGE_TABLES = new Set(sizes.map((r) => r.relname));
  log(`large tables (≥ ${LARGE_ROWS} rows): ${[...LARGE_TABLES].join(", ") || "none"}`);
  for (const page of pages[1]) {
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

  printTable(`P4 scale: median ms of ${RUNS} views per page (signed-in member), at ${BASE.toLocaleString("en")} and ${LARGE.toLocaleString("en")} replies, interleaved`, ["page", `p50 @${BASE}`, `p50 @${LARGE}`, `p99 @${LARGE}`, "ratio"], pages[0].map((p) => [p.name, base.get(p.name)!.p50, large.get(p.name)!.p50, large.get(p.name)!.p99, large.get(p.name)!.p50 / base.get(p.name)!.p50]));
  console.log(`\n  ${explained} statements explained at ${LARGE} replies; sequential scans on large tables: ${seqScans}`);
  const results: BenchResult[] = pages[0].map((p) =>
    figure(`p4-scale.${p.name}`, "median", "ms", large.get(p.name)!.p50, base.get(p.name)!.p50, { target: 1.2, anchorLabel: `same page at ${BASE.toLocaleString("en")} replies` }),
  );
  results.push(figure("p4-scale.plans", "seq_scans_on_large_tables", "", seqScans, explained, { target: 0, anchorLabel: "statements explained" }));
  return results;
});
