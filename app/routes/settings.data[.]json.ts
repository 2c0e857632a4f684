import type { LoaderFunctionArgs } from "@remix-run/node";
import { getActor, requireUser } from "~/http/auth.server";
import { exportOwnData } from "~/models/accounts/export.server";
import { attachmentResponse } from "~/http/attachment.server";
import { loadOrThrow } from "~/utils/http.server";

/**
 * Settings → "Download my data": `GET /settings/data.json`, the member's own data as one JSON
 * attachment, streamed (app/models/accounts/export.server.ts). Reading one's own data changes
 * nothing, so a link (GET) serves; signed-out readers are sent to sign in.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const file = await loadOrThrow(request, async () => exportOwnData(getActor(context), context.publicUrl));
  return attachmentResponse(file.stream, file.filename, "application/json; charset=utf-8");
}
