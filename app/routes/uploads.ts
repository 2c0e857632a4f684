/**
 * `POST /uploads`: one image (multipart field `file`) from a signed-in member → JSON
 * `{ id, url, width, height }`, or 4xx `{ ok: false, error: { code, message } }` with a message
 * in the reader's language. Non-GET requests pass the Origin check in server/app.ts first.
 *
 * Parsed with Remix's `unstable_parseMultipartFormData` and our own upload handler, which reads
 * the file part in chunks and stops at 5 MB, so no more than the limit is ever held; a declared
 * Content-Length over the limit is refused before anything is read. Served back by
 * `GET /uploads/<id>` (server/uploads.ts).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { getActor } from "~/http/auth.server";
import { getFixedT, resolveLocale } from "~/i18n/i18n.server";
import { beginUpload, storeUpload, UPLOAD_MAX_BYTES, UPLOAD_MAX_LABEL } from "~/models/uploads.server";
import { AppError, isAppError } from "~/utils/errors";

/** Room for the multipart boundaries and headers around the file. */
const ENVELOPE_BYTES = 64 * 1024;
/** Longest text field read (anything else is drained and ignored). */
const MAX_FIELD_BYTES = 1024;

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    const actor = await beginUpload(getActor(context));
    const declaredLength = Number(request.headers.get("Content-Length") ?? "0");
    if (declaredLength > UPLOAD_MAX_BYTES + ENVELOPE_BYTES) throw new AppError("upload_too_large", "Too large", "file", { max: UPLOAD_MAX_LABEL });
    if (!/^multipart\/form-data;/i.test(request.headers.get("Content-Type") ?? "")) throw new AppError("upload_missing", "Not multipart", "file");

    let file: { data: Uint8Array; declaredType: string; originalName: string } | null = null;
    const handler: UploadHandler = async ({ name, filename, contentType, data: stream }) => {
      if (name !== "file" || typeof filename !== "string" || file) {
        let size = 0;
        for await (const chunk of stream) {
          size += chunk.byteLength;
          if (size > MAX_FIELD_BYTES && name !== "file") throw new AppError("validation", "Field too long", name);
        }
        return undefined;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of stream) {
        size += chunk.byteLength;
        // Stop reading at the limit (Node discards the rest of the body after we answer).
        if (size > UPLOAD_MAX_BYTES) throw new AppError("upload_too_large", "Too large", "file", { max: UPLOAD_MAX_LABEL });
        chunks.push(chunk);
      }
      file = { data: Buffer.concat(chunks), declaredType: contentType, originalName: filename };
      return undefined;
    };
    try {
      await unstable_parseMultipartFormData(request, handler);
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError("upload_missing", "Malformed multipart body", "file");
    }
    if (!file) throw new AppError("upload_missing", "No file", "file");
    const stored = await storeUpload(actor, file);
    return Response.json({ ok: true, id: stored.id, url: stored.url, width: stored.width, height: stored.height });
  } catch (error) {
    if (!isAppError(error)) throw error;
    const t = await getFixedT(await resolveLocale(request, context));
    return Response.json(
      { ok: false, error: { code: error.code, message: t(`errors.${error.code}`, { max: UPLOAD_MAX_LABEL, ...error.params }), field: error.field ?? "" } },
      { status: error.status },
    );
  }
}

export async function loader() {
  return Response.json({ ok: false, error: { code: "method_not_allowed", message: "Use POST" } }, { status: 405 });
}
