import type { LoaderFunctionArgs } from "@remix-run/node";
import { getActor, requireUser } from "~/http/auth.server";
import { getDialogue } from "~/models/dialogues.server";
import { participantsCsv } from "~/models/track2/participation.server";
import { loadOrThrow } from "~/utils/http.server";

/** `GET /moderation/requests.csv?dialogue=<slug>`: a dialogue's requests and participants as CSV (staff). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const slug = new URL(request.url).searchParams.get("dialogue") ?? "";
  const dialogue = await loadOrThrow(request, () => getDialogue(slug));
  const csv = await loadOrThrow(request, () => participantsCsv(getActor(context), dialogue.id));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="participants-${dialogue.slug}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
