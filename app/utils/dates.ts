/**
 * Dates and times for dialogues, shown in U.S. Eastern (America/New_York), U.S. Mountain
 * (America/Denver, Wyoming) and China Standard Time (Asia/Shanghai) when the start time is known,
 * and in the reader's own zone in the browser, via Intl (IANA tz database).
 */
import { TZDate } from "@date-fns/tz";
import type { Lang } from "~/i18n/config";

export const US_EASTERN = "America/New_York";
/** U.S. Mountain time: Wyoming. */
export const US_MOUNTAIN = "America/Denver";
export const CHINA_STANDARD = "Asia/Shanghai";

const intlLocale = (locale: Lang) => (locale === "zh" ? "zh-CN" : "en-US");

const formats = new Map<string, Intl.DateTimeFormat>();
/** Most distinct formats kept (locales × zones × styles in use are far fewer). */
const MAX_FORMATS = 500;

/**
 * `new Intl.DateTimeFormat(locale, options)`, made once per locale and options: making one
 * costs about 50 µs (ICU data), and a thread page formats 20+ times per view. Same errors as
 * the constructor (RangeError for an unknown time zone).
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    if (formats.size >= MAX_FORMATS) formats.clear();
    formats.set(key, format);
  }
  return format;
}

/** e.g. "Mon, Sep 23, 2024, 9:00 AM EDT" / "2024年9月23日周一 21:00 GMT+8". */
export function formatInZone(date: Date, timeZone: string, locale: Lang): string {
  return dateTimeFormat(intlLocale(locale), {
    timeZone,
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

/** A calendar day given as YYYY-MM-DD, e.g. "Monday, September 23, 2024" / "2024年9月23日星期一". */
export function formatDay(isoDay: string, locale: Lang): string {
  const [y, m, d] = isoDay.split("-").map(Number);
  return dateTimeFormat(intlLocale(locale), {
    timeZone: "UTC",
    weekday: "long",
    year: "numeric",
    month: "long",
    day: "numeric",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A month given as YYYY-MM (or a year YYYY), e.g. "August 2022" / "2022年8月". */
export function formatMonth(value: string, locale: Lang): string {
  const [y, m] = value.split("-").map(Number);
  if (!m) return locale === "zh" ? `${y}年` : String(y);
  return dateTimeFormat(intlLocale(locale), { timeZone: "UTC", year: "numeric", month: "long" }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

export interface DialogueWhen {
  /** U.S. Eastern, U.S. Mountain (Wyoming) and China Standard Time, when the exact start is known. */
  eastern?: string;
  mountain?: string;
  china?: string;
  /** The start (ISO 8601), for the reader's own zone, which only the browser knows. */
  startsAt?: string;
  /** The day only (time not yet announced). */
  day?: string;
  /** A period (studies, early series). */
  period?: string;
  /** The page's own wording when the date is not fixed. */
  note?: string;
}

export function dialogueWhen(
  d: {
    startsAt: Date | string | null;
    startsOn: string | null;
    periodStart: string | null;
    periodEnd: string | null;
    dateNoteEn: string;
    dateNoteZh: string;
  },
  locale: Lang,
): DialogueWhen {
  const note = (locale === "zh" ? d.dateNoteZh : d.dateNoteEn) || undefined;
  if (d.startsAt) {
    const at = new Date(d.startsAt);
    return {
      eastern: formatInZone(at, US_EASTERN, locale),
      mountain: formatInZone(at, US_MOUNTAIN, locale),
      china: formatInZone(at, CHINA_STANDARD, locale),
      startsAt: at.toISOString(),
      note,
    };
  }
  if (d.startsOn) return { day: formatDay(d.startsOn, locale), note };
  if (d.periodStart) {
    const start = formatMonth(d.periodStart, locale);
    const end = d.periodEnd ? formatMonth(d.periodEnd, locale) : "";
    return { period: end && end !== start ? `${start} – ${end}` : start, note };
  }
  return { note };
}

/** True when `name` is an IANA time zone this runtime knows (e.g. "America/Chicago"). */
export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The first instant of a calendar day in a time zone: the day a person picked in a date field
 * means that day where they are (a moderator in America/Chicago who pins "until 2026-12-10"
 * pins until 00:00 on 10 December in Chicago, 06:00 UTC), and shows as that day to them again.
 * Daylight saving is the zone's own (IANA tz database, via `Intl` and @date-fns/tz).
 * @param day `YYYY-MM-DD`
 * @param timeZone an IANA zone; an unknown or empty one means UTC
 * @returns the instant, or null when `day` is not a real calendar day
 */
export function zonedDayStart(day: string, timeZone: string | undefined): Date | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const [y, m, d] = match.slice(1).map(Number);
  const utc = new Date(Date.UTC(y, m - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== m - 1 || utc.getUTCDate() !== d) return null;
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : "UTC";
  return new Date(new TZDate(y, m - 1, d, zone).getTime());
}

/**
 * The zone a member most likely lives in, from their region, until they choose one: Wyoming
 * America/Denver, other U.S. regions America/New_York, Chinese regions Asia/Shanghai.
 */
export function regionTimeZone(region: { slug: string; country: string } | null | undefined): string {
  if (!region) return "UTC";
  if (region.country === "CN") return CHINA_STANDARD;
  return region.slug === "wyoming" ? "America/Denver" : US_EASTERN;
}
