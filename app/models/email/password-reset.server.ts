/**
 * "Forgot password?" (OWASP Forgot Password Cheat Sheet): the page answers the same, in the same
 * time, for a known and an unknown address, because all it does is queue the request; the
 * queue's worker then looks the address up and, for an active member, makes a token and the
 * email. The token is 32 random bytes of which only the SHA-256 is stored; it works once, for
 * one hour, and a newer request replaces it. Setting the new password ends every session and
 * sends the "your password was changed" notice. Requests are limited per address and per client
 * address; deactivated accounts get nothing.
 */
import { prisma } from "~/db.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { logger } from "~/utils/logger.server";
import { assertPasswordAcceptable, hashPassword } from "~/utils/password.server";
import { consumeOrWait, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { z } from "~/utils/validation";
import { isDeletedMember } from "~/utils/deleted-member";
import { sendAccountNotice } from "../accounts/notices.server";
import { invalidateAllSessions } from "../sessions.server";
import { queueEmail } from "./outbox.server";
import { enqueue, QUEUES } from "./queue.server";
import { hashToken, newSecretToken } from "./tokens.server";

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

/** 5 requests per hour per address, 20 per hour per client address. */
const addressLimiter = singleton("limiter:reset-address", () => createLimiter({ keyPrefix: "crn:reset-address", points: 5, duration: 60 * 60 }));
const clientLimiter = singleton("limiter:reset-client", () => createLimiter({ keyPrefix: "crn:reset-client", points: 20, duration: 60 * 60 }));

export const forgotPasswordInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254)),
});

/**
 * Queues a reset request. Known or not, the caller shows the same page.
 * @throws AppError email_throttled (params `{ count }`: minutes) | validation
 */
export async function requestPasswordReset(input: z.input<typeof forgotPasswordInput>, client: { ip: string; locale: "en" | "zh" }): Promise<void> {
  const parsed = forgotPasswordInput.safeParse(input);
  if (!parsed.success) throw new AppError("validation", "Enter an email address", "email");
  const { email } = parsed.data;
  await consumeOrWait(clientLimiter, client.ip || "unknown", "email_throttled");
  await consumeOrWait(addressLimiter, email, "email_throttled");
  await enqueue(QUEUES.passwordReset, { email, locale: client.locale });
  logger.info({ event: "auth.reset_requested", ip: client.ip }, "password reset requested");
}

/** The queue's half: a token and an email for an active member, nothing for anyone else. */
export async function handlePasswordResetRequest(data: { email: string }): Promise<void> {
  const user = await prisma.user.findUnique({ where: { email: data.email } });
  if (!user || user.deactivatedAt || isDeletedMember(user.id)) return;
  const token = newSecretToken();
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    // A newer request replaces the older ones.
    await tx.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    const row = await tx.passwordResetToken.create({
      data: { id: newId(), userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS) },
    });
    await queueEmail(tx, { kind: "password_reset", userId: user.id, to: user.email, locale: user.locale, refId: row.id, payload: { token } });
  });
  logger.info({ event: "auth.reset_token_made", userId: user.id }, "password reset email queued");
}

/** Whether a reset link can still be used (the page shows the form, or says it is not). */
export async function isResetTokenUsable(token: string | null | undefined): Promise<boolean> {
  if (!token || token.length > 100) return false;
  const row = await prisma.passwordResetToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: { select: { deactivatedAt: true } } } });
  return Boolean(row && !row.usedAt && row.expiresAt > new Date() && !row.user.deactivatedAt);
}

export const resetPasswordInput = z.object({ token: z.string().min(1).max(100), password: z.string().max(200) });

/**
 * Sets a new password from a reset link: single use (claimed atomically), within the hour,
 * every session ended, the notice sent (in-app and email).
 * @returns the member (the page signs them in with a new session)
 * @throws AppError reset_token_invalid | password_too_short | password_too_common
 */
export async function resetPassword(input: z.input<typeof resetPasswordInput>) {
  const parsed = resetPasswordInput.safeParse(input);
  if (!parsed.success) throw new AppError("reset_token_invalid");
  const { token, password } = parsed.data;
  try {
    assertPasswordAcceptable(password);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, error.message, "password");
    throw error;
  }
  if (!(await isResetTokenUsable(token))) throw new AppError("reset_token_invalid");
  const passwordHash = await hashPassword(password);
  const { user, afterCommit } = await prisma.$transaction(async (tx) => {
    const now = new Date();
    const row = await tx.passwordResetToken.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!row) throw new AppError("reset_token_invalid");
    // Compare-and-set: of two uses of one link racing, one wins.
    const claimed = await tx.passwordResetToken.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) throw new AppError("reset_token_invalid");
    const user = await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
    const afterCommit = await sendAccountNotice(tx, { userId: user.id, notice: "password_changed", actorId: user.id });
    return { user, afterCommit };
  });
  const ended = await invalidateAllSessions(user.id);
  await afterCommit();
  logger.info({ event: "auth.password_reset", userId: user.id, sessionsEnded: ended }, "password reset");
  return user;
}
