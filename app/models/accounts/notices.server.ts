/**
 * Notices about a member's own account (the password changed, …): the one seam through which
 * they leave. The notice is an in-app notification and an email, both written in the caller's
 * transaction (DESIGN.md, "side effects leave through an outbox"); the unread count goes out
 * live after commit. The email is essential: it is sent whatever the member's preferences.
 */
import type { Prisma } from "@prisma/client";
import { queueEmail } from "../email/outbox.server";
import { notifyMember, publishUnreadCounts } from "../notifications.server";

export type AccountNotice = "password_changed";

/**
 * Records the notice inside the caller's transaction.
 * @returns what to run after commit (the member's unread count, live)
 */
export async function sendAccountNotice(
  tx: Prisma.TransactionClient,
  args: { userId: string; notice: AccountNotice; actorId: string | null },
): Promise<() => Promise<void>> {
  await notifyMember(tx, { userId: args.userId, type: args.notice, actorId: args.actorId });
  const user = await tx.user.findUniqueOrThrow({ where: { id: args.userId }, select: { email: true, locale: true } });
  await queueEmail(tx, { kind: args.notice, userId: args.userId, to: user.email, locale: user.locale, payload: { at: new Date().toISOString() } });
  return () => publishUnreadCounts([args.userId]);
}
