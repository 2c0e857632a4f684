/**
 * Threads: listing (per dialogue or the general "Network" category, pinned first, then by last
 * activity, keyset-paginated), starting a thread (title + first post), reading positions,
 * watching levels (Discourse's watching / tracking / normal / muted, per thread and per
 * category) and each reader's unread count.
 *
 * Unread = visible replies by others numbered after the reader's read position; it is computed
 * from the replies themselves, so a deleted or hidden reply never leaves a thread unread.
 */
import { Prisma, type AttributionLevel, type Thread, type WatchLevel } from "@prisma/client";
import { prisma, readRows } from "~/db.server";
import { decodeTimeCursor, encodeTimeCursor } from "~/utils/cursor";
import { assertCan, can, isActive, isStaff, type Actor, type ThreadResource } from "~/policy.server";
import { categoryKeyOf, type ThreadState } from "~/realtime/events";
import type { ParsedCommandInput } from "~/realtime/commands";
import { publishAll, type DomainEvent } from "~/realtime/publish.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { primaryLanguage } from "~/utils/language";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { assertCaseStudyLinkable } from "./case-studies.server";
import { insertReply, prepareReplyContent } from "./reply-rows.server";
import { markThreadNotificationsRead, notifyReplyRecipients } from "./notifications.server";
import { indexReply, indexThread } from "./search.server";
import { findThreadWithDialogue } from "./thread-row.server";
import { authorVisibility, threadLevel } from "./track2/attribution.server";
import { participantDialogueIds, threadAccess, type ThreadAccess } from "./track2/access.server";

export const THREADS_PAGE_SIZE = 30;

/** 3 new threads per member per 10 minutes. */
const threadLimiter = singleton("limiter:thread", () => createLimiter({ keyPrefix: "crn:thread", points: 3, duration: 600 }));

/** The thread as the rules see it, with what its attribution level means for this reader. */
export function threadResource(thread: Pick<Thread, "id" | "authorId" | "lockedAt" | "deletedAt">, access: ThreadAccess): ThreadResource {
  return { id: thread.id, authorId: thread.authorId, lockedAt: thread.lockedAt, deletedAt: thread.deletedAt, offTheRecord: access.offTheRecord, participant: access.participant };
}

export function isPinned(thread: Pick<Thread, "pinnedAt" | "pinnedUntil">, now = new Date()): boolean {
  return thread.pinnedAt !== null && (thread.pinnedUntil === null || thread.pinnedUntil > now);
}

export function threadState(thread: Thread): ThreadState {
  return {
    threadId: thread.id,
    dialogueId: thread.dialogueId,
    locked: thread.lockedAt !== null,
    pinned: isPinned(thread),
    slowModeSeconds: thread.slowModeSeconds,
    deleted: thread.deletedAt !== null,
  };
}

/**
 * The thread, if the actor may read it (deleted threads are not found).
 * @throws AppError unauthenticated | suspended | not_found
 */
export async function getThread(actor: Actor | null, threadId: string) {
  const thread = await findThreadWithDialogue(threadId);
  if (!actor) assertCan(actor, "thread.create"); // signed out → unauthenticated, before revealing existence
  if (!thread || thread.deletedAt) throw new AppError("not_found");
  const access = await threadAccess(actor, thread);
  const resource = threadResource(thread, access);
  // A suspended member is told so; an off-the-record thread is "not found" to those it is closed
  // to (its existence is news too).
  if (!isActive(actor)) assertCan(actor, "thread.read", resource);
  if (!can(actor, "thread.read", resource)) throw new AppError("not_found");
  return { ...thread, access };
}

/** Whether the actor may read the thread (used when a socket joins its room). */
export async function canReadThread(actor: Actor | null, threadId: string): Promise<boolean> {
  const thread = await findThreadWithDialogue(threadId);
  return thread !== null && can(actor, "thread.read", threadResource(thread, await threadAccess(actor, thread)));
}

/**
 * Where-clause for the threads a member may list: everything but off-the-record threads of
 * dialogues they do not take part in (staff see all).
 */
export async function listableThreadsWhere(actor: Actor): Promise<Prisma.ThreadWhereInput> {
  if (isStaff(actor)) return {};
  const mine = await participantDialogueIds(actor.id);
  // Written as what may be listed (not NOT(...)), so a NULL level never drops a thread.
  return {
    OR: [
      { attributionLevel: { in: ["on_record", "chatham_house"] } },
      { attributionLevel: null, OR: [{ dialogueId: null }, { dialogue: { attributionLevel: { not: "off_the_record" } } }] },
      ...(mine.length ? [{ dialogueId: { in: mine } }] : []),
    ],
  };
}

/** Each thread's unread count for the member (visible replies by others after their position). */
export async function unreadCounts(userId: string, threadIds: string[]): Promise<Map<string, number>> {
  if (threadIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ thread_id: string; unread: number }[]>`
    SELECT r.thread_id, count(*)::int AS unread
    FROM replies r
    LEFT JOIN thread_reads tr ON tr.thread_id = r.thread_id AND tr.user_id = ${userId}
    WHERE r.thread_id = ANY(${threadIds}) AND r.deleted_at IS NULL AND r.hidden_at IS NULL
      AND r.author_id <> ${userId} AND r.post_number > COALESCE(tr.last_read_post_number, 0)
    GROUP BY r.thread_id`;
  return new Map(rows.map((r) => [r.thread_id, r.unread]));
}

/** The member's effective level per thread: the thread's own, else its category's, else normal. */
export async function watchLevels(
  userId: string,
  threads: { id: string; dialogueId: string | null }[],
): Promise<Map<string, WatchLevel>> {
  if (threads.length === 0) return new Map();
  // One statement for both kinds (each is read through its primary key).
  const rows = await prisma.$queryRaw<{ kind: "thread" | "category"; key: string; level: WatchLevel }[]>`
    SELECT 'thread' AS kind, thread_id AS key, level::text AS level FROM thread_watches
      WHERE user_id = ${userId} AND thread_id = ANY(${threads.map((t) => t.id)})
    UNION ALL
    SELECT 'category', category_key, level::text FROM category_watches
      WHERE user_id = ${userId} AND category_key = ANY(${[...new Set(threads.map((t) => categoryKeyOf(t.dialogueId)))]})`;
  const byThread = new Map(rows.filter((w) => w.kind === "thread").map((w) => [w.key, w.level]));
  const byCategory = new Map(rows.filter((w) => w.kind === "category").map((w) => [w.key, w.level]));
  return new Map(
    threads.map((t) => [t.id, byThread.get(t.id) ?? byCategory.get(categoryKeyOf(t.dialogueId)) ?? "normal"]),
  );
}

export interface ThreadListItem {
  id: string;
  titleEn: string;
  titleZh: string;
  dialogueId: string | null;
  replyCount: number;
  lastActivityAt: string;
  createdAt: string;
  pinned: boolean;
  locked: boolean;
  /** Null when the reader may not learn who started it (the Chatham House Rule). */
  author: { id: string; displayName: string } | null;
  attribution: AttributionLevel;
  /** Shown for tracking and watching levels only (Discourse's rule). */
  unread: number | null;
  level: WatchLevel;
}

/**
 * Threads of a category, pinned ones first (on the first page), then by last activity.
 * @param options.cursor `<lastActivityAt ISO>_<id>` of the previous page's last thread
 * @throws AppError unauthenticated | suspended
 */
export async function listThreads(
  actor: Actor | null,
  options: { dialogueId: string | null; cursor?: string | null; limit?: number },
): Promise<{ threads: ThreadListItem[]; nextCursor: string | null }> {
  assertCan(actor, "thread.create");
  const limit = Math.min(Math.max(options.limit ?? THREADS_PAGE_SIZE, 1), 100);
  const now = new Date();
  const base: Prisma.ThreadWhereInput = { dialogueId: options.dialogueId, deletedAt: null, ...(await listableThreadsWhere(actor)) };
  const activePin: Prisma.ThreadWhereInput = { pinnedAt: { not: null }, OR: [{ pinnedUntil: null }, { pinnedUntil: { gt: now } }] };
  const include = { author: { select: { id: true, displayName: true } }, dialogue: { select: { attributionLevel: true } } } as const;

  const cursor = decodeTimeCursor(options.cursor);
  const pinned = cursor ? [] : await prisma.thread.findMany({ where: { ...base, ...activePin }, orderBy: { pinnedAt: "desc" }, include });
  const rest = await prisma.thread.findMany({
    where: {
      ...base,
      NOT: activePin,
      ...(cursor ? { OR: [{ lastActivityAt: { lt: cursor.at } }, { lastActivityAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    include,
  });
  const page = rest.slice(0, limit);
  const all = [...pinned, ...page];
  const [unread, levels] = await Promise.all([unreadCounts(actor.id, all.map((t) => t.id)), watchLevels(actor.id, all)]);
  const last = page[page.length - 1];
  return {
    threads: all.map((t) => {
      const level = levels.get(t.id) ?? "normal";
      return {
        id: t.id,
        titleEn: t.titleEn,
        titleZh: t.titleZh,
        dialogueId: t.dialogueId,
        replyCount: t.replyCount,
        lastActivityAt: t.lastActivityAt.toISOString(),
        createdAt: t.createdAt.toISOString(),
        pinned: isPinned(t, now),
        locked: t.lockedAt !== null,
        // A thread's starter is a speaker like any other under the Chatham House Rule.
        author: t.author && authorVisibility({ id: actor.id, staff: isStaff(actor) }, t.author.id, threadLevel(t)) === "named" ? t.author : null,
        attribution: threadLevel(t),
        unread: level === "tracking" || level === "watching" ? (unread.get(t.id) ?? 0) : null,
        level,
      };
    }),
    nextCursor: rest.length > limit && last ? encodeTimeCursor(last.lastActivityAt, last.id) : null,
  };
}

/**
 * Starts a thread with its first post; the author watches it. Started from a case study
 * (`caseStudyId`, which the author must be able to read), the thread links back to it.
 * @throws AppError unauthenticated | suspended | not_found (dialogue, case study) | title_required |
 *   reply_empty | reply_too_long | link_not_allowed | reply_invalid | mention_unknown | rate_limited
 */
export async function createThread(actor: Actor | null, input: ParsedCommandInput<"thread.create">) {
  assertCan(actor, "thread.create");
  const dialogueId = input.dialogueId ?? null;
  if (dialogueId && !(await prisma.dialogue.findUnique({ where: { id: dialogueId }, select: { id: true } }))) {
    throw new AppError("not_found");
  }
  const caseStudyId = input.caseStudyId ?? null;
  if (caseStudyId) await assertCaseStudyLinkable(actor, caseStudyId);
  const prepared = await prepareReplyContent(input);
  if (!isStaff(actor)) await consume(threadLimiter, actor.id);
  const events: DomainEvent[] = [];
  const { thread, reply, recipients } = await prisma.$transaction(async (tx) => {
    const thread = await tx.thread.create({
      data: { id: newId(), dialogueId, caseStudyId, titleEn: input.title, titleZh: "", titleLanguage: primaryLanguage(input.title), authorId: actor.id },
    });
    const { reply, thread: bumped } = await insertReply(tx, { thread, authorId: actor.id, prepared, replyToId: null });
    await tx.threadWatch.create({ data: { userId: actor.id, threadId: thread.id, level: "watching" } });
    await tx.threadRead.create({ data: { userId: actor.id, threadId: thread.id, lastReadPostNumber: reply.postNumber } });
    const recipients = await notifyReplyRecipients(tx, { thread: bumped, reply, actorId: actor.id, mentionIds: prepared.mentionIds, replyToAuthorId: null });
    await indexThread(tx, thread.id);
    await indexReply(tx, reply.id);
    return { thread: bumped, reply, recipients };
  });
  events.push({ type: "thread.updated", state: threadState(thread), categoryKeys: [categoryKeyOf(thread.dialogueId)] });
  publishAll(events);
  await recipients.publishCounts();
  return { thread, reply };
}

/**
 * Sets the member's level for one thread.
 * @throws AppError unauthenticated | suspended | not_found
 */
export async function setThreadWatch(actor: Actor | null, input: ParsedCommandInput<"thread.watch">) {
  const thread = await getThread(actor, input.threadId);
  await prisma.threadWatch.upsert({
    where: { userId_threadId: { userId: actor!.id, threadId: thread.id } },
    create: { userId: actor!.id, threadId: thread.id, level: input.level },
    update: { level: input.level, updatedAt: new Date() },
  });
  return { threadId: thread.id, level: input.level };
}

/**
 * Sets the member's level for a category (`dialogue:<id>` or `network`).
 * @throws AppError unauthenticated | suspended | not_found
 */
export async function setCategoryWatch(actor: Actor | null, input: ParsedCommandInput<"category.watch">) {
  assertCan(actor, "thread.create");
  if (input.categoryKey !== "network") {
    const dialogueId = input.categoryKey.slice("dialogue:".length);
    if (!(await prisma.dialogue.findUnique({ where: { id: dialogueId }, select: { id: true } }))) throw new AppError("not_found");
  }
  await prisma.categoryWatch.upsert({
    where: { userId_categoryKey: { userId: actor.id, categoryKey: input.categoryKey } },
    create: { userId: actor.id, categoryKey: input.categoryKey, level: input.level },
    update: { level: input.level, updatedAt: new Date() },
  });
  return { categoryKey: input.categoryKey, level: input.level };
}

/** The member's own level for a category, or normal. */
export async function getCategoryWatch(userId: string, categoryKey: string): Promise<WatchLevel> {
  const row = await prisma.categoryWatch.findUnique({ where: { userId_categoryKey: { userId, categoryKey } } });
  return row?.level ?? "normal";
}

/** The member's read position in a thread (0 when never read). */
/**
 * For the thread page, in one statement: the member's read position (`getReadPosition`) and
 * effective watch level (`watchLevels`) in the thread.
 */
export async function readerStateIn(userId: string, thread: { id: string; dialogueId: string | null }): Promise<{ lastRead: number; level: WatchLevel }> {
  const rows = await readRows<{ lastRead: number | null; own: WatchLevel | null; category: WatchLevel | null }>(Prisma.sql`
    SELECT (SELECT last_read_post_number FROM thread_reads WHERE user_id = ${userId} AND thread_id = ${thread.id}) AS "lastRead",
      (SELECT level::text FROM thread_watches WHERE user_id = ${userId} AND thread_id = ${thread.id}) AS own,
      (SELECT level::text FROM category_watches WHERE user_id = ${userId} AND category_key = ${categoryKeyOf(thread.dialogueId)}) AS category`);
  const row = rows[0];
  return { lastRead: row?.lastRead ?? 0, level: row?.own ?? row?.category ?? "normal" };
}

export async function getReadPosition(userId: string, threadId: string): Promise<number> {
  const row = await prisma.threadRead.findUnique({ where: { userId_threadId: { userId, threadId } } });
  return row?.lastReadPostNumber ?? 0;
}

/**
 * Moves the member's read position forward (never back), capped at the thread's last post.
 * Reading also marks that thread's reply notifications read.
 * @throws AppError unauthenticated | suspended | not_found
 */
export async function markRead(actor: Actor | null, input: ParsedCommandInput<"thread.markRead">) {
  const thread = await getThread(actor, input.threadId);
  const position = Math.min(input.postNumber, thread.lastPostNumber);
  await prisma.$executeRaw`
    INSERT INTO thread_reads (user_id, thread_id, last_read_post_number, updated_at)
    VALUES (${actor!.id}, ${thread.id}, ${position}, now())
    ON CONFLICT (user_id, thread_id) DO UPDATE
      SET last_read_post_number = GREATEST(thread_reads.last_read_post_number, EXCLUDED.last_read_post_number),
          updated_at = now()`;
  const now = await getReadPosition(actor!.id, thread.id);
  if (now >= thread.lastPostNumber) await markThreadNotificationsRead(actor!.id, thread.id);
  return { threadId: thread.id, postNumber: now };
}
