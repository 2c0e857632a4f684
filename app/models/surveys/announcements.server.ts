/**
 * Telling a survey's audience (docs/decisions/033-survey-announcements.md): when it opens, each
 * member of the audience gets an in-app notice and, if they keep reminders on, an email through
 * the outbox; a day before it closes, those who have not answered get a reminder the same way.
 * Each is claimed once (`announced_at`, `reminded_at`) in the transaction that writes the
 * notices and outbox rows, so several app processes never announce twice.
 */
import type { NotificationType, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { newId } from "~/utils/ids.server";
import { queueEmail } from "../email/outbox.server";
import { publishUnreadCounts } from "../notifications.server";
import { audienceMembers } from "./audience.server";

/** How long before closing the reminder goes out. */
export const REMINDER_BEFORE_CLOSE_MS = 24 * 60 * 60 * 1000;

export interface Announced {
  userIds: string[];
  publishCounts(): Promise<void>;
}

async function announce(tx: Prisma.TransactionClient, surveyId: string, phase: "opened" | "closing"): Promise<Announced> {
  const survey = await tx.survey.findUniqueOrThrow({ where: { id: surveyId }, include: { regions: true } });
  let members = await audienceMembers(tx, survey);
  if (phase === "closing") {
    const answered = new Set((await tx.surveyReceipt.findMany({ where: { surveyId }, select: { respondentKey: true } })).map((r) => r.respondentKey));
    members = members.filter((m) => !answered.has(`user:${m.id}`));
  }
  const type: NotificationType = phase === "opened" ? "survey_opened" : "survey_closing";
  const data = { surveyId, titleEn: survey.titleEn, titleZh: survey.titleZh, closesAt: survey.closesAt?.toISOString() ?? "" };
  if (members.length > 0) {
    await tx.notification.createMany({ data: members.map((m) => ({ id: newId(), userId: m.id, type, data })) });
  }
  for (const m of members) {
    if (!m.emailReminders) continue;
    await queueEmail(tx, { kind: "survey_announcement", userId: m.id, to: m.email, locale: m.locale, refId: surveyId, payload: { surveyId, phase } });
  }
  const userIds = members.map((m) => m.id);
  return { userIds, publishCounts: () => publishUnreadCounts(userIds) };
}

/**
 * Claims and announces a survey's opening inside the caller's transaction.
 * @returns who was told (publish their badges after commit), or null when already announced
 */
export async function announceOpening(tx: Prisma.TransactionClient, surveyId: string): Promise<Announced | null> {
  const claimed = await tx.survey.updateMany({ where: { id: surveyId, announcedAt: null }, data: { announcedAt: new Date() } });
  if (claimed.count !== 1) return null;
  return announce(tx, surveyId, "opened");
}

/**
 * Every tick: announces surveys whose opening day has come, and reminds the audience of surveys
 * closing within a day.
 * @returns how many members were told
 */
export async function runSurveyAnnouncements(now = new Date()): Promise<number> {
  let told = 0;
  const opening = await prisma.survey.findMany({
    where: { deletedAt: null, openedAt: { not: null }, announcedAt: null, opensAt: { lte: now }, OR: [{ closesAt: null }, { closesAt: { gt: now } }] },
    select: { id: true },
  });
  for (const { id } of opening) {
    const done = await prisma.$transaction((tx) => announceOpening(tx, id));
    if (done) {
      told += done.userIds.length;
      await done.publishCounts();
    }
  }
  const closing = await prisma.survey.findMany({
    where: {
      deletedAt: null,
      openedAt: { not: null },
      remindedAt: null,
      opensAt: { lte: now },
      closesAt: { gt: now, lte: new Date(now.getTime() + REMINDER_BEFORE_CLOSE_MS) },
    },
    select: { id: true },
  });
  for (const { id } of closing) {
    const done = await prisma.$transaction(async (tx) => {
      const claimed = await tx.survey.updateMany({ where: { id, remindedAt: null }, data: { remindedAt: new Date() } });
      return claimed.count === 1 ? announce(tx, id, "closing") : null;
    });
    if (done) {
      told += done.userIds.length;
      await done.publishCounts();
    }
  }
  return told;
}
