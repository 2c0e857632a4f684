/**
 * What a member's digest holds for a period (Discourse's summary email, for our world): new
 * threads and the busiest threads in the member's regions, threads they watch with new replies,
 * new case studies, activity by others in their policy notes, and the dialogues of the next two
 * weeks with times in U.S. Eastern and Beijing time. Only what the member may read now; hidden
 * and deleted replies are not counted. `null` when nothing is new (no digest is sent then).
 */
import type { Locale, Prisma, User } from "@prisma/client";
import { contentLeavesPageThreadWhere } from "../track2/access.server";
import { prisma } from "~/db.server";
import type { DigestDialogue, DigestThread, Translate } from "~/emails/templates";
import { emailSettings } from "./settings.server";
import { dialogueTimes, memberTimeZone } from "./times.server";

export interface DigestPayload {
  frequency: "daily" | "weekly";
  /** ISO instants: what happened after `since`, up to `until`. */
  since: string;
  until: string;
}

const LIST_SIZE = 8;
const UPCOMING_DAYS = 14;

type DigestUser = Pick<User, "id" | "regionId" | "timeZone"> & { region: { slug: string; country: string } | null };

export interface DigestContent {
  period: string;
  newThreads: DigestThread[];
  busyThreads: DigestThread[];
  watchedThreads: DigestThread[];
  caseStudies: DigestThread[];
  notes: DigestThread[];
  dialogues: DigestDialogue[];
}

/** Threads in the member's region (through its dialogues); everyone's when the member has none. */
function regionThreadsWhere(regionId: string | null): Prisma.ThreadWhereInput {
  return regionId ? { dialogue: { regions: { some: { regionId } } } } : {};
}

/** The raw counts behind a digest, without rendering (the scan uses it to skip empty ones). */
export async function digestFacts(user: DigestUser, period: { since: Date; until: Date }) {
  const { since, until } = period;
  const inPeriod = { gt: since, lte: until };
  const visibleReply = { deletedAt: null, hiddenAt: null, createdAt: inPeriod } satisfies Prisma.ReplyWhereInput;
  const [newThreads, busy, watched, caseStudies, notes] = await Promise.all([
    prisma.thread.findMany({
      where: { deletedAt: null, createdAt: inPeriod, ...regionThreadsWhere(user.regionId), authorId: { not: user.id }, AND: [contentLeavesPageThreadWhere] },
      orderBy: { createdAt: "desc" },
      take: LIST_SIZE,
      select: { id: true, titleEn: true, titleZh: true, replyCount: true },
    }),
    prisma.reply.groupBy({
      by: ["threadId"],
      where: { ...visibleReply, thread: { deletedAt: null, createdAt: { lte: since }, ...regionThreadsWhere(user.regionId), AND: [contentLeavesPageThreadWhere] } },
      _count: { _all: true },
      orderBy: { _count: { threadId: "desc" } },
      take: 5,
    }),
    prisma.reply.groupBy({
      by: ["threadId"],
      // Off the record: the words stay on the page, so the thread is not in any digest.
      where: { ...visibleReply, authorId: { not: user.id }, thread: { deletedAt: null, watches: { some: { userId: user.id, level: "watching" } }, AND: [contentLeavesPageThreadWhere] } },
      _count: { _all: true },
      orderBy: { _count: { threadId: "desc" } },
      take: LIST_SIZE,
    }),
    prisma.caseStudy.findMany({
      where: { status: "published", deletedAt: null, publishedAt: inPeriod, authorId: { not: user.id } },
      orderBy: { publishedAt: "desc" },
      take: LIST_SIZE,
      select: { id: true, author: { select: { id: true, displayName: true } }, versions: { select: { language: true, title: true } } },
    }),
    prisma.$queryRaw<{ note_id: string; title: string; last: Date }[]>`
      SELECT n.id AS note_id, n.title, max(u.created_at) AS last
      FROM note_members m JOIN notes n ON n.id = m.note_id JOIN note_updates u ON u.note_id = n.id
      WHERE m.user_id = ${user.id} AND u.created_at > ${since} AND u.created_at <= ${until} AND u.user_id IS DISTINCT FROM ${user.id}
      GROUP BY n.id, n.title ORDER BY last DESC LIMIT ${LIST_SIZE}`,
  ]);
  return { newThreads, busy, watched, caseStudies, notes };
}

/**
 * The digest for one member and period, rendered-ready in their language and zone.
 * @returns null when nothing is new
 */
export async function digestContent(user: DigestUser, payload: DigestPayload, locale: Locale, t: Translate): Promise<DigestContent | null> {
  const since = new Date(payload.since);
  const until = new Date(payload.until);
  const facts = await digestFacts(user, { since, until });
  const newIds = new Set(facts.newThreads.map((th) => th.id));
  const busyIds = facts.busy.map((b) => b.threadId).filter((id) => !newIds.has(id));
  const watchedIds = facts.watched.map((w) => w.threadId);
  const titles = new Map(
    (await prisma.thread.findMany({ where: { id: { in: [...busyIds, ...watchedIds] } }, select: { id: true, titleEn: true, titleZh: true } })).map((th) => [th.id, th]),
  );
  const base = emailSettings().publicUrl;
  const title = (th: { titleEn: string; titleZh: string } | undefined) => (th ? (locale === "zh" && th.titleZh ? th.titleZh : th.titleEn) : "");
  const content: DigestContent = {
    period: formatPeriod(since, until, memberTimeZone(user), locale),
    newThreads: facts.newThreads.map((th) => ({ title: title(th), url: `${base}/threads/${th.id}`, detail: t("email.digest.newThread", { count: Math.max(th.replyCount - 1, 0) }) })),
    busyThreads: facts.busy
      .filter((b) => !newIds.has(b.threadId))
      .map((b) => ({ title: title(titles.get(b.threadId)), url: `${base}/threads/${b.threadId}`, detail: t("email.digest.replies", { count: b._count._all }) })),
    watchedThreads: facts.watched.map((w) => ({ title: title(titles.get(w.threadId)), url: `${base}/threads/${w.threadId}`, detail: t("email.digest.replies", { count: w._count._all }) })),
    caseStudies: facts.caseStudies.map((c) => ({
      title: c.versions.find((v) => v.language === locale)?.title ?? c.versions[0]?.title ?? "",
      url: `${base}/case-studies/${c.id}`,
      detail: t("email.digest.caseStudyBy", { name: c.author.displayName || t("members.deleted") }),
    })),
    notes: facts.notes.map((n) => ({ title: n.title, url: `${base}/notes/${n.note_id}`, detail: t("email.digest.noteEdited", { when: formatDate(n.last, memberTimeZone(user), locale) }) })),
    dialogues: [],
  };
  const nothingNew = !content.newThreads.length && !content.busyThreads.length && !content.watchedThreads.length && !content.caseStudies.length && !content.notes.length;
  if (nothingNew) return null;
  const upcoming = await prisma.dialogue.findMany({
    where: { startsAt: { gt: until, lte: new Date(until.getTime() + UPCOMING_DAYS * 24 * 60 * 60 * 1000) } },
    orderBy: { startsAt: "asc" },
    take: 6,
  });
  content.dialogues = upcoming.map((d) => ({
    title: locale === "zh" ? d.titleZh : d.titleEn,
    url: `${base}/dialogues/${d.slug}`,
    times: dialogueTimes(t, d.startsAt!, memberTimeZone(user), locale),
  }));
  return content;
}

function formatPeriod(since: Date, until: Date, zone: string, locale: Locale): string {
  const format = new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { timeZone: zone, year: "numeric", month: "short", day: "numeric" });
  return format.formatRange(since, until);
}

function formatDate(date: Date, zone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { timeZone: zone, month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }).format(date);
}
