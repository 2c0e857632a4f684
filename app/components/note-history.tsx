/**
 * Version history UI for policy notes (app/models/note-history.server.ts): the note page's
 * "History" link with the editors' "Save version" form, the version label, the list of people
 * who changed a version, and the restore button (with a confirmation).
 *
 * The forms post to `/notes/:id/history` (save, name) and `/notes/:id/history/:versionId`
 * (restore); with JavaScript they go through a fetcher, so saving from the note page does not
 * reload the editor. Without JavaScript they work as plain forms.
 */
import { Form, Link, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { NOTE_VERSION_NAME_MAX } from "~/realtime/commands";
import { useMemberName } from "./member-name";

type Errors = Record<string, string[] | null | undefined> | undefined;
export type HistoryActionData = { ok: true; intent: string; versionId?: string } | { ok?: false; errors: Errors; message: string | null; params?: Record<string, string | number> | null; intent: string | null };

/** What the history list and version page need to label a version. */
export interface VersionLabelData {
  kind: "created" | "auto" | "named" | "restored";
  name: string | null;
  restoredFrom?: VersionLabelData | null;
}

/** A version's name, or what kind of version it is ("Restored from …" names the one restored). */
export function useVersionLabel() {
  const { t } = useTranslation();
  const label = (v: VersionLabelData): string => {
    if (v.name) return v.name;
    if (v.kind === "created") return t("notes.history.created");
    if (v.kind === "restored") {
      if (v.restoredFrom === null) return t("notes.history.restoredVersion");
      return t("notes.history.restoredFrom", { version: v.restoredFrom ? label({ ...v.restoredFrom, restoredFrom: null }) : "?" });
    }
    return t("notes.history.automatic");
  };
  return label;
}

/** The members who changed a version, in their colours. */
export function VersionAuthors({ authors }: { authors: { id: string; name: string; colour: string }[] }) {
  const { t } = useTranslation();
  const name = useMemberName();
  if (!authors.length) return <span className="muted">{t("notes.history.noChanges")}</span>;
  return (
    <span className="version-authors" data-testid="version-authors">
      {t("notes.history.changedBy")}{" "}
      {authors.map((a, i) => (
        <span key={a.id} className="version-author" data-user-id={a.id} style={{ borderColor: a.colour }}>
          <span className="note-person-dot" style={{ background: a.colour }} aria-hidden="true" />
          {name(a.name)}
          {i < authors.length - 1 ? "," : null}
        </span>
      ))}
    </span>
  );
}

/** The version-name field with its errors. */
function NameField({ errors, params, defaultValue }: { errors: Errors; params?: Record<string, string | number> | null; defaultValue?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t("notes.history.nameLabel")}{" "}
        <input name="name" required maxLength={NOTE_VERSION_NAME_MAX} defaultValue={defaultValue} placeholder={t("notes.history.namePlaceholder")} data-testid="version-name" />
      </label>
      <FieldError errors={errors} name="name" params={params ?? undefined} />
      <FieldError errors={errors} name="" params={params ?? undefined} />
    </>
  );
}

/**
 * On the note page: a link to the history and, for owner and editors, a small form that saves
 * the current state as a named version.
 */
export function NoteHistoryBar({ noteId, canEdit }: { noteId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<HistoryActionData>();
  const form = useRef<HTMLFormElement>(null);
  const saved = fetcher.state === "idle" && fetcher.data?.ok === true;
  useEffect(() => {
    if (saved) form.current?.reset();
  }, [saved]);
  const failed = fetcher.data && !fetcher.data.ok ? fetcher.data : undefined;
  const errors = failed?.errors;
  return (
    <div className="note-history-bar" data-testid="note-history-bar">
      <Link to={`/notes/${noteId}/history`} data-testid="note-history-link">{t("notes.history.link")}</Link>
      {canEdit ? (
        <fetcher.Form method="post" action={`/notes/${noteId}/history`} className="inline-form" ref={form} data-testid="save-version">
          <input type="hidden" name="intent" value="noteVersion.create" />
          <NameField errors={errors} params={failed?.params} />{" "}
          <button type="submit" className="button" disabled={fetcher.state !== "idle"}>
            {fetcher.state !== "idle" ? t("notes.history.saving") : t("notes.history.saveVersion")}
          </button>
          {saved ? <span role="status" className="muted" data-testid="version-saved"> {t("notes.history.saved")}</span> : null}
        </fetcher.Form>
      ) : null}
    </div>
  );
}

/** Names (or renames) a version; posts to the page it is on (history list or version page). */
export function RenameVersionForm({ versionId, name, errors }: { versionId: string; name: string | null; errors: Errors }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="inline-form" data-testid="rename-version">
      <input type="hidden" name="intent" value="noteVersion.rename" />
      <input type="hidden" name="versionId" value={versionId} />
      <NameField errors={errors} defaultValue={name ?? ""} />{" "}
      <button type="submit" className="link-action">{t("notes.history.renameButton")}</button>
    </Form>
  );
}

/** Restores a version after the member confirms. */
export function RestoreVersionForm({ versionId, errors }: { versionId: string; errors: Errors }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "noteVersion.restore";
  return (
    <Form
      method="post"
      className="stack"
      data-testid="restore-version"
      onSubmit={(event) => {
        if (!window.confirm(t("notes.history.restoreConfirm"))) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value="noteVersion.restore" />
      <input type="hidden" name="versionId" value={versionId} />
      <p className="muted">{t("notes.history.restoreHelp")}</p>
      <FieldError errors={errors} name="" />
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>{busy ? t("notes.history.restoring") : t("notes.history.restore")}</button>
      </div>
    </Form>
  );
}
