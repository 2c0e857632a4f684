/** Bilingual content helpers: pick the reader's language, falling back to the other one. */
import type { Lang } from "~/i18n/config";

/** The text in the reader's language, or the other language's when that one is empty. */
export function pick(locale: Lang, en: string | null | undefined, zh: string | null | undefined): string {
  const preferred = locale === "zh" ? zh : en;
  return (preferred && preferred.trim()) || (locale === "zh" ? en : zh) || "";
}

/** Splits plain text into paragraphs on blank lines. */
export function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}
