/**
 * Policy-note page pieces for issue #5 item 9: the linked translation ("中文版本 / English
 * version: <title>", and for the owner a form to link, re-link or unlink one) and the export
 * links (Markdown, HTML; with a linked translation also "only this version" with `?single=1`).
 * Plain forms and links: everything works without JavaScript.
 */
import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, type Errors } from "./forms";

type Lang = "en" | "zh";

export interface NoteTranslationRef {
  id: string;
  title: string;
  language: Lang;
}

/** "中文版本: <title>" (or "English version: …") linking to the other note; a small language tag otherwise. */
export function TranslationLink({ translation }: { translation: NoteTranslationRef | null }) {
  const { t } = useTranslation();
  if (!translation) return null;
  return (
    <span data-testid="note-translation-link">
      <span lang={translation.language === "zh" ? "zh-CN" : "en"}>{t(`notes.translation.linkedTo_${translation.language}`)}</span>:{" "}
      <Link to={`/notes/${translation.id}`} lang={translation.language === "zh" ? "zh-CN" : "en"}>{translation.title}</Link>
    </span>
  );
}

/** The note's language tag ("English" / "中文"). */
export function NoteLanguage({ language }: { language: Lang }) {
  const { t } = useTranslation();
  return <span className="note-lang" lang={language === "zh" ? "zh-CN" : "en"} data-testid="note-language">{t(`notes.languages.${language}`)}</span>;
}

/**
 * The translation section: the linked note, and for the owner a select of notes in the other
 * language they are on (`note.linkTranslation`) and an unlink button (`note.unlinkTranslation`).
 */
export function NoteTranslationPanel({
  language,
  translation,
  candidates,
  canManage,
  errors,
}: {
  language: Lang;
  translation: NoteTranslationRef | null;
  candidates: NoteTranslationRef[];
  canManage: boolean;
  errors: Errors;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && String(navigation.formData?.get("intent") ?? "").endsWith("Translation");
  if (!canManage && !translation) return null;
  const others = candidates.filter((c) => c.id !== translation?.id);
  return (
    <section className="stack" aria-labelledby="note-translation" data-testid="note-translation">
      <h2 id="note-translation">{t("notes.translation.heading")}</h2>
      <p>
        <NoteLanguage language={language} />{" "}
        {translation ? <TranslationLink translation={translation} /> : <span className="muted">{t("notes.translation.none")}</span>}
      </p>
      {canManage ? (
        <div className="note-side-links">
          {others.length ? (
            <Form method="post" className="inline-form" data-testid="note-link-translation">
              <input type="hidden" name="intent" value="note.linkTranslation" />
              <label>
                {t("notes.translation.choose")}{" "}
                <select name="otherNoteId" required defaultValue={others.length === 1 ? others[0]!.id : ""}>
                  <option value="" disabled>{t("notes.translation.pick")}</option>
                  {others.map((c) => (
                    <option key={c.id} value={c.id} lang={c.language === "zh" ? "zh-CN" : "en"}>{c.title}</option>
                  ))}
                </select>
              </label>{" "}
              <button type="submit" className="button" disabled={busy}>
                {translation ? t("notes.translation.relink") : t("notes.translation.link")}
              </button>
            </Form>
          ) : translation ? null : (
            <p className="muted">{t("notes.translation.noCandidates")}</p>
          )}
          {translation ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="note.unlinkTranslation" />
              <button type="submit" className="link-action" disabled={busy}>{t("notes.translation.unlink")}</button>
            </Form>
          ) : null}
        </div>
      ) : null}
      <FieldError errors={errors} name="otherNoteId" />
    </section>
  );
}

/** Download links for the note's Markdown and HTML exports (`reloadDocument`: they are files, not pages). */
export function NoteExportLinks({ noteId, hasTranslation }: { noteId: string; hasTranslation: boolean }) {
  const { t } = useTranslation();
  const links = (query: string, testId: string) => (
    <ul className="note-export-links" data-testid={testId}>
      <li><Link reloadDocument to={`/notes/${noteId}/export.md${query}`} download>{t("notes.export.markdown")}</Link></li>
      <li><Link reloadDocument to={`/notes/${noteId}/export.html${query}`} download>{t("notes.export.html")}</Link></li>
    </ul>
  );
  return (
    <section className="stack" aria-labelledby="note-export" data-testid="note-export">
      <h2 id="note-export">{t("notes.export.heading")}</h2>
      {hasTranslation ? (
        <>
          <p className="muted">{t("notes.export.both")}</p>
          {links("", "note-export-both")}
          <p className="muted">{t("notes.export.single")}</p>
          {links("?single=1", "note-export-single")}
        </>
      ) : (
        links("", "note-export-single")
      )}
    </section>
  );
}
