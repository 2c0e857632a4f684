/**
 * Which language a text is written in, by script: Latin words for English, Han characters for
 * Chinese (the network's two languages). Used by search (a document's languages) and by
 * translations (a reply's original language, so the other one is what it is translated into).
 */
import type { Lang } from "~/i18n/config";

/** Addresses and e-mail addresses say nothing about the language a text is written in. */
const NOT_LANGUAGE = /(?:https?:\/\/|www\.)\S+|\S+@\S+\.\S+/gi;
const LATIN_WORD = /[A-Za-z][A-Za-z'’-]*[A-Za-z]/g;
const HAN_CHAR = /\p{Script=Han}/gu;
/** Han characters per word of Chinese text, on average (so the two scripts weigh alike). */
const HAN_PER_WORD = 1.6;
/** A language counts when it is at least this share of the text's words. */
const LANGUAGE_SHARE = 0.3;

/**
 * The languages a text is written in, by the share of its words in each script: `en` for Latin
 * words, `zh` for Han characters (about 1.6 to a word), each kept when it makes up at least 30%
 * of the text, so a Chinese reply that names "CCUS" is `zh` and a bilingual title is both.
 * Links and e-mail addresses are left out. Text with no words at all is `en`.
 * @returns `["en"]`, `["zh"]` or `["en", "zh"]`
 */
export function detectLanguages(text: string): string[] {
  const words = text.replace(NOT_LANGUAGE, " ");
  const en = words.match(LATIN_WORD)?.length ?? 0;
  const zh = (words.match(HAN_CHAR)?.length ?? 0) / HAN_PER_WORD;
  const total = en + zh;
  if (total === 0) return ["en"];
  const languages = [...(en / total >= LANGUAGE_SHARE ? ["en"] : []), ...(zh / total >= LANGUAGE_SHARE ? ["zh"] : [])];
  return languages.length ? languages : [en >= zh ? "en" : "zh"];
}

/**
 * The one language a text is mostly written in: `zh` when its Han characters (1.6 to a word)
 * outweigh its Latin words, else `en` (so "煤炭 CCUS 转型" is `zh`, and text with no words is `en`).
 * The translations migration backfills stored replies by the same rule in SQL.
 */
export function primaryLanguage(text: string): Lang {
  const words = text.replace(NOT_LANGUAGE, " ");
  const en = words.match(LATIN_WORD)?.length ?? 0;
  const zh = (words.match(HAN_CHAR)?.length ?? 0) / HAN_PER_WORD;
  return zh > en ? "zh" : "en";
}

/** The network's other language. */
export function otherLanguage(lang: Lang): Lang {
  return lang === "zh" ? "en" : "zh";
}
