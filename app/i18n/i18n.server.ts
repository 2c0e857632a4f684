/**
 * Picks the reader's language: the `lng` cookie (set by the language switch), then the signed-in
 * member's saved preference, then the browser's Accept-Language (remix-i18next's detector).
 */
import { createCookie, type AppLoadContext } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLng, i18nConfig, isLang, resources, supportedLngs, type Lang } from "./config";

export const localeCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export const i18nServer = new RemixI18Next({
  detection: { supportedLanguages: [...supportedLngs], fallbackLanguage: fallbackLng, order: ["header"] },
  i18next: { ...i18nConfig, resources },
});

/** The language to render this request in. */
export async function resolveLocale(request: Request, context: AppLoadContext | undefined): Promise<Lang> {
  const fromCookie = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLang(fromCookie)) return fromCookie;
  const fromUser = context?.auth?.user.locale;
  if (isLang(fromUser)) return fromUser;
  const detected = await i18nServer.getLocale(request);
  return isLang(detected) ? detected : fallbackLng;
}

/** A translator for server-side messages (errors returned by actions). */
export function getFixedT(locale: Lang) {
  return i18nServer.getFixedT(locale, "common");
}
