/**
 * A network of any size, generated fast with COPY (pg-copy-streams) into a migrated, seeded
 * database, and grown in place: `grow(target)` adds members, threads, replies (valid editor
 * documents), case studies, notifications and the search index rows (built as indexThread and
 * indexReply build them: tokens in JS) up to the target sizes, so the same pages can be timed
 * at 10,000 replies and again at 1,000,000. Sizes follow the issue's proportions (P4): per
 * 1,000,000 replies, 10,000 threads, 20,000 members, 5,000 case studies; plus one notification
 * per two replies. Text comes from the seeded programme's English and Chinese words with a
 * Zipf-like skew (deterministic), with a rare English and a rare Chinese word sown in.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { detectLanguages, tokenString } from "~/models/search.server";
import { randomBytes } from "node:crypto";
import { regions as seedRegions, series } from "../../prisma/seed-data";

/**
 * An id shaped like the product's (cuid2: 24 lower-case letters and digits, a letter first) but
 * made from random bytes: cuid2 hashes each id (≈ 0.5 ms here), which would be 15 minutes for a
 * full-size network. Generated rows never mix with ids the product makes for itself.
 */
let idPool = "";
function newId(): string {
  if (idPool.length < 24) idPool = randomBytes(48_000).toString("base64").replace(/[^a-z0-9]/g, "");
  const id = idPool.slice(0, 24);
  idPool = idPool.slice(24);
  return /^[a-z]/.test(id) ? id : `b${id.slice(1)}`;
}

export const RARE_EN = "xenotime";
export const RARE_ZH = "钍矿";

/** Sizes for a number of replies, in the issue's proportions. */
export function sizesFor(replies: number) {
  return {
    replies,
    threads: Math.max(10, Math.round(replies / 100)),
    members: Math.max(20, Math.round(replies / 50)),
    caseStudies: Math.max(5, Math.round(replies / 200)),
    notifications: Math.round(replies / 2),
  };
}
export type Sizes = ReturnType<typeof sizesFor>;

// --- deterministic randomness (mulberry32) ---
let seed = 0x5eed;
export function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
export const randInt = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
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

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => collectStrings(v, out));
}

/** English and Chinese words of the seeded programme, most frequent first. */
export function vocabulary() {
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
  const byCount = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  return { english: byCount(english), chinese: byCount(chinese) };
}

function textGenerator(vocab: { english: string[]; chinese: string[] }) {
  const en = zipfPicker(vocab.english);
  const zh = zipfPicker(vocab.chinese);
  const englishSentence = () => {
    const s = Array.from({ length: randInt(4, 18) }, () => en()).join(" ");
    return `${s[0].toUpperCase()}${s.slice(1)}.`;
  };
  const chineseSentence = () => `${Array.from({ length: randInt(4, 16) }, () => zh()).join("")}。`;
  return (): string => {
    const mode = random();
    const parts: string[] = [];
    for (let i = randInt(1, 6); i > 0; i--) {
      if (mode < 0.45) parts.push(englishSentence());
      else if (mode < 0.75) parts.push(chineseSentence());
      else parts.push(random() < 0.5 ? englishSentence() : chineseSentence());
    }
    return parts.join(mode < 0.45 ? " " : "");
  };
}

// --- COPY text format ---
const escapeCopy = (v: string) => v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
const pgArray = (items: string[]) => `{${items.map((s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
function cell(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return escapeCopy(pgArray(v.map(String)));
  if (typeof v === "object") return escapeCopy(JSON.stringify(v));
  return escapeCopy(String(v));
}

/** COPY `rows` (value arrays in `columns` order) into `table`. */
export async function copyRows(client: pg.Client, table: string, columns: string[], rows: Iterable<unknown[]>): Promise<number> {
  let n = 0;
  function* lines() {
    let chunk: string[] = [];
    for (const row of rows) {
      chunk.push(row.map(cell).join("\t") + "\n");
      n++;
      if (chunk.length >= 2000) {
        yield chunk.join("");
        chunk = [];
      }
    }
    if (chunk.length) yield chunk.join("");
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(",")}) FROM STDIN`)));
  return n;
}

const docOf = (text: string) => ({ type: "doc", content: text.split(/(?<=[.。])\s*/).filter(Boolean).slice(0, 8).map((s) => ({ type: "paragraph", content: [{ type: "text", text: s }] })) });

/** A growable dataset over one database (the caller's pg client). */
export async function openDataset(client: pg.Client) {
  const vocab = vocabulary();
  const text = textGenerator(vocab);
  const regionRows = (await client.query<{ id: string; country: string; slug: string }>("SELECT id, country::text AS country, slug FROM regions")).rows;
  const regionById = new Map(regionRows.map((r) => [r.id, r]));
  const dialogues = (await client.query<{ id: string; region_ids: string[] }>("SELECT d.id, coalesce(array_agg(dr.region_id) FILTER (WHERE dr.region_id IS NOT NULL), '{}') AS region_ids FROM dialogues d LEFT JOIN dialogue_regions dr ON dr.dialogue_id = d.id GROUP BY d.id")).rows;
  const members: { id: string; regionId: string | null }[] = [];
  const threads: { id: string; title: string; dialogue: (typeof dialogues)[number] | null; authorId: string; replies: number; createdAt: Date }[] = [];
  const current: Sizes = { replies: 0, threads: 0, members: 0, caseStudies: 0, notifications: 0 };
  const epoch = Date.UTC(2023, 0, 1);
  let rareEvery = 0;
  const unreadLines = new Set<string>();

  const regionsOf = (dialogue: (typeof dialogues)[number] | null, authorRegion: string | null) => {
    const ids = new Set<string>(dialogue?.region_ids ?? []);
    if (authorRegion) ids.add(authorRegion);
    return { regionIds: [...ids], countries: [...new Set([...ids].map((id) => regionById.get(id)!.country))] };
  };

  /** Grows the database to `target`; returns seconds taken per table. */
  async function grow(target: Sizes): Promise<Record<string, number>> {
    const timings: Record<string, number> = {};
    const timed = async (name: string, fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      timings[name] = (performance.now() - t0) / 1000;
    };
    const newMembers = Array.from({ length: Math.max(0, target.members - current.members) }, (_, i) => ({
      id: newId(),
      regionId: (current.members + i) % 4 === 3 ? null : regionRows[(current.members + i) % regionRows.length].id,
      n: current.members + i,
    }));
    await timed("users", () =>
      copyRows(client, "users", ["id", "email", "password_hash", "display_name", "organisation", "region_id"], newMembers.map((m) => [m.id, `scale-${m.n}@bench.example`, "x", `Member ${m.n} ${text().slice(0, 12)}`, "Benchmark", m.regionId])),
    );
    members.push(...newMembers);
    const memberRegion = new Map(members.map((m) => [m.id, m.regionId]));

    // New threads take the new replies (older threads keep theirs), a skewed number each.
    const threadCount = Math.max(0, target.threads - current.threads);
    const replyCount = Math.max(0, target.replies - current.replies);
    const weights = Array.from({ length: threadCount }, () => 0.2 + random() * 1.8);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const start = epoch + current.threads * 3_600_000;
    const newThreads = weights.map((w, i) => ({
      id: newId(),
      title: text().slice(0, 120),
      dialogue: i % 5 === 0 ? null : dialogues[i % dialogues.length],
      authorId: members[randInt(0, members.length - 1)].id,
      replies: Math.max(1, Math.floor((w / weightSum) * replyCount)),
      createdAt: new Date(start + i * 3_600_000),
    }));
    let assigned = newThreads.reduce((s, t) => s + t.replies, 0);
    for (let i = 0; assigned < replyCount && newThreads.length; i++, assigned++) newThreads[i % newThreads.length].replies++;
    rareEvery = Math.max(1, Math.floor(replyCount / 12));

    // Threads first (replies refer to them), then replies and their index rows in chunks of
    // threads, so a million replies never sit in memory at once.
    await timed("threads", () =>
      copyRows(client, "threads", ["id", "dialogue_id", "title_en", "author_id", "reply_count", "last_post_number", "change_seq", "created_at", "last_activity_at"],
        newThreads.map((t) => [t.id, t.dialogue?.id ?? null, t.title, t.authorId, t.replies, t.replies, t.replies, t.createdAt, new Date(t.createdAt.getTime() + t.replies * 60_000)])),
    );
    /** Every new reply as [id, thread id, author id], for notifications. */
    const replyRefs: [string, string, string][] = [];
    let k = 0;
    timings.replies = 0;
    timings["search index"] = 0;
    const CHUNK_REPLIES = 50_000;
    for (let from = 0; from < newThreads.length; ) {
      const chunk: typeof newThreads = [];
      let size = 0;
      while (from < newThreads.length && (size < CHUNK_REPLIES || chunk.length === 0)) {
        size += newThreads[from].replies;
        chunk.push(newThreads[from++]);
      }
      const replyRows: unknown[][] = [];
      const docs: unknown[][] = [];
      for (const t of chunk) {
        const { regionIds, countries } = regionsOf(t.dialogue, memberRegion.get(t.authorId) ?? null);
        docs.push([`thread:${t.id}`, "thread", t.id, t.id, detectLanguages(t.title), regionIds, countries, t.title, "", tokenString(t.title), "", t.authorId, t.createdAt]);
        for (let p = 1; p <= t.replies; p++, k++) {
          let body = text();
          if (k % rareEvery === 7) body += ` ${RARE_EN} ${RARE_ZH}`;
          const author = members[randInt(0, members.length - 1)].id;
          const id = newId();
          const createdAt = new Date(t.createdAt.getTime() + p * 60_000);
          replyRows.push([id, t.id, author, p, p, docOf(body), body, createdAt]);
          replyRefs.push([id, t.id, author]);
          const r = regionsOf(t.dialogue, memberRegion.get(author) ?? null);
          docs.push([`reply:${id}`, "reply", id, t.id, detectLanguages(body), r.regionIds, r.countries, t.title, body, "", tokenString(body), author, createdAt]);
        }
      }
      let t0 = performance.now();
      await copyRows(client, "replies", ["id", "thread_id", "author_id", "post_number", "change_seq", "content", "text", "created_at"], replyRows);
      timings.replies += (performance.now() - t0) / 1000;
      t0 = performance.now();
      await copyRows(client, "search_documents", ["id", "kind", "ref_id", "thread_id", "languages", "region_ids", "countries", "title", "body", "title_tokens", "body_tokens", "author_id", "created_at"], docs);
      timings["search index"] += (performance.now() - t0) / 1000;
    }
    threads.push(...newThreads);

    // Case studies: published, half public, an English version each, one region.
    const studies = Array.from({ length: Math.max(0, target.caseStudies - current.caseStudies) }, (_, i) => {
      const body = text() + " " + text();
      return { id: newId(), authorId: members[randInt(0, members.length - 1)].id, title: text().slice(0, 100), body, regionId: regionRows[i % regionRows.length].id, isPublic: i % 2 === 0, at: new Date(epoch + (current.caseStudies + i) * 7_200_000) };
    });
    await timed("case studies", async () => {
      await copyRows(client, "case_studies", ["id", "author_id", "status", "is_public", "created_at", "updated_at", "published_at"], studies.map((s) => [s.id, s.authorId, "published", s.isPublic, s.at, s.at, s.at]));
      await copyRows(client, "case_study_versions", ["id", "case_study_id", "language", "title", "summary", "content", "text", "author_id", "created_at", "updated_at"], studies.map((s) => [newId(), s.id, "en", s.title, s.body.slice(0, 200), docOf(s.body), s.body, s.authorId, s.at, s.at]));
      await copyRows(client, "case_study_regions", ["case_study_id", "region_id"], studies.map((s) => [s.id, s.regionId]));
    });

    // Notifications: "reply" lines for members, a share of them for the first member (the reader).
    // At most one unread "reply" line per member and thread (a unique index keeps it so).
    const notifications = Array.from({ length: Math.max(0, target.notifications - current.notifications) }, (_, i) => {
      const row = replyRefs[randInt(0, replyRefs.length - 1)];
      const userId = i % 100 === 0 ? members[0].id : members[randInt(0, members.length - 1)].id;
      const at = new Date(epoch + random() * (Date.now() - epoch));
      const unread = i % 3 === 0 && !unreadLines.has(`${userId}:${row[1]}`);
      if (unread) unreadLines.add(`${userId}:${row[1]}`);
      return [newId(), userId, "reply", row[1], row[0], row[2], at, at, unread ? null : at];
    });
    await timed("notifications", () => copyRows(client, "notifications", ["id", "user_id", "type", "thread_id", "reply_id", "actor_id", "created_at", "updated_at", "read_at"], notifications));
    await timed("vacuum analyze", () => client.query("VACUUM ANALYZE"));
    Object.assign(current, target);
    return timings;
  }

  return { grow, members, threads, vocab, current };
}
