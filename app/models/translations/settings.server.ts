/** A member's translation settings: how translated replies are shown, and following the queue. */
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";

/**
 * @throws AppError unauthenticated | suspended
 */
export async function updateTranslationSettings(actor: Actor | null, input: ParsedCommandInput<"translationSettings.update">) {
  assertCan(actor, "account.own");
  await prisma.user.update({ where: { id: actor.id }, data: { translationDisplay: input.display, followsTranslations: input.follow } });
  return { display: input.display, follow: input.follow };
}
