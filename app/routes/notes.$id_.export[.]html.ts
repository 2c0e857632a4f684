import type { LoaderFunctionArgs } from "@remix-run/node";
import { noteExportResponse } from "~/http/note-export.server";

/** `GET /notes/:id/export.html[?single=1]`: the note as a standalone HTML page, as an attachment (readers of the note). */
export async function loader(args: LoaderFunctionArgs) {
  return noteExportResponse(args, "html");
}
