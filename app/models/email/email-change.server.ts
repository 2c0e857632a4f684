/**
 * Changing one's email address (settings): confirmed with the password; a link goes to the new
 * address and a notice to the old one; nothing changes until the link is followed (OWASP
 * Authentication Cheat Sheet, "Changing a user's registered email address"). The token is 32
 * random bytes, only its SHA-256 stored, valid 24 hours, replaced by a newer request.
 */
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { logger } from "~/utils/logger.server";
import { consumeOrWait, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { confirmPassword } from "../accounts/password.server";
import { queueEmail } from "./outbox.server";
import { hashToken, newSecretToken } from "./tokens.server";

export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

/** 5 requests per hour per member. */
const changeLimiter = singleton("limiter:email-change", () => createLimiter({ keyPrefix: "crn:email-change", points: 5, duration: 60 * 60 }));

/**
 * @throws AppError unauthenticated | suspended | password_incorrect | email_same | email_taken |
 *   email_throttled | rate_limited
 */
export async function requestEmailChange(actor: Actor | null, input: ParsedCommandInput<"email.change">) {
  assertCan(actor, "account.own");
  await confirmPassword(actor, input.password, "password");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.id } });
  const newEmail = input.newEmail;
  if (newEmail === user.email) throw new AppError("email_same", "That is your address already", "newEmail");
  if (await prisma.user.findUnique({ where: { email: newEmail }, select: { id: true } })) throw new AppError("email_taken", "Email taken", "newEmail");
  await consumeOrWait(changeLimiter, actor.id, "email_throttled");
  const token = newSecretToken();
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    await tx.emailChangeRequest.updateMany({ where: { userId: user.id, confirmedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    const request = await tx.emailChangeRequest.create({
      data: { id: newId(), userId: user.id, newEmail, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + EMAIL_CHANGE_TTL_MS) },
    });
    await queueEmail(tx, { kind: "email_change_confirm", userId: user.id, to: newEmail, locale: user.locale, refId: request.id, payload: { token } });
    await queueEmail(tx, { kind: "email_change_notice", userId: user.id, to: user.email, locale: user.locale, refId: request.id, payload: { newEmail } });
  });
  logger.info({ event: "account.email_change_requested", userId: user.id }, "email change requested");
  return { requested: true, newEmail };
}

/** The pending change a link stands for (the confirmation page shows the new address), or null. */
export async function findEmailChange(token: string | null | undefined) {
  if (!token || token.length > 100) return null;
  const request = await prisma.emailChangeRequest.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!request || request.confirmedAt || request.expiresAt <= new Date()) return null;
  return request;
}

/**
 * Applies a confirmed change (single use, within 24 hours). The new address starts with a clean
 * delivery record (a bouncing mark belonged to the old one).
 * @throws AppError email_change_invalid | email_taken
 */
export async function confirmEmailChange(token: string) {
  const request = await findEmailChange(token);
  if (!request) throw new AppError("email_change_invalid");
  try {
    const user = await prisma.$transaction(async (tx) => {
      const claimed = await tx.emailChangeRequest.updateMany({ where: { id: request.id, confirmedAt: null, expiresAt: { gt: new Date() } }, data: { confirmedAt: new Date() } });
      if (claimed.count !== 1) throw new AppError("email_change_invalid");
      return tx.user.update({ where: { id: request.userId }, data: { email: request.newEmail, emailBouncingAt: null, emailBounceReason: null } });
    });
    logger.info({ event: "account.email_changed", userId: user.id }, "email address changed");
    return { userId: user.id, email: user.email };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new AppError("email_taken", "Email taken", "email");
    throw error;
  }
}
