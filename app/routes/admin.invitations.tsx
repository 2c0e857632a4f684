import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { LocalTime } from "~/components/time";
import { getActor, requireAdmin } from "~/http/auth.server";
import { createInvitation, invitationInput, invitationStatus, listInvitations, type InvitationLineOutcome } from "~/models/invitations.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { useEffect, useState } from "react";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { actionError, invalidForm, loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "invitations.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const invitations = await loadOrThrow(request, () => listInvitations(getActor(context)));
  return {
    locale: await resolveLocale(request, context),
    invitations: invitations.map((i) => ({
      id: i.id,
      role: i.role,
      note: i.note,
      email: i.email,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
      sentAt: i.sentAt?.toISOString() ?? null,
      delivery: i.delivery,
      state: invitationStatus(i),
      usedBy: i.usedBy ? { id: i.usedBy.id, displayName: i.usedBy.displayName } : null,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAdmin(context, request);
  const form = await request.formData();
  if (form.get("intent") === "invitation.revoke") {
    const outcome = await runRequestCommand(request, context, "invitation.revoke", formToInput(form));
    if (!outcome.ok) return data({ ...commandErrorResponse(outcome, "invitation.revoke").data, link: null, invitationId: String(form.get("invitationId") ?? "") }, { status: outcome.status });
    return redirect("/admin/invitations?revoked=1");
  }
  if (form.get("intent") === "invitation.resend") {
    const outcome = await runRequestCommand(request, context, "invitation.resend", formToInput(form));
    if (!outcome.ok) return data({ ...commandErrorResponse(outcome, "invitation.resend").data, link: null, invitationId: String(form.get("invitationId") ?? "") }, { status: outcome.status });
    return redirect("/admin/invitations?resent=1");
  }
  if (form.get("intent") === "invitation.send") {
    const outcome = await runRequestCommand(request, context, "invitation.send", formToInput(form));
    if (!outcome.ok) return data({ ...commandErrorResponse(outcome, "invitation.send").data, link: null, sendResults: null }, { status: outcome.status });
    const result = outcome.result as { results: { line: string; outcome: InvitationLineOutcome }[] };
    // Each address on its own line: the page lists what happened to every one.
    return data({ link: null, errors: undefined, sendResults: result.results.map((r) => ({ line: r.line, outcome: r.outcome })) });
  }
  const submission = parseWithZod(form, { schema: invitationInput });
  if (submission.status !== "success") return invalidForm(submission.error);
  try {
    const { token } = await createInvitation(getActor(context), submission.value);
    // The link is shown once: only its hash is stored. Its origin is PUBLIC_URL, not the Host header.
    return data({ link: `${context.publicUrl}/signup?invitation=${token}`, errors: undefined });
  } catch (error) {
    return actionError(error);
  }
}

/** A button that copies the link (with JavaScript); the field stays selectable without it. */
function CopyButton({ value }: { value: string }) {
  const { t } = useTranslation();
  const [ready, setReady] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setReady(typeof navigator !== "undefined" && Boolean(navigator.clipboard)), []);
  if (!ready) return null;
  return (
    <button
      type="button"
      className="button button-small button-secondary"
      data-testid="copy-invitation-link"
      onClick={() => void navigator.clipboard.writeText(value).then(() => setCopied(true))}
    >
      {copied ? t("invitations.copied") : t("invitations.copy")}
    </button>
  );
}

type SendResults = { line: string; outcome: InvitationLineOutcome }[] | null;

export default function Invitations() {
  const { invitations, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const link = actionData && "link" in actionData ? actionData.link : null;
  const sendResults: SendResults = actionData && "sendResults" in actionData ? (actionData.sendResults as SendResults) : null;
  const sendErrors = actionData && "intent" in actionData && actionData.intent === "invitation.send" ? actionData.errors : undefined;
  const revokeErrorsFor = (id: string) => (actionData && "invitationId" in actionData && actionData.invitationId === id ? actionData.errors : undefined);
  return (
    <div className="stack-lg">
      <p className="muted"><Link to="/admin">{t("admin.title")}</Link></p>
      <h1>{t("invitations.title")}</h1>
      {searchParams.get("revoked") && !actionData ? <p className="notice success" role="status">{t("invitations.revoked")}</p> : null}
      {searchParams.get("resent") && !actionData ? <p className="notice success" role="status">{t("invitations.resent")}</p> : null}
      <section className="card">
        <h2>{t("invitations.byEmail")}</h2>
        <p className="muted">{t("invitations.byEmailHelp")}</p>
        <Form method="post" className="form" data-testid="invite-by-email">
          <label>
            {t("invitations.emails")}
            <textarea name="emails" rows={6} required placeholder={"li.wei@example.cn\nsarah@example.org"} />
            <span className="hint">{t("invitations.emailsHint")}</span>
          </label>
          <FieldError errors={sendErrors} name="emails" />
          <div className="form-row form-row-2">
            <label>
              {t("invitations.role")}
              <select name="role" defaultValue="member">
                <option value="member">{t("roles.member")}</option>
                <option value="moderator">{t("roles.moderator")}</option>
                <option value="admin">{t("roles.admin")}</option>
              </select>
            </label>
            <label>
              {t("invitations.expiresInDays")}
              <input name="expiresInDays" type="number" min={1} max={90} defaultValue={14} />
            </label>
          </div>
          <label>
            {t("invitations.message")}
            <textarea name="message" rows={3} maxLength={2000} placeholder={t("invitations.messagePlaceholder")} />
          </label>
          <label>
            {t("invitations.firstLanguage")}
            <select name="locale" defaultValue={locale}>
              <option value="en">English</option>
              <option value="zh">中文</option>
            </select>
            <span className="hint">{t("invitations.firstLanguageHint")}</span>
          </label>
          <FieldError errors={sendErrors} name="" />
          <SubmitButton intent="invitation.send">{t("invitations.sendButton")}</SubmitButton>
        </Form>
        {sendResults ? (
          <ul className="list invitation-results" data-testid="invitation-results" role="status">
            {sendResults.map((r, i) => (
              <li key={i} data-outcome={r.outcome} className={r.outcome === "sent" ? "success" : "error"}>
                <code>{r.line}</code> — {t(`invitations.outcomes.${r.outcome}`)}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="card">
        <h2>{t("invitations.create")}</h2>
        <Form method="post" className="form form-inline">
          <label>
            {t("invitations.role")}
            <select name="role" defaultValue="member">
              <option value="member">{t("roles.member")}</option>
              <option value="moderator">{t("roles.moderator")}</option>
              <option value="admin">{t("roles.admin")}</option>
            </select>
          </label>
          <label>
            {t("invitations.expiresInDays")}
            <input name="expiresInDays" type="number" min={1} max={90} defaultValue={14} />
          </label>
          <FieldError errors={actionData?.errors} name="expiresInDays" />
          <label>
            {t("invitations.note")}
            <input name="note" maxLength={200} placeholder={t("invitations.notePlaceholder")} />
          </label>
          <FieldError errors={actionData?.errors} name="" />
          <SubmitButton>{t("invitations.createButton")}</SubmitButton>
        </Form>
        {link ? (
          <div className="notice success" role="status">
            <p>{t("invitations.created")}</p>
            <div className="copy-row">
              <input readOnly value={link} className="copy-field" data-testid="invitation-link" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={link} />
            </div>
          </div>
        ) : null}
      </section>
      <section>
        <h2>{t("invitations.list")}</h2>
        <table className="table">
          <thead>
            <tr>
              <th>{t("invitations.emailColumn")}</th>
              <th>{t("invitations.role")}</th>
              <th>{t("invitations.note")}</th>
              <th>{t("invitations.state")}</th>
              <th>{t("invitations.expires")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.email ?? <span className="muted">{t("invitations.linkOnly")}</span>}</td>
                <td>{t(`roles.${i.role}`)}</td>
                <td>{i.note}</td>
                <td data-testid="invitation-state">
                  {t(`invitations.states.${i.state}`)}
                  {i.usedBy ? ` · ${i.usedBy.displayName}` : ""}
                  {i.delivery && i.state === "pending" ? <div className="muted small">{t(`invitations.delivery.${i.delivery}`)}</div> : null}
                </td>
                <td><LocalTime iso={i.expiresAt} /></td>
                <td>
                  {i.state === "pending" && i.email ? (
                    <Form method="post" className="inline-form" data-testid="resend-invitation">
                      <input type="hidden" name="invitationId" value={i.id} />
                      <SubmitButton intent="invitation.resend" className="button button-small button-secondary">{t("invitations.resend")}</SubmitButton>
                    </Form>
                  ) : null}
                  {i.state === "pending" ? (
                    <Form method="post" className="inline-form" data-testid="revoke-invitation">
                      <input type="hidden" name="invitationId" value={i.id} />
                      <input name="reason" required maxLength={500} aria-label={t("invitations.revokeReason")} placeholder={t("invitations.revokeReason")} />
                      <SubmitButton intent="invitation.revoke" className="button button-small button-danger">{t("invitations.revoke")}</SubmitButton>
                      <FieldError errors={revokeErrorsFor(i.id)} name="reason" />
                      <FieldError errors={revokeErrorsFor(i.id)} name="invitationId" />
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
