import type { LoaderFunctionArgs } from "@remix-run/node";
import { getActor } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { searchMembers } from "~/models/users.server";
import { pick } from "~/utils/content";
import { isAppError } from "~/utils/errors";

/** `GET /api/members/search?q=` → `{ members: [{ id, label, region }] }` for @mention autocomplete. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  try {
    const rows = await searchMembers(getActor(context), new URL(request.url).searchParams.get("q") ?? "");
    return Response.json({
      members: rows.map((m) => ({ id: m.id, label: m.displayName, region: m.region ? pick(locale, m.region.nameEn, m.region.nameZh) : undefined })),
    });
  } catch (error) {
    if (isAppError(error)) return Response.json({ members: [], error: error.code }, { status: error.status });
    throw error;
  }
}
