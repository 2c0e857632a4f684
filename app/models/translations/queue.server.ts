/**
 * The translation queue at /translations (docs/decisions/041-translation-queue.md): replies and
 * thread titles with no translation into the network's other language, and translations an edit
 * has left behind. Requested ones first, then newest first; filterable by dialogue and region.
 *
 * One SQL query picks the items (a UNION of replies and titles, so the two share one order and one
 * page); Prisma then loads what each shows. Only what the reader may read is listed: not deleted,
 * not hidden (a hidden reply cannot be translated, staff included), off-the-record threads only to
 * their dialogue's approved participants and staff — the rule of `listableThreadsWhere`.
 */
import { Prisma, type AttributionLevel } from "@prisma/client";
import type { JSONContent } from "@tiptap/core";
import { prisma } from "~/db.server";
import { renderReplyHtml } from "~/editor/content.server";
import type { Lang } from "~/i18n/config";
import { assertCan, isStaff, type Actor } from "~/policy.server";
import type { ReplyAuthor } from "~/realtime/events";
import { pick } from "~/utils/content";
import { otherLanguage } from "~/utils/language";
import { truncate } from "~/utils/text";
import { participantDialogueIds } from "../track2/access.server";
import { presentAuthor, replyLevel, threadLevel, type Reader } from "../track2/attribution.server";
import { presentTitle, titleTranslations } from "./titles.server";

export const QUEUE_PAGE_SIZE = 20;
/** The header's count stops here ("99+"): counting further would cost more than it tells. */
export const QUEUE_COUNT_CAP = 100;

export interface QueueFilters {
  /** A dialogue's slug. */
  dialogue?: string | null;
  /** A region's slug. */
  region?: string | null;
}

interface Reading {
  /** The reader (note comments are listed to the notes' members who may comment). */
  userId: string;
  staff: boolean;
  /** Dialogues whose off-the-record threads the reader may read (unused for staff). */
  mine: string[];
  dialogueId: string | null;
  regionId: string | null;
}

/** The item rows the query returns, in queue order. */
interface Row {
  kind: "reply" | "title" | "case_study_comment" | "note_comment";
  id: string;
  requested_at: Date | null;
  at: Date;
  outdated: boolean;
}

/** A thread's level now, in SQL (`t` the thread, `d` its dialogue, left-joined). */
const THREAD_LEVEL = Prisma.sql`COALESCE(t.attribution_level, d.attribution_level, 'on_record'::"AttributionLevel")`;

/** Threads the reader may list: as `listableThreadsWhere`, in SQL. */
function readableThread(r: Reading): Prisma.Sql {
  if (r.staff) return Prisma.sql`t.deleted_at IS NULL`;
  const mine = r.mine.length ? Prisma.sql` OR t.dialogue_id = ANY(${r.mine}::text[])` : Prisma.empty;
  return Prisma.sql`t.deleted_at IS NULL AND (${THREAD_LEVEL} <> 'off_the_record'${mine})`;
}

/**
 * The region filter. The author's region counts only where the reader may learn who spoke (on
 * the record); otherwise an item matches a region only through its dialogue's regions, so a
 * filter never tells a reader where an anonymous speaker comes from.
 */
function inRegion(r: Reading, onRecord: Prisma.Sql, authorRegion: Prisma.Sql): Prisma.Sql {
  if (!r.regionId) return Prisma.empty;
  return Prisma.sql` AND (EXISTS (SELECT 1 FROM dialogue_regions dr WHERE dr.dialogue_id = t.dialogue_id AND dr.region_id = ${r.regionId})
    OR (${onRecord} AND ${authorRegion} = ${r.regionId}))`;
}

function inDialogue(r: Reading): Prisma.Sql {
  return r.dialogueId ? Prisma.sql` AND t.dialogue_id = ${r.dialogueId}` : Prisma.empty;
}

/**
 * Replies waiting: no translation into the other language, or one made from an earlier revision.
 * A machine translation counts as a translation (decision 041).
 */
function replyItems(r: Reading): Prisma.Sql {
  const onRecord = Prisma.sql`(r.attribution_level = 'on_record' AND ${THREAD_LEVEL} = 'on_record')`;
  return Prisma.sql`
    SELECT 'reply' AS kind, r.id, r.translation_requested_at AS requested_at,
      CASE WHEN rt.id IS NULL THEN r.created_at ELSE COALESCE(r.edited_at, r.created_at) END AS at,
      (rt.id IS NOT NULL) AS outdated
    FROM replies r
    JOIN threads t ON t.id = r.thread_id
    LEFT JOIN dialogues d ON d.id = t.dialogue_id
    JOIN users au ON au.id = r.author_id
    LEFT JOIN reply_translations rt ON rt.reply_id = r.id AND rt.language <> r.language
    WHERE r.deleted_at IS NULL AND r.hidden_at IS NULL AND ${readableThread(r)}
      AND (rt.id IS NULL OR rt.source_revision < r.edit_count)${inDialogue(r)}${inRegion(r, onRecord, Prisma.sql`au.region_id`)}`;
}

/**
 * Titles waiting: no translation into the other language (an English title's own Chinese title,
 * given with older threads, counts as one), or one made from an earlier wording of the title.
 */
function titleItems(r: Reading): Prisma.Sql {
  const onRecord = Prisma.sql`(${THREAD_LEVEL} = 'on_record')`;
  return Prisma.sql`
    SELECT 'title' AS kind, t.id, t.title_translation_requested_at AS requested_at, t.created_at AS at,
      (tt.thread_id IS NOT NULL) AS outdated
    FROM threads t
    LEFT JOIN dialogues d ON d.id = t.dialogue_id
    LEFT JOIN users au ON au.id = t.author_id
    LEFT JOIN thread_title_translations tt ON tt.thread_id = t.id AND tt.language <> t.title_language
    WHERE ${readableThread(r)}
      AND ((tt.thread_id IS NULL AND NOT (t.title_language = 'en' AND t.title_zh <> ''))
        OR tt.source_title <> t.title_en)${inDialogue(r)}${inRegion(r, onRecord, Prisma.sql`au.region_id`)}`;
}

/**
 * Comments waiting: on published case studies (comments are on the record) and on the notes the
 * reader may comment on (owner, editor, commenter), with no translation into the other language
 * or one made from text the comment no longer has. A case-study comment matches a region through
 * the case study's regions or its author's; it belongs to no dialogue, so a dialogue filter leaves
 * it out. A note comment matches through its note's dialogue and regions, or its author's region.
 */
function commentItems(r: Reading): Prisma.Sql {
  const studyRegion = r.regionId
    ? Prisma.sql` AND (EXISTS (SELECT 1 FROM case_study_regions cr WHERE cr.case_study_id = c.case_study_id AND cr.region_id = ${r.regionId}) OR au.region_id = ${r.regionId})`
    : Prisma.empty;
  const noteRegion = r.regionId
    ? Prisma.sql` AND (EXISTS (SELECT 1 FROM note_regions nr WHERE nr.note_id = n.id AND nr.region_id = ${r.regionId}) OR au.region_id = ${r.regionId})`
    : Prisma.empty;
  const studies = r.dialogueId
    ? Prisma.empty
    : Prisma.sql`
    UNION ALL
    SELECT 'case_study_comment' AS kind, c.id, NULL::timestamptz AS requested_at, c.created_at AS at, (ct.id IS NOT NULL) AS outdated
    FROM case_study_comments c
    JOIN case_studies cs ON cs.id = c.case_study_id
    JOIN users au ON au.id = c.author_id
    LEFT JOIN comment_translations ct ON ct.case_study_comment_id = c.id AND ct.language <> c.language
    WHERE c.deleted_at IS NULL AND cs.deleted_at IS NULL AND cs.status = 'published'
      AND (ct.id IS NULL OR ct.source_text <> c.text)${studyRegion}`;
  return Prisma.sql`${studies}
    UNION ALL
    SELECT 'note_comment' AS kind, c.id, NULL::timestamptz AS requested_at, c.created_at AS at, (ct.id IS NOT NULL) AS outdated
    FROM note_comments c
    JOIN note_comment_threads th ON th.id = c.thread_id
    JOIN notes n ON n.id = th.note_id
    JOIN users au ON au.id = c.author_id
    LEFT JOIN comment_translations ct ON ct.note_comment_id = c.id AND ct.language <> c.language
    WHERE c.deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM note_members nm WHERE nm.note_id = n.id AND nm.user_id = ${r.userId} AND nm.role IN ('owner', 'editor', 'commenter'))
      AND (ct.id IS NULL OR ct.source_text <> c.body)${r.dialogueId ? Prisma.sql` AND n.dialogue_id = ${r.dialogueId}` : Prisma.empty}${noteRegion}`;
}

/** Who is reading and what they filter by; unknown filter slugs match nothing. */
async function reading(actor: Actor, filters: QueueFilters): Promise<Reading | null> {
  const staff = isStaff(actor);
  const [mine, dialogue, region] = await Promise.all([
    staff ? [] : participantDialogueIds(actor.id),
    filters.dialogue ? prisma.dialogue.findUnique({ where: { slug: filters.dialogue }, select: { id: true } }) : null,
    filters.region ? prisma.region.findUnique({ where: { slug: filters.region }, select: { id: true } }) : null,
  ]);
  if ((filters.dialogue && !dialogue) || (filters.region && !region)) return null;
  return { userId: actor.id, staff, mine, dialogueId: dialogue?.id ?? null, regionId: region?.id ?? null };
}

/** What every item of the queue has. */
interface QueueItemBase {
  id: string;
  from: Lang;
  to: Lang;
  requested: boolean;
  outdated: boolean;
  at: string;
  excerpt: string;
  /** The outdated translation's text, to start from. */
  previous: string;
}

type Speaker = ReplyAuthor | { id: string; displayName: string; participant: number | null; staffOnly: boolean };

/** One item of the queue as a reader sees it. */
export type QueueItem =
  | (QueueItemBase & {
      kind: "reply";
      /** The whole original, rendered, to translate from. */
      html: string;
      postNumber: number;
      author: Speaker;
      thread: { id: string; title: string };
      attribution: AttributionLevel;
    })
  | (QueueItemBase & { kind: "title"; author: Speaker | null; thread: { id: string; title: string }; attribution: AttributionLevel })
  | CommentQueueItem;

/** A waiting comment (on a case study, or on a note's text). */
export interface CommentQueueItem extends QueueItemBase {
  kind: "case_study_comment" | "note_comment";
  requested: false;
  /** Comments are on the record: their authors are named. */
  author: { id: string; displayName: string; participant: null; staffOnly: false };
  /** Where the comment is: the case study or the note. */
  place: { href: string; title: string };
}

/**
 * A page of the queue: requested items first (newest request first), then newest first.
 * @param options.page 1-based
 * @throws AppError unauthenticated | suspended
 */
export async function listTranslationQueue(
  actor: Actor | null,
  options: QueueFilters & { page?: number; locale: Lang },
): Promise<{ items: QueueItem[]; page: number; hasMore: boolean }> {
  assertCan(actor, "thread.create");
  const page = Math.max(1, Math.min(Math.floor(options.page ?? 1) || 1, 1000));
  const r = await reading(actor, options);
  if (!r) return { items: [], page, hasMore: false };
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT * FROM (${replyItems(r)} UNION ALL ${titleItems(r)} ${commentItems(r)}) q
    ORDER BY (q.requested_at IS NULL), COALESCE(q.requested_at, q.at) DESC, q.id DESC
    LIMIT ${QUEUE_PAGE_SIZE + 1} OFFSET ${(page - 1) * QUEUE_PAGE_SIZE}`;
  const shown = rows.slice(0, QUEUE_PAGE_SIZE);
  return { items: await presentItems(actor, shown, options.locale), page, hasMore: rows.length > QUEUE_PAGE_SIZE };
}

const threadSelect = {
  id: true,
  titleEn: true,
  titleZh: true,
  titleLanguage: true,
  titleTranslationRequestedAt: true,
  attributionLevel: true,
  dialogueId: true,
  authorId: true,
  dialogue: { select: { attributionLevel: true } },
  author: { select: { id: true, displayName: true } },
  participants: { select: { userId: true, number: true } },
} as const;

/** The rows as items: authors under the attribution rules, titles in the reader's language. */
async function presentItems(actor: Actor, rows: Row[], locale: Lang): Promise<QueueItem[]> {
  const reader: Reader = { id: actor.id, staff: isStaff(actor) };
  const replyIds = rows.filter((row) => row.kind === "reply").map((row) => row.id);
  const replies = replyIds.length
    ? await prisma.reply.findMany({
        where: { id: { in: replyIds } },
        include: { author: { select: { id: true, displayName: true } }, thread: { select: threadSelect }, translations: { select: { language: true, text: true } } },
      })
    : [];
  const threadIds = rows.filter((row) => row.kind === "title").map((row) => row.id);
  const threads = threadIds.length
    ? await prisma.thread.findMany({ where: { id: { in: threadIds } }, select: { ...threadSelect, titleTranslations: { select: { language: true, title: true } } } })
    : [];
  const allThreads = [...threads, ...replies.map((reply) => reply.thread)];
  const titleRows = await titleTranslations([...new Set(allThreads.map((t) => t.id))]);
  const shownTitle = (t: (typeof allThreads)[number]) => presentTitle(t, titleRows.get(t.id) ?? [], locale, reader, threadLevel(t)).title;
  const replyById = new Map(replies.map((reply) => [reply.id, reply]));
  const threadById = new Map(threads.map((t) => [t.id, t]));

  const comments = await presentComments(rows, locale);
  const items: QueueItem[] = [];
  for (const row of rows) {
    if (row.kind === "case_study_comment" || row.kind === "note_comment") {
      const comment = comments.get(row.id);
      if (comment) items.push({ ...comment, outdated: row.outdated, at: row.at.toISOString() });
      continue;
    }
    if (row.kind === "reply") {
      const reply = replyById.get(row.id);
      if (!reply) continue;
      const level = replyLevel(reply.attributionLevel, threadLevel(reply.thread));
      const to = otherLanguage(reply.language);
      items.push({
        kind: "reply",
        id: reply.id,
        from: reply.language,
        to,
        requested: reply.translationRequestedAt !== null,
        outdated: row.outdated,
        at: row.at.toISOString(),
        excerpt: truncate(reply.text, 280),
        html: renderReplyHtml(reply.content as JSONContent),
        previous: reply.translations.find((t) => t.language === to)?.text ?? "",
        postNumber: reply.postNumber,
        author: presentAuthor(reader, reply.author, reply.participantNumber, level),
        thread: { id: reply.thread.id, title: shownTitle(reply.thread) },
        attribution: level,
      });
    } else {
      const thread = threadById.get(row.id);
      if (!thread) continue;
      const level = threadLevel(thread);
      const to = otherLanguage(thread.titleLanguage);
      // The thread's starter is a speaker too: their pseudonym is their number in the thread.
      const number = thread.participants.find((p) => p.userId === thread.authorId)?.number ?? 0;
      items.push({
        kind: "title",
        id: thread.id,
        from: thread.titleLanguage,
        to,
        requested: thread.titleTranslationRequestedAt !== null,
        outdated: row.outdated,
        at: row.at.toISOString(),
        excerpt: thread.titleEn,
        previous: thread.titleTranslations.find((t) => t.language === to)?.title ?? "",
        author: thread.author ? presentAuthor(reader, thread.author, number, level) : null,
        thread: { id: thread.id, title: thread.titleEn },
        attribution: level,
      });
    }
  }
  return items;
}

/**
 * How many items wait, up to QUEUE_COUNT_CAP, for a member whose profile lists both English and
 * Chinese; null for everyone else (they see the link without a count). One bounded query.
 */
export async function translationQueueCount(actor: Actor | null, knownLanguages?: readonly string[]): Promise<number | null> {
  if (!actor) return null;
  // The session may already carry the profile's languages; otherwise one lookup by key.
  const languages = knownLanguages ?? (await prisma.user.findUnique({ where: { id: actor.id }, select: { languages: true } }))?.languages ?? [];
  if (!languages.includes("en") || !languages.includes("zh")) return null;
  const r = await reading(actor, {});
  if (!r) return null;
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM (${replyItems(r)} UNION ALL ${titleItems(r)} ${commentItems(r)} LIMIT ${QUEUE_COUNT_CAP}) q`;
  return row?.count ?? 0;
}

/** The dialogues and regions the queue can be filtered by, named in the reader's language. */
export async function queueFilterOptions(locale: Lang) {
  const [dialogues, regions] = await Promise.all([
    prisma.dialogue.findMany({ where: { threads: { some: { deletedAt: null } } }, select: { slug: true, titleEn: true, titleZh: true }, orderBy: [{ seriesId: "asc" }, { position: "asc" }] }),
    prisma.region.findMany({ select: { slug: true, nameEn: true, nameZh: true, country: true }, orderBy: { position: "asc" } }),
  ]);
  return {
    dialogues: dialogues.map((d) => ({ slug: d.slug, title: pick(locale, d.titleEn, d.titleZh) })),
    regions: regions.map((r) => ({ slug: r.slug, name: pick(locale, r.nameEn, r.nameZh), country: r.country })),
  };
}

/** The comment rows as items (text, author, where), by id. */
async function presentComments(rows: Row[], locale: Lang): Promise<Map<string, Omit<CommentQueueItem, "outdated" | "at">>> {
  const ids = (kind: Row["kind"]) => rows.filter((row) => row.kind === kind).map((row) => row.id);
  const [studyComments, noteComments] = await Promise.all([
    ids("case_study_comment").length
      ? prisma.caseStudyComment.findMany({
          where: { id: { in: ids("case_study_comment") } },
          include: { author: { select: { id: true, displayName: true } }, translations: true, caseStudy: { select: { id: true, versions: { select: { language: true, title: true } } } } },
        })
      : [],
    ids("note_comment").length
      ? prisma.noteComment.findMany({
          where: { id: { in: ids("note_comment") } },
          include: { author: { select: { id: true, displayName: true } }, translations: true, thread: { select: { note: { select: { id: true, title: true } } } } },
        })
      : [],
  ]);
  const out = new Map<string, Omit<CommentQueueItem, "outdated" | "at">>();
  const author = (a: { id: string; displayName: string }) => ({ ...a, participant: null, staffOnly: false as const });
  for (const c of studyComments) {
    const to = otherLanguage(c.language);
    const title = c.caseStudy.versions.find((v) => v.language === locale)?.title ?? c.caseStudy.versions[0]?.title ?? "";
    const previous = c.translations.find((t) => t.language === to)?.text ?? "";
    out.set(c.id, { kind: "case_study_comment", id: c.id, from: c.language, to, requested: false, excerpt: truncate(c.text, 2000), previous, author: author(c.author), place: { href: `/case-studies/${c.caseStudy.id}#comments`, title } });
  }
  for (const c of noteComments) {
    const to = otherLanguage(c.language);
    const previous = c.translations.find((t) => t.language === to)?.text ?? "";
    out.set(c.id, { kind: "note_comment", id: c.id, from: c.language, to, requested: false, excerpt: c.body, previous, author: author(c.author), place: { href: `/notes/${c.thread.note.id}`, title: c.thread.note.title } });
  }
  return out;
}
