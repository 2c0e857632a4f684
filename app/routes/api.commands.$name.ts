import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { failedOutcome, formToInput, retryHeaders, runRequestCommand, type CommandOutcome } from "~/http/commands.server";
import { readJsonBody } from "~/http/body.server";
import { getActor } from "~/http/auth.server";
import { limitPublicSubmission } from "~/models/surveys/responses.server";
import { AppError, isAppError } from "~/utils/errors";

/**
 * The JSON API: `POST /api/commands/<name>` with a JSON (or form) body runs the command exactly
 * as the socket event of the same name does. 200 `{ ok: true, result }`, or 4xx
 * `{ ok: false, error: { code, message, field } }` with a localised message.
 *
 * A resource route under single fetch must return a real Response: Remix unwraps `data()`
 * here and would answer every refusal with 200.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  let input: unknown;
  const type = request.headers.get("Content-Type") ?? "";
  try {
    input = type.includes("application/json") ? await readJsonBody(request) : formToInput(await request.formData());
  } catch (error) {
    return refusal(await failedOutcome(request, context, isAppError(error) ? error : new AppError("body_malformed")));
  }
  // The one command someone without an account may run (a survey's public link) is limited per
  // address here as on the page, so the API is no way around the limit.
  if (params.name === "surveyResponse.save" && !getActor(context)) {
    try {
      await limitPublicSubmission(context.clientIp);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return refusal(await failedOutcome(request, context, error));
    }
  }
  const outcome = await runRequestCommand(request, context, params.name ?? "", input);
  if (outcome.ok) return Response.json({ ok: true, result: outcome.result });
  return refusal(outcome);
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  return refusal(await failedOutcome(request, context, new AppError("method_not_allowed")), { Allow: "POST" });
}

function refusal(outcome: Extract<CommandOutcome, { ok: false }>, headers?: Record<string, string>) {
  return Response.json(
    { ok: false, error: { code: outcome.code, message: outcome.message, field: outcome.field } },
    { status: outcome.status, headers: { ...retryHeaders(outcome), ...headers } },
  );
}
