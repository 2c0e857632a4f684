/**
 * How a translation is shown (docs/decisions/040-translations-of-replies.md): its text rendered
 * like a reply's, its kind, whether the original changed since, and its translator under the
 * same attribution rules as the reply's author — under the Chatham House Rule a translator is a
 * speaker too, shown as their pseudonym in the thread. Pure: every channel presents through here.
 */
import type { AttributionLevel, Locale, Prisma, TranslationKind } from "@prisma/client";
import type { Actor } from "~/policy.server";
import type { Lang } from "~/i18n/config";
import type { JSONContent } from "@tiptap/core";
import { renderReplyHtml } from "~/editor/content.server";
import type { TranslationView } from "~/realtime/events";
import { presentAuthor, replyLevel, type Reader } from "../track2/attribution.server";

/** What a translation query includes so that `toTranslationView` can present it. */
export const translationInclude = { translator: { select: { id: true, displayName: true } } } as const;

export type ReplyTranslationRow = Prisma.ReplyTranslationGetPayload<{ include: typeof translationInclude }>;

/** A translation's stored kind as shown (`original` is a case-study version's kind, never a translation's). */
export function shownKind(kind: TranslationKind): "human" | "machine" {
  return kind === "machine" ? "machine" : "human";
}

/** The translator as `reader` may see them under `level`; null for machine output or a deleted account. */
export function presentTranslator(
  reader: Reader,
  row: { kind: TranslationKind; translator: { id: string; displayName: string } | null; participantNumber: number },
  level: AttributionLevel,
) {
  if (row.kind === "machine" || !row.translator) return null;
  return { region: null, ...presentAuthor(reader, row.translator, row.participantNumber, level) };
}

/**
 * One reply translation for `reader`, shown under the stricter of the level it was written under
 * and the reply's level now (`shownLevel`); `sourceRevision` below `currentRevision` means the
 * original was edited since.
 */
export function toTranslationView(row: ReplyTranslationRow, reader: Reader, shownLevel: AttributionLevel, currentRevision: number): TranslationView {
  return {
    language: row.language,
    html: renderReplyHtml(row.content as JSONContent),
    text: row.text,
    kind: shownKind(row.kind),
    translator: presentTranslator(reader, row, replyLevel(row.attributionLevel, shownLevel)),
    outdated: row.sourceRevision < currentRevision,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The translation into `locale` among `rows`, if any. */
export function translationInto<T extends { language: Locale }>(rows: readonly T[] | undefined, locale: Locale): T | undefined {
  return rows?.find((row) => row.language === locale);
}

/** What a comment query includes so that `toCommentTranslations` can present its translations. */
export const commentTranslationsInclude = { translations: { include: { translator: { select: { id: true, displayName: true } } }, orderBy: { language: "asc" } } } as const;
type CommentTranslationRow = Prisma.CommentTranslationGetPayload<{ include: (typeof commentTranslationsInclude)["translations"]["include"] }>;

/** A comment's translation as pages show it. */
export interface CommentTranslationView {
  language: Lang;
  text: string;
  kind: "human" | "machine";
  /** Null for a former member's. Comments are never anonymous, so neither are their translators. */
  translator: { id: string; displayName: string } | null;
  outdated: boolean;
  mine: boolean;
}

/** The translations of a comment whose text is now `currentText`, for `actor`. */
export function toCommentTranslations(rows: CommentTranslationRow[], currentText: string, actor: Actor | null): CommentTranslationView[] {
  return rows.map((r) => ({
    language: r.language,
    text: r.text,
    kind: shownKind(r.kind),
    translator: r.translator,
    outdated: r.sourceText !== currentText,
    mine: actor !== null && r.translatorId === actor.id,
  }));
}

