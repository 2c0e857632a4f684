/**
 * Search across case studies, threads and replies (and policy notes later), in English and
 * Chinese.
 *
 * Indexing: Chinese has no spaces, so text is segmented with `Intl.Segmenter('zh', { granularity:
 * 'word' })` (DESIGN.md) before it reaches PostgreSQL's `simple` text-search configuration; every
 * run of Han characters also contributes its character bigrams, so a two-character word is found
 * even where the segmenter grouped it into a longer word. Latin words are lower-cased.
 *
 * Querying: the query is segmented the same way; Latin words match as prefixes, Han runs of two
 * or more characters match through their bigrams (all of them), a lone Han character as the
 * prefix of a bigram, and a Latin query that finds nothing falls back to a trigram (`pg_trgm`)
 * substring match. Results are
 * ranked by `ts_rank_cd` (titles weigh more) and carry highlighted snippets.
 *
 * Visibility: the index holds rows only for content that is neither deleted nor hidden, and every
 * write that changes visibility updates it in the same transaction; drafts are found by their
 * author only, members-only content by members only, public case studies by anyone.
 */
import { contentMayLeavePage, isPseudonymous, replyLevel, threadLevel } from "./track2/attribution.server";
import { Prisma, type PrismaClient, type SearchKind } from "@prisma/client";
import { prisma } from "~/db.server";
import { isActive, type Actor } from "~/policy.server";
import { z } from "~/utils/validation";
import { cutAtGrapheme, sliceAtGraphemes } from "~/utils/text";

type Db = PrismaClient | Prisma.TransactionClient;

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
/** What survives of a word: letters (with their combining marks) and digits. Everything else,
 * including every character with a meaning in tsquery syntax (`&|!():*<>'\\`), splits it. */
const WORD_PART = /[\p{L}\p{M}\p{N}]+/gu;
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/** Max characters of body kept per document (the rest is not searchable). */
const MAX_BODY = 50_000;
/** Max characters of a query that are looked at. */
export const MAX_QUERY = 200;
/** Max tsquery terms (a pasted paragraph must not become a 500-term AND). */
const MAX_QUERY_PARTS = 24;

/** NFKC folds full-width Latin letters and digits (common in Chinese input) to ASCII. */
function normalise(text: string): string {
  return text.normalize("NFKC");
}

/** The indexable parts of one segmenter word, lower-cased: "can't" → ["can", "t"]. */
function wordParts(segment: string): string[] {
  return segment.toLowerCase().match(WORD_PART) ?? [];
}

/** Tokens for indexing: segmenter words (lower-cased) plus the bigrams of every Han run. */
export function indexTokens(text: string): string[] {
  const source = normalise(text.slice(0, MAX_BODY));
  const tokens: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(source)) {
    if (isWordLike) tokens.push(...wordParts(segment));
  }
  for (const run of source.match(HAN_RUN) ?? []) {
    for (let i = 0; i + 2 <= run.length; i++) tokens.push(run.slice(i, i + 2));
  }
  return tokens;
}

/** Tokens joined for storage; PostgreSQL's `simple` parser splits them on spaces again. */
export function tokenString(text: string): string {
  return indexTokens(text).join(" ");
}

import { detectLanguages } from "~/utils/language";
import type { Lang } from "~/i18n/config";
export { detectLanguages };

export interface ParsedQuery {
  /** A `to_tsquery('simple', …)` expression, or null when no term is indexable. */
  tsquery: string | null;
  /** Terms used for highlighting and the trigram fallback. */
  terms: string[];
}

/**
 * Segments a search query into a tsquery: an AND of terms, Latin words of two or more
 * characters as prefixes, Han runs of two or more characters through their bigrams. Only
 * letters and digits reach the tsquery, so no input can break its syntax.
 */
export function parseQuery(q: string): ParsedQuery {
  const source = normalise(q.slice(0, MAX_QUERY));
  const parts: string[] = [];
  const terms: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(source)) {
    if (!isWordLike) continue;
    for (const word of wordParts(segment)) {
      terms.push(word);
      if (HAN.test(word)) {
        // Longer Han words are matched through bigrams below. A lone character matches as a
        // prefix: every bigram (or one-character word) that starts with it; only an occurrence
        // at the very end of a run of Han characters is missed.
        if (word.length === 1) parts.push(`${word}:*`);
        continue;
      }
      // A one-letter prefix would expand to a large part of the dictionary.
      parts.push(word.length > 1 ? `${word}:*` : word);
    }
  }
  for (const run of source.match(HAN_RUN) ?? []) {
    if (run.length < 2) continue;
    for (let i = 0; i + 2 <= run.length; i++) parts.push(run.slice(i, i + 2));
    terms.push(run);
  }
  const unique = [...new Set(parts)].slice(0, MAX_QUERY_PARTS);
  return { tsquery: unique.length ? unique.join(" & ") : null, terms: [...new Set(terms)] };
}

interface DocumentInput {
  kind: SearchKind;
  refId: string;
  caseStudyId?: string | null;
  threadId?: string | null;
  regionIds: string[];
  countries: string[];
  title: string;
  body: string;
  authorId: string | null;
  published: boolean;
  isPublic: boolean;
  createdAt: Date;
  languages?: string[];
  /** False for replies: their title is the thread's, shown for context but found through the
   * thread's own document (else every reply of a thread would outrank real matches). */
  indexTitle?: boolean;
}

async function upsertDocument(db: Db, doc: DocumentInput): Promise<void> {
  const body = cutAtGrapheme(doc.body, MAX_BODY);
  const data = {
    caseStudyId: doc.caseStudyId ?? null,
    threadId: doc.threadId ?? null,
    languages: doc.languages ?? detectLanguages(`${doc.title}\n${body}`),
    regionIds: doc.regionIds,
    countries: doc.countries,
    title: doc.title,
    body,
    titleTokens: doc.indexTitle === false ? "" : tokenString(doc.title),
    bodyTokens: tokenString(body),
    authorId: doc.authorId,
    published: doc.published,
    isPublic: doc.isPublic,
    createdAt: doc.createdAt,
    updatedAt: new Date(),
  };
  await db.searchDocument.upsert({
    where: { kind_refId: { kind: doc.kind, refId: doc.refId } },
    create: { id: `${doc.kind}:${doc.refId}`, kind: doc.kind, refId: doc.refId, ...data },
    update: data,
  });
}

/** Removes documents (deleted or hidden content). */
export async function unindex(db: Db, kind: SearchKind, refIds: string[]): Promise<void> {
  if (refIds.length) await db.searchDocument.deleteMany({ where: { kind, refId: { in: refIds } } });
}

async function threadRegions(db: Db, thread: { dialogueId: string | null; authorId: string | null }) {
  // One after the other: `db` is usually a transaction, whose one connection cannot run two
  // statements at once (pg 8 queues them with a deprecation warning; pg 9 will refuse).
  const dialogueRegions = thread.dialogueId ? await db.dialogueRegion.findMany({ where: { dialogueId: thread.dialogueId }, include: { region: true } }) : [];
  const author = thread.authorId ? await db.user.findUnique({ where: { id: thread.authorId }, include: { region: true } }) : null;
  const regions = [...dialogueRegions.map((r) => r.region), ...(author?.region ? [author.region] : [])];
  return { regionIds: [...new Set(regions.map((r) => r.id))], countries: [...new Set(regions.map((r) => r.country as string))] };
}

/**
 * (Re)indexes a thread's title, or removes it when the thread is deleted.
 * Call inside the transaction that changed the thread.
 */
export async function indexThread(db: Db, threadId: string): Promise<void> {
  const thread = await db.thread.findUnique({ where: { id: threadId }, include: { dialogue: { select: { attributionLevel: true } } } });
  const level = thread ? threadLevel(thread) : "on_record";
  // Off the record: the words never leave the page, so nothing of the thread is in the index.
  if (!thread || thread.deletedAt || !contentMayLeavePage(level)) {
    await db.searchDocument.deleteMany({ where: { threadId } });
    return;
  }
  // Under the Chatham House Rule the author's region would be their affiliation: only the dialogue's.
  const { regionIds, countries } = await threadRegions(db, { dialogueId: thread.dialogueId, authorId: isPseudonymous(level) ? null : thread.authorId });
  // A title is found by its translations' words too.
  const translated = await db.threadTitleTranslation.findMany({ where: { threadId }, select: { title: true } });
  const title = [thread.titleEn, thread.titleZh, ...translated.map((t) => t.title)].filter(Boolean).join(" / ");
  await upsertDocument(db, {
    kind: "thread",
    refId: thread.id,
    threadId: thread.id,
    regionIds,
    countries,
    title,
    body: "",
    authorId: thread.authorId,
    published: true,
    isPublic: false,
    createdAt: thread.createdAt,
  });
}

/**
 * (Re)indexes a reply, or removes it when it (or its thread) is deleted or hidden.
 * Call inside the transaction that changed the reply.
 */
export async function indexReply(db: Db, replyId: string): Promise<void> {
  const reply = await db.reply.findUnique({
    where: { id: replyId },
    include: { thread: { include: { dialogue: { select: { attributionLevel: true } } } }, translations: { select: { language: true, text: true } } },
  });
  const level = reply ? replyLevel(reply.attributionLevel, threadLevel(reply.thread)) : "on_record";
  if (!reply || reply.deletedAt || reply.hiddenAt || reply.thread.deletedAt || !contentMayLeavePage(level)) {
    await unindex(db, "reply", [replyId]);
    return;
  }
  const { regionIds, countries } = await threadRegions(db, { dialogueId: reply.thread.dialogueId, authorId: isPseudonymous(level) ? null : reply.authorId });
  await upsertDocument(db, {
    kind: "reply",
    refId: reply.id,
    threadId: reply.threadId,
    regionIds,
    countries,
    title: [reply.thread.titleEn, reply.thread.titleZh].filter(Boolean).join(" / "),
    // Found by the words of either version (docs/decisions/040-translations-of-replies.md); the
    // snippet is taken from the reader's language at query time.
    body: [reply.text, ...reply.translations.map((t) => t.text)].join("\n\n"),
    languages: [...new Set([...detectLanguages(reply.text), ...reply.translations.map((t) => t.language as string)])],
    indexTitle: false,
    authorId: reply.authorId,
    published: true,
    isPublic: false,
    createdAt: reply.createdAt,
  });
}

/**
 * Builds the index from scratch when it is empty but content exists (a database that predates
 * search, or a restored backup). Runs at start-up under the seed lock.
 * @returns the number of documents written
 */
export async function backfillIfEmpty(db: Db): Promise<number> {
  if ((await db.searchDocument.count()) > 0) return 0;
  const threads = await db.thread.findMany({ where: { deletedAt: null }, select: { id: true } });
  const studies = await db.caseStudy.findMany({ where: { deletedAt: null }, select: { id: true } });
  for (const t of threads) await reindexThreadWithReplies(db, t.id);
  for (const c of studies) await indexCaseStudy(db, c.id);
  return db.searchDocument.count();
}

/** Reindexes a thread and all its visible replies (after a move or an undelete). */
export async function reindexThreadWithReplies(db: Db, threadId: string): Promise<void> {
  await indexThread(db, threadId);
  const replies = await db.reply.findMany({ where: { threadId }, select: { id: true } });
  for (const r of replies) await indexReply(db, r.id);
}

/**
 * (Re)indexes every language version of a case study, or removes them when it is deleted.
 * One document per version (`refId` = version id). Call inside the writing transaction.
 */
export async function indexCaseStudy(db: Db, caseStudyId: string): Promise<void> {
  const study = await db.caseStudy.findUnique({
    where: { id: caseStudyId },
    include: { versions: true, regions: { include: { region: true } } },
  });
  const existing = await db.searchDocument.findMany({ where: { caseStudyId, kind: "case_study" }, select: { refId: true } });
  if (!study || study.deletedAt) {
    await unindex(db, "case_study", existing.map((d) => d.refId));
    return;
  }
  const regionIds = study.regions.map((r) => r.regionId);
  const countries = [...new Set(study.regions.map((r) => r.region.country as string))];
  for (const version of study.versions) {
    await upsertDocument(db, {
      kind: "case_study",
      refId: version.id,
      caseStudyId: study.id,
      regionIds,
      countries,
      title: version.title,
      body: [version.summary, version.text].filter(Boolean).join("\n\n"),
      languages: [version.language],
      authorId: study.authorId,
      published: study.status === "published",
      isPublic: study.isPublic,
      createdAt: study.publishedAt ?? study.createdAt,
    });
  }
  const live = new Set(study.versions.map((v) => v.id));
  await unindex(db, "case_study", existing.map((d) => d.refId).filter((id) => !live.has(id)));
}

/**
 * Search parameters as they come from a URL. Nothing here rejects: an unknown type, country or
 * language is dropped, a long query is cut, a page out of range is clamped, so any URL someone
 * types or shares gives a page rather than an error.
 */
export const searchInput = z.object({
  q: z
    .string()
    .default("")
    .catch("")
    .transform((q) => q.replace(/\s+/g, " ").trim().slice(0, MAX_QUERY)),
  type: z.enum(["case_study", "thread", "reply"]).optional().catch(undefined),
  /** A region's slug. */
  region: z.string().regex(/^[a-z0-9-]{1,60}$/).optional().catch(undefined),
  country: z.enum(["US", "CN"]).optional().catch(undefined),
  language: z.enum(["en", "zh"]).optional().catch(undefined),
  page: z.coerce
    .number()
    .int()
    .optional()
    .catch(1)
    .transform((n) => Math.min(Math.max(n ?? 1, 1), MAX_PAGE)),
});

export type SearchParams = z.output<typeof searchInput>;

/** Reads search parameters from a URL's query string (empty values count as absent). */
export function searchParamsFrom(params: URLSearchParams): SearchParams {
  const raw: Record<string, string> = {};
  for (const key of ["q", "type", "region", "country", "language", "page"]) {
    const value = params.get(key);
    if (value) raw[key] = value;
  }
  return searchInput.parse(raw);
}

export interface SearchHit {
  kind: SearchKind;
  refId: string;
  caseStudyId: string | null;
  threadId: string | null;
  /** A reply's number in its thread (for the link to it); null for other kinds. */
  postNumber: number | null;
  title: string;
  /** HTML-escaped text with the matched terms wrapped in <mark>. */
  snippetHtml: string;
  titleHtml: string;
  languages: string[];
  createdAt: string;
  rank: number;
}

export interface SearchResult {
  hits: SearchHit[];
  hasMore: boolean;
  query: SearchParams;
}

export const SEARCH_PAGE_SIZE = 20;
/** Deeper pages cost more (OFFSET) and nobody reads them; refine the query instead. */
export const MAX_PAGE = 25;
/** How many of the newest matches are ranked (see `search`); well above MAX_PAGE pages. */
const RANKED_CANDIDATES = 2_000;
/** How many of the newest title matches are always among the ranked candidates. */
const TITLE_CANDIDATES = 500;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function termPattern(terms: string[]): RegExp | null {
  const usable = [...new Set(terms.filter(Boolean))].sort((a, b) => b.length - a.length);
  return usable.length ? new RegExp(`(${usable.map(escapeRegExp).join("|")})`, "giu") : null;
}

/** Wraps every occurrence of the terms in <mark> (case-insensitive), escaping the rest. */
export function highlight(text: string, terms: string[]): string {
  const pattern = termPattern(terms);
  if (!pattern) return escapeHtml(text);
  return text
    .split(pattern)
    .map((piece, i) => (i % 2 === 1 ? `<mark>${escapeHtml(piece)}</mark>` : escapeHtml(piece)))
    .join("");
}

/** A window of the text around the first matched term (about `width` characters). */
export function snippet(body: string, terms: string[], width = 220): string {
  const pattern = termPattern(terms);
  const at = pattern ? body.search(pattern) : -1;
  const from = Math.max(0, (at < 0 ? 0 : at) - Math.floor(width / 3));
  // Whole characters only: never half an emoji or a letter without its accent.
  const piece = sliceAtGraphemes(body, from, from + width);
  const text = piece.text.replace(/\s+/g, " ").trim();
  return `${piece.start > 0 ? "… " : ""}${text}${piece.end < body.length ? " …" : ""}`;
}

type Row = {
  id: string;
  kind: SearchKind;
  ref_id: string;
  case_study_id: string | null;
  thread_id: string | null;
  title: string;
  body: string;
  languages: string[];
  created_at: Date;
  rank: number;
};

/**
 * Runs a search for the actor. Members find published content and their own drafts;
 * signed-out (or suspended) readers find public, published case studies only.
 *
 * Ranking: documents whose title alone matches every term come first, then by `ts_rank_cd`
 * (normalised by document length, so a long body does not win by repetition), then newest.
 * Only the newest RANKED_CANDIDATES matches (plus the newest TITLE_CANDIDATES title matches)
 * are ranked, which bounds the cost of very common terms.
 * A query with no full-text match at all (a lone Chinese character, a fragment inside a word)
 * falls back to a substring match ranked by title similarity.
 * @returns ranked hits (20 per page) and whether more pages exist
 */
export async function search(actor: Actor | null, input: z.input<typeof searchInput>, db: PrismaClient = prisma, locale: Lang = "en"): Promise<SearchResult> {
  const params = searchInput.parse(input);
  const empty: SearchResult = { hits: [], hasMore: false, query: params };
  const { tsquery, terms } = parseQuery(params.q);
  if (!params.q || terms.length === 0) return empty;

  const conditions: Prisma.Sql[] = [];
  if (isActive(actor)) {
    conditions.push(Prisma.sql`(d.published OR d.author_id = ${actor.id})`);
  } else {
    conditions.push(Prisma.sql`(d.kind = 'case_study' AND d.published AND d.is_public)`);
  }
  if (params.type) conditions.push(Prisma.sql`d.kind = ${params.type}::"SearchKind"`);
  if (params.region) {
    const region = await db.region.findUnique({ where: { slug: params.region }, select: { id: true } });
    if (!region) return empty;
    conditions.push(Prisma.sql`d.region_ids @> ARRAY[${region.id}]::text[]`);
  }
  if (params.country) conditions.push(Prisma.sql`d.countries @> ARRAY[${params.country}]::text[]`);
  if (params.language) conditions.push(Prisma.sql`d.languages @> ARRAY[${params.language}]::text[]`);
  const filters = Prisma.join(conditions, " AND ");
  const offset = (params.page - 1) * SEARCH_PAGE_SIZE;
  const limit = SEARCH_PAGE_SIZE + 1;

  let rows: Row[] = [];
  let fullText = false;
  if (!tsquery && !substringSearchable(params.q)) return empty;
  if (tsquery) {
    rows = await db.$queryRaw<Row[]>(fullTextQuery(tsquery, filters, limit, offset));
    fullText = rows.length > 0 || (params.page > 1 && (await anyFullTextMatch(db, tsquery, filters)));
  }
  if (!fullText && substringSearchable(params.q)) {
    // Substring fallback (a fragment inside a word, "ification"), served by the trigram indexes.
    const like = `%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    rows = await db.$queryRaw<Row[]>`
      SELECT d.id, d.kind, d.ref_id, d.case_study_id, d.thread_id, d.title, d.body, d.languages, d.created_at,
             similarity(d.title, ${params.q}) AS rank
      FROM search_documents d
      WHERE (d.title ILIKE ${like} OR d.body ILIKE ${like}) AND ${filters}
      ORDER BY (d.title ILIKE ${like}) DESC, rank DESC, d.created_at DESC, d.id
      LIMIT ${limit} OFFSET ${offset}`;
  }

  const page = rows.slice(0, SEARCH_PAGE_SIZE);
  const replies = await standingReplies(db, page, locale);
  const highlightTerms = fullText ? terms : [params.q, ...terms];
  const hits = page
    // A reply missing from the lookup was deleted or hidden after the page was read: never show it.
    .filter((r) => r.kind !== "reply" || replies.has(r.ref_id))
    .map(
      (r): SearchHit => ({
        kind: r.kind,
        refId: r.ref_id,
        caseStudyId: r.case_study_id,
        threadId: r.thread_id,
        postNumber: r.kind === "reply" ? replies.get(r.ref_id)!.postNumber : null,
        title: r.title,
        titleHtml: highlight(r.title, highlightTerms),
        snippetHtml: highlight(snippet((r.kind === "reply" ? replies.get(r.ref_id)!.text : r.body) || r.title, highlightTerms), highlightTerms),
        languages: r.languages,
        createdAt: r.created_at.toISOString(),
        rank: Number(r.rank),
      }),
    );
  return { hits, hasMore: rows.length > SEARCH_PAGE_SIZE, query: params };
}

/**
 * The full-text query. Ranking every match of a very common term (half the index for "and")
 * costs seconds at 100,000 documents, so only bounded candidate sets are ranked: the newest
 * title matches and the newest matches anywhere. Below the caps (every rare or ordinary term)
 * this is exactly "rank all matches"; above them, old body-only matches of a common term drop
 * out. Exported for the benchmark's EXPLAIN.
 */
export function fullTextQuery(tsquery: string, filters: Prisma.Sql, limit: number, offset: number): Prisma.Sql {
  return Prisma.sql`
    WITH candidates AS (
      (SELECT d.id FROM search_documents d
       WHERE d.title_tsv @@ to_tsquery('simple', ${tsquery}) AND ${filters}
       ORDER BY d.created_at DESC LIMIT ${TITLE_CANDIDATES})
      UNION
      (SELECT d.id FROM search_documents d
       WHERE d.tsv @@ to_tsquery('simple', ${tsquery}) AND ${filters}
       ORDER BY d.created_at DESC LIMIT ${RANKED_CANDIDATES})
    )
    SELECT d.id, d.kind, d.ref_id, d.case_study_id, d.thread_id, d.title, d.body, d.languages, d.created_at,
           ts_rank_cd(d.tsv, q, 1) AS rank, (d.title_tsv @@ q) AS title_hit
    FROM candidates c JOIN search_documents d ON d.id = c.id, to_tsquery('simple', ${tsquery}) q
    ORDER BY title_hit DESC, rank DESC, d.created_at DESC, d.id
    LIMIT ${limit} OFFSET ${offset}`;
}

/**
 * Whether the substring fallback may run: only where the trigram indexes serve it (three or
 * more characters; shorter patterns make ILIKE read every document, about a second at 100,000
 * replies) and only for non-Chinese queries (a Han query already matches like a substring,
 * through its bigrams, so the fallback could find nothing more).
 */
function substringSearchable(q: string): boolean {
  return q.length >= 3 && !HAN.test(q);
}

async function anyFullTextMatch(db: PrismaClient, tsquery: string, filters: Prisma.Sql): Promise<boolean> {
  const found = await db.$queryRaw<{ one: number }[]>`
    SELECT 1 AS one FROM search_documents d, to_tsquery('simple', ${tsquery}) q WHERE d.tsv @@ q AND ${filters} LIMIT 1`;
  return found.length > 0;
}

/**
 * The visible replies among the rows: post number (for `#post-<n>` links) and the text a snippet
 * is cut from — the translation into the reader's language where there is one, else the original.
 */
async function standingReplies(db: PrismaClient, rows: Row[], locale: Lang): Promise<Map<string, { postNumber: number; text: string }>> {
  const ids = rows.filter((r) => r.kind === "reply").map((r) => r.ref_id);
  if (!ids.length) return new Map();
  const replies = await db.reply.findMany({
    where: { id: { in: ids }, deletedAt: null, hiddenAt: null, thread: { deletedAt: null } },
    select: { id: true, postNumber: true, text: true, language: true, translations: { where: { language: locale }, select: { text: true } } },
  });
  return new Map(replies.map((r) => [r.id, { postNumber: r.postNumber, text: r.language !== locale && r.translations[0] ? r.translations[0].text : r.text }]));
}
