/** A member's translation settings: how translated replies are shown, and following the queue. */
import type { TranslationDisplay } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";

/**
 * The member's own translation settings, for /settings.
 * @throws AppError unauthenticated | suspended
 */
export async function getTranslationSettings(actor: Actor | null): Promise<{ display: TranslationDisplay; follow: boolean }> {
  assertCan(actor, "account.own");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.id }, select: { translationDisplay: true, followsTranslations: true } });
  return { display: user.translationDisplay, follow: user.followsTranslations };
}

/**
 * @throws AppError unauthenticated | suspended
 */
export async function updateTranslationSettings(actor: Actor | null, input: ParsedCommandInput<"translationSettings.update">) {
  assertCan(actor, "account.own");
  await prisma.user.update({ where: { id: actor.id }, data: { translationDisplay: input.display, followsTranslations: input.follow } });
  return { display: input.display, follow: input.follow };
}
