/**
 * Email preferences and one-click unsubscribe (RFC 8058; docs/decisions/022-email-preferences-unsubscribe-and-digests.md): each kind of
 * non-essential email has one switch, the digest a frequency (off, daily, weekly: weekly by
 * default, as Discourse's summary), and the member's time zone decides when the digest comes.
 * An unsubscribe link turns off exactly its kind, without a cookie, for the member it was made
 * for. Invitations, password resets, address changes and account notices have no switch.
 */
import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { readUnsubscribeToken, type UnsubscribeKind } from "./tokens.server";

/** The column each unsubscribe kind switches off. */
const OFF: Record<UnsubscribeKind, Prisma.UserUpdateInput> = {
  mentions: { emailMentions: false },
  replies: { emailReplies: false },
  watching: { emailWatching: false },
  notes: { emailNotes: false },
  case_studies: { emailCaseStudies: false },
  digest: { digestFrequency: "off" },
  reminders: { emailReminders: false },
};

/** The member's preferences, for the settings page. */
export async function getEmailPreferences(actor: Actor | null) {
  assertCan(actor, "account.own");
  const user = await prisma.user.findUnique({
    where: { id: actor.id },
    select: {
      email: true,
      timeZone: true,
      emailMentions: true,
      emailReplies: true,
      emailWatching: true,
      emailNotes: true,
      emailCaseStudies: true,
      emailReminders: true,
      digestFrequency: true,
      emailBouncingAt: true,
      emailBounceReason: true,
      region: { select: { slug: true, country: true } },
    },
  });
  if (!user) throw new AppError("not_found");
  return user;
}

/**
 * Saves the preferences (every switch given; a missing tick box is off, as a form sends it).
 * @throws AppError unauthenticated | suspended | validation
 */
export async function updateEmailPreferences(actor: Actor | null, input: ParsedCommandInput<"emailPreferences.update">) {
  assertCan(actor, "account.own");
  await prisma.user.update({
    where: { id: actor.id },
    data: {
      emailMentions: input.mentions,
      emailReplies: input.replies,
      emailWatching: input.watching,
      emailNotes: input.notes,
      emailCaseStudies: input.caseStudies,
      emailReminders: input.reminders,
      digestFrequency: input.digest,
      ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
      // "Resume email" after fixing a bouncing mailbox.
      ...(input.resumeBouncing ? { emailBouncingAt: null, emailBounceReason: null } : {}),
    },
  });
  logger.info({ event: "email.preferences", userId: actor.id }, "email preferences saved");
  return { saved: true };
}

/** What an unsubscribe link is for (the confirmation page names it), or null when not valid. */
export async function readUnsubscribe(token: string) {
  const parsed = await readUnsubscribeToken(token);
  if (!parsed) return null;
  const user = await prisma.user.findUnique({ where: { id: parsed.userId }, select: { id: true, locale: true, email: true } });
  return user ? { ...parsed, locale: user.locale } : null;
}

/**
 * One-click unsubscribe: turns off exactly the token's kind for the token's member.
 * @throws AppError not_found for a token that is forged, malformed, or of a member who is gone
 */
export async function unsubscribe(token: string): Promise<{ kind: UnsubscribeKind }> {
  const parsed = await readUnsubscribe(token);
  if (!parsed) throw new AppError("not_found");
  await prisma.user.update({ where: { id: parsed.userId }, data: OFF[parsed.kind] });
  logger.info({ event: "email.unsubscribed", userId: parsed.userId, kind: parsed.kind }, "unsubscribed by link");
  return { kind: parsed.kind };
}
