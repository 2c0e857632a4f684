import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RenameVersionForm, RestoreVersionForm, useVersionLabel, VersionAuthors, type HistoryActionData } from "~/components/note-history";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { getNoteVersion } from "~/models/note-history.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";
import { useMemberName } from "~/components/member-name";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.noteVersion");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadOrThrow(request, () => getNoteVersion(getActor(context), params.id ?? "", params.versionId ?? ""));
}

const INTENTS = ["noteVersion.rename", "noteVersion.restore"];

/** Names the version, or restores it and goes back to the note, where the editor shows it. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (!INTENTS.includes(intent)) return data({ errors: { "": ["validation"] }, message: null, params: null, intent }, { status: 400 });
  const outcome = await runRequestCommand(request, context, intent, { ...formToInput(form), noteId: params.id, versionId: params.versionId });
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  if (intent === "noteVersion.restore") return redirect(`/notes/${params.id}`);
  return data({ ok: true as const, intent });
}

export default function NoteVersionPage() {
  const { note, canEdit, version, previous, html } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as HistoryActionData | undefined;
  const { t } = useTranslation();
  const name = useMemberName();
  const label = useVersionLabel();
  const errorsFor = (intent: string) => (actionData && !actionData.ok && actionData.intent === intent ? actionData.errors : undefined);
  return (
    <div className="stack-lg narrow-wide" data-testid="note-version" data-version-id={version.id}>
      <nav className="breadcrumbs">
        <Link to={`/notes/${note.id}/history`}>← {t("notes.history.backToHistory")}</Link> · <Link to={`/notes/${note.id}`}>{t("notes.history.back")}</Link>
      </nav>
      <h1 data-testid="version-title">{label(version)}</h1>
      <p className="muted">
        {note.title} · <LocalTime iso={version.createdAt} />
        {version.author ? <> · {t("notes.history.savedBy", { name: name(version.author.name) })}</> : null}
      </p>
      <p><VersionAuthors authors={version.authors} /></p>
      <section className="card stack">
        <h2>{previous ? t("notes.history.changesSince", { version: label(previous) }) : t("notes.history.firstVersion")}</h2>
        <p className="muted version-legend">
          {t("notes.history.legend")} <ins className="change change-added">{t("notes.history.added")}</ins>{" "}
          <del className="change change-removed">{t("notes.history.deleted")}</del>
        </p>
        <div className="rich version-content" data-testid="version-content" dangerouslySetInnerHTML={{ __html: html }} />
      </section>
      {canEdit ? (
        <section className="card stack">
          {actionData?.ok ? <p role="status">{t("notes.history.renamed")}</p> : null}
          <h2>{t("notes.history.rename")}</h2>
          <RenameVersionForm versionId={version.id} name={version.name} errors={errorsFor("noteVersion.rename")} />
          <h2>{t("notes.history.restore")}</h2>
          <RestoreVersionForm versionId={version.id} errors={errorsFor("noteVersion.restore")} />
        </section>
      ) : (
        <p className="muted">{t("notes.history.readOnly")}</p>
      )}
    </div>
  );
}
