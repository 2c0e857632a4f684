/**
 * Notices about a member's own account (the password changed, …): the one seam through which
 * they leave. Today the notice is an in-app notification written in the caller's transaction
 * and counted on the badge after commit; when email exists, `sendAccountNotice` also writes the
 * email's outbox row in the same transaction (DESIGN.md, "side effects leave through an
 * outbox"), and no caller changes.
 */
import type { Prisma } from "@prisma/client";
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
  return () => publishUnreadCounts([args.userId]);
}
