/**
 * Members administration (admins, `/admin/members`): the list with search and filters, role
 * changes, deactivation and reactivation. Every change is written to the staff log with its
 * reason, in the same transaction. The network always keeps one active admin: the last one can
 * be neither demoted nor deactivated, even by two admins acting at the same moment (the active
 * admins' rows are locked while the rule is checked).
 *
 * Deactivation is not deletion: the member cannot sign in, all their sessions end and their
 * sockets disconnect at once, their content stays under their name; reactivation undoes it.
 */
import type { Prisma, Role } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { DELETED_MEMBER_ID } from "~/utils/deleted-member";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { z } from "~/utils/validation";
import { logStaffAction } from "../moderation.server";
import { invalidateAllSessions } from "../sessions.server";
import { decodeNameCursor, encodeNameCursor } from "~/utils/cursor";

export const memberStatuses = ["active", "suspended", "deactivated"] as const;
export type MemberStatus = (typeof memberStatuses)[number];

export const adminMemberListInput = z.object({
  q: z.string().trim().max(100).optional().catch(undefined).transform((v) => v || undefined),
  role: z.enum(["member", "moderator", "admin"]).optional().catch(undefined),
  region: z.string().trim().max(60).optional().catch(undefined).transform((v) => v || undefined),
  status: z.enum(memberStatuses).optional().catch(undefined),
  cursor: z.string().max(400).optional().catch(undefined),
});

export const ADMIN_MEMBERS_PAGE_SIZE = 50;

/** The status a member is in now: deactivated wins over a running suspension. */
export function memberStatus(user: { suspendedUntil: Date | null; deactivatedAt: Date | null }, now = new Date()): MemberStatus {
  if (user.deactivatedAt) return "deactivated";
  if (user.suspendedUntil && user.suspendedUntil > now) return "suspended";
  return "active";
}

function statusWhere(status: MemberStatus | undefined, now: Date): Prisma.UserWhereInput {
  switch (status) {
    case "deactivated":
      return { deactivatedAt: { not: null } };
    case "suspended":
      return { deactivatedAt: null, suspendedUntil: { gt: now } };
    case "active":
      return { deactivatedAt: null, OR: [{ suspendedUntil: null }, { suspendedUntil: { lte: now } }] };
    default:
      return {};
  }
}

/**
 * The members list for admins, by display name (then id), keyset-paginated: search by name
 * (display, Latin or Chinese script) or email; filter by role, region slug and status. Invalid
 * filter values are ignored (they come from a URL).
 * @throws AppError unauthenticated | suspended | forbidden
 */
export async function listMembersForAdmin(actor: Actor | null, input: Record<string, string | undefined>) {
  assertCan(actor, "member.list");
  const filters = adminMemberListInput.parse(input);
  const now = new Date();
  const after = decodeNameCursor(filters.cursor);
  const and: Prisma.UserWhereInput[] = [{ id: { not: DELETED_MEMBER_ID } }, statusWhere(filters.status, now)];
  if (filters.role) and.push({ role: filters.role });
  if (filters.region) and.push({ region: { slug: filters.region } });
  if (filters.q) {
    const contains = { contains: filters.q, mode: "insensitive" } as const;
    and.push({ OR: [{ displayName: contains }, { nameLatin: contains }, { nameChinese: contains }, { email: contains }] });
  }
  if (after) and.push({ OR: [{ displayName: { gt: after.displayName } }, { displayName: after.displayName, id: { gt: after.id } }] });
  const rows = await prisma.user.findMany({
    where: { AND: and },
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
    take: ADMIN_MEMBERS_PAGE_SIZE + 1,
    select: {
      id: true,
      displayName: true,
      nameChinese: true,
      email: true,
      role: true,
      createdAt: true,
      suspendedUntil: true,
      deactivatedAt: true,
      region: { select: { slug: true, nameEn: true, nameZh: true } },
    },
  });
  const more = rows.length > ADMIN_MEMBERS_PAGE_SIZE;
  const page = more ? rows.slice(0, ADMIN_MEMBERS_PAGE_SIZE) : rows;
  return {
    members: page.map((m) => ({ ...m, status: memberStatus(m, now) })),
    nextCursor: more ? encodeNameCursor(page[page.length - 1]) : null,
    filters: { q: filters.q, role: filters.role, region: filters.region, status: filters.status },
  };
}

/**
 * One member as an admin sees them (for the member's admin page).
 * @throws AppError unauthenticated | suspended | forbidden | not_found
 */
export async function getMemberForAdmin(actor: Actor | null, userId: string) {
  assertCan(actor, "member.list");
  const user = await loadTarget(userId);
  return { ...user, status: memberStatus(user) };
}

async function loadTarget(userId: string) {
  if (userId === DELETED_MEMBER_ID) throw new AppError("not_found");
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { id: true, displayName: true, email: true, role: true, suspendedUntil: true, deactivatedAt: true, createdAt: true },
  });
  if (!user) throw new AppError("not_found");
  return user;
}

/**
 * The target (checked with the policy) for an admin command: refusals come before "not found"
 * for non-admins, so a member learns nothing about which ids exist.
 */
async function loadManaged(actor: Actor | null, userId: string) {
  assertCan(actor, "member.list");
  const user = await loadTarget(userId);
  assertCan(actor, "member.manage", user);
  return user;
}

/**
 * Refuses a change that would leave no active admin. Locks the active admins' rows first, so of
 * two admins demoting or deactivating each other at once the second sees the first's change.
 * @throws AppError last_admin
 */
export async function assertAnotherActiveAdmin(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  const admins = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE role = 'admin' AND deactivated_at IS NULL ORDER BY id FOR UPDATE`;
  if (!admins.some((a) => a.id !== userId)) throw new AppError("last_admin", "The last admin must stay an active admin", "userId");
}

/**
 * Gives a member a role (member, moderator, admin). The last active admin cannot be demoted.
 * The new role holds from the member's next request or socket event (both re-read it).
 * @throws AppError unauthenticated | suspended | forbidden | not_found | last_admin
 */
export async function setMemberRole(actor: Actor | null, input: ParsedCommandInput<"member.setRole">) {
  const member = await loadManaged(actor, input.userId);
  if (member.role === input.role) return { userId: member.id, role: member.role, changed: false };
  await prisma.$transaction(async (tx) => {
    if (member.role === "admin" && !member.deactivatedAt) await assertAnotherActiveAdmin(tx, member.id);
    await tx.user.update({ where: { id: member.id }, data: { role: input.role } });
    await logStaffAction(tx, {
      actorId: actor!.id,
      action: "member.role",
      targetType: "user",
      targetId: member.id,
      reason: input.reason,
      data: { from: member.role, to: input.role },
    });
  });
  return { userId: member.id, role: input.role as Role, changed: true };
}

/**
 * Deactivates an account: the member cannot sign in, every session ends and every open socket
 * disconnects at once; their content stays. The last active admin cannot be deactivated.
 * Deactivating a deactivated account changes nothing.
 * @throws AppError unauthenticated | suspended | forbidden | not_found | last_admin
 */
export async function deactivateMember(actor: Actor | null, input: ParsedCommandInput<"member.deactivate">) {
  const member = await loadManaged(actor, input.userId);
  if (member.deactivatedAt) return { userId: member.id, deactivated: true, changed: false };
  await prisma.$transaction(async (tx) => {
    if (member.role === "admin") await assertAnotherActiveAdmin(tx, member.id);
    await tx.user.update({ where: { id: member.id }, data: { deactivatedAt: new Date() } });
    await logStaffAction(tx, { actorId: actor!.id, action: "member.deactivate", targetType: "user", targetId: member.id, reason: input.reason });
  });
  const ended = await invalidateAllSessions(member.id);
  logger.info({ event: "account.deactivated", userId: member.id, by: actor!.id, sessions: ended }, "account deactivated");
  return { userId: member.id, deactivated: true, changed: true };
}

/**
 * Reactivates a deactivated account: the member can sign in again.
 * @throws AppError unauthenticated | suspended | forbidden | not_found
 */
export async function reactivateMember(actor: Actor | null, input: ParsedCommandInput<"member.reactivate">) {
  const member = await loadManaged(actor, input.userId);
  if (!member.deactivatedAt) return { userId: member.id, deactivated: false, changed: false };
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: member.id }, data: { deactivatedAt: null } });
    await logStaffAction(tx, { actorId: actor!.id, action: "member.reactivate", targetType: "user", targetId: member.id, reason: input.reason });
  });
  return { userId: member.id, deactivated: false, changed: true };
}
