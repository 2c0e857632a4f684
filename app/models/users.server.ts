/**
 * Members: sign-up by invitation, sign-in, profiles, language preference.
 */
import type { Locale, Prisma } from "@prisma/client";
import { z } from "~/utils/validation";
import { prisma } from "~/db.server";
import { assertCan, isStaff, type Actor } from "~/policy.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { logger } from "~/utils/logger.server";
import {
  assertPasswordAcceptable,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from "~/utils/password.server";
import { consume, signInLimiter } from "~/utils/rate-limit.server";
import { hashInvitationToken, isFirstAdminInvitation } from "./invitations.server";

export const signUpInput = z.object({
  invitation: z.string().trim().min(1).max(100),
  email: z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254)),
  password: z.string().max(200),
  displayName: z.string().trim().min(1).max(100),
  organisation: z.string().trim().max(200).default(""),
  regionId: z.string().trim().max(40).optional().transform((v) => v || undefined),
  locale: z.enum(["en", "zh"]).default("en"),
});

export const signInInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(200),
});

/**
 * Creates a member from a valid invitation, claiming it atomically (single use).
 * @throws AppError invitation_invalid | email_taken | password_too_short | password_too_common | validation
 */
export async function signUp(input: z.input<typeof signUpInput>) {
  const data = signUpInput.parse(input);
  assertPasswordAcceptable(data.password);
  const passwordHash = await hashPassword(data.password);
  if (data.regionId) {
    const region = await prisma.region.findUnique({ where: { id: data.regionId } });
    if (!region) throw new AppError("validation", "Unknown region", "regionId");
  }
  try {
    const user = await prisma.$transaction(async (tx) => {
      const now = new Date();
      const invitation = await tx.invitation.findUnique({ where: { tokenHash: hashInvitationToken(data.invitation) } });
      if (!invitation || invitation.usedAt || invitation.expiresAt <= now) throw new AppError("invitation_invalid");
      if (isFirstAdminInvitation(invitation) && (await tx.user.count({ where: { role: "admin" } })) > 0) {
        throw new AppError("invitation_invalid");
      }
      const userId = newId();
      const created = await tx.user.create({
        data: {
          id: userId,
          email: data.email,
          passwordHash,
          displayName: data.displayName,
          organisation: data.organisation,
          regionId: data.regionId ?? null,
          locale: data.locale,
          role: invitation.role,
        },
      });
      // Conditional update: of two concurrent sign-ups with one link, only one claims it.
      const claimed = await tx.invitation.updateMany({
        where: { id: invitation.id, usedAt: null },
        data: { usedAt: now, usedById: userId },
      });
      if (claimed.count !== 1) throw new AppError("invitation_invalid");
      return created;
    });
    logger.info({ event: "auth.signup", userId: user.id, role: user.role }, "member signed up");
    return user;
  } catch (error) {
    if ((error as Prisma.PrismaClientKnownRequestError)?.code === "P2002") throw new AppError("email_taken", "Email taken", "email");
    throw error;
  }
}

/**
 * Checks credentials. An unknown email and a wrong password give the same error and take about
 * the same time (argon2 verification against a dummy hash). Attempts are limited per email and
 * client address; a success resets the count.
 * @throws AppError invalid_credentials | rate_limited
 */
export async function signIn(input: z.input<typeof signInInput>, client: { ip?: string } = {}) {
  const { email, password } = signInInput.parse(input);
  const limiterKey = `${client.ip ?? ""}:${email}`;
  await consume(signInLimiter, limiterKey);
  const user = await prisma.user.findUnique({ where: { email } });
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !ok) {
    logger.info({ event: "auth.signin_failed", userId: user?.id ?? null, ip: client.ip }, "sign-in failed");
    throw new AppError("invalid_credentials");
  }
  if (user.suspendedUntil && user.suspendedUntil > new Date()) {
    logger.info({ event: "auth.signin_suspended", userId: user.id }, "suspended member refused");
    throw new AppError("suspended", "Suspended", undefined, { until: user.suspendedUntil.toISOString() });
  }
  logger.info({ event: "auth.signin", userId: user.id }, "member signed in");
  await signInLimiter.delete(limiterKey).catch(() => {});
  return user;
}

export async function setLocale(userId: string, locale: Locale): Promise<void> {
  await prisma.user.update({ where: { id: userId }, data: { locale } });
}

const publicProfileSelect = {
  id: true,
  displayName: true,
  organisation: true,
  role: true,
  createdAt: true,
  region: { select: { id: true, slug: true, nameEn: true, nameZh: true, country: true } },
} satisfies Prisma.UserSelect;

/** A member's profile with their latest replies; members only. */
export async function getProfile(actor: Actor | null, userId: string) {
  assertCan(actor, "member.read");
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { ...publicProfileSelect, suspendedUntil: true } });
  if (!user) throw new AppError("not_found");
  const seesHidden = isStaff(actor) || actor.id === userId;
  const replies = await prisma.reply.findMany({
    where: { authorId: userId, deletedAt: null, thread: { deletedAt: null }, ...(seesHidden ? {} : { hiddenAt: null }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 20,
    select: { id: true, text: true, postNumber: true, createdAt: true, thread: { select: { id: true, titleEn: true, titleZh: true } } },
  });
  return { user, replies };
}

/** Members of a region, by name; members only. */
export async function listRegionMembers(actor: Actor | null, regionId: string) {
  assertCan(actor, "member.read");
  return prisma.user.findMany({ where: { regionId }, orderBy: { displayName: "asc" }, select: publicProfileSelect, take: 500 });
}

/** The member as the policy sees them now (role re-read from the database), or null. */
export function findActor(userId: string): Promise<Actor | null> {
  return prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true, suspendedUntil: true } });
}

/** Members whose name starts with (or contains) the query, for @mention autocomplete. */
export async function searchMembers(actor: Actor | null, query: string) {
  assertCan(actor, "member.read");
  const q = query.trim().slice(0, 50);
  if (!q) return [];
  const rows = await prisma.user.findMany({
    where: { displayName: { contains: q, mode: "insensitive" } },
    orderBy: { displayName: "asc" },
    take: 8,
    select: { id: true, displayName: true, region: { select: { nameEn: true, nameZh: true } } },
  });
  return rows;
}
