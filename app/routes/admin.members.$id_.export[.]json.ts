import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getActor, requireAdmin } from "~/http/auth.server";
import { exportMemberData } from "~/models/accounts/export.server";
import { attachmentResponse } from "~/http/attachment.server";
import { failedOutcome } from "~/http/commands.server";
import { isAppError } from "~/utils/errors";

/**
 * An admin exports a member's data on the member's request: `POST /admin/members/<id>/export.json`
 * with a `reason` (logged in the staff log before anything is sent). The same streamed JSON the
 * member downloads themselves. A POST, because it writes the log entry.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  requireAdmin(context, request);
  const form = await request.formData().catch(() => null);
  try {
    const file = await exportMemberData(getActor(context), { userId: params.id ?? "", reason: form?.get("reason") }, context.publicUrl);
    return attachmentResponse(file.stream, file.filename, "application/json; charset=utf-8");
  } catch (error) {
    if (!isAppError(error)) throw error;
    const outcome = await failedOutcome(request, context, error);
    return new Response(outcome.message, { status: outcome.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
