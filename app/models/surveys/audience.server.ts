/**
 * Who a survey is for (docs/decisions/031-survey-audiences-and-anonymity.md): all members,
 * members of chosen regions (their profile's region), a dialogue's participants (accepted
 * requests to take part, `participation_requests.status = approved`), or whoever holds the
 * public link. Someone outside the audience is answered 404: they cannot tell the survey exists.
 *
 * Respondents are known by a key that drafts and receipts share: `user:<id>` for a member,
 * `browser:<SHA-256 of the browser's random cookie>` for someone answering through the public
 * link without an account (one response per browser).
 */
import type { Prisma, SurveyAudience } from "@prisma/client";
import { timingSafeEqual } from "node:crypto";
import { prisma } from "~/db.server";
import { isActive, type Actor, type SurveyResource } from "~/policy.server";
import { AppError } from "~/utils/errors";
import { hashToken } from "~/utils/tokens.server";

/** The parts of a survey its audience rules read. */
export interface AudienceSurvey {
  id: string;
  audience: SurveyAudience;
  dialogueId: string | null;
  publicToken: string | null;
  openedAt: Date | null;
  deletedAt: Date | null;
  sharesResults: boolean;
  regions: { regionId: string }[];
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether the reader belongs to the survey's audience. `token` is the public link's, when they
 * came through it.
 */
export async function isInAudience(actor: Actor | null, survey: AudienceSurvey, token?: string | null): Promise<boolean> {
  switch (survey.audience) {
    case "public_link":
      return Boolean(token && survey.publicToken && sameToken(token, survey.publicToken));
    case "all_members":
      return isActive(actor);
    case "regions": {
      if (!isActive(actor)) return false;
      const user = await prisma.user.findUnique({ where: { id: actor.id }, select: { regionId: true } });
      return Boolean(user?.regionId && survey.regions.some((r) => r.regionId === user.regionId));
    }
    case "dialogue": {
      if (!isActive(actor) || !survey.dialogueId) return false;
      const accepted = await prisma.participationRequest.count({ where: { dialogueId: survey.dialogueId, userId: actor.id, status: "approved" } });
      return accepted > 0;
    }
  }
}

/**
 * The respondent key of a reader: their account, else their browser's key.
 * @returns null when neither is known
 */
export function respondentKey(actor: Actor | null, browserKey?: string | null): string | null {
  if (isActive(actor)) return `user:${actor.id}`;
  if (browserKey) return `browser:${hashToken(browserKey)}`;
  return null;
}

/** The survey as the rules see it for this reader. */
export async function surveyResource(actor: Actor | null, survey: AudienceSurvey, options: { token?: string | null; browserKey?: string | null } = {}): Promise<SurveyResource> {
  const key = respondentKey(actor, options.browserKey);
  const [inAudience, answered] = await Promise.all([
    isInAudience(actor, survey, options.token),
    key ? prisma.surveyReceipt.count({ where: { surveyId: survey.id, respondentKey: key } }).then((n) => n > 0) : Promise.resolve(false),
  ]);
  return { id: survey.id, opened: survey.openedAt !== null, deleted: survey.deletedAt !== null, inAudience, answered, sharesResults: survey.sharesResults };
}

/** The `where` of active members (not deactivated, not suspended now). */
function activeMembers(): Prisma.UserWhereInput {
  return { deactivatedAt: null, OR: [{ suspendedUntil: null }, { suspendedUntil: { lte: new Date() } }] };
}

/**
 * The members a survey's announcements reach (nobody for a public link: it is shared by hand).
 */
export async function audienceMembers(
  tx: Prisma.TransactionClient,
  survey: Pick<AudienceSurvey, "audience" | "dialogueId" | "regions">,
): Promise<{ id: string; email: string; locale: "en" | "zh"; emailReminders: boolean }[]> {
  const select = { id: true, email: true, locale: true, emailReminders: true } as const;
  switch (survey.audience) {
    case "public_link":
      return [];
    case "all_members":
      return tx.user.findMany({ where: activeMembers(), select });
    case "regions":
      return tx.user.findMany({ where: { ...activeMembers(), regionId: { in: survey.regions.map((r) => r.regionId) } }, select });
    case "dialogue":
      if (!survey.dialogueId) return [];
      return tx.user.findMany({
        where: { ...activeMembers(), participation: { some: { dialogueId: survey.dialogueId, status: "approved" } } },
        select,
      });
  }
}

/** Throws the 404 a reader outside the audience gets. */
export function notFound(): never {
  throw new AppError("not_found");
}
