/**
 * Replies: rich text (ProseMirror JSON validated against the editor's schema, rendered to HTML
 * on the server), numbered 1, 2, … within a thread, listed oldest first by keyset on the post
 * number over the replies the reader may see, so deleted or hidden replies never leave an empty
 * or short page. Authors edit (every earlier version is kept) and delete their own replies.
 * Every change is broadcast after commit.
 */
import type { AttributionLevel, Prisma, Reply, Thread } from "@prisma/client";
import type { JSONContent } from "@tiptap/core";
import { prisma } from "~/db.server";
import { renderReplyHtml } from "~/editor/content.server";
import { assertCan, can, isStaff, type Actor, type ReplyResource } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { categoryKeyOf, type ReplyView } from "~/realtime/events";
import { publish } from "~/realtime/publish.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { REPLY_MAX_LENGTH } from "~/utils/limits";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { notifyNewMentions, notifyReplyRecipients, publishUnreadCounts } from "./notifications.server";
import { indexReply } from "./search.server";
import { getThread, threadResource } from "./threads.server";
import { findReplyPage } from "./reply-page.server";
import { assertMentionsAllowed, insertReply, prepareReplyContent, replyInclude, replyLanguage, toReplyView, type ReplyRow } from "./reply-rows.server";
import { authorVisibility, isPseudonymous, replyLevel, ROOM, type Reader } from "./track2/attribution.server";
import { threadAccess, type ThreadAccess } from "./track2/access.server";
import { DELETED_MEMBER_ID } from "~/utils/deleted-member";
import { notifyTranslationsOutdated } from "./translations/outdated.server";

export { REPLY_MAX_LENGTH };
export const REPLIES_PAGE_SIZE = 20;

/** 10 replies per member per minute (staff exempt). */
const replyLimiter = singleton("limiter:reply", () => createLimiter({ keyPrefix: "crn:reply", points: 10, duration: 60 }));

export function replyResource(reply: Pick<Reply, "id" | "authorId" | "deletedAt" | "hiddenAt">, thread: Thread, access: ThreadAccess): ReplyResource {
  return { id: reply.id, authorId: reply.authorId, deletedAt: reply.deletedAt, hiddenAt: reply.hiddenAt, thread: threadResource(thread, access) };
}

/** The reader a view is made for: the actor (their own name and staff's view), never a room. */
export function readerOf(actor: Actor | null): Reader {
  return { id: actor?.id ?? null, staff: isStaff(actor) };
}

/**
 * Publishes a reply created or changed: the room gets the view that names no one a member may
 * not see, and staff (their own room) the view with names marked as visible to staff only.
 */
export function publishReply(type: "reply.created" | "reply.updated", row: ReplyRow, level: AttributionLevel, extra: { committedAt?: number; categoryKey?: string } = {}) {
  const room = toReplyView(row, ROOM, level);
  const staff = isPseudonymous(replyLevel(row.attributionLevel, level)) ? toReplyView(row, { id: null, staff: true }, level) : undefined;
  if (type === "reply.created") publish({ type, reply: room, staffReply: staff, committedAt: extra.committedAt!, categoryKey: extra.categoryKey! });
  else publish({ type, reply: room, staffReply: staff });
}

/** The replies a reader may see: not deleted; hidden ones only for staff and their author. */
export function visibleRepliesWhere(actor: Actor): Prisma.ReplyWhereInput {
  if (isStaff(actor)) return { deletedAt: null };
  return { deletedAt: null, OR: [{ hiddenAt: null }, { authorId: actor.id }] };
}

/** `visibleRepliesWhere` for one row already read. */
export function isVisibleReply(actor: Actor, row: Pick<Reply, "deletedAt" | "hiddenAt" | "authorId">): boolean {
  if (row.deletedAt) return false;
  return isStaff(actor) || row.hiddenAt === null || row.authorId === actor.id;
}

/**
 * Takes the thread's next change number inside the caller's transaction (the thread's row stays
 * locked until it commits, so numbers follow commit order); the caller stamps it on the reply
 * the change is about (app/models/thread-changes.server.ts).
 */
export async function nextChangeSeq(tx: Prisma.TransactionClient, threadId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ change_seq: number }[]>`
    UPDATE threads SET change_seq = change_seq + 1 WHERE id = ${threadId} RETURNING change_seq`;
  if (!rows[0]) throw new AppError("not_found");
  return rows[0].change_seq;
}

/** Recomputes a thread's visible reply count and last activity (after a delete, hide or unhide). */
export async function refreshThreadStats(tx: Prisma.TransactionClient, threadId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE threads t SET
      reply_count = (SELECT count(*) FROM replies r WHERE r.thread_id = t.id AND r.deleted_at IS NULL AND r.hidden_at IS NULL),
      last_activity_at = COALESCE((SELECT max(r.created_at) FROM replies r WHERE r.thread_id = t.id AND r.deleted_at IS NULL AND r.hidden_at IS NULL), t.created_at)
    WHERE t.id = ${threadId}`;
}

/**
 * A reply with its thread, for a policy check. Deleted replies and replies in deleted threads
 * are not found.
 * @throws AppError not_found
 */
export async function loadReply(replyId: string, actor: Actor | null) {
  const reply = await prisma.reply.findUnique({
    where: { id: replyId },
    include: { ...replyInclude, thread: { include: { dialogue: { select: { attributionLevel: true } } } } },
  });
  if (!reply || reply.deletedAt || reply.thread.deletedAt) throw new AppError("not_found");
  const access = await threadAccess(actor, reply.thread);
  return { ...reply, access, resource: replyResource(reply, reply.thread, access) };
}

export interface ReplyPage {
  replies: ReplyView[];
  /** Replies exist before this page (`before=<first post number>`). */
  hasOlder: boolean;
  /** Replies exist after this page (`after=<last post number>`). */
  hasNewer: boolean;
}

/**
 * One page of the replies the reader may see, oldest first, by keyset on the post number: the
 * first page, the page after post `after`, the page before post `before`, or the last page.
 * @throws AppError unauthenticated | suspended | not_found
 */
export async function listReplies(
  actor: Actor | null,
  threadId: string,
  options: { after?: number | null; before?: number | null; last?: boolean; limit?: number; thread?: Awaited<ReturnType<typeof getThread>> } = {},
): Promise<ReplyPage> {
  // A caller that has just read the thread for this actor (the thread page) passes it.
  const thread = options.thread?.id === threadId ? options.thread : await getThread(actor, threadId);
  const limit = Math.min(Math.max(options.limit ?? REPLIES_PAGE_SIZE, 1), 200);
  const backwards = Boolean(options.last || options.before != null);
  // One statement (app/models/reply-page.server.ts): `visibleRepliesWhere` and `replyInclude` in SQL.
  const rows = await findReplyPage(actor!, threadId, { after: options.after, before: options.before, descending: backwards, take: limit + 1 });
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();
  const first = page[0]?.postNumber;
  const lastNumber = page[page.length - 1]?.postNumber;
  // Whether anything visible lies on the other side of the page (not "was there a cursor").
  // The first page has nothing before it and the last nothing after it: no query for those.
  const otherSide = async (side: "before" | "after") => {
    if (side === "before" && !backwards && !options.after) return false;
    if (side === "after" && options.last && options.before == null) return false;
    const edge = side === "before" ? first ?? options.before ?? null : lastNumber ?? options.after ?? null;
    if (edge == null) return false;
    const found = await prisma.reply.findFirst({
      where: { threadId, ...visibleRepliesWhere(actor!), postNumber: side === "before" ? { lt: edge } : { gt: edge } },
      select: { id: true },
    });
    return found !== null;
  };
  return {
    replies: page.map((row) => toReplyView(row, readerOf(actor), thread.access.level)),
    hasOlder: backwards ? more : await otherSide("before"),
    hasNewer: backwards ? await otherSide("after") : more,
  };
}

/**
 * Adds a reply: checks the lock (in the same UPDATE that numbers it), slow mode and the rate
 * limit, notifies watchers, mentioned members and the author of the reply answered, sets the
 * author's level to tracking (from normal) and their read position, then broadcasts.
 * @throws AppError unauthenticated | suspended | not_found | thread_locked | slow_mode |
 *   rate_limited | reply_empty | reply_too_long | link_not_allowed | reply_invalid | mention_unknown
 */
export async function createReply(actor: Actor | null, input: ParsedCommandInput<"reply.create">): Promise<ReplyView> {
  const thread = await getThread(actor, input.threadId);
  // A retry of a post that went through (its answer was lost, or it was refused for overload
  // after all) gets the reply back, before slow mode or the rate limit could refuse it.
  const again = await replyByKey(actor!, thread.id, input.idempotencyKey, thread.access.level);
  if (again) return again;
  if (thread.lockedAt) {
    assertCan(actor, "thread.read", threadResource(thread, thread.access));
    throw new AppError("thread_locked");
  }
  assertCan(actor, "reply.create", threadResource(thread, thread.access));
  let replyToAuthorId: string | null = null;
  if (input.replyToId) {
    const target = await prisma.reply.findFirst({ where: { id: input.replyToId, threadId: thread.id, ...visibleRepliesWhere(actor) } });
    if (!target) throw new AppError("not_found", "Reply not found", "replyToId");
    replyToAuthorId = target.authorId;
  }
  const prepared = await prepareReplyContent(input);
  if (!isStaff(actor)) {
    if (thread.slowModeSeconds > 0) {
      const since = new Date(Date.now() - thread.slowModeSeconds * 1000);
      const recent = await prisma.reply.findFirst({
        where: { threadId: thread.id, authorId: actor.id, createdAt: { gt: since } },
        orderBy: { createdAt: "desc" },
      });
      if (recent) {
        const wait = Math.ceil((recent.createdAt.getTime() + thread.slowModeSeconds * 1000 - Date.now()) / 1000);
        throw new AppError("slow_mode", "Slow mode", "content", { seconds: Math.max(wait, 1) });
      }
    }
    await consume(replyLimiter, actor.id);
  }
  const created = await prisma.$transaction(async (tx) => {
    const { reply, thread: bumped } = await insertReply(tx, {
      thread,
      authorId: actor.id,
      prepared,
      replyToId: input.replyToId ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
    });
    const watch = await tx.threadWatch.findUnique({ where: { userId_threadId: { userId: actor.id, threadId: thread.id } } });
    if (!watch || watch.level === "normal") {
      await tx.threadWatch.upsert({
        where: { userId_threadId: { userId: actor.id, threadId: thread.id } },
        create: { userId: actor.id, threadId: thread.id, level: "tracking" },
        update: { level: "tracking", updatedAt: new Date() },
      });
    }
    await tx.$executeRaw`
      INSERT INTO thread_reads (user_id, thread_id, last_read_post_number, updated_at)
      VALUES (${actor.id}, ${thread.id}, ${reply.postNumber}, now())
      ON CONFLICT (user_id, thread_id) DO UPDATE
        SET last_read_post_number = GREATEST(thread_reads.last_read_post_number, EXCLUDED.last_read_post_number), updated_at = now()`;
    const recipients = await notifyReplyRecipients(tx, { thread: bumped, reply, actorId: actor.id, mentionIds: prepared.mentionIds, replyToAuthorId });
    await indexReply(tx, reply.id);
    return { reply, recipients, bumped };
  }).catch(async (error: unknown) => {
    // Two attempts with the same key at once: the one that committed holds the answer.
    const other = (error as { code?: string }).code === "P2002" ? await replyByKey(actor, thread.id, input.idempotencyKey, thread.access.level) : null;
    if (other) return { duplicate: other };
    throw error;
  });
  if ("duplicate" in created) return created.duplicate;
  const { reply, recipients, bumped } = created;
  publishReply("reply.created", reply, thread.access.level, { committedAt: performance.timeOrigin + performance.now(), categoryKey: categoryKeyOf(bumped.dialogueId) });
  await recipients.publishCounts();
  return toReplyView(reply, readerOf(actor), thread.access.level);
}

/**
 * The actor's reply posted with `key` in this thread, if any (a retry of the same post).
 * @throws AppError validation (the key was used for a post in another thread)
 */
async function replyByKey(actor: Actor, threadId: string, key: string | undefined, level: AttributionLevel): Promise<ReplyView | null> {
  if (!key) return null;
  const row = await prisma.reply.findUnique({ where: { authorId_idempotencyKey: { authorId: actor.id, idempotencyKey: key } }, include: replyInclude });
  if (!row) return null;
  if (row.threadId !== threadId) throw new AppError("validation", "This key was used for another post", "idempotencyKey");
  return toReplyView(row, readerOf(actor), level);
}

/**
 * Edits one's own reply (staff may edit any): the previous version is kept as a revision and
 * "edited" is shown. Mentions added by the edit notify once; kept mentions do not notify again.
 * @throws AppError unauthenticated | suspended | not_found | forbidden | thread_locked | content errors
 */
export async function editReply(actor: Actor | null, input: ParsedCommandInput<"reply.edit">): Promise<ReplyView> {
  const reply = await loadReply(input.replyId, actor);
  if (reply.thread.lockedAt && can(actor, "reply.read", reply.resource)) throw new AppError("thread_locked");
  if (!can(actor, "reply.read", reply.resource)) {
    assertCan(actor, "thread.create");
    throw new AppError("not_found");
  }
  assertCan(actor, "reply.edit", reply.resource);
  if (input.baseRevision !== undefined && input.baseRevision !== reply.editCount) throw editConflict(reply.editCount);
  const prepared = await prepareReplyContent(input);
  assertMentionsAllowed(replyLevel(reply.attributionLevel, reply.access.level), prepared);
  // Saving without a change keeps the reply as it is: no revision, no "edited".
  if (JSON.stringify(prepared.content) === JSON.stringify(reply.content)) return toReplyView(reply, readerOf(actor), reply.access.level);
  const { updated, recipients, translators } = await prisma.$transaction(async (tx) => {
    const revision = reply.editCount + 1;
    // Compare-and-set on the edit count: of two saves racing from the same revision, the later
    // finds it moved on and is refused, never silently overwriting the earlier.
    const claimed = await tx.reply.updateMany({
      where: { id: reply.id, editCount: reply.editCount },
      data: {
        content: prepared.content as Prisma.InputJsonValue,
        text: prepared.text,
        language: replyLanguage(prepared.content),
        editedAt: new Date(),
        editCount: revision,
        changeSeq: await nextChangeSeq(tx, reply.threadId),
      },
    });
    if (claimed.count !== 1) throw editConflict(revision);
    await tx.replyRevision.create({
      data: { id: newId(), replyId: reply.id, revision, content: reply.content as Prisma.InputJsonValue, text: reply.text, editorId: actor.id },
    });
    const updated = await tx.reply.findUniqueOrThrow({ where: { id: reply.id }, include: replyInclude });
    const recipients = await notifyNewMentions(tx, { thread: reply.thread, reply: updated, actorId: actor.id, mentionIds: prepared.mentionIds });
    // Its translations now translate an earlier version (revision < editCount): tell their translators.
    const translators = await notifyTranslationsOutdated(tx, updated, actor.id);
    await indexReply(tx, reply.id);
    return { updated, recipients, translators };
  });
  if (!updated.hiddenAt) publishReply("reply.updated", updated, reply.access.level);
  await recipients.publishCounts();
  await publishUnreadCounts(translators);
  return toReplyView(updated, readerOf(actor), reply.access.level);
}

/** Someone saved the reply since the editor loaded it (`revision` is the stored one now). */
function editConflict(revision: number): AppError {
  return new AppError("edit_conflict", "The reply was changed since you opened it", "content", { revision });
}

/** Earlier versions of a reply, newest first (for the "edited" history). */
export async function listRevisions(actor: Actor | null, replyId: string) {
  const reply = await loadReply(replyId, actor);
  if (!can(actor, "reply.read", reply.resource)) {
    assertCan(actor, "thread.create");
    throw new AppError("not_found");
  }
  const revisions = await prisma.replyRevision.findMany({
    where: { replyId },
    orderBy: { revision: "desc" },
    include: { editor: { select: { id: true, displayName: true } } },
  });
  const level = replyLevel(reply.attributionLevel, reply.access.level);
  return revisions.map((r) => ({
    revision: r.revision,
    html: renderReplyHtml(r.content as JSONContent),
    createdAt: r.createdAt.toISOString(),
    // Who edited says who wrote (or which moderator stepped in): withheld where the author is —
    // the author's own edits then show their pseudonym, as the thread does.
    editor: r.editor && authorVisibility(readerOf(actor), r.editor.id === reply.authorId ? reply.authorId : r.editor.id, level) !== "pseudonym" ? r.editor : null,
    editorParticipant: r.editor?.id === reply.authorId && isPseudonymous(level) ? reply.participantNumber : null,
  }));
}

/**
 * Deletes one's own reply (staff may delete any). It disappears from every list, page, count,
 * notification and feed; its thread's count and activity are recomputed.
 * @throws AppError unauthenticated | suspended | not_found | forbidden
 */
export async function deleteReply(actor: Actor | null, input: ParsedCommandInput<"reply.delete">) {
  const reply = await loadReply(input.replyId, actor);
  if (!can(actor, "reply.read", reply.resource)) {
    assertCan(actor, "thread.create");
    throw new AppError("not_found");
  }
  assertCan(actor, "reply.delete", reply.resource);
  const { affected, changeSeq } = await prisma.$transaction(async (tx) => {
    const changeSeq = await nextChangeSeq(tx, reply.threadId);
    await tx.reply.update({ where: { id: reply.id }, data: { deletedAt: new Date(), changeSeq } });
    await refreshThreadStats(tx, reply.threadId);
    await indexReply(tx, reply.id);
    const notified = await tx.notification.findMany({ where: { OR: [{ replyId: reply.id }, { replies: { some: { replyId: reply.id } } }] }, select: { userId: true } });
    if (reply.authorId !== actor.id) {
      await tx.staffAction.create({
        data: { id: newId(), actorId: actor.id, action: "reply.delete", targetType: "reply", targetId: reply.id, reason: "" },
      });
    }
    return { affected: notified.map((n) => n.userId), changeSeq };
  });
  publish({ type: "reply.removed", threadId: reply.threadId, replyId: reply.id, changeSeq, categoryKey: categoryKeyOf(reply.thread.dialogueId) });
  await publishUnreadCounts(affected);
  return { replyId: reply.id };
}

/**
 * A reply the actor may edit, with its JSON content (for the edit form).
 * @throws AppError unauthenticated | suspended | not_found | forbidden | thread_locked
 */
export async function getEditableReply(actor: Actor | null, replyId: string) {
  const reply = await loadReply(replyId, actor);
  if (!can(actor, "reply.read", reply.resource)) {
    assertCan(actor, "thread.create");
    throw new AppError("not_found");
  }
  if (reply.thread.lockedAt) throw new AppError("thread_locked");
  assertCan(actor, "reply.edit", reply.resource);
  return reply;
}
