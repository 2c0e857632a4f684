import type { ActionFunctionArgs } from "@remix-run/node";
import { formToInput, runRequestCommand } from "~/utils/commands.server";

/**
 * The JSON API: `POST /api/commands/<name>` with a JSON (or form) body runs the command exactly
 * as the socket event of the same name does. 200 `{ ok: true, result }`, or 4xx
 * `{ ok: false, error: { code, message, field } }` with a localised message.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  let input: unknown;
  const type = request.headers.get("Content-Type") ?? "";
  try {
    input = type.includes("application/json") ? await request.json() : formToInput(await request.formData());
  } catch {
    return Response.json({ ok: false, error: { code: "validation", message: "Malformed body", field: "" } }, { status: 400 });
  }
  const outcome = await runRequestCommand(request, context, params.name ?? "", input);
  if (outcome.ok) return Response.json({ ok: true, result: outcome.result });
  return Response.json({ ok: false, error: { code: outcome.code, message: outcome.message, field: outcome.field } }, { status: outcome.status });
}

export async function loader() {
  return Response.json({ ok: false, error: { code: "method_not_allowed", message: "Use POST" } }, { status: 405 });
}
