/**
 * i18next settings shared by server and browser. Both languages' strings are bundled (they are
 * small), so the server and the browser agree on every string at first paint without a fetch.
 */
import en from "../../public/locales/en/common.json";
import zh from "../../public/locales/zh/common.json";

export const supportedLngs = ["en", "zh"] as const;
export type Lang = (typeof supportedLngs)[number];
export const fallbackLng: Lang = "en";
export const defaultNS = "common";

export const resources = { en: { common: en }, zh: { common: zh } } as const;

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (supportedLngs as readonly string[]).includes(value);
}

export const i18nConfig = {
  supportedLngs: [...supportedLngs],
  fallbackLng,
  defaultNS,
  ns: [defaultNS],
  interpolation: { escapeValue: false },
};
