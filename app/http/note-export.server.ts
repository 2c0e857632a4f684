/**
 * The HTTP side of note exports, shared by `notes.$id_.export[.]md.ts` and
 * `notes.$id_.export[.]html.ts`: sign-in (a signed-out reader is sent to sign in, like every
 * page), the query (`?single=1` exports only this note), the model call, and the attachment
 * response (RFC 6266 Content-Disposition with a UTF-8 file name).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getActor, requireUser } from "./auth.server";
import { getFixedT, resolveLocale } from "~/i18n/i18n.server";
import { exportNote, type ExportFormat } from "~/models/note-export.server";
import { attachmentResponse } from "./attachment.server";
import { loadOrThrow } from "~/utils/http.server";
import { z } from "~/utils/validation";

const querySchema = z.object({
  single: z
    .enum(["", "0", "1", "false", "true"])
    .optional()
    .transform((v) => v === "1" || v === "true"),
});

/**
 * @returns the export as an attachment (200), a redirect to sign-in, 404 for a non-member or an
 *   unknown note, 400 for a malformed query
 */
export async function noteExportResponse({ request, context, params }: LoaderFunctionArgs, format: ExportFormat): Promise<Response> {
  requireUser(context, request);
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return new Response("validation", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const locale = await resolveLocale(request, context);
  const t = await getFixedT(locale);
  const file = await loadOrThrow(request, () =>
    exportNote(getActor(context), {
      noteId: params.id ?? "",
      format,
      single: query.data.single,
      footer: t("notes.export.generated", { date: new Date().toISOString().slice(0, 10) }),
    }),
  );
  return attachmentResponse(file.body, file.filename, file.contentType, {
    fallbackStem: "note",
    headers: { "Content-Language": file.languages.map((l) => (l === "zh" ? "zh-CN" : l)).join(", ") },
  });
}
