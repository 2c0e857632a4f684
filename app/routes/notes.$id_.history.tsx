import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { useVersionLabel, VersionAuthors, type HistoryActionData } from "~/components/note-history";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { listNoteVersions } from "~/models/note-history.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";
import { useMemberName } from "~/components/member-name";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.noteHistory");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadOrThrow(request, () => listNoteVersions(getActor(context), params.id ?? ""));
}

/** Saves a named version (the note page's "Save version" form posts here). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent !== "noteVersion.create") return data({ errors: { "": ["validation"] }, message: null, params: null, intent }, { status: 400 });
  const outcome = await runRequestCommand(request, context, intent, { ...formToInput(form), noteId: params.id });
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  return data({ ok: true as const, intent, versionId: (outcome.result as { versionId: string }).versionId });
}

export default function NoteHistoryPage() {
  const { note, canEdit, versions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as HistoryActionData | undefined;
  const { t } = useTranslation();
  const name = useMemberName();
  const label = useVersionLabel();
  return (
    <div className="stack-lg narrow-wide" data-testid="note-history">
      <nav className="breadcrumbs"><Link to={`/notes/${note.id}`}>← {t("notes.history.back")}</Link></nav>
      <h1>{t("notes.history.title", { title: note.title })}</h1>
      <p className="muted">{t("notes.history.intro")}</p>
      {!canEdit ? <p className="muted">{t("notes.history.readOnly")}</p> : null}
      {actionData?.ok ? <p role="status">{t("notes.history.saved")}</p> : null}
      {actionData && !actionData.ok ? <FieldError errors={actionData.errors} name={Object.keys(actionData.errors ?? {})[0] ?? ""} /> : null}
      {versions.length === 0 ? <p>{t("notes.history.empty")}</p> : null}
      <ol className="stack version-list" data-testid="versions">
        {versions.map((v, i) => (
          <li key={v.id} className="card version-row" data-testid="version" data-version-id={v.id} data-kind={v.kind}>
            <p>
              <Link to={`/notes/${note.id}/history/${v.id}`} className="version-label" data-testid="version-label">{label(v)}</Link>
              {i === 0 ? <span className="badge"> {t("notes.history.latest")}</span> : null}
            </p>
            <p className="muted">
              <LocalTime iso={v.createdAt} />
              {v.author ? <> · {t("notes.history.savedBy", { name: name(v.author.name) })}</> : null}
            </p>
            <p><VersionAuthors authors={v.authors} /></p>
          </li>
        ))}
      </ol>
    </div>
  );
}
