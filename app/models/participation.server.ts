/**
 * "Request to participate" in a dialogue: anyone may ask (the page invites people to contact
 * the network); moderators and admins see the requests.
 */
import { z } from "~/utils/validation";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";

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
export async function requestParticipation(actor: Actor | null, input: z.input<typeof participationInput>) {
  assertCan(actor, "participation.request");
  const data = participationInput.parse(input);
  const dialogue = await prisma.dialogue.findUnique({ where: { id: data.dialogueId }, select: { id: true } });
  if (!dialogue) throw new AppError("not_found");
  return prisma.participationRequest.create({ data: { id: newId(), ...data, userId: actor?.id ?? null } });
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
