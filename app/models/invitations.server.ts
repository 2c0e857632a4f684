/**
 * Invitations: the Track 2 network admits people by invitation. An admin invites one or many
 * addresses by email (one invitation, one email each, both languages with the inviter's chosen
 * one first, an optional personal message), or creates a link to copy; each is single use and
 * expiring, can be sent again (a fresh link; the earlier one stops working) and revoked while
 * outstanding; only SHA-256(token) is stored. The first admin of a deployment signs up through
 * a one-time link the server prints (`ensureFirstAdminInvitation`).
 */
import type { Prisma, Role } from "@prisma/client";
import { z } from "~/utils/validation";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { logStaffAction } from "./moderation.server";
import { hashToken, newSecretToken } from "~/utils/tokens.server";
import { queueEmail } from "./email/outbox.server";

export const hashInvitationToken = hashToken;

export const invitationInput = z.object({
  role: z.enum(["member", "moderator", "admin"]).default("member"),
  expiresInDays: z.coerce.number().int().min(1).max(90).default(14),
  note: z.string().trim().max(200).default(""),
});

async function insertInvitation(
  createdById: string | null,
  input: { role: Role; expiresInDays: number; note: string; email?: string; locale?: "en" | "zh"; message?: string },
  tx: Prisma.TransactionClient = prisma,
) {
  const token = newSecretToken(24);
  const invitation = await tx.invitation.create({
    data: {
      id: newId(),
      tokenHash: hashInvitationToken(token),
      role: input.role,
      note: input.note,
      createdById,
      expiresAt: new Date(Date.now() + input.expiresInDays * 24 * 60 * 60 * 1000),
      email: input.email ?? null,
      locale: input.locale ?? null,
      message: input.message ?? "",
      sentAt: input.email ? new Date() : null,
    },
  });
  return { token, invitation };
}

/** How an invitation stands, as the admin page shows it. */
export function invitationStatus(invitation: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): "pending" | "accepted" | "expired" | "revoked" {
  if (invitation.revokedAt) return "revoked";
  if (invitation.usedAt) return "accepted";
  return invitation.expiresAt <= now ? "expired" : "pending";
}

/** The most addresses one form may invite at once. */
export const MAX_INVITATION_ADDRESSES = 100;

export type InvitationLineOutcome = "sent" | "invalid" | "duplicate" | "already_member" | "already_invited";

/**
 * Invites every address of the list (one per line) by email. Each line gets its own outcome:
 * sent, invalid, duplicate (already higher in the list), already a member, or already invited
 * (an open invitation to the address: send that one again instead). The invitations and their
 * emails are written in one transaction.
 * @returns one outcome per non-empty line, in order
 * @throws AppError forbidden | validation (no address, or more than 100)
 */
export async function sendInvitations(actor: Actor | null, input: ParsedCommandInput<"invitation.send">) {
  assertCan(actor, "invitation.manage");
  const lines = input.emails
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) throw new AppError("validation", "Enter at least one address", "emails");
  if (lines.length > MAX_INVITATION_ADDRESSES) throw new AppError("validation", "Too many addresses", "emails");
  const seen = new Set<string>();
  const candidates: { line: string; email: string | null; outcome: InvitationLineOutcome | null }[] = lines.map((line) => {
    const parsed = invitationEmail.safeParse(line);
    if (!parsed.success) return { line, email: null, outcome: "invalid" };
    if (seen.has(parsed.data)) return { line, email: parsed.data, outcome: "duplicate" };
    seen.add(parsed.data);
    return { line, email: parsed.data, outcome: null };
  });
  const addresses = candidates.filter((c) => c.outcome === null).map((c) => c.email!);
  const [members, open] = await Promise.all([
    prisma.user.findMany({ where: { email: { in: addresses } }, select: { email: true } }),
    prisma.invitation.findMany({ where: { email: { in: addresses }, usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }, select: { email: true } }),
  ]);
  const memberSet = new Set(members.map((m) => m.email));
  const openSet = new Set(open.map((i) => i.email));
  for (const c of candidates) {
    if (c.outcome !== null || !c.email) continue;
    if (memberSet.has(c.email)) c.outcome = "already_member";
    else if (openSet.has(c.email)) c.outcome = "already_invited";
  }
  const results = await prisma.$transaction(async (tx) => {
    const out: { line: string; email: string | null; outcome: InvitationLineOutcome; invitationId: string | null }[] = [];
    for (const c of candidates) {
      if (c.outcome !== null) {
        out.push({ line: c.line, email: c.email, outcome: c.outcome, invitationId: null });
        continue;
      }
      const { token, invitation } = await insertInvitation(actor.id, { role: input.role, expiresInDays: input.expiresInDays, note: input.note, email: c.email!, locale: input.locale, message: input.message }, tx);
      await queueEmail(tx, { kind: "invitation", to: c.email!, locale: input.locale, refId: invitation.id, payload: { token } });
      out.push({ line: c.line, email: c.email, outcome: "sent", invitationId: invitation.id });
    }
    return out;
  });
  return { results, sent: results.filter((r) => r.outcome === "sent").length };
}

const invitationEmail = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));

/**
 * Sends an outstanding email invitation again with a fresh link (the earlier link stops
 * working) and as long a validity as it first had.
 * @throws AppError forbidden | not_found | invitation_not_open
 */
export async function resendInvitation(actor: Actor | null, input: ParsedCommandInput<"invitation.resend">) {
  assertCan(actor, "invitation.manage");
  const invitation = await prisma.invitation.findUnique({ where: { id: input.invitationId } });
  if (!invitation) throw new AppError("not_found");
  if (!invitation.email || invitationStatus(invitation) !== "pending") throw new AppError("invitation_not_open", "Only an outstanding email invitation can be sent again", "invitationId");
  const token = newSecretToken(24);
  const validity = Math.max(invitation.expiresAt.getTime() - invitation.createdAt.getTime(), 24 * 60 * 60 * 1000);
  await prisma.$transaction(async (tx) => {
    const updated = await tx.invitation.updateMany({
      where: { id: invitation.id, usedAt: null, revokedAt: null },
      data: { tokenHash: hashInvitationToken(token), sentAt: new Date(), expiresAt: new Date(Date.now() + validity) },
    });
    if (updated.count !== 1) throw new AppError("invitation_not_open", "Only an outstanding email invitation can be sent again", "invitationId");
    await queueEmail(tx, { kind: "invitation", to: invitation.email!, locale: invitation.locale ?? "en", refId: invitation.id, payload: { token } });
  });
  return { invitationId: invitation.id, resent: true };
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

/** Invitations an admin made, newest first (tokens are never shown again), with their last email's state. */
export async function listInvitations(actor: Actor | null) {
  assertCan(actor, "invitation.manage");
  const invitations = await prisma.invitation.findMany({
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { usedBy: { select: { id: true, displayName: true } }, createdBy: { select: { displayName: true } } },
  });
  const emails = await prisma.emailMessage.findMany({
    where: { kind: "invitation", refId: { in: invitations.map((i) => i.id) } },
    orderBy: { createdAt: "desc" },
    distinct: ["refId"],
    select: { refId: true, status: true },
  });
  const delivery = new Map(emails.map((e) => [e.refId, e.status]));
  return invitations.map((i) => ({ ...i, delivery: delivery.get(i.id) ?? null }));
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
