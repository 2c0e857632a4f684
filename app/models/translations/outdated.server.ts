/**
 * Keeping translations current: an edit of the original leaves each translation behind
 * (`sourceRevision` < the reply's edit count, shown as "translation of an earlier version"), and
 * its translator is told once until they read the notice.
 */
import type { Prisma } from "@prisma/client";
import { newId } from "~/utils/ids.server";

/**
 * Inside the edit's transaction: one unread `translation_outdated` notice per human translator of
 * the reply (not the editor themself), refreshed rather than repeated while unread.
 * @returns the members notified (publish their unread counts after commit)
 */
export async function notifyTranslationsOutdated(
  tx: Prisma.TransactionClient,
  reply: { id: string; threadId: string; translations: { kind: string; translatorId: string | null; language: string }[] },
  editorId: string,
): Promise<string[]> {
  const notified: string[] = [];
  for (const t of reply.translations) {
    if (t.kind !== "human" || !t.translatorId || t.translatorId === editorId) continue;
    const open = await tx.notification.updateMany({
      where: { userId: t.translatorId, type: "translation_outdated", replyId: reply.id, readAt: null },
      data: { updatedAt: new Date(), actorId: editorId },
    });
    if (open.count === 0) {
      await tx.notification.create({
        data: { id: newId(), userId: t.translatorId, type: "translation_outdated", threadId: reply.threadId, replyId: reply.id, actorId: editorId, data: { language: t.language } },
      });
    }
    notified.push(t.translatorId);
  }
  return notified;
}
