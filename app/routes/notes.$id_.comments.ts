import type { LoaderFunctionArgs } from "@remix-run/node";
import { getActor } from "~/http/auth.server";
import { listNoteThreads } from "~/models/note-comments.server";
import { isAppError } from "~/utils/errors";

/**
 * A note's comment threads as JSON (`{ threads, canComment }`, see `listNoteThreads`), for the
 * note page's comment sidebar, which refetches on `noteComment:changed`. 401/403/404 as
 * `{ error: code }` for those who may not read the note.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  try {
    return Response.json(await listNoteThreads(getActor(context), params.id ?? ""), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (isAppError(error)) return Response.json({ error: error.code }, { status: error.status });
    throw error;
  }
}
