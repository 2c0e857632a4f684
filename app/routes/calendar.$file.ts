/**
 * `GET /calendar/<secret>.ics`: a member's personal feed of the dialogues they take part in or
 * follow, for a calendar app to subscribe to (`webcal://`). The secret is the only credential (no
 * cookie): an unknown or replaced one, or one of a member who may not sign in, is 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getFixedT } from "~/i18n/i18n.server";
import { readCalendarFeed } from "~/models/calendar/feeds.server";
import { dialoguesCalendar } from "~/models/calendar/ics.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const match = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(params.file ?? "");
  const feed = match ? await readCalendarFeed(match[1]!) : null;
  if (!feed) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  const t = await getFixedT(feed.locale);
  const body = dialoguesCalendar(feed.dialogues, { locale: feed.locale, publicUrl: context.publicUrl, name: t("calendar.feedName") });
  return new Response(body, {
    status: 200,
    // Read by calendar apps, never cached by anything in between (the address is a secret).
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" },
  });
}
