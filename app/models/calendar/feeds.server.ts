/**
 * A member's personal calendar feed: one secret address (`/calendar/<secret>.ics`) that a calendar
 * app subscribes to without a cookie, listing every dialogue the member takes part in (an
 * approved participation request) or follows (watches or tracks its discussion). Only the
 * secret's SHA-256 is stored, so the address is shown once, when it is made; making a new one
 * turns the old one off, and the member can turn it off altogether.
 */
import type { Locale } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { hashToken, newSecretToken } from "~/utils/tokens.server";
import type { CalendarDialogue } from "./ics.server";

/** A dialogue's discussion, as watches name it (`categoryKeyOf`, app/realtime/events.ts). */
const DIALOGUE_KEY_PREFIX = "dialogue:";
/** The longest secret accepted in an address (a base64url of 32 bytes is 43 characters). */
const MAX_TOKEN_LENGTH = 100;

export interface CalendarFeedState {
  exists: boolean;
  createdAt: string | null;
  fetchedAt: string | null;
}

/**
 * Whether the member has a feed, since when, and when a calendar last read it.
 * @throws AppError unauthenticated | suspended
 */
export async function calendarFeedState(actor: Actor | null): Promise<CalendarFeedState> {
  assertCan(actor, "account.own");
  const feed = await prisma.calendarFeed.findUnique({ where: { userId: actor.id } });
  return { exists: feed !== null, createdAt: feed?.createdAt.toISOString() ?? null, fetchedAt: feed?.fetchedAt?.toISOString() ?? null };
}

/**
 * Makes the member a new feed address; any earlier one stops working.
 * @returns the secret (shown once; the page turns it into `https://` and `webcal://` links)
 * @throws AppError unauthenticated | suspended
 */
export async function resetCalendarFeed(actor: Actor | null, _input?: ParsedCommandInput<"calendarFeed.reset">): Promise<{ token: string }> {
  assertCan(actor, "account.own");
  const token = newSecretToken();
  const tokenHash = hashToken(token);
  await prisma.calendarFeed.upsert({
    where: { userId: actor.id },
    create: { userId: actor.id, tokenHash },
    update: { tokenHash, createdAt: new Date(), fetchedAt: null },
  });
  return { token };
}

/**
 * Turns the member's feed off (calendars subscribed to it get 404 from now on).
 * @throws AppError unauthenticated | suspended
 */
export async function removeCalendarFeed(actor: Actor | null, _input?: ParsedCommandInput<"calendarFeed.remove">): Promise<{ removed: boolean }> {
  assertCan(actor, "account.own");
  const { count } = await prisma.calendarFeed.deleteMany({ where: { userId: actor.id } });
  return { removed: count > 0 };
}

const dialogueFields = {
  id: true,
  slug: true,
  titleEn: true,
  titleZh: true,
  abstractEn: true,
  abstractZh: true,
  status: true,
  startsAt: true,
  startsOn: true,
  durationMinutes: true,
  calendarSequence: true,
  calendarChangedAt: true,
} as const;

/**
 * What a feed address shows: the member's language and the dialogues they take part in or
 * follow, in programme order. Null for an unknown secret, or a member who may not sign in
 * (deactivated or suspended): the address then answers 404.
 */
export async function readCalendarFeed(token: string): Promise<{ locale: Locale; dialogues: CalendarDialogue[] } | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  const feed = await prisma.calendarFeed.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, locale: true, deactivatedAt: true, suspendedUntil: true } } },
  });
  if (!feed || feed.user.deactivatedAt || (feed.user.suspendedUntil && feed.user.suspendedUntil > new Date())) return null;
  const userId = feed.user.id;
  const [taking, following] = await Promise.all([
    prisma.participationRequest.findMany({ where: { userId, status: "approved" }, select: { dialogueId: true } }),
    prisma.categoryWatch.findMany({ where: { userId, level: { in: ["watching", "tracking"] }, categoryKey: { startsWith: DIALOGUE_KEY_PREFIX } }, select: { categoryKey: true } }),
  ]);
  const ids = new Set([...taking.map((t) => t.dialogueId), ...following.map((f) => f.categoryKey.slice(DIALOGUE_KEY_PREFIX.length))]);
  const dialogues = await prisma.dialogue.findMany({
    where: { id: { in: [...ids] }, OR: [{ startsAt: { not: null } }, { startsOn: { not: null } }] },
    orderBy: [{ startsAt: "asc" }, { startsOn: "asc" }, { position: "asc" }],
    select: dialogueFields,
  });
  // Read by a calendar app: worth showing the member, not worth a write on every poll.
  if (!feed.fetchedAt || Date.now() - feed.fetchedAt.getTime() > 60 * 60 * 1000) {
    await prisma.calendarFeed.update({ where: { userId }, data: { fetchedAt: new Date() } }).catch(() => {});
  }
  return { locale: feed.user.locale, dialogues };
}

/** One dialogue for its own `.ics` file, or null when it has no date yet (or does not exist). */
export async function readDialogueForCalendar(slug: string): Promise<CalendarDialogue | null> {
  const dialogue = await prisma.dialogue.findUnique({ where: { slug }, select: dialogueFields });
  return dialogue && (dialogue.startsAt || dialogue.startsOn) ? dialogue : null;
}
