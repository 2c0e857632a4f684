/**
 * "Request translation": members who follow the translation queue (a setting) are told, once per
 * request, when they may read what is asked about — an off-the-record thread only its dialogue's
 * approved participants and staff.
 */
import type { Prisma, Role } from "@prisma/client";
import { newId } from "~/utils/ids.server";
import { levelOf } from "../track2/access.server";

/**
 * Inside the request's transaction: one `translation_requested` notice to each follower who may
 * read the thread, not the one asking. `replyId` null: the thread's title.
 * @returns the members notified (publish their unread counts after commit)
 */
export async function notifyTranslationRequested(
  tx: Prisma.TransactionClient,
  args: { actorId: string; threadId: string; replyId: string | null; language: string },
): Promise<string[]> {
  const thread = await tx.thread.findUniqueOrThrow({
    where: { id: args.threadId },
    select: { dialogueId: true, attributionLevel: true, dialogue: { select: { attributionLevel: true } } },
  });
  const offTheRecord = (await levelOf(thread)) === "off_the_record";
  const now = new Date();
  const followers = await tx.user.findMany({
    where: {
      followsTranslations: true,
      id: { not: args.actorId },
      deactivatedAt: null,
      AND: [
        { OR: [{ suspendedUntil: null }, { suspendedUntil: { lt: now } }] },
        ...(offTheRecord
          ? [{ OR: [{ role: { in: ["moderator", "admin"] as Role[] } }, ...(thread.dialogueId ? [{ participation: { some: { dialogueId: thread.dialogueId, status: "approved" as const } } }] : [])] }]
          : []),
      ],
    },
    select: { id: true },
  });
  if (followers.length === 0) return [];
  await tx.notification.createMany({
    data: followers.map((f) => ({
      id: newId(),
      userId: f.id,
      type: "translation_requested" as const,
      threadId: args.threadId,
      replyId: args.replyId,
      actorId: args.actorId,
      data: { language: args.language, what: args.replyId ? "reply" : "title" },
    })),
  });
  return followers.map((f) => f.id);
}
