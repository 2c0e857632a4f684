import type { LoaderFunctionArgs } from "@remix-run/node";
import { getActor } from "~/http/auth.server";
import { surveyJson } from "~/models/surveys/results.server";
import { loadOrThrow } from "~/utils/http.server";

/** `GET /surveys/:id/results.json`: the survey, its questions and every response (staff). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const body = await loadOrThrow(request, () => surveyJson(getActor(context), params.id ?? ""));
  return new Response(JSON.stringify(body, null, 2), {
    status: 200,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
