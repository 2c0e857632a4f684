/**
 * Moderation, for moderators and admins: pin (optionally until a date), lock, move and delete
 * threads, slow mode, hide and unhide replies with a reason (the author is told), the flag
 * review queue (ordered by score), suspensions, and the staff action log that records every
 * one of these: who, what, when, why.
 */
import type { FlagReason, Prisma, Thread } from "@prisma/client";
import { prisma } from "~/db.server";
import { decodeTimeCursor, encodeTimeCursor } from "~/utils/cursor";
import { assertCan, can, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { categoryKeyOf } from "~/realtime/events";
import { publish, publishAll, type DomainEvent } from "~/realtime/publish.server";
import { flagReasonsRecord } from "~/utils/moderation-reason";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { logger } from "~/utils/logger.server";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { notifyMember, publishUnreadCounts } from "./notifications.server";
import { loadReply, nextChangeSeq, publishReply, refreshThreadStats } from "./replies.server";
import { threadAccess } from "./track2/access.server";
import { replyInclude, toReplyView } from "./reply-rows.server";
import { indexReply, reindexThreadWithReplies } from "./search.server";
import { invalidateAllSessions } from "./sessions.server";
import { threadResource, threadState } from "./threads.server";
import { truncate } from "~/utils/text";

/** 10 flags per member per 10 minutes. */
const flagLimiter = singleton("limiter:flag", () => createLimiter({ keyPrefix: "crn:flag", points: 10, duration: 600 }));

/** Review-queue weight of each flag reason: harmful content first. */
export const FLAG_WEIGHTS: Record<FlagReason, number> = { spam: 3, inappropriate: 3, off_topic: 1, other: 1 };

/** Writes one staff log row (who, what, which object, why) inside the caller's transaction. */
export async function logStaffAction(
  tx: Prisma.TransactionClient,
  args: { actorId: string; action: string; targetType: string; targetId: string; reason?: string; data?: Prisma.InputJsonValue },
) {
  await tx.staffAction.create({
    data: { id: newId(), actorId: args.actorId, action: args.action, targetType: args.targetType, targetId: args.targetId, reason: args.reason ?? "", data: args.data },
  });
  logger.info({ event: "staff.action", userId: args.actorId, action: args.action, target: `${args.targetType}:${args.targetId}` }, "staff action");
}

async function loadThreadForModeration(actor: Actor | null, threadId: string): Promise<Thread> {
  assertCan(actor, "thread.create");
  const thread = await prisma.thread.findUnique({ where: { id: threadId } });
  if (!thread || thread.deletedAt) throw new AppError("not_found");
  assertCan(actor, "thread.moderate", threadResource(thread, await threadAccess(actor, thread)));
  return thread;
}

/** Applies a change to a thread, logs it, and broadcasts the new state. */
async function moderateThread(
  actor: Actor | null,
  threadId: string,
  action: string,
  change: (thread: Thread) => Prisma.ThreadUpdateInput,
  options: { reason?: string; notifyAuthor?: "thread_moved" | "thread_deleted"; data?: Prisma.InputJsonValue } = {},
) {
  const thread = await loadThreadForModeration(actor, threadId);
  const updated = await prisma.$transaction(async (tx) => {
    const updated = await tx.thread.update({ where: { id: thread.id }, data: change(thread) });
    // Deletion removes the thread and its replies from search; a move changes their regions.
    if (updated.deletedAt || updated.dialogueId !== thread.dialogueId || updated.attributionLevel !== thread.attributionLevel) await reindexThreadWithReplies(tx, thread.id);
    await logStaffAction(tx, { actorId: actor!.id, action, targetType: "thread", targetId: thread.id, reason: options.reason, data: options.data });
    if (options.notifyAuthor && thread.authorId && thread.authorId !== actor!.id) {
      await notifyMember(tx, { userId: thread.authorId, type: options.notifyAuthor, actorId: actor!.id, threadId: thread.id, data: { reason: options.reason ?? "", title: thread.titleEn } });
    }
    return updated;
  });
  const keys = [...new Set([categoryKeyOf(thread.dialogueId), categoryKeyOf(updated.dialogueId)])];
  publish({ type: "thread.updated", state: threadState(updated), categoryKeys: keys });
  if (options.notifyAuthor && thread.authorId) await publishUnreadCounts([thread.authorId]);
  return threadState(updated);
}

export const pinThread = async (actor: Actor | null, input: ParsedCommandInput<"thread.pin">) => {
  await loadThreadForModeration(actor, input.threadId); // permission before input checks
  if (input.until && input.until <= new Date()) throw new AppError("validation", "The pin must end in the future", "until");
  return moderateThread(actor, input.threadId, "thread.pin", () => ({ pinnedAt: new Date(), pinnedUntil: input.until ?? null }), {
    data: { until: input.until?.toISOString() ?? null },
  });
};

export const unpinThread = (actor: Actor | null, input: ParsedCommandInput<"thread.unpin">) =>
  moderateThread(actor, input.threadId, "thread.unpin", () => ({ pinnedAt: null, pinnedUntil: null }));

export const lockThread = (actor: Actor | null, input: ParsedCommandInput<"thread.lock">) =>
  moderateThread(actor, input.threadId, "thread.lock", () => ({ lockedAt: new Date() }), { reason: input.reason });

/**
 * Holds a thread under an attribution level (or back to its dialogue's, `inherit`). Tightening
 * applies to every reply at once; loosening never reveals a reply written under a stricter level
 * (each reply keeps the level it was written under). Open pages reload (thread.updated).
 * @throws AppError forbidden | not_found
 */
export const setThreadAttribution = (actor: Actor | null, input: ParsedCommandInput<"thread.attribution">) =>
  moderateThread(actor, input.threadId, "thread.attribution", () => ({ attributionLevel: input.level === "inherit" ? null : input.level }), { data: { level: input.level } });

export const unlockThread = (actor: Actor | null, input: ParsedCommandInput<"thread.unlock">) =>
  moderateThread(actor, input.threadId, "thread.unlock", () => ({ lockedAt: null }));

export const setSlowMode = (actor: Actor | null, input: ParsedCommandInput<"thread.slowMode">) =>
  moderateThread(actor, input.threadId, "thread.slow_mode", () => ({ slowModeSeconds: input.seconds }), { data: { seconds: input.seconds } });

/**
 * Moves a thread to another dialogue (or to the Network category with `dialogueId: null`).
 * @throws AppError forbidden | not_found
 */
export async function moveThread(actor: Actor | null, input: ParsedCommandInput<"thread.move">) {
  if (input.dialogueId && !(await prisma.dialogue.findUnique({ where: { id: input.dialogueId }, select: { id: true } }))) {
    assertCan(actor, "flag.review");
    throw new AppError("not_found", "Dialogue not found", "dialogueId");
  }
  return moderateThread(actor, input.threadId, "thread.move", () => ({ dialogue: input.dialogueId ? { connect: { id: input.dialogueId } } : { disconnect: true } }), {
    reason: input.reason,
    notifyAuthor: "thread_moved",
    data: { dialogueId: input.dialogueId },
  });
}

export const deleteThread = (actor: Actor | null, input: ParsedCommandInput<"thread.delete">) =>
  moderateThread(actor, input.threadId, "thread.delete", () => ({ deletedAt: new Date() }), { reason: input.reason, notifyAuthor: "thread_deleted" });

async function loadReplyForModeration(actor: Actor | null, replyId: string) {
  assertCan(actor, "thread.create");
  const reply = await loadReply(replyId, actor);
  // A reply the actor cannot see is "not found", so a refusal never reveals that it exists.
  if (!can(actor, "reply.read", reply.resource)) throw new AppError("not_found");
  assertCan(actor, "reply.moderate", reply.resource);
  return reply;
}

/** Hides a reply inside a transaction: state, thread stats, log, author notice. Returns its change number. */
async function hideInTx(tx: Prisma.TransactionClient, actorId: string, reply: Awaited<ReturnType<typeof loadReply>>, reason: string, action: string) {
  const changeSeq = await nextChangeSeq(tx, reply.threadId);
  await tx.reply.update({ where: { id: reply.id }, data: { hiddenAt: new Date(), hiddenReason: reason, changeSeq } });
  await refreshThreadStats(tx, reply.threadId);
  await indexReply(tx, reply.id);
  await logStaffAction(tx, { actorId, action, targetType: "reply", targetId: reply.id, reason });
  if (reply.authorId !== actorId) {
    await notifyMember(tx, { userId: reply.authorId, type: "reply_hidden", actorId, threadId: reply.threadId, replyId: reply.id, data: { reason } });
  }
  return changeSeq;
}

/**
 * Hides a reply with a reason; its author is told. It leaves every list, page, count,
 * notification and feed of other members.
 * @throws AppError forbidden | not_found
 */
export async function hideReply(actor: Actor | null, input: ParsedCommandInput<"reply.hide">) {
  const reply = await loadReplyForModeration(actor, input.replyId);
  if (reply.hiddenAt) return { replyId: reply.id };
  const { affected, changeSeq } = await prisma.$transaction(async (tx) => {
    const changeSeq = await hideInTx(tx, actor!.id, reply, input.reason, "reply.hide");
    const notified = await tx.notification.findMany({ where: { OR: [{ replyId: reply.id }, { replies: { some: { replyId: reply.id } } }] }, select: { userId: true } });
    return { affected: notified.map((n) => n.userId), changeSeq };
  });
  publish({ type: "reply.removed", threadId: reply.threadId, replyId: reply.id, changeSeq, categoryKey: categoryKeyOf(reply.thread.dialogueId) });
  await publishUnreadCounts([...affected, reply.authorId]);
  return { replyId: reply.id };
}

/**
 * Shows a hidden reply again; its author is told.
 * @throws AppError forbidden | not_found
 */
export async function unhideReply(actor: Actor | null, input: ParsedCommandInput<"reply.unhide">) {
  const reply = await loadReplyForModeration(actor, input.replyId);
  if (!reply.hiddenAt) return { replyId: reply.id };
  const { affected, shown } = await prisma.$transaction(async (tx) => {
    const shown = await tx.reply.update({
      where: { id: reply.id },
      data: { hiddenAt: null, hiddenReason: null, changeSeq: await nextChangeSeq(tx, reply.threadId) },
      include: replyInclude,
    });
    await refreshThreadStats(tx, reply.threadId);
    await indexReply(tx, reply.id);
    await logStaffAction(tx, { actorId: actor!.id, action: "reply.unhide", targetType: "reply", targetId: reply.id });
    if (reply.authorId !== actor!.id) {
      await notifyMember(tx, { userId: reply.authorId, type: "reply_unhidden", actorId: actor!.id, threadId: reply.threadId, replyId: reply.id });
    }
    const notified = await tx.notification.findMany({ where: { OR: [{ replyId: reply.id }, { replies: { some: { replyId: reply.id } } }] }, select: { userId: true } });
    return { affected: notified.map((n) => n.userId), shown };
  });
  const thread = await prisma.thread.findUniqueOrThrow({ where: { id: reply.threadId } });
  // Everyone in the room may see it again: open pages show it back in its place.
  publishReply("reply.updated", shown, reply.access.level);
  publish({ type: "thread.updated", state: threadState(thread), categoryKeys: [categoryKeyOf(thread.dialogueId)] });
  await publishUnreadCounts([...affected, reply.authorId]);
  return { replyId: reply.id };
}

/**
 * Flags a reply (one flag per member per reply; not one's own).
 * @throws AppError unauthenticated | suspended | forbidden | not_found | already_flagged | rate_limited
 */
export async function flagReply(actor: Actor | null, input: ParsedCommandInput<"reply.flag">) {
  assertCan(actor, "thread.create");
  const reply = await loadReply(input.replyId, actor);
  if (!can(actor, "reply.read", reply.resource)) throw new AppError("not_found");
  assertCan(actor, "reply.flag", reply.resource);
  if (input.reason === "other" && !input.note) throw new AppError("validation", "Say what is wrong", "note");
  const existing = await prisma.flag.findUnique({ where: { replyId_flaggerId: { replyId: reply.id, flaggerId: actor.id } } });
  if (existing) throw new AppError("already_flagged");
  await consume(flagLimiter, actor.id);
  try {
    const flag = await prisma.flag.create({ data: { id: newId(), replyId: reply.id, flaggerId: actor.id, reason: input.reason, note: input.note } });
    return { flagId: flag.id };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new AppError("already_flagged");
    throw error;
  }
}

/**
 * The review queue: replies with pending flags, highest score first (sum of reason weights),
 * then oldest flag first.
 * @throws AppError forbidden
 */
export async function listReviewQueue(actor: Actor | null) {
  assertCan(actor, "flag.review");
  const flags = await prisma.flag.findMany({
    where: { status: "pending", reply: { deletedAt: null, thread: { deletedAt: null } } },
    include: {
      flagger: { select: { id: true, displayName: true } },
      reply: { include: { author: { select: { id: true, displayName: true } }, thread: { select: { id: true, titleEn: true, titleZh: true } } } },
    },
    orderBy: { createdAt: "asc" },
    take: 1000,
  });
  const byReply = new Map<string, { reply: (typeof flags)[number]["reply"]; flags: typeof flags; score: number; firstAt: Date }>();
  for (const flag of flags) {
    const item = byReply.get(flag.replyId) ?? { reply: flag.reply, flags: [], score: 0, firstAt: flag.createdAt };
    item.flags.push(flag);
    item.score += FLAG_WEIGHTS[flag.reason];
    byReply.set(flag.replyId, item);
  }
  return [...byReply.values()]
    .sort((a, b) => b.score - a.score || a.firstAt.getTime() - b.firstAt.getTime())
    .map((item) => ({
      replyId: item.reply.id,
      score: item.score,
      hidden: item.reply.hiddenAt !== null,
      excerpt: truncate(item.reply.text, 400),
      postNumber: item.reply.postNumber,
      author: item.reply.author,
      thread: item.reply.thread,
      flags: item.flags.map((f) => ({ id: f.id, reason: f.reason, note: f.note, createdAt: f.createdAt.toISOString(), flagger: f.flagger })),
    }));
}

/**
 * Decides a reply's pending flags: agree (hide the reply), disagree (keep or unhide it) or
 * ignore (close without action). Every flagger is told the outcome.
 * @throws AppError forbidden | not_found
 */
export async function reviewFlags(actor: Actor | null, input: ParsedCommandInput<"flag.review">) {
  assertCan(actor, "flag.review");
  const reply = await loadReply(input.replyId, actor);
  const pending = await prisma.flag.findMany({ where: { replyId: reply.id, status: "pending" } });
  if (pending.length === 0) throw new AppError("not_found");
  const status = input.decision === "agree" ? "agreed" : input.decision === "disagree" ? "disagreed" : "ignored";
  const reasons = flagReasonsRecord(pending.map((f) => f.reason));
  const events: DomainEvent[] = [];
  await prisma.$transaction(async (tx) => {
    await tx.flag.updateMany({ where: { id: { in: pending.map((f) => f.id) } }, data: { status, resolvedAt: new Date(), resolvedById: actor.id } });
    if (input.decision === "agree" && !reply.hiddenAt) {
      const changeSeq = await hideInTx(tx, actor.id, reply, reasons, "flag.agree");
      events.push({ type: "reply.removed", threadId: reply.threadId, replyId: reply.id, changeSeq, categoryKey: categoryKeyOf(reply.thread.dialogueId) });
    } else {
      await logStaffAction(tx, { actorId: actor.id, action: `flag.${input.decision}`, targetType: "reply", targetId: reply.id, reason: reasons });
    }
    for (const flag of pending) {
      await notifyMember(tx, { userId: flag.flaggerId, type: "flag_outcome", actorId: actor.id, threadId: reply.threadId, replyId: reply.id, data: { decision: input.decision } });
    }
  });
  publishAll(events);
  await publishUnreadCounts([...pending.map((f) => f.flaggerId), reply.authorId]);
  return { replyId: reply.id, decision: input.decision, flags: pending.length };
}

/**
 * Suspends a member until a date: all their sessions end and their open sockets disconnect at
 * once; they cannot sign in until then. Moderators suspend members; admins also moderators.
 * @throws AppError forbidden | not_found | validation
 */
export async function suspendMember(actor: Actor | null, input: ParsedCommandInput<"member.suspend">) {
  assertCan(actor, "flag.review");
  const member = await prisma.user.findUnique({ where: { id: input.userId }, select: { id: true, role: true } });
  if (!member) throw new AppError("not_found");
  assertCan(actor, "member.suspend", member);
  if (input.until <= new Date()) throw new AppError("validation", "The suspension must end in the future", "until");
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: member.id }, data: { suspendedUntil: input.until, suspendedReason: input.reason } });
    await logStaffAction(tx, { actorId: actor.id, action: "member.suspend", targetType: "user", targetId: member.id, reason: input.reason, data: { until: input.until.toISOString() } });
  });
  await invalidateAllSessions(member.id);
  return { userId: member.id, until: input.until.toISOString() };
}

/** Lifts a suspension. @throws AppError forbidden | not_found */
export async function unsuspendMember(actor: Actor | null, input: ParsedCommandInput<"member.unsuspend">) {
  assertCan(actor, "flag.review");
  const member = await prisma.user.findUnique({ where: { id: input.userId }, select: { id: true, role: true } });
  if (!member) throw new AppError("not_found");
  assertCan(actor, "member.suspend", member);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: member.id }, data: { suspendedUntil: null, suspendedReason: null } });
    await logStaffAction(tx, { actorId: actor.id, action: "member.unsuspend", targetType: "user", targetId: member.id });
  });
  return { userId: member.id };
}

/**
 * The staff action log, newest first, keyset by (created_at, id).
 * @throws AppError forbidden
 */
export async function listStaffActions(actor: Actor | null, options: { cursor?: string | null } = {}) {
  assertCan(actor, "staff_log.read");
  const cursor = decodeTimeCursor(options.cursor);
  const rows = await prisma.staffAction.findMany({
    where: cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 51,
    include: { actor: { select: { id: true, displayName: true } } },
  });
  const page = rows.slice(0, 50);
  const last = page[page.length - 1];
  const ids = (type: string) => page.filter((a) => a.targetType === type).map((a) => a.targetId);
  const [threads, users, replies] = await Promise.all([
    prisma.thread.findMany({ where: { id: { in: ids("thread") } }, select: { id: true, titleEn: true, titleZh: true } }),
    prisma.user.findMany({ where: { id: { in: ids("user") } }, select: { id: true, displayName: true } }),
    prisma.reply.findMany({ where: { id: { in: ids("reply") } }, select: { id: true, postNumber: true, thread: { select: { id: true, titleEn: true, titleZh: true } } } }),
  ]);
  const byId = new Map<string, { label: string; labelZh?: string; href: string }>();
  for (const t of threads) byId.set(t.id, { label: t.titleEn, labelZh: t.titleZh, href: `/threads/${t.id}` });
  for (const u of users) byId.set(u.id, { label: u.displayName, href: `/members/${u.id}` });
  for (const r of replies) {
    byId.set(r.id, {
      label: `${r.thread.titleEn} #${r.postNumber}`,
      labelZh: r.thread.titleZh ? `${r.thread.titleZh} #${r.postNumber}` : undefined,
      href: `/threads/${r.thread.id}?after=${Math.max(r.postNumber - 1, 0)}#post-${r.postNumber}`,
    });
  }
  return {
    actions: page.map((a) => ({
      target: byId.get(a.targetId) ?? null,
      id: a.id,
      action: a.action,
      targetType: a.targetType,
      targetId: a.targetId,
      reason: a.reason,
      data: a.data as Record<string, unknown> | null,
      createdAt: a.createdAt.toISOString(),
      actor: a.actor,
    })),
    nextCursor: rows.length > 50 && last ? encodeTimeCursor(last.createdAt, last.id) : null,
  };
}
