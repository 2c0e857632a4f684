/**
 * Search benchmark: 100,000 replies of mixed English/Chinese text across ~1,000 threads, then
 * the product's own `search()` (SQL, ranking, snippets, highlights, post-number lookup) timed
 * per query class.
 *
 *   npm run bench:search          (not part of the tests)
 *
 * Text is generated from the words of the seeded programme (prisma/seed-data.ts): English words
 * and Intl.Segmenter Chinese words, drawn with a Zipf-like skew so some are common and most are
 * rare, in replies of 5 to ~120 words (English, Chinese or both). Documents are built exactly as
 * `indexReply` builds them (`tokenString`, `detectLanguages`, thread + author regions) but in
 * bulk: tokens computed in JS, rows written with multi-row INSERTs.
 *
 * Environment: TEST_DATABASE_URL (admin connection; a fresh `crn_bench_search_<random>` database
 * is created, migrated and dropped; default postgresql://postgres@127.0.0.1:5432/postgres),
 * BENCH_REPLIES (100000), BENCH_THREADS (1000), BENCH_RUNS (30 timed runs per query, after 3
 * warm-ups), BENCH_TIMEOUT_MS (600000: the whole run is abandoned, and the database dropped,
 * after this), BENCH_EXPLAIN=1 prints the query plans in full.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Prisma, type PrismaClient } from "@prisma/client";
import { createPrismaClient } from "~/db.server";
import { detectLanguages, fullTextQuery, parseQuery, search, tokenString } from "~/models/search.server";
import type { Actor } from "~/policy.server";
import { newId } from "~/utils/ids.server";
import { migrate } from "../server/migrate";
import { seedDatabase } from "../prisma/seed";
import { regions as seedRegions, series } from "../prisma/seed-data";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const REPLIES = Number(process.env.BENCH_REPLIES ?? 100_000);
const THREADS = Number(process.env.BENCH_THREADS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = 3;
const DEADLINE_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
const EXPLAIN = process.env.BENCH_EXPLAIN === "1";
const MEMBERS = 40;
const RARE_EN = "xenotime";
const RARE_ZH = "钍矿";
const RARE_COUNT = 12;

const adminUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const log = (line: string) => console.log(`[bench] ${line}`);

// --- deterministic randomness (mulberry32), so runs are comparable ---
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
/** Zipf-like: index i drawn with weight ~ 1/(i+1). */
function zipfPicker<T>(items: T[]): () => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < items.length; i++) cumulative.push((sum += 1 / (i + 1)));
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo];
  };
}

// --- vocabulary from the seeded programme ---
function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => collectStrings(v, out));
}

function vocabulary() {
  const strings: string[] = [];
  collectStrings(series, strings);
  collectStrings(seedRegions, strings);
  const text = strings.join("\n");
  const english = new Map<string, number>();
  for (const word of text.match(/[A-Za-z][a-z]{2,}/g) ?? []) english.set(word, (english.get(word) ?? 0) + 1);
  const chinese = new Map<string, number>();
  const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (isWordLike && /^\p{Script=Han}+$/u.test(segment)) chinese.set(segment, (chinese.get(segment) ?? 0) + 1);
  }
  // Most frequent first, so the Zipf picker makes the source's common words common here too.
  const byCount = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  return { english: byCount(english), chinese: byCount(chinese) };
}

function makeTextGenerator(vocab: { english: string[]; chinese: string[] }) {
  const en = zipfPicker(vocab.english);
  const zh = zipfPicker(vocab.chinese);
  const englishSentence = () => {
    const words = Array.from({ length: randInt(4, 18) }, () => en());
    const s = words.join(" ");
    return `${s[0].toUpperCase()}${s.slice(1)}.`;
  };
  const chineseSentence = () => `${Array.from({ length: randInt(4, 16) }, () => zh()).join("")}。`;
  return (): string => {
    const mode = random();
    const sentences = randInt(1, 6);
    const parts: string[] = [];
    for (let i = 0; i < sentences; i++) {
      if (mode < 0.45) parts.push(englishSentence());
      else if (mode < 0.75) parts.push(chineseSentence());
      else parts.push(random() < 0.5 ? englishSentence() : chineseSentence());
    }
    return parts.join(mode < 0.45 ? " " : "");
  };
}

// --- database ---
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Multi-row INSERT of `rows` (arrays of values in `columns` order), `batch` rows a statement. */
async function insertMany(client: pg.Client, table: string, columns: string[], rows: unknown[][], batch = 1000) {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(",")})`);
    await client.query(`INSERT INTO ${table} (${columns.map(quote).join(",")}) VALUES ${tuples.join(",")}`, values);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main() {
  const name = `crn_bench_search_${randomBytes(4).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  let prisma: PrismaClient | undefined;
  let client: pg.Client | undefined;
  const deadline = setTimeout(() => {
    console.error(`[bench] abandoned after ${DEADLINE_MS} ms`);
    void admin(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`).finally(() => process.exit(2));
  }, DEADLINE_MS);
  await admin(`CREATE DATABASE ${quote(name)}`);
  try {
    await migrate(dbUrl, path.join(ROOT, "prisma", "migrations"));
    prisma = createPrismaClient(dbUrl);
    await seedDatabase(prisma, { demoAccounts: false });
    client = new pg.Client({ connectionString: dbUrl });
    await client.connect();

    // Members across the regions, threads across the dialogues (and the open network).
    const regionRows = await prisma.region.findMany();
    const regionById = new Map(regionRows.map((r) => [r.id, r]));
    const members = Array.from({ length: MEMBERS }, (_, i) => ({
      id: newId(),
      regionId: i % 4 === 3 ? null : regionRows[i % regionRows.length].id,
    }));
    await insertMany(
      client,
      "users",
      ["id", "email", "password_hash", "display_name", "role", "region_id"],
      members.map((m, i) => [m.id, `bench-${i}@bench.example`, "x", `Bench member ${i}`, "member", m.regionId]),
    );
    const dialogues = await prisma.dialogue.findMany({ include: { regions: true } });
    const vocab = vocabulary();
    const text = makeTextGenerator(vocab);
    log(`vocabulary: ${vocab.english.length} English words, ${vocab.chinese.length} Chinese words`);

    const threads = Array.from({ length: THREADS }, (_, i) => {
      const dialogue = i % 5 === 0 ? null : dialogues[i % dialogues.length];
      const title = text().slice(0, 120);
      return { id: newId(), dialogue, authorId: members[i % MEMBERS].id, titleEn: title, createdAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000) };
    });
    const perThread = new Map<string, number>();
    const replies = Array.from({ length: REPLIES }, (_, i) => {
      // Some threads are busy, most are quiet.
      const thread = threads[Math.floor(Math.pow(random(), 1.6) * THREADS)];
      const postNumber = (perThread.get(thread.id) ?? 0) + 1;
      perThread.set(thread.id, postNumber);
      let body = text();
      if (i % Math.floor(REPLIES / RARE_COUNT) === 7) body += ` ${RARE_EN} ${RARE_ZH}`;
      return { id: newId(), thread, authorId: members[randInt(0, MEMBERS - 1)].id, postNumber, text: body, createdAt: new Date(thread.createdAt.getTime() + postNumber * 60_000) };
    });
    const started = performance.now();
    await insertMany(
      client,
      "threads",
      ["id", "dialogue_id", "title_en", "author_id", "reply_count", "last_post_number", "created_at", "last_activity_at"],
      threads.map((t) => [t.id, t.dialogue?.id ?? null, t.titleEn, t.authorId, perThread.get(t.id) ?? 0, perThread.get(t.id) ?? 0, t.createdAt, t.createdAt]),
    );
    const emptyDoc = JSON.stringify({ type: "doc", content: [] });
    await insertMany(
      client,
      "replies",
      ["id", "thread_id", "author_id", "post_number", "content", "text", "created_at"],
      replies.map((r) => [r.id, r.thread.id, r.authorId, r.postNumber, emptyDoc, r.text, r.createdAt]),
    );
    const avgLength = Math.round(replies.reduce((n, r) => n + r.text.length, 0) / replies.length);
    log(`content: ${THREADS} threads, ${REPLIES} replies (avg ${avgLength} characters) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // --- index build: as indexThread/indexReply do, in bulk ---
    const memberRegion = new Map(members.map((m) => [m.id, m.regionId]));
    const regionsOf = (dialogue: (typeof threads)[number]["dialogue"], authorId: string) => {
      const ids = new Set<string>(dialogue?.regions.map((r) => r.regionId) ?? []);
      const own = memberRegion.get(authorId);
      if (own) ids.add(own);
      return { regionIds: [...ids], countries: [...new Set([...ids].map((id) => regionById.get(id)!.country as string))] };
    };
    const buildStart = performance.now();
    const docs: unknown[][] = [];
    for (const t of threads) {
      const { regionIds, countries } = regionsOf(t.dialogue, t.authorId);
      docs.push([`thread:${t.id}`, "thread", t.id, t.id, detectLanguages(t.titleEn), regionIds, countries, t.titleEn, "", tokenString(t.titleEn), "", t.authorId, t.createdAt]);
    }
    for (const r of replies) {
      const { regionIds, countries } = regionsOf(r.thread.dialogue, r.authorId);
      docs.push([`reply:${r.id}`, "reply", r.id, r.thread.id, detectLanguages(r.text), regionIds, countries, r.thread.titleEn, r.text, "", tokenString(r.text), r.authorId, r.createdAt]);
    }
    const tokenMs = performance.now() - buildStart;
    const insertStart = performance.now();
    await insertMany(
      client,
      "search_documents",
      ["id", "kind", "ref_id", "thread_id", "languages", "region_ids", "countries", "title", "body", "title_tokens", "body_tokens", "author_id", "created_at"],
      docs,
      500,
    );
    const insertMs = performance.now() - insertStart;
    const vacuumStart = performance.now();
    await client.query("VACUUM ANALYZE search_documents");
    const vacuumMs = performance.now() - vacuumStart;
    const { rows: sizes } = await client.query<{ table: string; tsv: string; trgm: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('search_documents')) AS table,
              pg_size_pretty(pg_relation_size('search_documents_tsv_idx')) AS tsv,
              pg_size_pretty(pg_relation_size('search_documents_body_trgm_idx')) AS trgm`,
    );
    log(
      `index build: ${docs.length} documents; tokenising ${(tokenMs / 1000).toFixed(1)} s, INSERT (with the GIN indexes) ${(insertMs / 1000).toFixed(1)} s, ` +
        `VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(1)} s; total ${((tokenMs + insertMs + vacuumMs) / 1000).toFixed(1)} s ` +
        `(${Math.round(docs.length / ((tokenMs + insertMs) / 1000))} documents/s); table ${sizes[0].table}, tsv index ${sizes[0].tsv}, body trigram index ${sizes[0].trgm}`,
    );

    // --- queries ---
    const member: Actor = { id: members[0].id, role: "member" };
    const countHits = async (q: string) => {
      const { tsquery } = parseQuery(q);
      const { rows } = await client!.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_documents WHERE tsv @@ to_tsquery('simple', $1)`, [tsquery]);
      return rows[0].n;
    };
    const commonEn = vocab.english[0].toLowerCase();
    const commonZh = vocab.chinese.find((w) => w.length === 2) ?? "能源";
    const midEn = vocab.english[Math.floor(vocab.english.length / 3)].toLowerCase();
    const twoChar = vocab.chinese.filter((w) => w.length === 2)[8] ?? "转型";
    const cases: { label: string; actor: Actor | null; input: Parameters<typeof search>[1] }[] = [
      { label: `English word "${midEn}"`, actor: member, input: { q: midEn } },
      { label: `English prefix "${midEn.slice(0, 4)}"`, actor: member, input: { q: midEn.slice(0, 4) } },
      { label: `Chinese two-character "${twoChar}"`, actor: member, input: { q: twoChar } },
      { label: `mixed "${midEn} ${twoChar}"`, actor: member, input: { q: `${midEn} ${twoChar}` } },
      { label: `rare English "${RARE_EN}"`, actor: member, input: { q: RARE_EN } },
      { label: `rare Chinese "${RARE_ZH}"`, actor: member, input: { q: RARE_ZH } },
      { label: `common English "${commonEn}"`, actor: member, input: { q: commonEn } },
      { label: `common Chinese "${commonZh}"`, actor: member, input: { q: commonZh } },
      { label: `common, page 5 "${commonEn}"`, actor: member, input: { q: commonEn, page: 5 } },
      { label: `English word + type/region/language`, actor: member, input: { q: midEn, type: "reply", region: "shanxi", language: "en" } },
      { label: `Chinese word + type/region/language`, actor: member, input: { q: twoChar, type: "reply", region: "shanxi", language: "zh" } },
      { label: `common + country filter`, actor: member, input: { q: commonEn, country: "CN" } },
      { label: `one Chinese character (bigram prefix) "${twoChar[0]}"`, actor: member, input: { q: twoChar[0] } },
      { label: `no match (fallback runs too) "zzqqxv"`, actor: member, input: { q: "zzqqxv" } },
      { label: `signed out, common English`, actor: null, input: { q: commonEn } },
    ];
    const results: { label: string; matches: string; hits: number; p50: number; p99: number }[] = [];
    for (const c of cases) {
      const { tsquery } = parseQuery(String(c.input.q));
      const matches = tsquery ? String(await countHits(String(c.input.q))) : "—";
      let hits = 0;
      const times: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const t0 = performance.now();
        const result = await search(c.actor, c.input, prisma);
        const elapsed = performance.now() - t0;
        hits = result.hits.length;
        if (i >= WARMUP) times.push(elapsed);
      }
      times.sort((a, b) => a - b);
      results.push({ label: c.label, matches, hits, p50: percentile(times, 50), p99: percentile(times, 99) });
      log(`${c.label}: ${matches} matching documents, ${hits} on the page; p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`);
    }

    // --- plans: the GIN index must serve the full-text query ---
    for (const q of [midEn, twoChar, commonEn]) {
      const { tsquery } = parseQuery(q);
      const member = Prisma.sql`(d.published OR d.author_id = ${members[0].id})`;
      const query = fullTextQuery(tsquery!, member, 21, 0);
      const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.text}`, query.values);
      const plan = rows.map((r) => r["QUERY PLAN"]);
      const indexes = [...new Set(plan.flatMap((line) => /(?:Index|Index Only) Scan(?: Backward)? (?:using|on) (\S+)/.exec(line)?.[1] ?? []))];
      log(`plan for "${q}": indexes used: ${indexes.join(", ") || "none (sequential scan)"}; ${plan.find((l) => l.startsWith("Execution Time")) ?? ""}`);
      if (EXPLAIN) console.log(plan.join("\n"));
    }

    console.log("\n| query | matching documents | p50 | p99 |\n|---|---|---|---|");
    for (const r of results) console.log(`| ${r.label} | ${r.matches} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms |`);
  } finally {
    clearTimeout(deadline);
    await client?.end().catch(() => {});
    await prisma?.$disconnect().catch(() => {});
    await admin(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    log(`dropped ${name}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
