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
 * or more characters match through their bigrams (all of them), and a lone Han character or a
 * query that finds nothing falls back to a trigram (`pg_trgm`) substring match. Results are
 * ranked by `ts_rank_cd` (titles weigh more) and carry highlighted snippets.
 *
 * Visibility: the index holds rows only for content that is neither deleted nor hidden, and every
 * write that changes visibility updates it in the same transaction; drafts are found by their
 * author only, members-only content by members only, public case studies by anyone.
 */
import { Prisma, type PrismaClient, type SearchKind } from "@prisma/client";
import { prisma } from "~/db.server";
import { isActive, type Actor } from "~/policy.server";
import { z } from "~/utils/validation";

type Db = PrismaClient | Prisma.TransactionClient;

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/** Max characters of body kept per document (the rest is not searchable). */
const MAX_BODY = 50_000;

/** Tokens for indexing: segmenter words (lower-cased) plus the bigrams of every Han run. */
export function indexTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text.slice(0, MAX_BODY))) {
    if (isWordLike) tokens.push(segment.toLowerCase());
  }
  for (const run of text.slice(0, MAX_BODY).match(HAN_RUN) ?? []) {
    for (let i = 0; i + 2 <= run.length; i++) tokens.push(run.slice(i, i + 2));
  }
  return tokens;
}

/** Tokens joined for storage; PostgreSQL's `simple` parser splits them on spaces again. */
export function tokenString(text: string): string {
  return indexTokens(text)
    .map((t) => t.replace(/[^\p{L}\p{N}_]+/gu, " ").trim())
    .filter(Boolean)
    .join(" ");
}

/** 'en' when the text has Latin letters, 'zh' when it has Han characters (both when both). */
export function detectLanguages(text: string): string[] {
  const languages: string[] = [];
  if (/[A-Za-z]{2,}/.test(text)) languages.push("en");
  if (HAN.test(text)) languages.push("zh");
  return languages.length ? languages : ["en"];
}

export interface ParsedQuery {
  /** A `to_tsquery('simple', …)` expression, or null when no term is indexable. */
  tsquery: string | null;
  /** Terms used for highlighting and the trigram fallback. */
  terms: string[];
}

/** Segments a search query into a tsquery (AND of terms; Latin words as prefixes). */
export function parseQuery(q: string): ParsedQuery {
  const parts: string[] = [];
  const terms: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(q)) {
    if (!isWordLike) continue;
    const word = segment.toLowerCase().replace(/[^\p{L}\p{N}_]+/gu, "");
    if (!word) continue;
    terms.push(word);
    if (HAN.test(word)) continue; // Han words are matched through bigrams below
    parts.push(`${word}:*`);
  }
  for (const run of q.match(HAN_RUN) ?? []) {
    if (run.length < 2) continue;
    for (let i = 0; i + 2 <= run.length; i++) parts.push(run.slice(i, i + 2));
    if (!terms.includes(run)) terms.push(run);
  }
  const unique = [...new Set(parts)];
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
}

async function upsertDocument(db: Db, doc: DocumentInput): Promise<void> {
  const body = doc.body.slice(0, MAX_BODY);
  const data = {
    caseStudyId: doc.caseStudyId ?? null,
    threadId: doc.threadId ?? null,
    languages: doc.languages ?? detectLanguages(`${doc.title}\n${body}`),
    regionIds: doc.regionIds,
    countries: doc.countries,
    title: doc.title,
    body,
    titleTokens: tokenString(doc.title),
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
  const [dialogueRegions, author] = await Promise.all([
    thread.dialogueId ? db.dialogueRegion.findMany({ where: { dialogueId: thread.dialogueId }, include: { region: true } }) : [],
    thread.authorId ? db.user.findUnique({ where: { id: thread.authorId }, include: { region: true } }) : null,
  ]);
  const regions = [...dialogueRegions.map((r) => r.region), ...(author?.region ? [author.region] : [])];
  return { regionIds: [...new Set(regions.map((r) => r.id))], countries: [...new Set(regions.map((r) => r.country as string))] };
}

/**
 * (Re)indexes a thread's title, or removes it when the thread is deleted.
 * Call inside the transaction that changed the thread.
 */
export async function indexThread(db: Db, threadId: string): Promise<void> {
  const thread = await db.thread.findUnique({ where: { id: threadId } });
  if (!thread || thread.deletedAt) {
    await db.searchDocument.deleteMany({ where: { threadId } });
    return;
  }
  const { regionIds, countries } = await threadRegions(db, thread);
  const title = [thread.titleEn, thread.titleZh].filter(Boolean).join(" / ");
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
  const reply = await db.reply.findUnique({ where: { id: replyId }, include: { thread: true, author: { include: { region: true } } } });
  if (!reply || reply.deletedAt || reply.hiddenAt || reply.thread.deletedAt) {
    await unindex(db, "reply", [replyId]);
    return;
  }
  const { regionIds, countries } = await threadRegions(db, { dialogueId: reply.thread.dialogueId, authorId: reply.authorId });
  await upsertDocument(db, {
    kind: "reply",
    refId: reply.id,
    threadId: reply.threadId,
    regionIds,
    countries,
    title: [reply.thread.titleEn, reply.thread.titleZh].filter(Boolean).join(" / "),
    body: reply.text,
    languages: detectLanguages(reply.text),
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
  const [threads, studies] = await Promise.all([
    db.thread.findMany({ where: { deletedAt: null }, select: { id: true } }),
    db.caseStudy.findMany({ where: { deletedAt: null }, select: { id: true } }),
  ]);
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

export const searchInput = z.object({
  q: z.string().trim().max(200).default(""),
  type: z.enum(["case_study", "thread", "reply"]).optional(),
  region: z.string().max(40).optional(),
  country: z.enum(["US", "CN"]).optional(),
  language: z.enum(["en", "zh"]).optional(),
  page: z.coerce.number().int().min(1).max(50).default(1),
});

export interface SearchHit {
  kind: SearchKind;
  refId: string;
  caseStudyId: string | null;
  threadId: string | null;
  title: string;
  /** HTML-escaped text with the matched terms wrapped in <mark>. */
  snippetHtml: string;
  titleHtml: string;
  languages: string[];
  createdAt: string;
  rank: number;
}

export const SEARCH_PAGE_SIZE = 20;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Wraps every occurrence of the terms in <mark> (case-insensitive), escaping the rest. */
export function highlight(text: string, terms: string[]): string {
  if (!terms.length) return escapeHtml(text);
  const pattern = new RegExp(`(${terms.map(escapeRegExp).sort((a, b) => b.length - a.length).join("|")})`, "giu");
  return text
    .split(pattern)
    .map((piece, i) => (i % 2 === 1 ? `<mark>${escapeHtml(piece)}</mark>` : escapeHtml(piece)))
    .join("");
}

/** A window of the body around the first matched term (about 220 characters). */
export function snippet(body: string, terms: string[], width = 220): string {
  const lower = body.toLowerCase();
  let at = -1;
  for (const term of terms) {
    const i = lower.indexOf(term.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, (at < 0 ? 0 : at) - Math.floor(width / 3));
  const piece = body.slice(start, start + width).replace(/\s+/g, " ").trim();
  return `${start > 0 ? "… " : ""}${piece}${start + width < body.length ? " …" : ""}`;
}

/**
 * Runs a search for the actor. Signed-out readers find public, published case studies only.
 * @returns ranked hits (20 per page) and whether more pages exist
 */
export async function search(actor: Actor | null, input: z.input<typeof searchInput>) {
  const params = searchInput.parse(input);
  const { tsquery, terms } = parseQuery(params.q);
  if (!params.q || (!tsquery && terms.length === 0)) return { hits: [] as SearchHit[], hasMore: false, query: params };
  const member = isActive(actor);
  const conditions: Prisma.Sql[] = [];
  if (member) {
    conditions.push(Prisma.sql`(d.published OR d.author_id = ${actor!.id})`);
  } else {
    conditions.push(Prisma.sql`(d.published AND d.is_public AND d.kind = 'case_study')`);
  }
  if (params.type) conditions.push(Prisma.sql`d.kind = ${params.type}::"SearchKind"`);
  if (params.region) conditions.push(Prisma.sql`${params.region} = ANY(d.region_ids)`);
  if (params.country) conditions.push(Prisma.sql`${params.country} = ANY(d.countries)`);
  if (params.language) conditions.push(Prisma.sql`${params.language} = ANY(d.languages)`);
  const filters = joinSql(conditions);
  const offset = (params.page - 1) * SEARCH_PAGE_SIZE;

  type Row = {
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
  let rows: Row[] = [];
  if (tsquery) {
    rows = await prisma.$queryRaw<Row[]>`
      SELECT d.kind, d.ref_id, d.case_study_id, d.thread_id, d.title, d.body, d.languages, d.created_at,
             ts_rank_cd(d.tsv, q) AS rank
      FROM search_documents d, to_tsquery('simple', ${tsquery}) q
      WHERE d.tsv @@ q AND ${filters}
      ORDER BY rank DESC, d.created_at DESC
      LIMIT ${SEARCH_PAGE_SIZE + 1} OFFSET ${offset}`;
  }
  if (rows.length === 0 && params.page === 1) {
    // Fallback: substring match (a single Chinese character, a fragment of a word, …).
    const like = `%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    rows = await prisma.$queryRaw<Row[]>`
      SELECT d.kind, d.ref_id, d.case_study_id, d.thread_id, d.title, d.body, d.languages, d.created_at,
             similarity(d.title, ${params.q}) AS rank
      FROM search_documents d
      WHERE (d.title ILIKE ${like} OR d.body ILIKE ${like}) AND ${filters}
      ORDER BY rank DESC, d.created_at DESC
      LIMIT ${SEARCH_PAGE_SIZE + 1}`;
  }
  const highlightTerms = terms.length ? terms : [params.q];
  return {
    hits: rows.slice(0, SEARCH_PAGE_SIZE).map(
      (r): SearchHit => ({
        kind: r.kind,
        refId: r.ref_id,
        caseStudyId: r.case_study_id,
        threadId: r.thread_id,
        title: r.title,
        titleHtml: highlight(r.title, highlightTerms),
        snippetHtml: highlight(snippet(r.body || r.title, highlightTerms), highlightTerms),
        languages: r.languages,
        createdAt: r.created_at.toISOString(),
        rank: Number(r.rank),
      }),
    ),
    hasMore: rows.length > SEARCH_PAGE_SIZE,
    query: params,
  };
}

function joinSql(parts: Prisma.Sql[]): Prisma.Sql {
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`;
}
