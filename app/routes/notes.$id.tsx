import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { NoteHistoryBar } from "~/components/note-history";
import { MemberPicker } from "~/components/member-picker";
import { NoteExportLinks, NoteTranslationPanel } from "~/components/note-export";
import { NoteEditor } from "~/editor/NoteEditor";
import { useRootData } from "~/root";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { getNote, translationCandidates } from "~/models/notes.server";
import { noteMemberRoles } from "~/realtime/commands";
import { pick } from "~/utils/content";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import { noteBodyHtml } from "~/models/note-export.server";
import { useMemberName } from "~/components/member-name";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.note.title ?? "Note"} · Coal Regions Network` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const note = await loadOrThrow(request, () => getNote(getActor(context), params.id ?? ""));
  const [candidates, bodyHtml] = await Promise.all([
    note.canManage ? translationCandidates(getActor(context), note.id) : Promise.resolve([]),
    noteBodyHtml(note),
  ]);
  return {
    candidates,
    bodyHtml,
    note: {
      ...note,
      dialogue: note.dialogue ? { slug: note.dialogue.slug, title: pick(locale, note.dialogue.titleEn, note.dialogue.titleZh) } : null,
      regions: note.regions.map((r) => ({ slug: r.slug, name: pick(locale, r.nameEn, r.nameZh) })),
    },
  };
}

const INTENTS = ["noteMember.add", "noteMember.setRole", "noteMember.remove", "note.rename", "note.linkTranslation", "note.unlinkTranslation"];

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (!INTENTS.includes(intent)) return data({ errors: { "": ["validation"] }, message: null, params: null, intent }, { status: 400 });
  const outcome = await runRequestCommand(request, context, intent, { ...formToInput(form), noteId: params.id });
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  return redirect(`/notes/${params.id}`);
}

export default function NotePage() {
  const { note, candidates, bodyHtml } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const name = useMemberName();
  const { user } = useRootData();
  const errors = actionData?.errors;
  return (
    <div className="stack-lg" data-testid="note-page" data-role={note.role}>
      <p><Link to="/notes">← {t("notes.title")}</Link></p>
      <h1 data-testid="note-title">{note.title}</h1>
      <p className="muted">
        {t("notes.yourRole")}: <strong data-testid="note-role">{t(`notes.roles.${note.role}`)}</strong>
        {note.dialogue ? <> · <Link to={`/dialogues/${note.dialogue.slug}`}>{note.dialogue.title}</Link></> : null}
        {note.regions.map((r) => (
          <span key={r.slug}> · <Link to={`/regions/${r.slug}`}>{r.name}</Link></span>
        ))}
      </p>
      <NoteHistoryBar noteId={note.id} canEdit={note.canEdit} />
      {user ? <NoteEditor key={note.id} noteId={note.id} user={{ id: user.id, name: user.displayName }} initialHtml={bodyHtml} /> : null}
      <NoteTranslationPanel language={note.language} translation={note.translation} candidates={candidates} canManage={note.canManage} errors={errors} />
      <NoteExportLinks noteId={note.id} hasTranslation={note.translation !== null} />
      <p className="small">
        <Link to={`/outcomes/new?from=note:${note.id}`} data-testid="propose-outcome-from-note">{t("outcomes.proposeFromHere")}</Link>
      </p>
      <section className="stack" aria-labelledby="note-members">
        <h2 id="note-members">{t("notes.members")}</h2>
        <ul className="stack" data-testid="note-members">
          {note.members.map((m) => (
            <li key={m.id} data-member-id={m.id}>
              {name(m.displayName)}
              {m.email ? <span className="muted"> ({m.email})</span> : null} — {t(`notes.roles.${m.role}`)}
              {note.canManage && m.role !== "owner" ? (
                <>
                  {" "}
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="noteMember.setRole" />
                    <input type="hidden" name="userId" value={m.id} />
                    <select name="role" defaultValue={m.role} aria-label={t("notes.role")}>
                      {noteMemberRoles.map((r) => (
                        <option key={r} value={r}>{t(`notes.roles.${r}`)}</option>
                      ))}
                    </select>{" "}
                    <button type="submit" className="link-action">{t("notes.changeRole")}</button>
                  </Form>{" "}
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="noteMember.remove" />
                    <input type="hidden" name="userId" value={m.id} />
                    <button type="submit" className="link-action">{t("notes.remove")}</button>
                  </Form>
                </>
              ) : null}
            </li>
          ))}
        </ul>
        {note.canManage ? (
          <Form method="post" className="form card" data-testid="note-add-member">
            <input type="hidden" name="intent" value="noteMember.add" />
            <MemberPicker key={note.members.length} name="member" label={t("notes.addMember")} placeholder={t("notes.memberPlaceholder")} errorId="note-member-error" />
            <FieldError errors={errors} name="member" id="note-member-error" />
            <label>
              {t("notes.role")}
              <select name="role" defaultValue="editor">
                {noteMemberRoles.map((r) => (
                  <option key={r} value={r}>{t(`notes.roles.${r}`)}</option>
                ))}
              </select>
            </label>
            <FieldError errors={errors} name="" />
            <FieldError errors={errors} name="userId" />
            <div className="form-actions">
              <button type="submit" className="button">{t("notes.add")}</button>
            </div>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
