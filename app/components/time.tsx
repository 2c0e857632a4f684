/**
 * Times in the reader's zone. The server renders UTC (it cannot know the zone); after hydration
 * the browser re-renders in its own zone. The ISO value stays in `dateTime`.
 */
import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { dateTimeFormat } from "~/utils/dates";

export function LocalTime({ iso }: { iso: string }) {
  const { i18n } = useTranslation();
  const [zone, setZone] = useState<string>("UTC");
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const text = dateTimeFormat(i18n.language === "zh" ? "zh-CN" : "en-US", {
    timeZone: zone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
  return (
    <time dateTime={iso} title={iso}>
      {text}
      {zone === "UTC" ? " UTC" : ""}
    </time>
  );
}

/**
 * A hidden `timeZone` field for forms with a date staff pick (pin until, suspend until): the
 * browser's own zone once the page runs, so the day means that day where the picker is
 * (`zonedDayStart`). Without JavaScript it carries the member's own time zone (their setting,
 * else their region's: the root loader's `user.timeZone`).
 */
export function TimeZoneField({ fallback: given }: { fallback?: string }) {
  // Read without importing root.tsx (imports stay acyclic, app/architecture.test.ts).
  const root = useRouteLoaderData("root") as { user?: { timeZone?: string } | null } | undefined;
  const fallback = given ?? root?.user?.timeZone ?? "UTC";
  const [zone, setZone] = useState(fallback);
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || fallback), [fallback]);
  return <input type="hidden" name="timeZone" value={zone} />;
}

/**
 * A calendar day (an instant that is the start of a day someone picked): rendered in the
 * member's own zone on the server (their setting; UTC signed out) and in the browser's after
 * hydration, so a day picked in Shanghai reads as that day to the one who picked it.
 */
export function LocalDay({ iso }: { iso: string }) {
  const { i18n } = useTranslation();
  const root = useRouteLoaderData("root") as { user?: { timeZone?: string } | null } | undefined;
  const [zone, setZone] = useState<string>(root?.user?.timeZone ?? "UTC");
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"), []);
  const text = dateTimeFormat(i18n.language === "zh" ? "zh-CN" : "en-US", { timeZone: zone, dateStyle: "long" }).format(new Date(iso));
  return <time dateTime={iso}>{text}</time>;
}
