import type { LoaderFunctionArgs } from "@remix-run/node";
import { noteExportResponse } from "~/http/note-export.server";

/** `GET /notes/:id/export.md[?single=1]`: the note as Markdown, as an attachment (readers of the note). */
export async function loader(args: LoaderFunctionArgs) {
  return noteExportResponse(args, "md");
}
