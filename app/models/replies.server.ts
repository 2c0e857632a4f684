/**
 * Threads and their replies. Reading needs a signed-in member. Replies are plain text for
 * now (paragraphs split by blank lines), 1–20,000 characters, listed oldest first with keyset
 * pagination on (created_at, id). A new reply is broadcast to `thread:<id>` after commit.
 */
import { z } from "~/utils/validation";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ReplyView } from "~/realtime/events";
import { publish } from "~/realtime/publish.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { REPLY_MAX_LENGTH } from "~/utils/limits";

export { REPLY_MAX_LENGTH };
export const REPLIES_PAGE_SIZE = 50;

export const replyInput = z.object({
  threadId: z.string().min(1).max(40),
  body: z.string().max(REPLY_MAX_LENGTH * 2, { message: "reply_too_long" }),
});

const replySelect = {
  id: true,
  threadId: true,
  body: true,
  createdAt: true,
  author: {
    select: { id: true, displayName: true, region: { select: { slug: true, nameEn: true, nameZh: true } } },
  },
} as const;

type ReplyRow = {
  id: string;
  threadId: string;
  body: string;
  createdAt: Date;
  author: ReplyView["author"];
};

export function toReplyView(row: ReplyRow): ReplyView {
  return { id: row.id, threadId: row.threadId, body: row.body, createdAt: row.createdAt.toISOString(), author: row.author };
}

/** Normalises line endings and trims; throws on empty or over-long text. */
export function normaliseReplyBody(body: string): string {
  const text = body.replace(/\r\n?/g, "\n").trim();
  if (text.length === 0) throw new AppError("reply_empty", "Reply is empty", "body");
  if (text.length > REPLY_MAX_LENGTH) throw new AppError("reply_too_long", "Reply is too long", "body");
  return text;
}

/**
 * @throws AppError unauthenticated | forbidden | not_found
 */
export async function getThread(actor: Actor | null, threadId: string) {
  assertCan(actor, "thread.read", `thread:${threadId}`);
  const thread = await prisma.thread.findUnique({
    where: { id: threadId },
    include: { dialogue: { select: { slug: true, titleEn: true, titleZh: true } } },
  });
  if (!thread) throw new AppError("not_found");
  return thread;
}

/** Whether the actor may read the thread (used when a socket joins its room). */
export async function canReadThread(actor: Actor | null, threadId: string): Promise<boolean> {
  try {
    await getThread(actor, threadId);
    return true;
  } catch {
    return false;
  }
}

export interface ReplyPage {
  replies: ReplyView[];
  /** Replies exist before this page (cursor for them: `before=<first id>`). */
  hasOlder: boolean;
  /** Replies exist after this page (cursor for them: `after=<last id>`). */
  hasNewer: boolean;
}

/**
 * One page of replies, oldest first, by keyset on (created_at, id): the first page, the page
 * after the reply `after`, the page before the reply `before`, or the last page (`last`).
 * @throws AppError unauthenticated | forbidden | not_found
 */
export async function listReplies(
  actor: Actor | null,
  threadId: string,
  options: { after?: string | null; before?: string | null; last?: boolean; limit?: number } = {},
): Promise<ReplyPage> {
  await getThread(actor, threadId);
  const limit = Math.min(Math.max(options.limit ?? REPLIES_PAGE_SIZE, 1), 200);
  const cursorId = options.after ?? options.before ?? null;
  const cursor = cursorId
    ? await prisma.reply.findFirst({ where: { id: cursorId, threadId }, select: { createdAt: true, id: true } })
    : null;
  const backwards = Boolean(options.last || (options.before && cursor));
  const keyset = cursor
    ? options.after
      ? { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] }
      : { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }
    : {};
  const direction = backwards ? "desc" : "asc";
  const rows = await prisma.reply.findMany({
    where: { threadId, ...keyset },
    orderBy: [{ createdAt: direction }, { id: direction }],
    take: limit + 1,
    select: replySelect,
  });
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();
  return {
    replies: page.map(toReplyView),
    hasOlder: backwards ? more : Boolean(cursor),
    hasNewer: backwards ? Boolean(cursor) : more,
  };
}

/**
 * Adds a reply, bumps the thread's count and activity in one transaction, then broadcasts it.
 * @throws AppError unauthenticated | forbidden | not_found | reply_empty | reply_too_long | validation
 */
export async function createReply(actor: Actor | null, input: z.input<typeof replyInput>): Promise<ReplyView> {
  assertCan(actor, "reply.create", `thread:${input.threadId}`);
  const parsed = replyInput.safeParse(input);
  if (!parsed.success) {
    const tooLong = parsed.error.issues.some((i) => i.message === "reply_too_long");
    throw tooLong ? new AppError("reply_too_long", "Reply is too long", "body") : new AppError("validation");
  }
  const body = normaliseReplyBody(parsed.data.body);
  const row = await prisma.$transaction(async (tx) => {
    const now = new Date();
    const bumped = await tx.thread.updateMany({
      where: { id: parsed.data.threadId },
      data: { replyCount: { increment: 1 }, lastActivityAt: now },
    });
    if (bumped.count !== 1) throw new AppError("not_found");
    return tx.reply.create({
      data: { id: newId(), threadId: parsed.data.threadId, authorId: actor!.id, body, createdAt: now },
      select: replySelect,
    });
  });
  const reply = toReplyView(row);
  publish({ type: "reply.created", reply, committedAt: performance.timeOrigin + performance.now() });
  return reply;
}
