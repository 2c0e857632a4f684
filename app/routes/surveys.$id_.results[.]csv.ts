import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentResponse } from "~/http/attachment.server";
import { getActor } from "~/http/auth.server";
import { surveyCsv } from "~/models/surveys/results.server";
import { loadOrThrow } from "~/utils/http.server";

/** `GET /surveys/:id/results.csv`: one row per response, UTF-8 with a BOM (staff). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const csv = await loadOrThrow(request, () => surveyCsv(getActor(context), params.id ?? ""));
  return attachmentResponse(csv.body, csv.filename, "text/csv; charset=utf-8", { fallbackStem: "survey" });
}
