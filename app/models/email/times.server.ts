/** Time zones and dialogue times as emails show them. */
import type { Locale } from "@prisma/client";
import type { Translate } from "~/emails/templates";
import { CHINA_STANDARD, formatInZone, regionTimeZone, US_EASTERN } from "~/utils/dates";

/** The member's time zone: their own choice, else their region's (`regionTimeZone`). */
export function memberTimeZone(user: { timeZone: string | null; region: { slug: string; country: string } | null }): string {
  return user.timeZone || regionTimeZone(user.region);
}

/** A dialogue's start in U.S. Eastern and Beijing time, and the reader's own zone when it differs. */
export function dialogueTimes(t: Translate, startsAt: Date, zone: string, locale: Locale): string[] {
  const times = [t("email.digest.us", { time: formatInZone(startsAt, US_EASTERN, locale) }), t("email.digest.china", { time: formatInZone(startsAt, CHINA_STANDARD, locale) })];
  if (zone !== US_EASTERN && zone !== CHINA_STANDARD) times.push(t("email.digest.yours", { time: formatInZone(startsAt, zone, locale) }));
  return times;
}
