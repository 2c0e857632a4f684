/**
 * Dates and times for dialogues, always shown in both U.S. Eastern (America/New_York) and China
 * Standard Time (Asia/Shanghai) when the start time is known, via Intl (IANA tz database).
 */
import type { Lang } from "~/i18n/config";

export const US_EASTERN = "America/New_York";
export const CHINA_STANDARD = "Asia/Shanghai";

const intlLocale = (locale: Lang) => (locale === "zh" ? "zh-CN" : "en-US");

/** e.g. "Mon, Sep 23, 2024, 9:00 AM EDT" / "2024年9月23日周一 21:00 GMT+8". */
export function formatInZone(date: Date, timeZone: string, locale: Lang): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
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
  return new Intl.DateTimeFormat(intlLocale(locale), {
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
  return new Intl.DateTimeFormat(intlLocale(locale), { timeZone: "UTC", year: "numeric", month: "long" }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

export interface DialogueWhen {
  /** Both zones, when the exact start is known. */
  eastern?: string;
  china?: string;
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
    return { eastern: formatInZone(at, US_EASTERN, locale), china: formatInZone(at, CHINA_STANDARD, locale), note };
  }
  if (d.startsOn) return { day: formatDay(d.startsOn, locale), note };
  if (d.periodStart) {
    const start = formatMonth(d.periodStart, locale);
    const end = d.periodEnd ? formatMonth(d.periodEnd, locale) : "";
    return { period: end && end !== start ? `${start} – ${end}` : start, note };
  }
  return { note };
}
