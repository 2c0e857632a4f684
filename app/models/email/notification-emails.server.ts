/**
 * Queues notification emails in the transaction that writes the in-app notification. One email
 * waits per (member, thread), (member, note) or (member, case study) for EMAIL_DELAY_SECONDS;
 * what happens meanwhile in the same place is gathered into it, and when it is sent the worker
 * keeps only what is still unread, visible to the member and wanted (./compose.server.ts).
 * Members who switched every relevant kind off, bounce or are deactivated get no row at all.
 */
import type { Prisma } from "@prisma/client";
import { queueEmail } from "./outbox.server";
import { emailSettings } from "./settings.server";

type Scope = "thread" | "note" | "case_study";

const WANTS: Record<Scope, Prisma.Sql | string> = {
  thread: "(u.email_mentions OR u.email_replies OR u.email_watching)",
  note: "u.email_notes",
  case_study: "u.email_case_studies",
};

/**
 * @param scope what the notification is about; `id` its id
 * @param userIds members who were just notified about it
 */
export async function queueNotificationEmails(tx: Prisma.TransactionClient, scope: Scope, id: string, userIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return;
  const members = await tx.$queryRawUnsafe<{ id: string; email: string; locale: "en" | "zh" }[]>(
    `SELECT u.id, u.email, u.locale FROM users u
     WHERE u.id = ANY($1::text[]) AND ${WANTS[scope]} AND u.deactivated_at IS NULL AND u.email_bouncing_at IS NULL`,
    ids,
  );
  const sendAfter = new Date(Date.now() + emailSettings().delaySeconds * 1000);
  for (const m of members) {
    await queueEmail(tx, {
      kind: "notification",
      userId: m.id,
      to: m.email,
      locale: m.locale,
      refId: id,
      gatherKey: `${scope}:${id}:${m.id}`,
      payload: { scope },
      sendAfter,
    });
  }
}
