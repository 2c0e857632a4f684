/**
 * The programme: series, dialogues (and the study), regions. Public reading, like the source page.
 * Display status: a dialogue stored as `scheduled` whose day has passed shows as `held`.
 */
import type { Dialogue, DialogueStatus } from "@prisma/client";
import { TZDate } from "@date-fns/tz";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import { z } from "~/utils/validation";
import type { Lang } from "~/i18n/config";
import { pick } from "~/utils/content";
import { dialogueWhen } from "~/utils/dates";
import { AppError } from "~/utils/errors";

export type DisplayStatus = DialogueStatus;

/** The last moment of a YYYY-MM-DD day in U.S. Eastern time (daylight saving included). */
function endOfEasternDay(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(new TZDate(y, m - 1, d, 23, 59, 59, 999, "America/New_York").getTime());
}

/**
 * The status by the clock: a scheduled dialogue is `held` once it is over — its start plus its
 * length when the time is known, else the end of its day in U.S. Eastern time; otherwise the
 * stored status (tbd, cancelled, held).
 */
export function displayStatus(d: Pick<Dialogue, "status" | "startsAt" | "startsOn"> & { durationMinutes?: number }, now = new Date()): DisplayStatus {
  if (d.status !== "scheduled") return d.status;
  const end = d.startsAt
    ? new Date(d.startsAt.getTime() + (d.durationMinutes ?? 0) * 60_000)
    : d.startsOn
      ? endOfEasternDay(d.startsOn)
      : null;
  return end && end.getTime() < now.getTime() ? "held" : "scheduled";
}

const dialogueInclude = {
  series: { select: { slug: true, titleEn: true, titleZh: true, startYear: true, endYear: true } },
  regions: { include: { region: true }, orderBy: { region: { position: "asc" } } },
} as const;

export async function listSeries() {
  return prisma.series.findMany({
    orderBy: { position: "asc" },
    include: { dialogues: { orderBy: { position: "asc" }, include: dialogueInclude } },
  });
}

export async function getSeries(slug: string) {
  const series = await prisma.series.findUnique({
    where: { slug },
    include: { dialogues: { orderBy: { position: "asc" }, include: dialogueInclude } },
  });
  if (!series) throw new AppError("not_found");
  return series;
}

export async function getDialogue(slug: string) {
  const dialogue = await prisma.dialogue.findUnique({ where: { slug }, include: dialogueInclude });
  if (!dialogue) throw new AppError("not_found");
  return dialogue;
}

/**
 * Dialogues still ahead (scheduled in the future, or with a date to be decided), in series
 * order then position, from the series `listSeries` loaded (the home page shows both): no
 * second query.
 */
export function upcomingDialoguesIn<D extends Parameters<typeof displayStatus>[0] & { status: string }>(series: { dialogues: D[] }[], now = new Date()): D[] {
  return series.flatMap((s) => s.dialogues).filter((d) => (d.status === "scheduled" || d.status === "tbd") && displayStatus(d, now) !== "held");
}

export async function listRegions() {
  return prisma.region.findMany({ orderBy: { position: "asc" }, include: { _count: { select: { users: true } } } });
}

export async function getRegion(slug: string) {
  const region = await prisma.region.findUnique({
    where: { slug },
    include: {
      dialogues: {
        include: { dialogue: { select: { slug: true, titleEn: true, titleZh: true, status: true, startsAt: true, startsOn: true } } },
      },
    },
  });
  if (!region) throw new AppError("not_found");
  return region;
}

type DialogueWithSeries = Dialogue & { series: { titleEn: string; titleZh: string } };

/** The card a list shows for a dialogue, in the reader's language. */
export function presentDialogueCard(d: DialogueWithSeries, locale: Lang, withSeries = false) {
  return {
    slug: d.slug,
    kind: d.kind,
    title: pick(locale, d.titleEn, d.titleZh),
    status: displayStatus(d),
    when: dialogueWhen(d, locale),
    seriesTitle: withSeries ? pick(locale, d.series.titleEn, d.series.titleZh) : undefined,
  };
}

export const scheduleInput = z
  .object({
    status: z.enum(["scheduled", "tbd", "held", "cancelled"]),
    /** YYYY-MM-DD in `zone`; empty → no date. */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    /** HH:MM (24 h) in `zone`; empty → the day only. */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).optional(),
    zone: z.enum(["America/New_York", "Asia/Shanghai"]).default("America/New_York"),
    /** How long it lasts, for calendars: 15 minutes to 3 days. */
    durationMinutes: z.coerce.number().int().min(15).max(3 * 24 * 60).optional(),
  })
  .refine((v) => !v.time || v.date, { message: "date_required_for_time", path: ["date"] })
  .refine((v) => v.status !== "scheduled" || v.date, { message: "date_required_for_scheduled", path: ["date"] });

/**
 * Sets a dialogue's status (a cancelled one stays listed, marked), date/time and length (admins).
 * A time is read as wall-clock time in `zone` (U.S. Eastern or China Standard Time) and stored
 * in UTC; a date alone is stored as the day. Any change raises the dialogue's calendar sequence,
 * so subscribed calendars update their event.
 * @throws AppError forbidden | not_found; ZodError on bad input
 */
export async function updateDialogueSchedule(actor: Actor | null, slug: string, input: z.input<typeof scheduleInput>) {
  assertCan(actor, "dialogue.manage");
  const data = scheduleInput.parse(input);
  const dialogue = await prisma.dialogue.findUnique({ where: { slug }, select: { id: true, status: true, startsAt: true, startsOn: true, durationMinutes: true } });
  if (!dialogue) throw new AppError("not_found");
  let startsAt: Date | null = null;
  let startsOn: string | null = null;
  if (data.date && data.time) {
    const [y, m, d] = data.date.split("-").map(Number);
    const [hh, mm] = data.time.split(":").map(Number);
    startsAt = new Date(new TZDate(y, m - 1, d, hh, mm, data.zone).getTime());
  } else if (data.date) {
    startsOn = data.date;
  }
  const durationMinutes = data.durationMinutes ?? dialogue.durationMinutes;
  // A calendar that holds the event must hear of any change to it (iCalendar SEQUENCE).
  const changed =
    data.status !== dialogue.status ||
    (startsAt?.getTime() ?? null) !== (dialogue.startsAt?.getTime() ?? null) ||
    startsOn !== dialogue.startsOn ||
    durationMinutes !== dialogue.durationMinutes;
  return prisma.dialogue.update({
    where: { id: dialogue.id },
    data: {
      status: data.status,
      startsAt,
      startsOn,
      durationMinutes,
      ...(data.date ? { dateNoteEn: "", dateNoteZh: "" } : {}),
      ...(changed ? { calendarSequence: { increment: 1 }, calendarChangedAt: new Date() } : {}),
    },
  });
}

/** Every dialogue in programme order (for pickers such as "move thread"). */
export function listProgrammeDialogues() {
  return prisma.dialogue.findMany({
    orderBy: [{ series: { position: "asc" } }, { position: "asc" }],
    select: { id: true, slug: true, titleEn: true, titleZh: true },
  });
}
