/**
 * Staff tools for a thread: lock/unlock, pin (optionally until a day)/unpin, slow mode, move to
 * another dialogue (or the Network category), delete. Each tool says what it does and where its
 * reason goes; deleting sits apart, looks destructive and must be confirmed (a checkbox, so it
 * holds without JavaScript, and a dialog with it). Plain forms; every action is logged.
 */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TimeZoneField } from "./time";

interface ThreadInfo {
  id: string;
  locked: boolean;
  pinned: boolean;
  slowModeSeconds: number;
  dialogue: { id: string; slug: string } | null;
}

function Tool({ title, help, children, danger = false }: { title: string; help: string; children: React.ReactNode; danger?: boolean }) {
  return (
    <section className={`moderation-tool${danger ? " moderation-tool-danger" : ""}`}>
      <h3>{title}</h3>
      <p className="muted help">{help}</p>
      {children}
    </section>
  );
}

export function ModerationTools({ thread, dialogues }: { thread: ThreadInfo; dialogues: { id: string; title: string }[] }) {
  const { t } = useTranslation();
  return (
    <details className="card moderation-tools" data-testid="moderation-tools">
      <summary>{t("moderation.tools")}</summary>
      <div className="moderation-grid">
        <Tool title={thread.locked ? t("moderation.unlock") : t("moderation.lock")} help={thread.locked ? t("moderation.help.unlock") : t("moderation.help.lock")}>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value={thread.locked ? "thread.unlock" : "thread.lock"} />
            {thread.locked ? null : (
              <label>
                {t("moderation.reasonLogged")}
                <input name="reason" maxLength={500} />
              </label>
            )}
            <button type="submit" className="button button-small" data-testid={thread.locked ? "unlock-thread" : "lock-thread"}>
              {thread.locked ? t("moderation.unlock") : t("moderation.lock")}
            </button>
          </Form>
        </Tool>
        <Tool title={thread.pinned ? t("moderation.unpin") : t("moderation.pin")} help={thread.pinned ? t("moderation.help.unpin") : t("moderation.help.pin")}>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value={thread.pinned ? "thread.unpin" : "thread.pin"} />
            {thread.pinned ? null : (
              <label>
                {t("moderation.pinUntil")}
                <input type="date" name="until" />
                <TimeZoneField />
              </label>
            )}
            <button type="submit" className="button button-small">{thread.pinned ? t("moderation.unpin") : t("moderation.pin")}</button>
          </Form>
        </Tool>
        <Tool title={t("moderation.slowMode")} help={t("moderation.help.slowMode")}>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="thread.slowMode" />
            <label>
              {t("moderation.slowModeSeconds")}
              <input type="number" name="seconds" min={0} max={86400} defaultValue={thread.slowModeSeconds} />
            </label>
            <button type="submit" className="button button-small">{t("moderation.setSlowMode")}</button>
          </Form>
        </Tool>
        <Tool title={t("moderation.move")} help={t("moderation.help.move")}>
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
              {t("moderation.reasonToAuthor")}
              <input name="reason" maxLength={500} />
            </label>
            <button type="submit" className="button button-small">{t("moderation.move")}</button>
          </Form>
        </Tool>
      </div>
      <Tool title={t("moderation.deleteThread")} help={t("moderation.help.delete")} danger>
        <Form
          method="post"
          className="form"
          data-testid="delete-thread-form"
          onSubmit={(event) => {
            if (!confirm(t("moderation.confirmDeleteThread"))) event.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="thread.delete" />
          <input type="hidden" name="returnTo" value={thread.dialogue ? `/dialogues/${thread.dialogue.slug}` : "/network"} />
          <label>
            {t("moderation.reasonToAuthor")}
            <input name="reason" maxLength={500} />
          </label>
          <label className="checkbox">
            <input type="checkbox" name="confirm" value="yes" required data-testid="confirm-delete-thread" /> {t("moderation.confirmDeleteCheck")}
          </label>
          <button type="submit" className="button button-small button-danger" data-testid="delete-thread">{t("moderation.deleteThread")}</button>
        </Form>
      </Tool>
    </details>
  );
}
