/**
 * "Request to participate" in a dialogue: anyone may ask (the page invites people to contact
 * the network); moderators and admins see the requests and accept or decline each one, which
 * emails the requester (in the language of the page they asked from) in the same transaction.
 */
import { z } from "~/utils/validation";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { queueEmail } from "./email/outbox.server";
import { logStaffAction } from "./moderation.server";

export const participationInput = z.object({
  dialogueId: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().pipe(z.email()),
  organisation: z.string().trim().max(200).default(""),
  message: z.string().trim().max(2000).default(""),
});

/**
 * @throws AppError not_found when the dialogue does not exist; ZodError on bad fields
 */
export async function requestParticipation(actor: Actor | null, input: z.input<typeof participationInput>, locale: "en" | "zh" = "en") {
  assertCan(actor, "participation.request");
  const data = participationInput.parse(input);
  const dialogue = await prisma.dialogue.findUnique({ where: { id: data.dialogueId }, select: { id: true } });
  if (!dialogue) throw new AppError("not_found");
  return prisma.participationRequest.create({ data: { id: newId(), ...data, locale, userId: actor?.id ?? null } });
}

/**
 * Accepts or declines a pending request; the requester gets an email saying so (with the
 * optional note). Logged in the staff log.
 * @throws AppError unauthenticated | suspended | forbidden | not_found | participation_decided
 */
export async function decideParticipation(actor: Actor | null, input: ParsedCommandInput<"participation.decide">) {
  assertCan(actor, "participation.decide");
  const request = await prisma.participationRequest.findUnique({ where: { id: input.requestId } });
  if (!request) throw new AppError("not_found");
  await prisma.$transaction(async (tx) => {
    const decided = await tx.participationRequest.updateMany({
      where: { id: request.id, status: "pending" },
      data: { status: input.decision, decidedAt: new Date(), decidedById: actor.id, decisionNote: input.note },
    });
    if (decided.count !== 1) throw new AppError("participation_decided", "The request was already decided", "requestId");
    await queueEmail(tx, { kind: "participation_decided", userId: request.userId, to: request.email, locale: request.locale, refId: request.id });
    await logStaffAction(tx, { actorId: actor.id, action: `participation.${input.decision}`, targetType: "participation_request", targetId: request.id, reason: input.note });
  });
  return { requestId: request.id, status: input.decision };
}

/** Newest first, with the dialogue. Moderators and admins only. */
export async function listParticipationRequests(actor: Actor | null) {
  assertCan(actor, "participation.list");
  return prisma.participationRequest.findMany({
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { dialogue: { select: { slug: true, titleEn: true, titleZh: true } } },
  });
}
