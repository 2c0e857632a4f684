/**
 * Reasons recorded with a moderation action (reply hidden, staff log, the author's notification).
 * A moderator's own words are stored as typed. A reason written by the flag review is stored
 * language-neutral, as `flag:<reason>,<reason>` with the flag reason codes (`flagReasons` in
 * app/realtime/commands.ts), and put into the reader's language when shown.
 */
import type { TFunction } from "i18next";
import { flagReasons } from "~/realtime/commands";

const PREFIX = "flag:";
type FlagReason = (typeof flagReasons)[number];
const isFlagReason = (code: string): code is FlagReason => (flagReasons as readonly string[]).includes(code);

/** The stored form of the flags' reasons, e.g. `flag:spam,inappropriate` (order kept, no repeats). */
export function flagReasonsRecord(codes: readonly FlagReason[]): string {
  return PREFIX + [...new Set(codes)].join(",");
}

/**
 * A stored reason in the reader's language: flag codes become "Flagged as Spam and
 * Inappropriate" (joined with Intl.ListFormat for `locale`); other text is returned unchanged.
 */
export function describeReason(t: TFunction, locale: string, reason: string | null | undefined): string {
  if (!reason) return "";
  if (!reason.startsWith(PREFIX)) return reason;
  const codes = reason.slice(PREFIX.length).split(",").filter(isFlagReason);
  if (codes.length === 0) return reason;
  const list = new Intl.ListFormat(locale, { type: "conjunction" }).format(codes.map((c) => t(`flag.reasons.${c}`)));
  return t("moderation.flaggedAs", { reasons: list });
}
