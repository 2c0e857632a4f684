/**
 * Document titles in the reader's language. Route `meta` functions cannot use hooks, so they
 * read the root loader's locale from `matches` and look the string up in the bundled resources.
 */
import { resources, type Lang } from "~/i18n/config";

type Matches = readonly { id: string; data?: unknown }[];

function lookup(locale: Lang, key: string): string | undefined {
  let node: unknown = resources[locale].common;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string" ? node : undefined;
}

/** `<translated key> · <site name>` in the locale the root loader chose. */
export function pageTitle(matches: Matches, key: string): { title: string }[] {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: Lang } | undefined;
  const locale: Lang = root?.locale === "zh" ? "zh" : "en";
  const text = lookup(locale, key) ?? lookup("en", key) ?? key;
  return [{ title: `${text} · ${lookup(locale, "site.name")}` }];
}
