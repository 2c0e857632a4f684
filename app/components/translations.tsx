/**
 * Translations on the thread page (docs/decisions/040-translations-of-replies.md): a reply read
 * in the reader's language where a translation exists, labelled with its kind and translator,
 * "Show original" toggling without a reload (a real button, so keyboard and screen readers get
 * it), or both side by side when the reader chose that; and the actions — translate or improve,
 * remove, request, machine-translate — as plain forms that work without JavaScript.
 */
import { Form, Link } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ReplyView, TranslationView } from "~/realtime/events";
import type { CommentTranslationView } from "~/models/translations/present.server";
import type { TitleView } from "~/models/translations/titles.server";
import { REPLY_MAX_LENGTH } from "~/utils/limits";
import { useSpeakerName } from "./member-name";

export type TranslationDisplay = "translated" | "original" | "both";
type Lang = "en" | "zh";

const other = (lang: Lang): Lang => (lang === "zh" ? "en" : "zh");

/** A menu's form was sent: fold the menu away, so it never covers the next one opened. */
function closeMenu(event: React.FormEvent<HTMLFormElement>) {
  event.currentTarget.closest("details")?.removeAttribute("open");
}

/** "Show original" / "Show translation": a real button (keyboard, screen readers), no reload. */
function OriginalSwitch({ showOriginal, onToggle, testId }: { showOriginal: boolean; onToggle: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="link-action" aria-pressed={showOriginal} data-testid={testId} onClick={onToggle}>
      {showOriginal ? t("translation.showTranslation") : t("translation.showOriginal")}
    </button>
  );
}

/** "Translated from 中文 by Wang Li" / "Machine translation from English" (and the outdated note). */
export function TranslationLabel({ translation, from, historyHref }: { translation: Pick<TranslationView, "kind" | "translator" | "outdated">; from: Lang; historyHref?: string }) {
  const { t } = useTranslation();
  const speaker = useSpeakerName();
  const language = t(`translation.languages.${from}`);
  return (
    <span className="translation-label" data-testid="translation-label" data-kind={translation.kind}>
      {translation.kind === "machine"
        ? t("translation.machineFrom", { language })
        : translation.translator
          ? t("translation.humanFrom", { language, name: speaker(translation.translator) })
          : t("translation.humanFromFormer", { language })}
      {translation.translator?.staffOnly ? <span className="badge staff-only"> {t("attribution.staffOnlyShort")}</span> : null}
      {translation.outdated ? (
        <span className="translation-outdated" data-testid="translation-outdated">
          {" · "}
          {t("translation.outdated")}
          {historyHref ? (
            <>
              {" "}
              <Link to={historyHref}>{t("translation.whatChanged")}</Link>
            </>
          ) : null}
        </span>
      ) : null}
    </span>
  );
}


/**
 * A reply's body: the translation into the reader's language when there is one and they read
 * translations, with the switch to the original; both side by side when they chose that.
 */
export function ReplyBody({ reply, lang, display }: { reply: ReplyView; lang: Lang; display: TranslationDisplay }) {
  const { t } = useTranslation();
  const translation = reply.language !== lang ? reply.translations.find((tr) => tr.language === lang) : undefined;
  const [showOriginal, setShowOriginal] = useState(display === "original");
  if (!translation) return <div className="reply-body rich" lang={reply.language === "zh" ? "zh-Hans" : "en"} dangerouslySetInnerHTML={{ __html: reply.html }} />;
  const history = `/replies/${reply.id}/history`;
  if (display === "both") {
    return (
      <div className="reply-both" data-testid="reply-both">
        <div className="reply-body rich" lang={reply.language === "zh" ? "zh-Hans" : "en"} data-testid="reply-original" dangerouslySetInnerHTML={{ __html: reply.html }} />
        <div className="reply-translation">
          <p className="muted small"><TranslationLabel translation={translation} from={reply.language} historyHref={history} /></p>
          <div className="reply-body rich" lang={lang === "zh" ? "zh-Hans" : "en"} data-testid="reply-translated" dangerouslySetInnerHTML={{ __html: translation.html }} />
        </div>
      </div>
    );
  }
  return (
    <div className="reply-translatable">
      <p className="muted small translation-bar">
        {showOriginal ? (
          <span data-testid="showing-original">{t("translation.showingOriginal", { language: t(`translation.languages.${reply.language}`) })}</span>
        ) : (
          <TranslationLabel translation={translation} from={reply.language} historyHref={history} />
        )}{" "}
        <OriginalSwitch showOriginal={showOriginal} onToggle={() => setShowOriginal((v) => !v)} testId="toggle-original" />
      </p>
      {showOriginal ? (
        <div className="reply-body rich" lang={reply.language === "zh" ? "zh-Hans" : "en"} data-testid="reply-original" dangerouslySetInnerHTML={{ __html: reply.html }} />
      ) : (
        <div className="reply-body rich" lang={lang === "zh" ? "zh-Hans" : "en"} data-testid="reply-translated" dangerouslySetInnerHTML={{ __html: translation.html }} />
      )}
    </div>
  );
}

/**
 * "Translate into …" / "Improve …": a menu holding the form that posts `intent` with the item's
 * ids (`fields`), the target language and the text (a textarea `body`, or an input `title`).
 * The one translate form of the site (replies, titles, comments).
 */
function TranslateMenu({ intent, fields, target, summary, label, name, defaultValue, testId, hint }: {
  intent: string;
  fields: Record<string, string>;
  target: Lang;
  summary: string;
  label: string;
  name: "body" | "title";
  defaultValue: string;
  testId: string;
  hint?: string;
}) {
  const { t } = useTranslation();
  const lang = target === "zh" ? "zh-Hans" : "en";
  return (
    <details className="action-menu translate-menu">
      <summary className="link-action" data-testid={`${testId}-open`}>{summary}</summary>
      <Form method="post" className="form popover translate-form" onSubmit={closeMenu} data-testid={`${testId}-form`}>
        <input type="hidden" name="intent" value={intent} />
        {Object.entries(fields).map(([key, value]) => <input key={key} type="hidden" name={key} value={value} />)}
        <input type="hidden" name="language" value={target} />
        <label>
          {label}
          {name === "body" ? (
            <textarea name="body" rows={6} required maxLength={REPLY_MAX_LENGTH} lang={lang} defaultValue={defaultValue} />
          ) : (
            <input name="title" required maxLength={200} lang={lang} defaultValue={defaultValue} />
          )}
        </label>
        {hint ? <p className="muted small">{hint}</p> : null}
        <button type="submit" className="button button-small">{t("translation.save")}</button>
      </Form>
    </details>
  );
}

/** What the reader may do about a reply's translation. */
export interface TranslationPermissions {
  /** Add or improve (anyone who may read the reply, not while it is hidden). */
  canTranslate: boolean;
  /** Remove the translation (its reply's author, its translator, staff). */
  canRemove: boolean;
  /** A machine-translation service is set up and allowed in this thread. */
  canMachineTranslate: boolean;
}

/** The translation actions under a reply: translate/improve, request, machine-translate, remove. */
export function ReplyTranslationActions({ reply, permissions }: { reply: ReplyView; permissions: TranslationPermissions }) {
  const { t } = useTranslation();
  if (!permissions.canTranslate) return null;
  const target = other(reply.language);
  const existing = reply.translations.find((tr) => tr.language === target);
  const languageName = t(`translation.languages.${target}`);
  return (
    <>
      <TranslateMenu
        intent="reply.translate"
        fields={{ replyId: reply.id }}
        target={target}
        summary={existing ? t("translation.improve", { language: languageName }) : t("translation.translate", { language: languageName })}
        label={t("translation.yourTranslation", { language: languageName })}
        name="body"
        defaultValue={existing?.kind === "human" ? existing.text : ""}
        testId="translate"
        hint={t("translation.formHint")}
      />
      {!existing && !reply.translationRequested ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="reply.requestTranslation" />
          <input type="hidden" name="replyId" value={reply.id} />
          <button type="submit" className="link-action" data-testid="request-translation">{t("translation.request")}</button>
        </Form>
      ) : null}
      {reply.translationRequested ? <span className="badge" data-testid="translation-requested">{t("translation.requested")}</span> : null}
      {permissions.canMachineTranslate && existing?.kind !== "human" ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="reply.machineTranslate" />
          <input type="hidden" name="replyId" value={reply.id} />
          <button type="submit" className="link-action" data-testid="machine-translate">{t("translation.machineTranslate", { language: languageName })}</button>
        </Form>
      ) : null}
      {existing && permissions.canRemove ? (
        <Form method="post" className="inline-form" onSubmit={(e) => { if (!confirm(t("translation.confirmRemove"))) e.preventDefault(); }}>
          <input type="hidden" name="intent" value="reply.untranslate" />
          <input type="hidden" name="replyId" value={reply.id} />
          <input type="hidden" name="language" value={target} />
          <button type="submit" className="link-action danger" data-testid="remove-translation">{t("translation.remove")}</button>
        </Form>
      ) : null}
    </>
  );
}

/** The thread page's heading: the title in the reader's language, "Show original" beside a translation. */
export function ThreadHeading({ title }: { title: TitleView }) {
  const { t } = useTranslation();
  const [showOriginal, setShowOriginal] = useState(false);
  if (!title.translation) return <h1 lang={title.language === "zh" ? "zh-Hans" : "en"}>{title.title}</h1>;
  return (
    <>
      <h1 lang={showOriginal ? (title.language === "zh" ? "zh-Hans" : "en") : title.translation.language === "zh" ? "zh-Hans" : "en"} data-testid="thread-title">
        {showOriginal ? title.original : title.title}
      </h1>
      <p className="muted small translation-bar">
        {showOriginal ? null : <TranslationLabel translation={title.translation} from={title.language} />}{" "}
        <OriginalSwitch showOriginal={showOriginal} onToggle={() => setShowOriginal((v) => !v)} testId="toggle-title-original" />
      </p>
    </>
  );
}

/** Title translation actions (in the thread header). */
export function TitleTranslationActions({ title, canRemove, canMachineTranslate }: { title: TitleView; canRemove: boolean; canMachineTranslate: boolean }) {
  const { t } = useTranslation();
  const target = other(title.language);
  const languageName = t(`translation.languages.${target}`);
  const existing = title.target;
  return (
    <div className="small title-translation-actions">
      <TranslateMenu
        intent="thread.translateTitle"
        fields={{}}
        target={target}
        summary={existing ? t("translation.improveTitle", { language: languageName }) : t("translation.translateTitle", { language: languageName })}
        label={t("translation.titleIn", { language: languageName })}
        name="title"
        defaultValue={existing?.kind === "human" ? existing.title : ""}
        testId="translate-title"
      />
      {!existing && !title.requested ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="thread.requestTitleTranslation" />
          <button type="submit" className="link-action">{t("translation.requestTitle")}</button>
        </Form>
      ) : null}
      {title.requested ? <span className="badge">{t("translation.requested")}</span> : null}
      {canMachineTranslate && existing?.kind !== "human" ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="thread.machineTranslateTitle" />
          <button type="submit" className="link-action">{t("translation.machineTranslateTitle", { language: languageName })}</button>
        </Form>
      ) : null}
      {existing && canRemove ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="thread.untranslateTitle" />
          <input type="hidden" name="language" value={target} />
          <button type="submit" className="link-action danger">{t("translation.removeTitle")}</button>
        </Form>
      ) : null}
    </div>
  );
}

/**
 * A comment (case study, note) in the reader's language where a translation exists: the
 * translation with its label and "Show original"; else the original (`children`).
 */
export function TranslatedComment({ language, translations, lang, children }: { language: Lang; translations: CommentTranslationView[]; lang: Lang; children: React.ReactNode }) {
  const { t } = useTranslation();
  const [showOriginal, setShowOriginal] = useState(false);
  const translation = language !== lang ? translations.find((tr) => tr.language === lang) : undefined;
  if (!translation) return <>{children}</>;
  const label = { kind: translation.kind, outdated: translation.outdated, translator: translation.translator ? { ...translation.translator, region: null, participant: null, staffOnly: false } : null };
  return (
    <div className="comment-translatable">
      <p className="muted small translation-bar">
        {showOriginal ? <span>{t("translation.showingOriginal", { language: t(`translation.languages.${language}`) })}</span> : <TranslationLabel translation={label} from={language} />}{" "}
        <OriginalSwitch showOriginal={showOriginal} onToggle={() => setShowOriginal((v) => !v)} testId="toggle-comment-original" />
      </p>
      {showOriginal ? children : <p className="comment-translation" lang={lang === "zh" ? "zh-Hans" : "en"} data-testid="comment-translated">{translation.text}</p>}
    </div>
  );
}

/** "Translate into …" and "Remove translation" for a comment, as forms posting `<prefix>.translate` / `.untranslate`. */
export function CommentTranslationForms({ intentPrefix, commentId, language, translations, canUntranslate }: {
  intentPrefix: "caseStudyComment" | "noteComment";
  commentId: string;
  language: Lang;
  translations: CommentTranslationView[];
  canUntranslate: boolean;
}) {
  const { t } = useTranslation();
  const target = other(language);
  const existing = translations.find((tr) => tr.language === target);
  const languageName = t(`translation.languages.${target}`);
  return (
    <>
      <TranslateMenu
        intent={`${intentPrefix}.translate`}
        fields={{ commentId }}
        target={target}
        summary={existing ? t("translation.improve", { language: languageName }) : t("translation.translate", { language: languageName })}
        label={t("translation.yourTranslation", { language: languageName })}
        name="body"
        defaultValue={existing?.text ?? ""}
        testId="translate-comment"
      />
      {existing && (canUntranslate || existing.mine) ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value={`${intentPrefix}.untranslate`} />
          <input type="hidden" name="commentId" value={commentId} />
          <input type="hidden" name="language" value={target} />
          <button type="submit" className="link-action danger">{t("translation.remove")}</button>
        </Form>
      ) : null}
    </>
  );
}
