/**
 * In-app notifications and the live badge (through each member's `user:<id>` room).
 *
 * - Replies in a watched thread coalesce: one unread row per (member, thread) whose count goes
 *   up (a partial unique index makes this atomic, see the threads_moderation migration). The
 *   replies a line stands for are kept (`notification_replies`): the line counts and points at
 *   those still standing, so hiding one takes one off, and hiding them all takes the line away.
 * - A mention, or a reply to your reply, notifies once per (member, reply): editing a post that
 *   keeps the mention inserts nothing new.
 * - Muted threads notify nobody who muted them; authors are never notified of their own posts.
 * - A notification about a reply or thread that is hidden or deleted is not shown or counted
 *   (except the hide/delete notice to the author).
 */
import { Prisma, type NotificationType, type Reply, type Thread } from "@prisma/client";
import { prisma } from "~/db.server";
import { decodeTimeCursor, encodeTimeCursor } from "~/utils/cursor";
import { assertCan, isStaff, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { categoryKeyOf } from "~/realtime/events";
import { publish } from "~/realtime/publish.server";
import { newId } from "~/utils/ids.server";
import { truncate } from "~/utils/text";
import { queueNotificationEmails } from "./email/notification-emails.server";
import { authorVisibility, contentMayLeavePage, isPseudonymous, replyLevel, threadLevel } from "./track2/attribution.server";

export const NOTIFICATIONS_PAGE_SIZE = 30;

/** Members touched by a write; call `publishCounts()` after the transaction commits. */
export interface Recipients {
  userIds: string[];
  publishCounts(): Promise<void>;
}

function recipients(userIds: Iterable<string>): Recipients {
  const ids = [...new Set(userIds)];
  return { userIds: ids, publishCounts: () => publishUnreadCounts(ids) };
}

const standingReply = { deletedAt: null, hiddenAt: null } satisfies Prisma.ReplyWhereInput;

/** Visible to the recipient: the reply and thread still stand (notices about removal excepted). */
export function visibleNotificationsWhere(userId: string): Prisma.NotificationWhereInput {
  return {
    userId,
    OR: [
      { type: { in: ["reply_hidden", "thread_deleted", "flag_outcome"] } },
      {
        AND: [
          {
            OR: [
              { type: "reply", replies: { some: { reply: standingReply } } },
              { type: { not: "reply" }, OR: [{ replyId: null }, { reply: standingReply }] },
            ],
          },
          { OR: [{ threadId: null }, { thread: { deletedAt: null } }] },
        ],
      },
    ],
  };
}

async function mutedUserIds(tx: Prisma.TransactionClient, threadId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await tx.threadWatch.findMany({ where: { threadId, userId: { in: userIds }, level: "muted" }, select: { userId: true } });
  return new Set(rows.map((r) => r.userId));
}

async function insertOnce(
  tx: Prisma.TransactionClient,
  args: { userId: string; type: "mention" | "reply_to_you"; thread: Thread; reply: Reply; actorId: string },
): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO notifications (id, user_id, type, thread_id, reply_id, actor_id, count, created_at, updated_at)
    VALUES (${newId()}, ${args.userId}, ${args.type}::"NotificationType", ${args.thread.id}, ${args.reply.id}, ${args.actorId}, 1, now(), now())
    ON CONFLICT (user_id, reply_id, type) WHERE type IN ('mention', 'reply_to_you') DO NOTHING`;
  return inserted > 0;
}

/**
 * Notifies, inside the reply's transaction: mentioned members, the author of the reply answered,
 * and everyone watching the thread (or its category) — each member once per reply.
 */
export async function notifyReplyRecipients(
  tx: Prisma.TransactionClient,
  args: { thread: Thread; reply: Reply; actorId: string; mentionIds: string[]; replyToAuthorId: string | null },
): Promise<Recipients> {
  const { thread, reply, actorId } = args;
  const direct = [...new Set([...args.mentionIds, ...(args.replyToAuthorId ? [args.replyToAuthorId] : [])])].filter((id) => id !== actorId);
  const muted = await mutedUserIds(tx, thread.id, direct);
  const touched = new Set<string>();
  for (const userId of direct) {
    if (muted.has(userId)) continue;
    const type = args.mentionIds.includes(userId) ? "mention" : "reply_to_you";
    if (await insertOnce(tx, { userId, type, thread, reply, actorId })) touched.add(userId);
  }
  const skip = [actorId, ...direct];
  const watchers = await tx.$queryRaw<{ id: string; user_id: string }[]>`
    INSERT INTO notifications (id, user_id, type, thread_id, reply_id, actor_id, count, created_at, updated_at)
    SELECT gen_random_uuid()::text, w.user_id, 'reply', ${thread.id}, ${reply.id}, ${actorId}, 1, now(), now()
    FROM (
      SELECT tw.user_id FROM thread_watches tw WHERE tw.thread_id = ${thread.id} AND tw.level = 'watching'
      UNION
      SELECT cw.user_id FROM category_watches cw
      WHERE cw.category_key = ${categoryKeyOf(thread.dialogueId)} AND cw.level = 'watching'
        AND NOT EXISTS (SELECT 1 FROM thread_watches tw2 WHERE tw2.thread_id = ${thread.id} AND tw2.user_id = cw.user_id)
    ) w
    JOIN users u ON u.id = w.user_id
    WHERE NOT (w.user_id = ANY(${skip})) AND (u.suspended_until IS NULL OR u.suspended_until < now())
      -- Off the record: only the dialogue's approved participants and staff may learn of it.
      AND (
        (SELECT COALESCE(t.attribution_level, d.attribution_level, 'on_record') FROM threads t LEFT JOIN dialogues d ON d.id = t.dialogue_id WHERE t.id = ${thread.id}) <> 'off_the_record'
        OR u.role IN ('moderator', 'admin')
        OR EXISTS (SELECT 1 FROM participation_requests pr WHERE pr.user_id = w.user_id AND pr.dialogue_id = ${thread.dialogueId} AND pr.status = 'approved')
      )
    ON CONFLICT (user_id, thread_id) WHERE type = 'reply' AND read_at IS NULL
    DO UPDATE SET count = notifications.count + 1, reply_id = EXCLUDED.reply_id, actor_id = EXCLUDED.actor_id, updated_at = now()
    RETURNING id, user_id`;
  if (watchers.length > 0) {
    await tx.notificationReply.createMany({ data: watchers.map((w) => ({ notificationId: w.id, replyId: reply.id })), skipDuplicates: true });
  }
  for (const w of watchers) touched.add(w.user_id);
  // The email waits EMAIL_DELAY_SECONDS and goes only if still unread (./email/).
  await queueNotificationEmails(tx, "thread", thread.id, touched);
  return recipients(touched);
}

/** After an edit: notifies members newly mentioned (never twice for the same reply). */
export async function notifyNewMentions(
  tx: Prisma.TransactionClient,
  args: { thread: Thread; reply: Reply; actorId: string; mentionIds: string[] },
): Promise<Recipients> {
  const candidates = args.mentionIds.filter((id) => id !== args.actorId);
  const muted = await mutedUserIds(tx, args.thread.id, candidates);
  const touched: string[] = [];
  for (const userId of candidates) {
    if (muted.has(userId)) continue;
    if (await insertOnce(tx, { userId, type: "mention", thread: args.thread, reply: args.reply, actorId: args.actorId })) touched.push(userId);
  }
  await queueNotificationEmails(tx, "thread", args.thread.id, touched);
  return recipients(touched);
}

/** A notice to one member (moderation outcomes), inside the caller's transaction. */
export async function notifyMember(
  tx: Prisma.TransactionClient,
  args: { userId: string; type: NotificationType; actorId: string | null; threadId?: string | null; replyId?: string | null; data?: Prisma.InputJsonValue },
): Promise<void> {
  await tx.notification.create({
    data: {
      id: newId(),
      userId: args.userId,
      type: args.type,
      actorId: args.actorId,
      threadId: args.threadId ?? null,
      replyId: args.replyId ?? null,
      data: args.data,
    },
  });
}

/**
 * The member's unread count, for the badge to catch up after a reconnect.
 * @throws AppError unauthenticated | suspended
 */
export async function notificationBadge(actor: Actor | null): Promise<number> {
  assertCan(actor, "thread.create");
  return unreadNotificationCount(actor.id);
}

/**
 * `visibleNotificationsWhere(userId)` and unread, counted, as SQL: one expression that can sit in
 * another statement (the session look-up, app/models/sessions.server.ts). Every relation is an
 * `EXISTS` on a primary key, so the count reads the member's unread rows through
 * `notifications(user_id, read_at)` and never joins a whole table (Prisma's own count did a hash
 * join over all of `threads`: docs/decisions/038-fewer-statements-and-indexes.md).
 */
export function unreadNotificationCountSql(userId: Prisma.Sql | string): Prisma.Sql {
  const standing = (id: Prisma.Sql) => Prisma.sql`EXISTS (SELECT 1 FROM replies r WHERE r.id = ${id} AND r.deleted_at IS NULL AND r.hidden_at IS NULL)`;
  return Prisma.sql`(SELECT count(*)::int FROM notifications n
    WHERE n.user_id = ${userId} AND n.read_at IS NULL
      AND (n.type IN ('reply_hidden', 'thread_deleted', 'flag_outcome')
        OR (((n.type = 'reply' AND EXISTS (SELECT 1 FROM notification_replies nr WHERE nr.notification_id = n.id AND ${standing(Prisma.sql`nr.reply_id`)}))
            OR (n.type <> 'reply' AND (n.reply_id IS NULL OR ${standing(Prisma.sql`n.reply_id`)})))
          AND (n.thread_id IS NULL OR EXISTS (SELECT 1 FROM threads t WHERE t.id = n.thread_id AND t.deleted_at IS NULL)))))`;
}

export async function unreadNotificationCount(userId: string): Promise<number> {
  const rows = await prisma.$queryRaw<{ unread: number }[]>`SELECT ${unreadNotificationCountSql(userId)} AS unread`;
  return rows[0]?.unread ?? 0;
}

/** Sends each member their current unread count (after commit). */
export async function publishUnreadCounts(userIds: string[]): Promise<void> {
  for (const userId of new Set(userIds)) {
    publish({ type: "notifications.count", userId, unread: await unreadNotificationCount(userId) });
  }
}

/**
 * The member's notifications, newest first, keyset by (updated_at, id).
 * @throws AppError unauthenticated | suspended
 */
export async function listNotifications(actor: Actor | null, options: { cursor?: string | null; locale?: "en" | "zh" } = {}) {
  const locale = options.locale ?? "en";
  assertCan(actor, "thread.create");
  const cursor = decodeTimeCursor(options.cursor);
  const rows = await prisma.notification.findMany({
    where: {
      ...visibleNotificationsWhere(actor.id),
      ...(cursor ? { AND: [{ OR: [{ updatedAt: { lt: cursor.at } }, { updatedAt: cursor.at, id: { lt: cursor.id } }] }] } : {}),
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: NOTIFICATIONS_PAGE_SIZE + 1,
    include: {
      actor: { select: { id: true, displayName: true } },
      thread: {
        select: {
          id: true, titleEn: true, titleZh: true, titleLanguage: true, dialogueId: true, attributionLevel: true, dialogue: { select: { attributionLevel: true } },
          titleTranslations: { where: { language: locale }, select: { title: true } },
        },
      },
      reply: { select: { ...excerptSelect(locale), id: true, postNumber: true, hiddenAt: true, deletedAt: true, authorId: true, attributionLevel: true, participantNumber: true } },
      // A coalesced line shows its latest reply still standing, and how many stand.
      replies: {
        where: { reply: standingReply },
        orderBy: { reply: { createdAt: "desc" } },
        take: 1,
        select: { reply: { select: { ...excerptSelect(locale), id: true, postNumber: true, hiddenAt: true, deletedAt: true, authorId: true, attributionLevel: true, participantNumber: true, author: { select: { id: true, displayName: true } } } } },
      },
      _count: { select: { replies: { where: { reply: standingReply } } } },
    },
  });
  const page = rows.slice(0, NOTIFICATIONS_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    notifications: page.map((n) => {
      const latest = n.type === "reply" ? n.replies[0]?.reply : undefined;
      const reply = latest ?? n.reply;
      const level = n.thread && reply ? replyLevel(reply.attributionLevel, threadLevel(n.thread)) : "on_record";
      const actorOut = latest ? latest.author : n.actor;
      // The speaker of a reply under the Chatham House Rule is their pseudonym here too; words said
      // off the record are not quoted outside the thread.
      // Whoever asks for a translation in such a thread is one of its anonymous participants:
      // unnamed ("A participant") unless they spoke there, when they are that reply's pseudonym.
      const askLevel = n.type === "translation_requested" && n.thread ? (reply ? level : threadLevel(n.thread)) : "on_record";
      const speaker =
        reply && isPseudonymous(level) && actorOut && actorOut.id === reply.authorId && authorVisibility({ id: actor.id, staff: isStaff(actor) }, reply.authorId, level) !== "named"
          ? { id: null, displayName: null, participant: reply.participantNumber }
          : actorOut && isPseudonymous(askLevel) && authorVisibility({ id: actor.id, staff: isStaff(actor) }, actorOut.id, askLevel) !== "named"
            ? { id: null, displayName: null, participant: null }
            : actorOut
              ? { ...actorOut, participant: null }
              : null;
      return {
        id: n.id,
        type: n.type,
        count: n.type === "reply" ? n._count.replies : n.count,
        read: n.readAt !== null,
        updatedAt: n.updatedAt.toISOString(),
        actor: speaker,
        thread: n.thread ? readerTitles(n.thread, locale) : null,
        // Notices about a hidden or deleted reply (to its author, to flaggers) never quote it.
        reply: reply
          ? { id: reply.id, postNumber: reply.postNumber, excerpt: reply.hiddenAt || reply.deletedAt || !contentMayLeavePage(level) ? "" : truncate(n.type === "translation_outdated" ? reply.text : excerptText(reply, locale), 160) }
          : null,
        data: (n.data ?? null) as Record<string, string> | null,
        noteId: n.noteId,
        caseStudyId: n.caseStudyId,
      };
    }),
    nextCursor: rows.length > NOTIFICATIONS_PAGE_SIZE && last ? encodeTimeCursor(last.updatedAt, last.id) : null,
  };
}

/** A thread's titles with its translation into the reader's language in that language's place. */
function readerTitles(thread: { id: string; titleEn: string; titleZh: string; titleLanguage: string; titleTranslations: { title: string }[] }, locale: "en" | "zh") {
  const translated = thread.titleLanguage !== locale ? thread.titleTranslations[0]?.title : undefined;
  if (!translated) return { id: thread.id, titleEn: thread.titleEn, titleZh: thread.titleZh };
  return locale === "zh" ? { id: thread.id, titleEn: thread.titleEn, titleZh: translated } : { id: thread.id, titleEn: translated, titleZh: thread.titleZh };
}

/** What an excerpt needs: the reply's text and language, and its translation into the reader's. */
const excerptSelect = (locale: "en" | "zh") => ({ text: true, language: true, translations: { where: { language: locale }, select: { text: true } } }) as const;

/** The reply's words in the reader's language where a translation exists, else as written. */
function excerptText(reply: { text: string; language: string; translations: { text: string }[] }, locale: string): string {
  return reply.language !== locale && reply.translations[0] ? reply.translations[0].text : reply.text;
}

/**
 * Marks one notification (or, without an id, all) read for the member, and updates the badge.
 * @throws AppError unauthenticated | suspended
 */
export async function markNotificationsRead(actor: Actor | null, input: ParsedCommandInput<"notifications.markRead">) {
  assertCan(actor, "thread.create");
  const { count } = await prisma.notification.updateMany({
    where: { userId: actor.id, readAt: null, ...(input.notificationId ? { id: input.notificationId } : {}) },
    data: { readAt: new Date() },
  });
  await publishUnreadCounts([actor.id]);
  return { marked: count };
}

/** Reading a thread to its end marks its notifications read. */
export async function markThreadNotificationsRead(userId: string, threadId: string): Promise<void> {
  const { count } = await prisma.notification.updateMany({ where: { userId, threadId, readAt: null }, data: { readAt: new Date() } });
  if (count > 0) await publishUnreadCounts([userId]);
}
