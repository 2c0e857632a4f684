/**
 * What the attribution level means for one reader of one thread: the level now, whether the
 * thread is held off the record and whether the reader is one of its dialogue's approved
 * participants (off the record admits only them and staff).
 */
import type { AttributionLevel, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import type { Actor } from "~/policy.server";
import { threadLevel } from "./attribution.server";

export interface ThreadAccess {
  level: AttributionLevel;
  offTheRecord: boolean;
  participant: boolean;
}

/** A thread as far as access needs it (its dialogue's level when loaded, else looked up). */
export interface ThreadLevelSource {
  dialogueId: string | null;
  attributionLevel: AttributionLevel | null;
  dialogue?: { attributionLevel: AttributionLevel } | null;
}

/** True when the member's request to take part in the dialogue was approved (and not cancelled). */
export async function isApprovedParticipant(userId: string, dialogueId: string): Promise<boolean> {
  const row = await prisma.participationRequest.findFirst({ where: { userId, dialogueId, status: "approved" }, select: { id: true } });
  return row !== null;
}

/** The thread's level now (its own, else its dialogue's). One query when the dialogue is not loaded. */
export async function levelOf(thread: ThreadLevelSource): Promise<AttributionLevel> {
  if (thread.attributionLevel) return thread.attributionLevel;
  if (!thread.dialogueId) return "on_record";
  if (thread.dialogue) return threadLevel(thread);
  const dialogue = await prisma.dialogue.findUnique({ where: { id: thread.dialogueId }, select: { attributionLevel: true } });
  return dialogue?.attributionLevel ?? "on_record";
}

/** The level and, for an off-the-record thread, whether the actor is an approved participant. */
export async function threadAccess(actor: Actor | null, thread: ThreadLevelSource): Promise<ThreadAccess> {
  const level = await levelOf(thread);
  const offTheRecord = level === "off_the_record";
  const participant = offTheRecord && actor !== null && thread.dialogueId !== null ? await isApprovedParticipant(actor.id, thread.dialogueId) : false;
  return { level, offTheRecord, participant };
}

/** Thread filter: the off-the-record threads a non-staff member may list are those of their dialogues. */
export async function participantDialogueIds(userId: string): Promise<string[]> {
  const rows = await prisma.participationRequest.findMany({ where: { userId, status: "approved" }, select: { dialogueId: true } });
  return [...new Set(rows.map((r) => r.dialogueId))];
}

/** A thread's level now, by id (on the record when it does not exist). */
export async function threadLevelById(threadId: string): Promise<AttributionLevel> {
  const thread = await prisma.thread.findUnique({ where: { id: threadId }, select: { dialogueId: true, attributionLevel: true, dialogue: { select: { attributionLevel: true } } } });
  return thread ? levelOf(thread) : "on_record";
}

/** Threads held on the record now (their own level, else their dialogue's). */
export const onRecordThreadWhere: Prisma.ThreadWhereInput = {
  OR: [
    { attributionLevel: "on_record" },
    { attributionLevel: null, OR: [{ dialogueId: null }, { dialogue: { attributionLevel: "on_record" } }] },
  ],
};

/**
 * Replies that may be tied to their author outside their thread (a profile's activity, the
 * "Latest" feed's names): written on the record in a thread still on the record.
 */
export const onRecordRepliesWhere: Prisma.ReplyWhereInput = { attributionLevel: "on_record", thread: onRecordThreadWhere };

/** Threads whose words may leave the page (digests, exports): all but those held off the record. */
export const contentLeavesPageThreadWhere: Prisma.ThreadWhereInput = {
  OR: [
    { attributionLevel: { in: ["on_record", "chatham_house"] } },
    { attributionLevel: null, OR: [{ dialogueId: null }, { dialogue: { attributionLevel: { not: "off_the_record" } } }] },
  ],
};
