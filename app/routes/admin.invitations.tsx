import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { LocalTime } from "~/components/time";
import { getActor, requireAdmin } from "~/http/auth.server";
import { createInvitation, invitationInput, listInvitations } from "~/models/invitations.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { actionError, invalidForm, loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "invitations.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const invitations = await loadOrThrow(request, () => listInvitations(getActor(context)));
  const now = Date.now();
  return {
    invitations: invitations.map((i) => ({
      id: i.id,
      role: i.role,
      note: i.note,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
      state: i.revokedAt ? "revoked" : i.usedAt ? "used" : i.expiresAt.getTime() <= now ? "expired" : "open",
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

export default function Invitations() {
  const { invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const link = actionData && "link" in actionData ? actionData.link : null;
  const revokeErrorsFor = (id: string) => (actionData && "invitationId" in actionData && actionData.invitationId === id ? actionData.errors : undefined);
  return (
    <div className="stack-lg">
      <p className="muted"><Link to="/admin">{t("admin.title")}</Link></p>
      <h1>{t("invitations.title")}</h1>
      {searchParams.get("revoked") && !actionData ? <p className="notice success" role="status">{t("invitations.revoked")}</p> : null}
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
            <input readOnly value={link} className="copy-field" data-testid="invitation-link" onFocus={(e) => e.currentTarget.select()} />
          </div>
        ) : null}
      </section>
      <section>
        <h2>{t("invitations.list")}</h2>
        <table className="table">
          <thead>
            <tr>
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
                <td>{t(`roles.${i.role}`)}</td>
                <td>{i.note}</td>
                <td>{t(`invitations.states.${i.state}`)}{i.usedBy ? ` · ${i.usedBy.displayName}` : ""}</td>
                <td><LocalTime iso={i.expiresAt} /></td>
                <td>
                  {i.state === "open" ? (
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
