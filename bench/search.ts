/**
 * Search: the product's own `search()` (SQL, ranking, snippets, highlights, post-number lookup)
 * timed per query class on a network generated with COPY (bench/lib/dataset.ts; full: P4's
 * 1,000,000 replies), beside PostgreSQL's full-text lookup alone (`tsv @@ to_tsquery(...)`,
 * newest 21, the GIN index and nothing else) for the same query in the same run: the ratio is
 * what ranking and presenting cost on top of the index. No target: the issue asks for a p99 at
 * P4's scale; the README records what was decided about common terms (docs/decisions/007-search.md).
 *
 *   npm run bench:search          BENCH_SCALE=smoke (2,000 replies) | small (20,000) | full (1,000,000)
 *
 * Environment: TEST_DATABASE_URL (admin connection; a scratch database is created, migrated,
 * seeded and dropped), BENCH_REPLIES, BENCH_RUNS, BENCH_EXPLAIN=1 prints the plans in full.
 */
import path from "node:path";
import pg from "pg";
import { Prisma } from "@prisma/client";
import { createPrismaClient } from "~/db.server";
import { fullTextQuery, parseQuery, search } from "~/models/search.server";
import type { Actor } from "~/policy.server";
import { migrate } from "../server/migrate";
import { seedDatabase } from "../prisma/seed";
import { openDataset, RARE_EN, RARE_ZH, sizesFor } from "./lib/dataset";
import { atScale, figure, log, printTable, ROOT, runBenchmark, scratchDatabase, stats } from "./lib/harness";
import type { BenchResult } from "./lib/results";

const REPLIES = Number(process.env.BENCH_REPLIES ?? atScale({ smoke: 2_000, small: 20_000, full: 1_000_000 }));
const RUNS = Number(process.env.BENCH_RUNS ?? atScale({ smoke: 5, small: 20, full: 30 }));
const WARMUP = 3;

runBenchmark("search", { deadlineMs: atScale({ smoke: 60_000, small: 600_000, full: 3_600_000 }) }, async ({ onCleanup }) => {
  const db = await scratchDatabase("search");
  onCleanup(db.drop);
  await migrate(db.url, path.join(ROOT, "prisma", "migrations"));
  const prisma = createPrismaClient(db.url);
  onCleanup(() => prisma.$disconnect());
  await seedDatabase(prisma, { demoAccounts: false });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  onCleanup(() => client.end());
  const data = await openDataset(client);
  const t0 = performance.now();
  const timings = await data.grow(sizesFor(REPLIES));
  log(`generated ${REPLIES} replies in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")})`);

  const member: Actor = { id: data.members[0].id, role: "member" };
  const { english, chinese } = data.vocab;
  const midEn = english[Math.floor(english.length / 3)].toLowerCase();
  const twoChar = chinese.filter((w) => w.length === 2)[8] ?? "转型";
  const commonEn = english[0].toLowerCase();
  const commonZh = chinese.find((w) => w.length === 2) ?? "能源";
  const cases = [
    { id: "english-word", label: `English word "${midEn}"`, q: midEn },
    { id: "chinese-two-character", label: `Chinese two-character "${twoChar}"`, q: twoChar },
    { id: "mixed", label: `mixed "${midEn} ${twoChar}"`, q: `${midEn} ${twoChar}` },
    { id: "rare-english", label: `rare English "${RARE_EN}"`, q: RARE_EN },
    { id: "rare-chinese", label: `rare Chinese "${RARE_ZH}"`, q: RARE_ZH },
    { id: "common-english", label: `common English "${commonEn}"`, q: commonEn },
    { id: "common-chinese", label: `common Chinese "${commonZh}"`, q: commonZh },
  ];
  const rows: (string | number)[][] = [];
  const results: BenchResult[] = [];
  for (const c of cases) {
    const { tsquery } = parseQuery(c.q);
    if (!tsquery) throw new Error(`no tsquery for ${c.q}`);
    const matches = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_documents WHERE tsv @@ to_tsquery('simple', $1)`, [tsquery])).rows[0].n;
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      let t = performance.now();
      await search(member, { q: c.q }, prisma);
      if (i >= WARMUP) ours.push(performance.now() - t);
      t = performance.now();
      await client.query(`SELECT id FROM search_documents WHERE tsv @@ to_tsquery('simple', $1) ORDER BY created_at DESC LIMIT 21`, [tsquery]);
      if (i >= WARMUP) bare.push(performance.now() - t);
    }
    const o = stats(ours);
    const b = stats(bare);
    rows.push([c.label, matches, o.p50, o.p99, b.p50, b.p99]);
    results.push(figure(`search.${c.id}`, "p99", "ms", o.p99, b.p99, { anchorLabel: `GIN lookup alone, ${REPLIES.toLocaleString("en")} replies` }));
  }

  // Plans: the GIN index (or created_at, newest first, for a very common term) must serve them.
  for (const q of [midEn, twoChar, commonEn]) {
    const { tsquery } = parseQuery(q);
    const query = fullTextQuery(tsquery!, Prisma.sql`(d.published OR d.author_id = ${member.id})`, 21, 0);
    const { rows: plan } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.text}`, query.values);
    const lines = plan.map((r) => r["QUERY PLAN"]);
    const indexes = [...new Set(lines.flatMap((l) => /(?:Index|Index Only|Bitmap Index) Scan(?: Backward)? (?:using|on) (\S+)/.exec(l)?.[1] ?? []))];
    const seq = lines.filter((l) => /Seq Scan on search_documents/.test(l)).length;
    log(`plan for "${q}": indexes ${indexes.join(", ") || "none"}${seq ? "; SEQUENTIAL SCAN on search_documents" : ""}; ${lines.find((l) => l.startsWith("Execution Time")) ?? ""}`);
    if (process.env.BENCH_EXPLAIN === "1") console.log(lines.join("\n"));
  }
  printTable(`Search: search() as a member vs the GIN lookup alone, ${REPLIES.toLocaleString("en")} replies, ${RUNS} runs each (ms)`, ["query", "matching", "p50", "p99", "lookup p50", "lookup p99"], rows);
  return results;
});
