/**
 * A reply as it is stored and shown: preparing rich content for storage (schema check, mention
 * labels), inserting it with the next post number, and turning a stored row into the
 * `ReplyView` every channel sends. Threads, replies and case studies all write replies through
 * here, so this module depends on none of them (it keeps their imports acyclic).
 */
import type { AttributionLevel, Prisma, Thread } from "@prisma/client";
import type { JSONContent } from "@tiptap/core";
import { prisma } from "~/db.server";
import { docToText, parseReplyContent, relabelMentions, renderReplyHtml } from "~/editor/content.server";
import type { ReplyView } from "~/realtime/events";
import { DELETED_MEMBER_ID } from "~/utils/deleted-member";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { isPseudonymous, presentAuthor, replyLevel, type Reader } from "./track2/attribution.server";
import { toTranslationView, translationInclude } from "./translations/present.server";
import { primaryLanguage } from "~/utils/language";

/** What a reply query includes so that `toReplyView` can present it. */
export const replyInclude = {
  author: { select: { id: true, displayName: true, region: { select: { slug: true, nameEn: true, nameZh: true } } } },
  replyTo: { select: { id: true, postNumber: true, authorId: true, attributionLevel: true, participantNumber: true, author: { select: { displayName: true } } } },
  translations: { include: translationInclude, orderBy: { language: "asc" } },
} as const;

export type ReplyRow = Prisma.ReplyGetPayload<{ include: typeof replyInclude }>;

/**
 * The reply as one reader (or a whole room, `ROOM`) sees it, under the stricter of the level it
 * was written under and its thread's level now (`threadNow`): an author the reader may not learn
 * is their pseudonym only — no id, name or region in the payload.
 */
export function toReplyView(row: ReplyRow, reader: Reader, threadNow: AttributionLevel): ReplyView {
  const level = replyLevel(row.attributionLevel, threadNow);
  const replyTo = row.replyTo
    ? isPseudonymous(replyLevel(row.replyTo.attributionLevel, threadNow))
      ? // Quoted and answered speakers are pseudonyms too, even in staff's view: what a reader
        // copies into a reply must not carry a name.
        { id: row.replyTo.id, postNumber: row.replyTo.postNumber, authorName: null, participant: row.replyTo.participantNumber }
      : { id: row.replyTo.id, postNumber: row.replyTo.postNumber, authorName: row.replyTo.author.displayName, participant: null }
    : null;
  return {
    id: row.id,
    threadId: row.threadId,
    postNumber: row.postNumber,
    html: renderReplyHtml(row.content as JSONContent),
    text: row.text,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    hidden: row.hiddenAt ? { reason: row.hiddenReason ?? "" } : null,
    replyTo,
    attribution: level,
    author: presentAuthor(reader, row.author, row.participantNumber, level),
    language: row.language,
    translations: row.translations.map((t) => toTranslationView(t, reader, level, row.editCount)),
    translationRequested: row.translationRequestedAt !== null && !row.translations.some((t) => t.language !== row.language),
    changeSeq: row.changeSeq,
  };
}

export interface PreparedContent {
  content: JSONContent;
  text: string;
  mentionIds: string[];
}

/**
 * Validates rich content (or plain text) and checks the mentioned members exist; mention labels
 * are set to the members' current names so a label cannot impersonate someone.
 * @throws AppError reply_empty | reply_too_long | link_not_allowed | reply_invalid | mention_unknown
 */
export async function prepareReplyContent(input: { content?: unknown; body?: string }): Promise<PreparedContent> {
  const parsed = parseReplyContent(input);
  if (parsed.mentionIds.length === 0) return parsed;
  const members = await prisma.user.findMany({ where: { id: { in: parsed.mentionIds.filter((id) => id !== DELETED_MEMBER_ID) } }, select: { id: true, displayName: true } });
  if (members.length !== parsed.mentionIds.length) throw new AppError("mention_unknown", "Unknown member mentioned", "content");
  const content = relabelMentions(parsed.content, new Map(members.map((m) => [m.id, m.displayName])));
  return { ...parsed, content, text: docToText(content) };
}

/**
 * Inserts a reply inside the caller's transaction: takes the next post number and bumps the
 * thread's count and activity in one UPDATE that also re-checks lock and deletion, so a reply
 * racing a lock is refused and nothing is stored.
 * @throws AppError thread_locked | not_found
 */
export async function insertReply(
  tx: Prisma.TransactionClient,
  args: { thread: Thread; authorId: string; prepared: PreparedContent; replyToId: string | null; idempotencyKey?: string | null },
) {
  const now = new Date();
  // The reply is a change of the thread: it takes the thread's next change number too (catch-up
  // after a reconnect reads "everything after change N", app/models/thread-changes.server.ts).
  const bumped = await tx.$queryRaw<(Thread & { level: AttributionLevel })[]>`
    UPDATE threads SET last_post_number = last_post_number + 1, reply_count = reply_count + 1, last_activity_at = ${now},
      change_seq = change_seq + 1
    WHERE id = ${args.thread.id} AND locked_at IS NULL AND deleted_at IS NULL
    RETURNING id, last_post_number AS "lastPostNumber", change_seq AS "changeSeq",
      COALESCE(attribution_level, (SELECT d.attribution_level FROM dialogues d WHERE d.id = threads.dialogue_id), 'on_record') AS level`;
  if (bumped.length !== 1) {
    const current = await tx.thread.findUnique({ where: { id: args.thread.id } });
    throw current?.lockedAt ? new AppError("thread_locked") : new AppError("not_found");
  }
  const level = bumped[0].level;
  // Naming someone in a thread whose speakers are anonymous would say who is present.
  if (isPseudonymous(level) && args.prepared.mentionIds.length > 0) throw new AppError("mention_not_allowed", "No mentions under the Chatham House Rule", "content");
  const participantNumber = await participantNumberFor(tx, args.thread.id, args.authorId);
  const reply = await tx.reply.create({
    data: {
      id: newId(),
      threadId: args.thread.id,
      authorId: args.authorId,
      postNumber: bumped[0].lastPostNumber,
      changeSeq: bumped[0].changeSeq,
      content: args.prepared.content as Prisma.InputJsonValue,
      text: args.prepared.text,
      replyToId: args.replyToId,
      idempotencyKey: args.idempotencyKey ?? null,
      attributionLevel: level,
      participantNumber,
      language: replyLanguage(args.prepared.content),
      createdAt: now,
    },
    include: replyInclude,
  });
  const thread = await tx.thread.findUniqueOrThrow({ where: { id: args.thread.id } });
  return { reply, thread };
}


/**
 * The author's pseudonym number in the thread, handed out in order of first post. Call with the
 * thread's row locked (insertReply's UPDATE), so two first posts never take the same number.
 */
export async function participantNumberFor(tx: Prisma.TransactionClient, threadId: string, userId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ number: number }[]>`
    WITH added AS (
      INSERT INTO thread_participants (thread_id, user_id, number)
      SELECT ${threadId}, ${userId}, COALESCE(MAX(number), 0) + 1 FROM thread_participants WHERE thread_id = ${threadId}
      ON CONFLICT (thread_id, user_id) DO NOTHING
      RETURNING number)
    SELECT number FROM added
    UNION ALL
    SELECT number FROM thread_participants WHERE thread_id = ${threadId} AND user_id = ${userId}`;
  return rows[0]!.number;
}

/**
 * Refuses mentions in a thread whose speakers are anonymous (editing a reply goes through here).
 * @throws AppError mention_not_allowed
 */
export function assertMentionsAllowed(level: AttributionLevel, prepared: PreparedContent): void {
  if (isPseudonymous(level) && prepared.mentionIds.length > 0) throw new AppError("mention_not_allowed", "No mentions under the Chatham House Rule", "content");
}

/**
 * The language a reply is written in: of its own words, not of what it quotes (a Chinese answer
 * under an English quote is Chinese); the whole text when it is nothing but a quote.
 */
export function replyLanguage(content: JSONContent): "en" | "zh" {
  const own = { ...content, content: (content.content ?? []).filter((node) => node.type !== "blockquote") };
  const text = docToText(own).trim();
  return primaryLanguage(text || docToText(content));
}
