import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError } from "~/components/forms";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listParticipationRequests } from "~/models/track2/participation.server";
import { pick } from "~/utils/content";
import { getDialogue } from "~/models/dialogues.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "requests.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const url = new URL(request.url);
  const slug = url.searchParams.get("dialogue");
  const dialogue = slug ? await loadOrThrow(request, () => getDialogue(slug)) : null;
  const requests = await loadOrThrow(request, () => listParticipationRequests(getActor(context), { dialogueId: dialogue?.id }));
  return {
    dialogue: dialogue ? { slug: dialogue.slug, title: pick(locale, dialogue.titleEn, dialogue.titleZh), capacity: dialogue.capacity } : null,
    requests: requests.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      organisation: r.organisation,
      message: r.message,
      createdAt: r.createdAt.toISOString(),
      status: r.status,
      role: r.role,
      decisionNote: r.decisionNote,
      dialogue: { slug: r.dialogue.slug, title: pick(locale, r.dialogue.titleEn, r.dialogue.titleZh) },
    })),
  };
}

const INTENTS = ["participation.decide", "participation.cancel", "participation.setRole"] as const;

/** Approve, wait-list or decline a request (the requester is told), change a role, or cancel a place. */
export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "participation.decide");
  if (!(INTENTS as readonly string[]).includes(intent)) return data({ errors: { "": ["validation"] }, requestId: "" }, { status: 400 });
  const input = formToInput(form);
  delete input.intent;
  const outcome = await runRequestCommand(request, context, intent, input);
  if (!outcome.ok) return data({ ...commandErrorResponse(outcome, intent).data, requestId: String(form.get("requestId") ?? "") }, { status: outcome.status });
  const url = new URL(request.url);
  return redirect(`/moderation/requests${url.search}`);
}

const ROLES = ["participant", "speaker", "moderator", "observer", "interpreter"] as const;

export default function ParticipationRequests() {
  const { requests, dialogue } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Record<string, string[]>; requestId?: string }>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <h1>{t("requests.title")}</h1>
      {dialogue ? (
        <p className="page-actions">
          <Link to={`/dialogues/${dialogue.slug}`}>{dialogue.title}</Link>
          {dialogue.capacity !== null ? <span className="muted"> · {t("participants.capacity")}: {dialogue.capacity}</span> : null}
          {" · "}
          <a href={`/moderation/requests.csv?dialogue=${dialogue.slug}`} download data-testid="participants-csv">{t("requests.csv")}</a>
          {" · "}
          <Link to="/moderation/requests">{t("requests.all")}</Link>
        </p>
      ) : null}
      {requests.length === 0 ? <p className="muted">{t("requests.none")}</p> : null}
      <ul className="list" data-testid="participation-requests">
        {requests.map((r) => (
          <li key={r.id} className="card">
            <p>
              <strong>{r.name}</strong> · <a href={`mailto:${r.email}`}>{r.email}</a>
              {r.organisation ? <> · {r.organisation}</> : null}
            </p>
            <p className="muted">
              <Link to={`/dialogues/${r.dialogue.slug}`}>{r.dialogue.title}</Link> · <Link to={`?dialogue=${r.dialogue.slug}`}>{t("requests.forDialogue")}</Link> · <LocalTime iso={r.createdAt} />
            </p>
            {r.message ? <p className="excerpt">{r.message}</p> : null}
            <p data-testid="request-status">
              <strong>{t(`requests.statuses.${r.status}`)}</strong> · {t(`participants.roles.${r.role}`)}
              {r.decisionNote ? <> · {r.decisionNote}</> : null}
            </p>
            {r.status === "pending" || r.status === "waitlisted" ? (
              <Form method="post" className="form form-inline" data-testid="decide-request">
                <input type="hidden" name="intent" value="participation.decide" />
                <input type="hidden" name="requestId" value={r.id} />
                <label>
                  {t("participants.role")}
                  <select name="role" defaultValue={r.role}>
                    {ROLES.map((role) => <option key={role} value={role}>{t(`participants.roles.${role}`)}</option>)}
                  </select>
                </label>
                <label>
                  {t("requests.note")}
                  <input name="note" maxLength={2000} placeholder={t("requests.notePlaceholder")} />
                </label>
                <button type="submit" name="decision" value="approved" className="button button-small">{t("requests.approve")}</button>
                {r.status === "pending" ? (
                  <button type="submit" name="decision" value="waitlisted" className="button button-small button-secondary">{t("requests.waitlist")}</button>
                ) : null}
                <button type="submit" name="decision" value="declined" className="button button-small button-secondary">{t("requests.decline")}</button>
                <FieldError errors={actionData && actionData.requestId === r.id ? actionData.errors : undefined} name="" />
              </Form>
            ) : r.status === "approved" ? (
              <div className="form-inline">
                <Form method="post" className="inline-form" data-testid="set-role">
                  <input type="hidden" name="intent" value="participation.setRole" />
                  <input type="hidden" name="requestId" value={r.id} />
                  <select name="role" defaultValue={r.role} aria-label={t("participants.role")}>
                    {ROLES.map((role) => <option key={role} value={role}>{t(`participants.roles.${role}`)}</option>)}
                  </select>
                  <button type="submit" className="button button-small button-secondary">{t("common.save")}</button>
                </Form>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="participation.cancel" />
                  <input type="hidden" name="requestId" value={r.id} />
                  <button type="submit" className="button button-small button-secondary">{t("requests.cancelPlace")}</button>
                </Form>
                <FieldError errors={actionData && actionData.requestId === r.id ? actionData.errors : undefined} name="" />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
