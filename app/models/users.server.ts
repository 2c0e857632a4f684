/**
 * Members: sign-up by invitation, sign-in, profiles, language preference.
 */
import type { Locale, Prisma } from "@prisma/client";
import { z } from "~/utils/validation";
import { prisma } from "~/db.server";
import { onRecordRepliesWhere } from "./track2/access.server";
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
import {
  assertUnderLimit,
  consumeOrWait,
  recordFailure,
  signInAccountLimiter,
  signInAddressLimiter,
  signInLimiter,
} from "~/utils/rate-limit.server";
import { profileUpdateSchema, type CommandInput } from "~/realtime/commands";
import { listMemberCaseStudies } from "./directory.server";
import { hashInvitationToken, isFirstAdminInvitation } from "./invitations.server";
import { cutAtGrapheme } from "~/utils/text";
import { DELETED_MEMBER_ID } from "~/utils/deleted-member";
import { decodeNameCursor, encodeNameCursor } from "~/utils/cursor";

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
      if (!invitation || invitation.usedAt || invitation.revokedAt || invitation.expiresAt <= now) throw new AppError("invitation_invalid");
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
        where: { id: invitation.id, usedAt: null, revokedAt: null },
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
 * the same time (argon2 verification against a dummy hash made at start-up; OWASP
 * Authentication Cheat Sheet). Three limits, checked before any verification, so a locked
 * account answers the same whether it exists or not:
 * - attempts per email and client address (a success resets it);
 * - failed attempts per account, whatever the address (rotating X-Forwarded-For does not help);
 * - failed attempts per client address, whatever the account.
 * @throws AppError invalid_credentials | signin_throttled (params `{ count }`: minutes to wait)
 *   | suspended | account_deactivated
 */
export async function signIn(input: z.input<typeof signInInput>, client: { ip?: string } = {}) {
  const { email, password } = signInInput.parse(input);
  const ip = client.ip ?? "";
  const limiterKey = `${ip}:${email}`;
  await assertUnderLimit(signInAccountLimiter, email, "signin_throttled");
  await assertUnderLimit(signInAddressLimiter, ip, "signin_throttled");
  await consumeOrWait(signInLimiter, limiterKey, "signin_throttled");
  const user = await prisma.user.findUnique({ where: { email } });
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !ok) {
    await Promise.all([recordFailure(signInAccountLimiter, email), recordFailure(signInAddressLimiter, ip)]);
    logger.info({ event: "auth.signin_failed", userId: user?.id ?? null, ip: client.ip }, "sign-in failed");
    throw new AppError("invalid_credentials");
  }
  if (user.deactivatedAt) {
    logger.info({ event: "auth.signin_deactivated", userId: user.id }, "deactivated member refused");
    throw new AppError("account_deactivated");
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
  nameLatin: true,
  nameChinese: true,
  organisation: true,
  title: true,
  languages: true,
  bio: true,
  role: true,
  createdAt: true,
  region: { select: { id: true, slug: true, nameEn: true, nameZh: true, country: true } },
} satisfies Prisma.UserSelect;

/**
 * A member's profile with their case studies (published ones, and their own drafts when it is
 * their own profile; never deleted ones) and their latest replies; members only.
 * @throws AppError unauthenticated | suspended | not_found
 */
export async function getProfile(actor: Actor | null, userId: string) {
  assertCan(actor, "member.read");
  const user = userId === DELETED_MEMBER_ID ? null : await prisma.user.findUnique({ where: { id: userId }, select: { ...publicProfileSelect, suspendedUntil: true } });
  if (!user) throw new AppError("not_found");
  const seesHidden = isStaff(actor) || actor.id === userId;
  const [replies, caseStudies] = await Promise.all([
    prisma.reply.findMany({
      // Replies under the Chatham House Rule are not on their author's profile (but for them and staff).
      where: { authorId: userId, deletedAt: null, thread: { deletedAt: null }, ...(seesHidden ? {} : { hiddenAt: null, ...onRecordRepliesWhere }) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 20,
      select: { id: true, text: true, postNumber: true, createdAt: true, thread: { select: { id: true, titleEn: true, titleZh: true } } },
    }),
    listMemberCaseStudies(actor, userId),
  ]);
  return { user, replies, caseStudies };
}

/** Members of a region, by name; members only. */
export async function listRegionMembers(actor: Actor | null, regionId: string) {
  assertCan(actor, "member.read");
  return prisma.user.findMany({ where: { regionId }, orderBy: [{ displayName: "asc" }, { id: "asc" }], select: publicProfileSelect, take: 500 });
}

export const memberDirectoryInput = z.object({
  region: z.string().trim().max(60).optional().transform((v) => v || undefined),
  country: z.enum(["US", "CN"]).optional().catch(undefined),
  q: z.string().trim().max(100).optional().transform((v) => v || undefined),
  cursor: z.string().max(400).optional(),
});

export const DIRECTORY_PAGE_SIZE = 24;

/**
 * The member directory: everyone, sorted by display name (then id), filtered by region slug and
 * country (both together narrow the list) and a text filter on the names and the organisation.
 * Keyset pagination on (display name, id). Members only.
 * @throws AppError unauthenticated | suspended
 */
export async function listMembers(actor: Actor | null, input: z.input<typeof memberDirectoryInput>) {
  assertCan(actor, "member.read");
  const parsed = memberDirectoryInput.safeParse(input);
  const filters = parsed.success ? parsed.data : { region: undefined, country: undefined, q: undefined, cursor: undefined };
  const after = decodeNameCursor(filters.cursor);
  // The deleted-member placeholder is nobody's entry in the directory.
  const and: Prisma.UserWhereInput[] = [{ id: { not: DELETED_MEMBER_ID } }];
  if (filters.region) and.push({ region: { slug: filters.region } });
  if (filters.country) and.push({ region: { country: filters.country } });
  if (filters.q) {
    const contains = { contains: filters.q, mode: "insensitive" } as const;
    and.push({ OR: [{ displayName: contains }, { nameLatin: contains }, { nameChinese: contains }, { organisation: contains }] });
  }
  if (after) and.push({ OR: [{ displayName: { gt: after.displayName } }, { displayName: after.displayName, id: { gt: after.id } }] });
  const rows = await prisma.user.findMany({
    where: { AND: and },
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
    take: DIRECTORY_PAGE_SIZE + 1,
    select: publicProfileSelect,
  });
  const more = rows.length > DIRECTORY_PAGE_SIZE;
  const members = more ? rows.slice(0, DIRECTORY_PAGE_SIZE) : rows;
  return { members, nextCursor: more ? encodeNameCursor(members[members.length - 1]) : null, filters: { region: filters.region, country: filters.country, q: filters.q } };
}

/** The signed-in member's own profile fields, for the settings form. */
export async function getOwnProfile(actor: Actor | null) {
  assertCan(actor, "profile.update");
  const user = await prisma.user.findUnique({
    where: { id: actor.id },
    select: { displayName: true, nameLatin: true, nameChinese: true, organisation: true, title: true, regionId: true, languages: true, bio: true, locale: true, profileRevision: true },
  });
  if (!user) throw new AppError("not_found");
  return user;
}

/**
 * Updates the acting member's own directory profile (only the fields given). The input is
 * validated here as well as by the command layer, so every caller gets the same rules.
 * @throws AppError unauthenticated | suspended | validation (with the field)
 */
export async function updateProfile(actor: Actor | null, input: CommandInput<"profile.update">) {
  assertCan(actor, "profile.update");
  const parsed = profileUpdateSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("validation", issue?.message ?? "invalid", issue?.path[0]?.toString());
  }
  const data = parsed.data;
  if (data.regionId) {
    const region = await prisma.region.findUnique({ where: { id: data.regionId }, select: { id: true } });
    if (!region) throw new AppError("validation", "Unknown region", "regionId");
  }
  const { baseRevision, ...fields } = data;
  // The interface language is a preference, not part of the profile: changing it (the language
  // switch) neither bumps the revision nor conflicts with a profile being edited elsewhere.
  const profileChanged = Object.keys(fields).some((key) => key !== "locale");
  const saved = await prisma.user.updateMany({
    where: { id: actor.id, ...(baseRevision !== undefined ? { profileRevision: baseRevision } : {}) },
    data: { ...fields, ...(profileChanged ? { profileRevision: { increment: 1 } } : {}) },
  });
  if (saved.count !== 1) throw new AppError("edit_conflict", "The profile was changed since the form was opened", "");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.id }, select: { id: true, locale: true, profileRevision: true } });
  logger.info({ event: "profile.update", userId: actor.id, fields: Object.keys(fields) }, "member updated their profile");
  return { userId: user.id, locale: user.locale, revision: user.profileRevision };
}

/**
 * The member as the policy sees them now (role re-read from the database), or null when the
 * account is gone or deactivated (treated as signed out).
 */
export async function findActor(userId: string): Promise<Actor | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true, suspendedUntil: true, deactivatedAt: true } });
  if (!user || user.deactivatedAt) return null;
  return { id: user.id, role: user.role, suspendedUntil: user.suspendedUntil };
}

/**
 * Members whose name contains the query, for @mention autocomplete: the display name, the
 * Latin-script or the Chinese-script name.
 */
export async function searchMembers(actor: Actor | null, query: string) {
  assertCan(actor, "member.read");
  const q = cutAtGrapheme(query.trim(), 50);
  if (!q) return [];
  const rows = await prisma.user.findMany({
    where: {
      id: { not: DELETED_MEMBER_ID },
      OR: [
        { displayName: { contains: q, mode: "insensitive" } },
        { nameLatin: { contains: q, mode: "insensitive" } },
        { nameChinese: { contains: q } },
      ],
    },
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
    take: 8,
    select: { id: true, displayName: true, region: { select: { nameEn: true, nameZh: true } } },
  });
  return rows;
}
