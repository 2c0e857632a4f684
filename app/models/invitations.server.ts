/**
 * Invitations: the Track 2 network admits people by invitation. An admin creates a link
 * (single use, expiring) and may revoke it while it is outstanding; only SHA-256(token) is stored. The first admin of a deployment
 * signs up through a one-time link the server prints (`ensureFirstAdminInvitation`).
 */
import type { Role } from "@prisma/client";
import { z } from "~/utils/validation";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { logStaffAction } from "./moderation.server";
import { hashToken, newSecretToken } from "~/utils/tokens.server";

export const hashInvitationToken = hashToken;

export const invitationInput = z.object({
  role: z.enum(["member", "moderator", "admin"]).default("member"),
  expiresInDays: z.coerce.number().int().min(1).max(90).default(14),
  note: z.string().trim().max(200).default(""),
});

async function insertInvitation(createdById: string | null, input: { role: Role; expiresInDays: number; note: string }) {
  const token = newSecretToken(24);
  const invitation = await prisma.invitation.create({
    data: {
      id: newId(),
      tokenHash: hashInvitationToken(token),
      role: input.role,
      note: input.note,
      createdById,
      expiresAt: new Date(Date.now() + input.expiresInDays * 24 * 60 * 60 * 1000),
    },
  });
  return { token, invitation };
}

/**
 * Creates an invitation link for the admin.
 * @returns the raw token (shown once) and the row
 * @throws AppError forbidden for non-admins
 */
export async function createInvitation(actor: Actor | null, input: z.input<typeof invitationInput>) {
  assertCan(actor, "invitation.manage");
  return insertInvitation(actor!.id, invitationInput.parse(input));
}

/** Invitations an admin made, newest first (tokens are never shown again). */
export async function listInvitations(actor: Actor | null) {
  assertCan(actor, "invitation.manage");
  return prisma.invitation.findMany({
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { usedBy: { select: { id: true, displayName: true } }, createdBy: { select: { displayName: true } } },
  });
}

/** The invitation for a token if it is unused and unexpired, else null. */
export async function findUsableInvitation(token: string | null | undefined) {
  if (!token || token.length > 100) return null;
  const invitation = await prisma.invitation.findUnique({ where: { tokenHash: hashInvitationToken(token) } });
  if (!invitation || invitation.usedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) return null;
  return invitation;
}

/**
 * Revokes an outstanding invitation (unused, unexpired, not revoked): its link admits nobody
 * from now on. Logged with the reason. A sign-up racing the revocation either claims the link
 * first (then the revocation is refused) or is refused.
 * @throws AppError unauthenticated | suspended | forbidden | not_found | invitation_not_open
 */
export async function revokeInvitation(actor: Actor | null, input: ParsedCommandInput<"invitation.revoke">) {
  assertCan(actor, "invitation.manage");
  const invitation = await prisma.invitation.findUnique({ where: { id: input.invitationId } });
  if (!invitation) throw new AppError("not_found");
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    const revoked = await tx.invitation.updateMany({
      where: { id: invitation.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    if (revoked.count !== 1) throw new AppError("invitation_not_open", "Only an outstanding invitation can be revoked", "invitationId");
    await logStaffAction(tx, { actorId: actor.id, action: "invitation.revoke", targetType: "invitation", targetId: invitation.id, reason: input.reason, data: { role: invitation.role } });
  });
  return { invitationId: invitation.id, revoked: true };
}

/**
 * On a deployment with no admin yet: makes a first-admin link valid for 24 hours. Each app
 * process that starts prints its own; all of them stop working once any one has created the
 * first admin (see `isFirstAdminInvitation` in sign-up).
 * @returns the token, or null when an admin exists
 */
export async function ensureFirstAdminInvitation(): Promise<string | null> {
  const admins = await prisma.user.count({ where: { role: "admin" } });
  if (admins > 0) return null;
  const { token } = await insertInvitation(null, { role: "admin", expiresInDays: 1, note: FIRST_ADMIN_NOTE });
  return token;
}

const FIRST_ADMIN_NOTE = "first admin";

/** A link the server printed for the first admin (not made by an admin). */
export function isFirstAdminInvitation(invitation: { createdById: string | null; role: Role; note: string }): boolean {
  return invitation.createdById === null && invitation.role === "admin" && invitation.note === FIRST_ADMIN_NOTE;
}
