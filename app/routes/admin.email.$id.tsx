import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/forms";
import { LocalTime } from "~/components/time";
import { getActor, requireAdmin } from "~/http/auth.server";
import { getEmail } from "~/models/email/admin.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminEmail.title");

/** One email as it was (or will be) sent: headers, the HTML part in a sandboxed frame, the text part. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const row = await loadOrThrow(request, () => getEmail(getActor(context), params.id ?? ""));
  return {
    id: row.id,
    kind: row.kind,
    to: row.toAddress,
    status: row.status,
    reason: row.reason,
    lastError: row.lastError,
    subject: row.subject,
    html: row.html,
    text: row.text,
    headers: (row.headers ?? {}) as Record<string, string>,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

export default function AdminEmailMessage() {
  const email = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <p className="muted"><Link to="/admin/email">{t("adminEmail.title")}</Link></p>
      <h1 data-testid="email-subject">{email.subject || t("adminEmail.notRendered")}</h1>
      <dl className="kv">
        <dt>{t("adminEmail.to")}</dt><dd>{email.to}</dd>
        <dt>{t("adminEmail.kind")}</dt><dd>{t(`adminEmail.kinds.${email.kind}`)}</dd>
        <dt>{t("adminEmail.state")}</dt><dd data-testid="email-status">{t(`adminEmail.statuses.${email.status}`)}{email.reason ? ` · ${t(`adminEmail.reasons.${email.reason}`, { defaultValue: email.reason })}` : ""}</dd>
        <dt>{t("adminEmail.created")}</dt><dd><LocalTime iso={email.createdAt} /></dd>
        {email.sentAt ? <><dt>{t("adminEmail.sent")}</dt><dd><LocalTime iso={email.sentAt} /></dd></> : null}
        {email.lastError ? <><dt>{t("adminEmail.error")}</dt><dd>{email.lastError}</dd></> : null}
      </dl>
      {email.status === "failed" || email.status === "held" || email.status === "suppressed" ? (
        <Form method="post" action="/admin/email">
          <input type="hidden" name="emailId" value={email.id} />
          <SubmitButton intent="email.retry" className="button button-secondary">{t("adminEmail.retry")}</SubmitButton>
        </Form>
      ) : null}
      {Object.keys(email.headers).length ? (
        <section className="card">
          <h2>{t("adminEmail.headers")}</h2>
          <pre className="email-headers">{Object.entries(email.headers).map(([name, value]) => `${name}: ${value}`).join("\n")}</pre>
        </section>
      ) : null}
      {email.html ? (
        <section className="card">
          <h2>{t("adminEmail.html")}</h2>
          {/* A sandboxed frame: the email's own markup, unable to run script or reach this page; its links open in a new tab. */}
          <iframe title={t("adminEmail.html")} sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={email.html.replace("<head>", '<head><base target="_blank">')} className="email-frame" data-testid="email-html" />
        </section>
      ) : null}
      {email.text ? (
        <section className="card">
          <h2>{t("adminEmail.text")}</h2>
          <pre className="email-text" data-testid="email-text">{linkify(email.text)}</pre>
        </section>
      ) : null}
    </div>
  );
}

/** The text part with its URLs as links, so a trial user can follow an invitation or reset link. */
function linkify(text: string) {
  const parts = text.split(/(https?:\/\/[^\s\])>]+)/g);
  return parts.map((part, i) => (i % 2 === 1 ? <a key={i} href={part}>{part}</a> : part));
}
