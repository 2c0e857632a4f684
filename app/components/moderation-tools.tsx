/**
 * Staff tools for a thread: lock/unlock, pin (optionally until a date)/unpin, slow mode, move to
 * another dialogue (or the Network category), delete. Plain forms; every action is logged.
 */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

interface ThreadInfo {
  id: string;
  locked: boolean;
  pinned: boolean;
  slowModeSeconds: number;
  dialogue: { id: string; slug: string } | null;
}

export function ModerationTools({ thread, dialogues }: { thread: ThreadInfo; dialogues: { id: string; title: string }[] }) {
  const { t } = useTranslation();
  return (
    <details className="card moderation-tools" data-testid="moderation-tools">
      <summary>{t("moderation.tools")}</summary>
      <div className="moderation-grid">
        <Form method="post" className="form">
          <input type="hidden" name="intent" value={thread.locked ? "thread.unlock" : "thread.lock"} />
          {thread.locked ? null : (
            <label>
              {t("moderation.reason")}
              <input name="reason" maxLength={500} />
            </label>
          )}
          <button type="submit" className="button button-small" data-testid={thread.locked ? "unlock-thread" : "lock-thread"}>
            {thread.locked ? t("moderation.unlock") : t("moderation.lock")}
          </button>
        </Form>
        <Form method="post" className="form">
          <input type="hidden" name="intent" value={thread.pinned ? "thread.unpin" : "thread.pin"} />
          {thread.pinned ? null : (
            <label>
              {t("moderation.pinUntil")}
              <input type="date" name="until" />
            </label>
          )}
          <button type="submit" className="button button-small">{thread.pinned ? t("moderation.unpin") : t("moderation.pin")}</button>
        </Form>
        <Form method="post" className="form">
          <input type="hidden" name="intent" value="thread.slowMode" />
          <label>
            {t("moderation.slowModeSeconds")}
            <input type="number" name="seconds" min={0} max={86400} defaultValue={thread.slowModeSeconds} />
          </label>
          <button type="submit" className="button button-small">{t("common.save")}</button>
        </Form>
        <Form method="post" className="form">
          <input type="hidden" name="intent" value="thread.move" />
          <label>
            {t("moderation.moveTo")}
            <select name="dialogueId" defaultValue={thread.dialogue?.id ?? "network"}>
              <option value="network">{t("nav.network")}</option>
              {dialogues.map((d) => (
                <option key={d.id} value={d.id}>{d.title}</option>
              ))}
            </select>
          </label>
          <label>
            {t("moderation.reason")}
            <input name="reason" maxLength={500} />
          </label>
          <button type="submit" className="button button-small">{t("moderation.move")}</button>
        </Form>
        <Form method="post" className="form" onSubmit={(e) => { if (!confirm(t("moderation.confirmDeleteThread"))) e.preventDefault(); }}>
          <input type="hidden" name="intent" value="thread.delete" />
          <input type="hidden" name="returnTo" value={thread.dialogue ? `/dialogues/${thread.dialogue.slug}` : "/network"} />
          <label>
            {t("moderation.reason")}
            <input name="reason" maxLength={500} />
          </label>
          <button type="submit" className="button button-small button-danger">{t("moderation.deleteThread")}</button>
        </Form>
      </div>
    </details>
  );
}
