/**
 * A reply as it is stored and shown: preparing rich content for storage (schema check, mention
 * labels), inserting it with the next post number, and turning a stored row into the
 * `ReplyView` every channel sends. Threads, replies and case studies all write replies through
 * here, so this module depends on none of them (it keeps their imports acyclic).
 */
import type { Prisma, Thread } from "@prisma/client";
import type { JSONContent } from "@tiptap/core";
import { prisma } from "~/db.server";
import { docToText, parseReplyContent, relabelMentions, renderReplyHtml } from "~/editor/content.server";
import type { ReplyView } from "~/realtime/events";
import { DELETED_MEMBER_ID } from "~/utils/deleted-member";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";

/** What a reply query includes so that `toReplyView` can present it. */
export const replyInclude = {
  author: { select: { id: true, displayName: true, region: { select: { slug: true, nameEn: true, nameZh: true } } } },
  replyTo: { select: { id: true, postNumber: true, author: { select: { displayName: true } } } },
} as const;

export type ReplyRow = Prisma.ReplyGetPayload<{ include: typeof replyInclude }>;

/** The reply as channels show it; `hidden` details only when the reader may see them. */
export function toReplyView(row: ReplyRow): ReplyView {
  return {
    id: row.id,
    threadId: row.threadId,
    postNumber: row.postNumber,
    html: renderReplyHtml(row.content as JSONContent),
    text: row.text,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    hidden: row.hiddenAt ? { reason: row.hiddenReason ?? "" } : null,
    replyTo: row.replyTo ? { id: row.replyTo.id, postNumber: row.replyTo.postNumber, authorName: row.replyTo.author.displayName } : null,
    author: row.author,
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
  const bumped = await tx.$queryRaw<Thread[]>`
    UPDATE threads SET last_post_number = last_post_number + 1, reply_count = reply_count + 1, last_activity_at = ${now},
      change_seq = change_seq + 1
    WHERE id = ${args.thread.id} AND locked_at IS NULL AND deleted_at IS NULL
    RETURNING id, last_post_number AS "lastPostNumber", change_seq AS "changeSeq"`;
  if (bumped.length !== 1) {
    const current = await tx.thread.findUnique({ where: { id: args.thread.id } });
    throw current?.lockedAt ? new AppError("thread_locked") : new AppError("not_found");
  }
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
      createdAt: now,
    },
    include: replyInclude,
  });
  const thread = await tx.thread.findUniqueOrThrow({ where: { id: args.thread.id } });
  return { reply, thread };
}

