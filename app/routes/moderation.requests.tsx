import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError } from "~/components/forms";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listParticipationRequests } from "~/models/participation.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "requests.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const requests = await loadOrThrow(request, () => listParticipationRequests(getActor(context)));
  return {
    requests: requests.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      organisation: r.organisation,
      message: r.message,
      createdAt: r.createdAt.toISOString(),
      status: r.status,
      decisionNote: r.decisionNote,
      dialogue: { slug: r.dialogue.slug, title: pick(locale, r.dialogue.titleEn, r.dialogue.titleZh) },
    })),
  };
}

/** Accept or decline a request: the requester is emailed (`participation.decide`). */
export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const input = formToInput(form);
  const outcome = await runRequestCommand(request, context, "participation.decide", input);
  if (!outcome.ok) return data({ ...commandErrorResponse(outcome, "participation.decide").data, requestId: String(form.get("requestId") ?? "") }, { status: outcome.status });
  return redirect("/moderation/requests");
}

export default function ParticipationRequests() {
  const { requests } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Record<string, string[]>; requestId?: string }>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <h1>{t("requests.title")}</h1>
      {requests.length === 0 ? <p className="muted">{t("requests.none")}</p> : null}
      <ul className="list" data-testid="participation-requests">
        {requests.map((r) => (
          <li key={r.id} className="card">
            <p>
              <strong>{r.name}</strong> · <a href={`mailto:${r.email}`}>{r.email}</a>
              {r.organisation ? <> · {r.organisation}</> : null}
            </p>
            <p className="muted">
              <Link to={`/dialogues/${r.dialogue.slug}`}>{r.dialogue.title}</Link> · <LocalTime iso={r.createdAt} />
            </p>
            {r.message ? <p className="excerpt">{r.message}</p> : null}
            <p data-testid="request-status">
              <strong>{t(`requests.statuses.${r.status}`)}</strong>
              {r.decisionNote ? <> · {r.decisionNote}</> : null}
            </p>
            {r.status === "pending" ? (
              <Form method="post" className="form form-inline" data-testid="decide-request">
                <input type="hidden" name="requestId" value={r.id} />
                <label>
                  {t("requests.note")}
                  <input name="note" maxLength={2000} placeholder={t("requests.notePlaceholder")} />
                </label>
                <button type="submit" name="decision" value="approved" className="button button-small">{t("requests.approve")}</button>
                <button type="submit" name="decision" value="declined" className="button button-small button-secondary">{t("requests.decline")}</button>
                <FieldError errors={actionData && actionData.requestId === r.id ? actionData.errors : undefined} name="" />
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
