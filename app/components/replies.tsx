/**
 * One reply: author, region, time, "edited", the server-rendered rich text, and the actions the
 * reader may take (quote, reply, edit, delete, flag; hide/unhide for staff). Every action is a
 * plain form (works without JavaScript); with JavaScript, quote and reply fill the editor.
 */
import { Form, Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ReplyView } from "~/realtime/events";
import type { Lang } from "~/i18n/config";
import { pick } from "~/utils/content";
import { LocalTime } from "./time";
import { describeReason } from "~/utils/moderation-reason";
import { MemberLink, useSpeakerName } from "~/components/member-name";
import { ReplyBody, ReplyTranslationActions, type TranslationDisplay, type TranslationPermissions } from "~/components/translations";

export interface ReplyPermissions extends TranslationPermissions {
  canEdit: boolean;
  canDelete: boolean;
  canFlag: boolean;
  canModerate: boolean;
  canReply: boolean;
}

const FLAG_REASONS = ["off_topic", "inappropriate", "spam", "other"] as const;

export function ReplyItem({
  reply,
  permissions,
  onQuote,
  onReplyTo,
  display = "translated",
}: {
  reply: ReplyView;
  permissions: ReplyPermissions;
  /** How the reader reads replies translated into their language (their setting). */
  display?: TranslationDisplay;
  onQuote?: (reply: ReplyView) => void;
  onReplyTo?: (reply: ReplyView) => void;
}) {
  const { t, i18n } = useTranslation();
  const speaker = useSpeakerName();
  const lang = (i18n.language === "zh" ? "zh" : "en") as Lang;
  return (
    <li className={`reply card${reply.hidden ? " reply-hidden" : ""}`} id={`post-${reply.postNumber}`} data-testid="reply" data-reply-id={reply.id}>
      <div className="reply-meta">
        {reply.author.id === null && reply.author.participant !== null ? (
          <span className="reply-author pseudonym" data-testid="pseudonym">{speaker(reply.author)}</span>
        ) : (
          <MemberLink member={reply.author} className="reply-author" />
        )}
        {reply.author.staffOnly ? (
          <span className="badge staff-only" data-testid="staff-only-name" title={t("attribution.staffOnlyHint")}>
            {t("attribution.staffOnly", { number: reply.author.participant })}
          </span>
        ) : reply.author.participant !== null && reply.author.id !== null ? (
          <span className="muted small" data-testid="own-pseudonym">{t("attribution.youAre", { number: reply.author.participant })}</span>
        ) : null}
        {reply.author.region ? (
          <Link to={`/regions/${reply.author.region.slug}`} className="muted">
            {pick(lang, reply.author.region.nameEn, reply.author.region.nameZh)}
          </Link>
        ) : null}
        <a href={`#post-${reply.postNumber}`} className="muted"><LocalTime iso={reply.createdAt} /></a>
        {reply.editedAt ? (
          <Link to={`/replies/${reply.id}/history`} className="muted edited" data-testid="edited">{t("reply.edited")}</Link>
        ) : null}
        {reply.replyTo ? (
          <a href={`#post-${reply.replyTo.postNumber}`} className="muted">↩ {t("reply.inReplyTo", { name: speaker({ displayName: reply.replyTo.authorName, participant: reply.replyTo.participant }) })}</a>
        ) : null}
        <span className="post-number muted">#{reply.postNumber}</span>
      </div>
      {reply.hidden ? (
        <p className="notice error" data-testid="hidden-notice">{t("reply.hiddenNotice", { reason: describeReason(t, i18n.language, reply.hidden.reason) })}</p>
      ) : null}
      <ReplyBody key={`${lang}:${display}`} reply={reply} lang={lang} display={display} />
      <div className="reply-actions">
        {permissions.canReply && onQuote ? (
          <button type="button" className="link-action" onClick={() => onQuote(reply)}>{t("reply.quote")}</button>
        ) : null}
        {permissions.canReply && onReplyTo ? (
          <button type="button" className="link-action" onClick={() => onReplyTo(reply)}>{t("reply.reply")}</button>
        ) : null}
        {permissions.canEdit ? <Link className="link-action" to={`/replies/${reply.id}/edit`}>{t("reply.edit")}</Link> : null}
        {permissions.canDelete ? (
          <Form method="post" className="inline-form" onSubmit={(e) => { if (!confirm(t("reply.confirmDelete"))) e.preventDefault(); }}>
            <input type="hidden" name="intent" value="reply.delete" />
            <input type="hidden" name="replyId" value={reply.id} />
            <button type="submit" className="link-action danger">{t("reply.delete")}</button>
          </Form>
        ) : null}
        <ReplyTranslationActions reply={reply} permissions={permissions} />
        {permissions.canFlag ? <FlagMenu replyId={reply.id} /> : null}
        {permissions.canModerate ? (
          reply.hidden ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="reply.unhide" />
              <input type="hidden" name="replyId" value={reply.id} />
              <button type="submit" className="link-action">{t("moderation.unhide")}</button>
            </Form>
          ) : (
            <details className="action-menu">
              <summary className="link-action">{t("moderation.hide")}</summary>
              <Form method="post" className="form popover">
                <input type="hidden" name="intent" value="reply.hide" />
                <input type="hidden" name="replyId" value={reply.id} />
                <label>
                  {t("moderation.reasonHide")}
                  <input name="reason" required maxLength={500} />
                </label>
                <button type="submit" className="button button-small button-danger">{t("moderation.hide")}</button>
              </Form>
            </details>
          )
        ) : null}
      </div>
    </li>
  );
}

/**
 * "Flag" on a reply: why (a reason, a note for "something else"), sent without leaving the page;
 * on success the menu closes and says the moderators will look, and the reply cannot be flagged
 * again from here. Without JavaScript the form posts and the page says the same.
 */
function FlagMenu({ replyId }: { replyId: string }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ ok?: boolean; message?: string | null }>();
  const menuRef = useRef<HTMLDetailsElement>(null);
  const done = fetcher.state === "idle" && fetcher.data?.ok === true;
  useEffect(() => {
    if (done && menuRef.current) menuRef.current.open = false;
  }, [done]);
  if (done) {
    return (
      <span className="muted flag-done" role="status" data-testid="flag-done">
        {t("flag.done")}
      </span>
    );
  }
  const error = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  return (
    <details className="action-menu" ref={menuRef}>
      <summary className="link-action">{t("reply.flag")}</summary>
      <fetcher.Form method="post" className="form popover" data-testid="flag-form">
        <input type="hidden" name="intent" value="reply.flag" />
        <input type="hidden" name="replyId" value={replyId} />
        <fieldset>
          <legend>{t("flag.why")}</legend>
          {FLAG_REASONS.map((reason, i) => (
            <label key={reason} className="radio">
              <input type="radio" name="reason" value={reason} defaultChecked={i === 0} /> {t(`flag.reasons.${reason}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t("flag.note")}
          <input name="note" maxLength={1000} />
        </label>
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <button type="submit" className="button button-small" disabled={fetcher.state !== "idle"}>{t("flag.submit")}</button>
      </fetcher.Form>
    </details>
  );
}
