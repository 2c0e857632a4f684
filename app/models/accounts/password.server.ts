/**
 * Changing one's own password (settings → password): the current password is required, the
 * new one follows the password rules (argon2id, at least 10 characters, not a common one) and
 * must differ from it; every other session ends and its sockets disconnect (the one the change
 * came from stays signed in), and the member gets a notice (in-app now, email later:
 * ./notices.server.ts). OWASP Authentication Cheat Sheet ("Change password feature";
 * "re-authenticate for sensitive features"); NIST SP 800-63B §5.1.1.
 */
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { assertPasswordAcceptable, hashPassword, verifyPassword } from "~/utils/password.server";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { invalidateOtherSessions } from "../sessions.server";
import { sendAccountNotice } from "./notices.server";

/** Attempts at confirming one's password (password change, account deletion): 10 per 15 minutes per member. */
export const passwordConfirmLimiter = singleton("limiter:password-confirm", () =>
  createLimiter({ keyPrefix: "crn:password-confirm", points: 10, duration: 15 * 60 }),
);

/**
 * Checks the acting member's current password (rate-limited per member).
 * @throws AppError password_incorrect (field `field`) | rate_limited | not_found
 */
export async function confirmPassword(actor: Actor, password: string, field: string): Promise<{ passwordHash: string }> {
  await consume(passwordConfirmLimiter, actor.id);
  const user = await prisma.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user) throw new AppError("not_found");
  if (!(await verifyPassword(user.passwordHash, password))) {
    logger.info({ event: "auth.password_confirm_failed", userId: actor.id }, "password confirmation failed");
    throw new AppError("password_incorrect", "The current password is not correct", field);
  }
  return user;
}

/**
 * @throws AppError unauthenticated | suspended | password_incorrect | password_too_short |
 *   password_too_common | password_same | rate_limited
 * @returns how many other sessions ended
 */
export async function changePassword(actor: Actor | null, input: ParsedCommandInput<"password.change">) {
  assertCan(actor, "account.own");
  await confirmPassword(actor, input.currentPassword, "currentPassword");
  try {
    assertPasswordAcceptable(input.newPassword);
  } catch (error) {
    // The rules speak of the new password's field.
    if (error instanceof AppError) throw new AppError(error.code, error.message, "newPassword");
    throw error;
  }
  if (input.newPassword === input.currentPassword) throw new AppError("password_same", "The new password is the current one", "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  const afterCommit = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash } });
    return sendAccountNotice(tx, { userId: actor.id, notice: "password_changed", actorId: actor.id });
  });
  const ended = await invalidateOtherSessions(actor.id, actor.sessionId);
  await afterCommit();
  logger.info({ event: "auth.password_changed", userId: actor.id, sessionsEnded: ended }, "password changed");
  return { changed: true, sessionsEnded: ended };
}
