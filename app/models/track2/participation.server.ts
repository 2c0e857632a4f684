/**
 * Taking part in a dialogue (docs/decisions/026-participation.md). Anyone may ask (the page
 * invites people to contact the network); every staff member is told in the app. Staff approve,
 * wait-list or decline each request with an optional message, and set the participant's role
 * (speaker, moderator, participant, observer, interpreter); the requester is told in the app and
 * by email in the language they asked in. A dialogue with a capacity wait-lists approvals beyond
 * it and promotes the waiting list in order when a participant cancels or the capacity grows.
 * Every decision is in the staff log.
 */
import type { ParticipantRole, ParticipationRequest, ParticipationStatus, Prisma } from "@prisma/client";
import { stringify } from "csv-stringify/sync";
import { z } from "~/utils/validation";
import { prisma } from "~/db.server";
import { assertCan, isStaff, type Actor } from "~/policy.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { queueEmail } from "../email/outbox.server";
import { logStaffAction } from "../moderation.server";
import { notifyMember, publishUnreadCounts } from "../notifications.server";
import { isPseudonymous } from "./attribution.server";

export const PARTICIPANT_ROLES = ["speaker", "moderator", "participant", "observer", "interpreter"] as const satisfies readonly ParticipantRole[];

/** Requests that hold or wait for a place (a member has at most one of these per dialogue). */
const ACTIVE: ParticipationStatus[] = ["pending", "approved", "waitlisted"];

export const participationInput = z.object({
  dialogueId: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().pipe(z.email()),
  organisation: z.string().trim().max(200).default(""),
  message: z.string().trim().max(2000).default(""),
});

/**
 * Records a request (a signed-in member's second request while one is active returns the first)
 * and tells every staff member in the app.
 * @throws AppError not_found when the dialogue does not exist; ZodError on bad fields
 */
export async function requestParticipation(actor: Actor | null, input: z.input<typeof participationInput>, locale: "en" | "zh" = "en") {
  assertCan(actor, "participation.request");
  const data = participationInput.parse(input);
  const dialogue = await prisma.dialogue.findUnique({ where: { id: data.dialogueId }, select: { id: true, slug: true, titleEn: true, titleZh: true } });
  if (!dialogue) throw new AppError("not_found");
  if (actor) {
    const open = await prisma.participationRequest.findFirst({ where: { dialogueId: dialogue.id, userId: actor.id, status: { in: ACTIVE } } });
    if (open) return open;
  }
  const staff = await prisma.user.findMany({ where: { role: { in: ["moderator", "admin"] }, deactivatedAt: null }, select: { id: true } });
  const request = await prisma.$transaction(async (tx) => {
    const request = await tx.participationRequest.create({ data: { id: newId(), ...data, locale, userId: actor?.id ?? null } });
    for (const member of staff) {
      if (member.id === actor?.id) continue;
      await notifyMember(tx, {
        userId: member.id,
        type: "participation_requested",
        actorId: actor?.id ?? null,
        data: { slug: dialogue.slug, titleEn: dialogue.titleEn, titleZh: dialogue.titleZh, name: data.name },
      });
    }
    return request;
  });
  await publishUnreadCounts(staff.map((s) => s.id));
  return request;
}

/** Approved participants of a dialogue now. */
async function approvedCount(tx: Prisma.TransactionClient, dialogueId: string): Promise<number> {
  return tx.participationRequest.count({ where: { dialogueId, status: "approved" } });
}

/** Locks the dialogue's row: decisions on one dialogue queue up, so capacity is never overrun. */
async function lockDialogue(tx: Prisma.TransactionClient, dialogueId: string) {
  const rows = await tx.$queryRaw<{ id: string; capacity: number | null; slug: string; title_en: string; title_zh: string }[]>`
    SELECT id, capacity, slug, title_en, title_zh FROM dialogues WHERE id = ${dialogueId} FOR UPDATE`;
  if (!rows[0]) throw new AppError("not_found");
  return rows[0];
}

/** Tells the requester (in the app when they have an account, and by email). */
async function tellRequester(tx: Prisma.TransactionClient, request: ParticipationRequest, actorId: string | null, dialogue: { slug: string; title_en: string; title_zh: string }, status: ParticipationStatus) {
  if (request.userId) {
    await notifyMember(tx, { userId: request.userId, type: "participation_decided", actorId, data: { slug: dialogue.slug, titleEn: dialogue.title_en, titleZh: dialogue.title_zh, status } });
  }
  await queueEmail(tx, { kind: "participation_decided", userId: request.userId, to: request.email, locale: request.locale, refId: request.id });
}

/**
 * Promotes waiting requests, oldest on the list first, while the dialogue has room. Call with the
 * dialogue locked. @returns the members to tell
 */
async function promoteWaitingList(tx: Prisma.TransactionClient, dialogue: Awaited<ReturnType<typeof lockDialogue>>, actorId: string | null): Promise<string[]> {
  const told: string[] = [];
  if (dialogue.capacity === null) return told;
  let free = dialogue.capacity - (await approvedCount(tx, dialogue.id));
  if (free <= 0) return told;
  const waiting = await tx.participationRequest.findMany({ where: { dialogueId: dialogue.id, status: "waitlisted" }, orderBy: [{ waitlistedAt: "asc" }, { createdAt: "asc" }], take: free });
  for (const request of waiting) {
    if (free-- <= 0) break;
    await tx.participationRequest.update({ where: { id: request.id }, data: { status: "approved", decidedAt: new Date() } });
    await tellRequester(tx, request, actorId, dialogue, "approved");
    await logStaffAction(tx, { actorId: actorId ?? request.userId ?? "", action: "participation.promoted", targetType: "participation_request", targetId: request.id });
    if (request.userId) told.push(request.userId);
  }
  return told;
}

/**
 * Approves, wait-lists or declines a pending or wait-listed request (an approval beyond the
 * dialogue's capacity joins the waiting list instead, and the answer says so), with the role.
 * The requester is told in the app and by email.
 * @returns the request's id and the status it now has
 * @throws AppError unauthenticated | suspended | forbidden | not_found | participation_decided
 */
export async function decideParticipation(actor: Actor | null, input: ParsedCommandInput<"participation.decide">) {
  assertCan(actor, "participation.decide");
  const found = await prisma.participationRequest.findUnique({ where: { id: input.requestId } });
  if (!found) throw new AppError("not_found");
  const told: string[] = [];
  const status = await prisma.$transaction(async (tx) => {
    const dialogue = await lockDialogue(tx, found.dialogueId);
    const request = await tx.participationRequest.findUniqueOrThrow({ where: { id: found.id } });
    if (request.status !== "pending" && request.status !== "waitlisted") throw new AppError("participation_decided", "The request was already decided", "requestId");
    let status: ParticipationStatus = input.decision;
    if (status === "approved" && dialogue.capacity !== null && (await approvedCount(tx, dialogue.id)) >= dialogue.capacity) status = "waitlisted";
    if (status === request.status) return status; // wait-listed again: nothing changes
    await tx.participationRequest.update({
      where: { id: request.id },
      data: {
        status,
        role: input.role ?? request.role,
        decidedAt: new Date(),
        decidedById: actor.id,
        decisionNote: input.note,
        waitlistedAt: status === "waitlisted" ? (request.waitlistedAt ?? new Date()) : request.waitlistedAt,
      },
    });
    await tellRequester(tx, request, actor.id, dialogue, status);
    if (request.userId) told.push(request.userId);
    await logStaffAction(tx, { actorId: actor.id, action: `participation.${status}`, targetType: "participation_request", targetId: request.id, reason: input.note });
    return status;
  });
  await publishUnreadCounts(told);
  return { requestId: found.id, status };
}

/**
 * Withdraws a request or a place: by the member who asked, or by staff. A place given back goes
 * to the first on the waiting list.
 * @throws AppError unauthenticated | suspended | not_found | participation_decided (already cancelled or declined)
 */
export async function cancelParticipation(actor: Actor | null, input: ParsedCommandInput<"participation.cancel">) {
  assertCan(actor, "thread.create");
  const found = await prisma.participationRequest.findUnique({ where: { id: input.requestId } });
  // Someone else's request is "not found" to a member: its existence is not theirs to learn.
  if (!found || (found.userId !== actor.id && !isStaff(actor))) throw new AppError("not_found");
  const told: string[] = [];
  await prisma.$transaction(async (tx) => {
    const dialogue = await lockDialogue(tx, found.dialogueId);
    const cancelled = await tx.participationRequest.updateMany({
      where: { id: found.id, status: { in: ACTIVE } },
      data: { status: "cancelled", cancelledAt: new Date() },
    });
    if (cancelled.count !== 1) throw new AppError("participation_decided", "The request is no longer open", "requestId");
    if (found.userId !== actor.id) await logStaffAction(tx, { actorId: actor.id, action: "participation.cancel", targetType: "participation_request", targetId: found.id });
    if (found.status === "approved") told.push(...(await promoteWaitingList(tx, dialogue, actor.id)));
  });
  await publishUnreadCounts(told);
  return { requestId: found.id, status: "cancelled" as const };
}

/**
 * Staff set a participant's role.
 * @throws AppError forbidden | not_found
 */
export async function setParticipantRole(actor: Actor | null, input: ParsedCommandInput<"participation.setRole">) {
  assertCan(actor, "participation.decide");
  const found = await prisma.participationRequest.findUnique({ where: { id: input.requestId } });
  if (!found) throw new AppError("not_found");
  await prisma.$transaction(async (tx) => {
    await tx.participationRequest.update({ where: { id: found.id }, data: { role: input.role } });
    await logStaffAction(tx, { actorId: actor.id, action: "participation.role", targetType: "participation_request", targetId: found.id, data: { role: input.role } });
  });
  return { requestId: found.id, role: input.role };
}

/**
 * After a capacity change: promotes the waiting list into any room made. Staff only (the caller
 * checked). @returns members told
 */
export async function fillFreedPlaces(tx: Prisma.TransactionClient, dialogueId: string, actorId: string): Promise<string[]> {
  return promoteWaitingList(tx, await lockDialogue(tx, dialogueId), actorId);
}

/** Requests, newest first, with their dialogue; optionally one dialogue's. Staff only. */
export async function listParticipationRequests(actor: Actor | null, options: { dialogueId?: string; status?: ParticipationStatus } = {}) {
  assertCan(actor, "participation.list");
  return prisma.participationRequest.findMany({
    where: { ...(options.dialogueId ? { dialogueId: options.dialogueId } : {}), ...(options.status ? { status: options.status } : {}) },
    orderBy: { createdAt: "desc" },
    take: 500,
    include: { dialogue: { select: { slug: true, titleEn: true, titleZh: true, capacity: true } } },
  });
}

/** The signed-in member's latest request for the dialogue (what the page tells them), if any. */
export async function myParticipation(userId: string, dialogueId: string) {
  return prisma.participationRequest.findFirst({ where: { userId, dialogueId }, orderBy: { createdAt: "desc" } });
}

export interface ParticipantListing {
  /** Named participants (on the record, or for staff); empty when the level withholds names. */
  people: { name: string; organisation: string; role: ParticipantRole; userId: string | null }[];
  /** How many take part, by role (always shown). */
  byRole: Partial<Record<ParticipantRole, number>>;
  total: number;
  /** Names are withheld from this reader (the Chatham House Rule). */
  withheld: boolean;
  /** Names are shown only because the reader is staff. */
  staffOnly: boolean;
  capacity: number | null;
  waiting: number;
}

/**
 * The dialogue's approved participants as a signed-in reader may see them: names and
 * organisations on the record; under the Chatham House Rule or off the record, the count by
 * role only ("neither the identity nor the affiliation … of any other participant"), staff
 * excepted.
 */
export async function listParticipants(actor: Actor, dialogue: { id: string; attributionLevel: Parameters<typeof isPseudonymous>[0]; capacity: number | null }): Promise<ParticipantListing> {
  const [rows, waiting] = await Promise.all([
    prisma.participationRequest.findMany({ where: { dialogueId: dialogue.id, status: "approved" }, orderBy: [{ role: "asc" }, { name: "asc" }] }),
    prisma.participationRequest.count({ where: { dialogueId: dialogue.id, status: "waitlisted" } }),
  ]);
  const byRole: Partial<Record<ParticipantRole, number>> = {};
  for (const row of rows) byRole[row.role] = (byRole[row.role] ?? 0) + 1;
  const pseudonymous = isPseudonymous(dialogue.attributionLevel);
  const named = !pseudonymous || isStaff(actor);
  return {
    people: named ? rows.map((r) => ({ name: r.name, organisation: r.organisation, role: r.role, userId: r.userId })) : [],
    byRole,
    total: rows.length,
    withheld: !named,
    staffOnly: pseudonymous && named,
    capacity: dialogue.capacity,
    waiting,
  };
}

/**
 * The list staff download: one row per request (all statuses), UTF-8 with a BOM so Excel reads
 * Chinese names (RFC 4180 quoting by csv-stringify).
 * @throws AppError forbidden | not_found
 */
export async function participantsCsv(actor: Actor | null, dialogueId: string): Promise<string> {
  assertCan(actor, "participation.list");
  const rows = await prisma.participationRequest.findMany({ where: { dialogueId }, orderBy: [{ status: "asc" }, { createdAt: "asc" }] });
  const body = stringify(
    rows.map((r) => [r.name, r.email, r.organisation, r.role, r.status, r.createdAt.toISOString(), r.decidedAt?.toISOString() ?? "", r.decisionNote].map(inert)),
    { header: true, columns: ["name", "email", "organisation", "role", "status", "requested_at", "decided_at", "decision_note"] },
  );
  return `\uFEFF${body}`;
}

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is kept as text (OWASP CSV injection). */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
