/**
 * Dialogue reminders (every tick): a dialogue whose start time is known and less than a day
 * away is claimed once (`reminded_at`), and each member following it — watching or tracking
 * the dialogue's category, or accepted after a request to take part — who keeps reminders on
 * gets one email with the time in U.S. Eastern and Beijing time (and their own zone).
 */
import { prisma } from "~/db.server";
import { queueEmail } from "./outbox.server";

export async function runDialogueReminders(): Promise<number> {
  const soon = await prisma.dialogue.findMany({
    where: { remindedAt: null, startsAt: { gt: new Date(), lte: new Date(Date.now() + 24 * 60 * 60 * 1000) } },
    select: { id: true },
  });
  let queued = 0;
  for (const { id } of soon) {
    queued += await prisma.$transaction(async (tx) => {
      const claimed = await tx.dialogue.updateMany({ where: { id, remindedAt: null }, data: { remindedAt: new Date() } });
      if (claimed.count !== 1) return 0;
      const members = await tx.$queryRaw<{ id: string; email: string; locale: "en" | "zh" }[]>`
        SELECT u.id, u.email, u.locale FROM users u
        WHERE u.email_reminders AND u.deactivated_at IS NULL AND u.email_bouncing_at IS NULL
          AND (u.id IN (SELECT user_id FROM category_watches WHERE category_key = ${`dialogue:${id}`} AND level IN ('watching', 'tracking'))
            OR u.id IN (SELECT user_id FROM participation_requests WHERE dialogue_id = ${id} AND status = 'approved' AND user_id IS NOT NULL))`;
      for (const m of members) {
        await queueEmail(tx, { kind: "dialogue_reminder", userId: m.id, to: m.email, locale: m.locale, refId: id, payload: { dialogueId: id } });
      }
      return members.length;
    });
  }
  return queued;
}
