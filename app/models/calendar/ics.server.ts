/**
 * Dialogues as iCalendar (RFC 5545) events, with ical-generator: one file for a dialogue, or a
 * member's personal feed of several (docs/decisions/029-calendars.md).
 *
 * - UID `dialogue-<id>@<site host>`: stable, so a calendar updates the event it already has.
 * - DTSTART/DTEND with `TZID=America/New_York` and its VTIMEZONE (the programme sets its times in
 *   U.S. Eastern time; calendars show them in their own zone, daylight saving included); a day
 *   without a time is an all-day event (DTSTART;VALUE=DATE).
 * - SEQUENCE is the dialogue's `calendarSequence`, raised on every change a calendar must pick
 *   up (RFC 5545 §3.8.7.4); DTSTAMP and LAST-MODIFIED are when that happened.
 * - STATUS:CANCELLED for a cancelled dialogue (the event stays, so calendars remove or strike it),
 *   TENTATIVE while the time is still to be decided, CONFIRMED otherwise.
 * - SUMMARY in the reader's language; DESCRIPTION has the other language's title, the abstract
 *   and the page's address; URL is the page.
 */
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import type { DialogueStatus } from "@prisma/client";
import ical, { ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import type { Lang } from "~/i18n/config";
import { US_EASTERN } from "~/utils/dates";

/** The zone a dialogue's time is set in and written with (TZID). */
export const DIALOGUE_TIME_ZONE = US_EASTERN;

export interface CalendarDialogue {
  id: string;
  slug: string;
  titleEn: string;
  titleZh: string;
  abstractEn: string;
  abstractZh: string;
  status: DialogueStatus;
  startsAt: Date | null;
  /** YYYY-MM-DD, a day without a time (U.S. Eastern). */
  startsOn: string | null;
  durationMinutes: number;
  calendarSequence: number;
  calendarChangedAt: Date;
}

/** A dialogue belongs in a calendar once it has a day or a start time. */
export function hasCalendarDate(d: Pick<CalendarDialogue, "startsAt" | "startsOn">): boolean {
  return d.startsAt !== null || d.startsOn !== null;
}

const STATUS: Record<DialogueStatus, ICalEventStatus> = {
  scheduled: ICalEventStatus.CONFIRMED,
  held: ICalEventStatus.CONFIRMED,
  tbd: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
};

const PRODUCT = { company: "Coal Regions Network", product: "Track 2 dialogues", language: "EN" };

/**
 * An iCalendar file of the dialogues that have a date (the others are left out).
 * @param options.name the calendar's name (X-WR-CALNAME), for a feed
 * @param options.publicUrl the site's address (PUBLIC_URL), for links and UIDs
 * @returns the text of the file (`text/calendar`)
 */
export function dialoguesCalendar(dialogues: CalendarDialogue[], options: { locale: Lang; publicUrl: string; name?: string }): string {
  const host = new URL(options.publicUrl).hostname;
  const calendar = ical({ prodId: PRODUCT, ...(options.name ? { name: options.name } : {}) });
  // VTIMEZONE components for every zone an event uses (here, U.S. Eastern).
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  for (const d of dialogues) {
    if (!hasCalendarDate(d)) continue;
    const [title, other, abstract] =
      options.locale === "zh" ? [d.titleZh || d.titleEn, d.titleEn, d.abstractZh || d.abstractEn] : [d.titleEn, d.titleZh, d.abstractEn || d.abstractZh];
    const url = `${options.publicUrl}/dialogues/${d.slug}`;
    const changed = DateTime.fromJSDate(d.calendarChangedAt, { zone: "utc" });
    const common = {
      id: `dialogue-${d.id}@${host}`,
      sequence: d.calendarSequence,
      stamp: changed,
      lastModified: changed,
      summary: title,
      description: [other, abstract, url].filter(Boolean).join("\n\n"),
      url,
      status: STATUS[d.status],
    };
    if (d.startsAt) {
      const start = DateTime.fromJSDate(d.startsAt, { zone: DIALOGUE_TIME_ZONE });
      calendar.createEvent({ ...common, start, end: start.plus({ minutes: d.durationMinutes }), timezone: DIALOGUE_TIME_ZONE });
    } else if (d.startsOn) {
      const day = DateTime.fromISO(d.startsOn, { zone: "utc" });
      calendar.createEvent({ ...common, start: day, end: day.plus({ days: 1 }), allDay: true });
    }
  }
  return calendar.toString();
}
