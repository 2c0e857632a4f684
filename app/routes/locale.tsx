import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirect } from "~/http/auth.server";
import { isLang } from "~/i18n/config";
import { localeCookie } from "~/i18n/i18n.server";
import { setLocale } from "~/models/users.server";

/** The language switch: remembers the choice in a cookie (and on the member's account). */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => null);
  const locale = form?.get("locale");
  if (!isLang(locale)) return new Response("Unsupported language / 不支持的语言", { status: 400 });
  if (context.auth) await setLocale(context.auth.user.id, locale);
  return redirect(safeRedirect(form?.get("redirectTo")), {
    headers: { "Set-Cookie": await localeCookie.serialize(locale, { secure: context.secure }) },
  });
}

export async function loader() {
  return redirect("/");
}
