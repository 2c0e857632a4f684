import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { LocalTime } from "~/components/time";
import { getActor, requireAdmin } from "~/http/auth.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { isEmailGroup, listEmails } from "~/models/email/admin.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminEmail.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const url = new URL(request.url);
  const group = url.searchParams.get("state");
  const page = await loadOrThrow(request, () => listEmails(getActor(context), { group: isEmailGroup(group) ? group : null, cursor: url.searchParams.get("cursor") }));
  return {
    ...page,
    group: isEmailGroup(group) ? group : null,
    emails: page.emails.map((e) => ({ ...e, createdAt: e.createdAt.toISOString(), sentAt: e.sentAt?.toISOString() ?? null, sendAfter: e.sendAfter.toISOString() })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAdmin(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent !== "email.sendTest" && intent !== "email.retry") return commandErrorResponse({ ok: false, status: 400, code: "validation", detail: "validation", field: "", message: "" });
  const outcome = await runRequestCommand(request, context, intent, formToInput(form));
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  return redirect(`/admin/email?done=${intent === "email.sendTest" ? "test" : "retry"}`);
}

export default function AdminEmail() {
  const { counts, smtp, emails, nextCursor, group } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Record<string, string[]>; intent?: string | null }>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  return (
    <div className="stack-lg">
      <p className="muted"><Link to="/admin">{t("admin.title")}</Link></p>
      <h1>{t("adminEmail.title")}</h1>
      {smtp ? (
        <p className="notice success" data-testid="smtp-state">{t("adminEmail.smtpOn")}</p>
      ) : (
        <p className="notice" data-testid="smtp-state">{t("adminEmail.smtpOff")}</p>
      )}
      {done && !actionData ? <p className="notice success" role="status">{t(`adminEmail.done.${done === "test" ? "test" : "retry"}`)}</p> : null}
      <nav className="filter-tabs" aria-label={t("adminEmail.states")} data-testid="email-counts">
        <Link to="/admin/email" aria-current={group === null ? "page" : undefined}>{t("adminEmail.all")}</Link>
        {(Object.keys(counts) as (keyof typeof counts)[]).map((g) => (
          <Link key={g} to={`/admin/email?state=${g}`} aria-current={group === g ? "page" : undefined} data-state={g}>
            {t(`adminEmail.groups.${g}`)} <span className="badge">{counts[g]}</span>
          </Link>
        ))}
      </nav>
      <section className="card">
        <h2>{t("adminEmail.testTitle")}</h2>
        <Form method="post" className="form form-inline" data-testid="send-test">
          <label>
            {t("adminEmail.testTo")}
            <input name="to" type="email" maxLength={254} placeholder={t("adminEmail.testPlaceholder")} />
          </label>
          <SubmitButton intent="email.sendTest">{t("adminEmail.testButton")}</SubmitButton>
          <FieldError errors={actionData?.intent === "email.sendTest" ? actionData.errors : undefined} name="to" />
        </Form>
      </section>
      <section>
        <table className="table" data-testid="outbox">
          <thead>
            <tr>
              <th>{t("adminEmail.created")}</th>
              <th>{t("adminEmail.kind")}</th>
              <th>{t("adminEmail.to")}</th>
              <th>{t("adminEmail.subject")}</th>
              <th>{t("adminEmail.state")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {emails.map((e) => (
              <tr key={e.id} data-testid="outbox-row" data-kind={e.kind} data-status={e.status}>
                <td><LocalTime iso={e.createdAt} /></td>
                <td>{t(`adminEmail.kinds.${e.kind}`)}</td>
                <td>{e.toAddress}</td>
                <td><Link to={`/admin/email/${e.id}`}>{e.subject || t("adminEmail.notRendered")}</Link></td>
                <td>
                  {t(`adminEmail.statuses.${e.status}`)}
                  {e.reason ? <div className="muted small">{t(`adminEmail.reasons.${e.reason}`, { defaultValue: e.reason })}</div> : null}
                  {e.lastError ? <div className="muted small">{e.lastError}</div> : null}
                </td>
                <td>
                  {e.status === "failed" || e.status === "held" || e.status === "suppressed" ? (
                    <Form method="post">
                      <input type="hidden" name="emailId" value={e.id} />
                      <SubmitButton intent="email.retry" className="button button-small button-secondary">{t("adminEmail.retry")}</SubmitButton>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {emails.length === 0 ? <p className="muted">{t("adminEmail.none")}</p> : null}
        {nextCursor ? <Link className="pager" to={`?${new URLSearchParams({ ...(group ? { state: group } : {}), cursor: nextCursor })}`}>{t("threads.more")}</Link> : null}
      </section>
    </div>
  );
}
