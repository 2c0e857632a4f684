/**
 * `GET /dialogues/<slug>/calendar.ics`: the dialogue as a calendar file ("Add to calendar"),
 * titled in the reader's language. Public, like the programme; 404 until the dialogue has a day.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentResponse } from "~/http/attachment.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { readDialogueForCalendar } from "~/models/calendar/feeds.server";
import { dialoguesCalendar } from "~/models/calendar/ics.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const dialogue = await readDialogueForCalendar(params.slug ?? "");
  if (!dialogue) throw new Response("Not found", { status: 404 });
  const locale = await resolveLocale(request, context);
  const body = dialoguesCalendar([dialogue], { locale, publicUrl: context.publicUrl });
  return attachmentResponse(body, `${dialogue.slug}.ics`, "text/calendar; charset=utf-8", { fallbackStem: "dialogue" });
}
