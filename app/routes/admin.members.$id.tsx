import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton, type Errors } from "~/components/forms";
import { LocalTime } from "~/components/time";
import { getActor, requireAdmin } from "~/http/auth.server";
import { getMemberForAdmin } from "~/models/accounts/members.server";
import { memberRoles } from "~/realtime/commands";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.members.title");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const member = await loadOrThrow(request, () => getMemberForAdmin(getActor(context), params.id ?? ""));
  return {
    member: {
      id: member.id,
      displayName: member.displayName,
      email: member.email,
      role: member.role,
      status: member.status,
      createdAt: member.createdAt.toISOString(),
      suspendedUntil: member.suspendedUntil?.toISOString() ?? null,
    },
    roles: [...memberRoles],
    self: member.id === context.auth?.user.id,
  };
}

const INTENTS = ["member.setRole", "member.deactivate", "member.reactivate", "member.delete"];

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireAdmin(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (!INTENTS.includes(intent)) return data({ errors: { "": ["validation"] } as Errors, message: null, params: null, intent }, { status: 400 });
  const outcome = await runRequestCommand(request, context, intent, { ...formToInput(form), userId: params.id ?? "" });
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  if (intent === "member.delete") return redirect("/admin/members?deleted=1");
  return redirect(`/admin/members/${params.id}?saved=${intent}`);
}

/** A reason field: every change is logged with it. */
function ReasonField({ errors, id }: { errors: Errors; id: string }) {
  const { t } = useTranslation();
  return (
    <label>
      {t("admin.members.reason")}
      <input name="reason" id={id} required maxLength={500} placeholder={t("admin.members.reasonPlaceholder")} />
      <FieldError errors={errors} name="reason" />
    </label>
  );
}

export default function AdminMember() {
  const { member, roles, self } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.errors : undefined);
  const saved = searchParams.get("saved");
  return (
    <div className="stack-lg narrow-wide">
      <header>
        <p className="muted"><Link to="/admin">{t("admin.title")}</Link> › <Link to="/admin/members">{t("admin.members.title")}</Link></p>
        <h1 data-testid="admin-member-name">{member.displayName}</h1>
        <dl className="kv">
          <dt>{t("fields.email")}</dt><dd>{member.email}</dd>
          <dt>{t("admin.members.role")}</dt><dd data-testid="admin-member-current-role">{t(`roles.${member.role}`)}</dd>
          <dt>{t("admin.members.status")}</dt>
          <dd data-testid="admin-member-status">
            {t(`admin.members.statuses.${member.status}`)}
            {member.suspendedUntil && member.status === "suspended" ? <> · <LocalTime iso={member.suspendedUntil} /></> : null}
          </dd>
          <dt>{t("admin.members.joined")}</dt><dd><LocalTime iso={member.createdAt} /></dd>
        </dl>
        <p><Link to={`/members/${member.id}`}>{t("profile.view")}</Link></p>
      </header>
      {saved && !actionData ? <p className="notice success" role="status" data-testid="admin-member-saved">{t(`admin.members.saved.${saved}`, { defaultValue: t("admin.members.savedAny") })}</p> : null}

      <section className="card" aria-labelledby="role-heading">
        <h2 id="role-heading">{t("admin.members.changeRole")}</h2>
        {/* Remounted after a change, so the reason field starts empty again. */}
        <Form method="post" className="form" data-testid="role-form" key={`role-${member.role}`}>
          <label>
            {t("admin.members.newRole")}
            <select name="role" defaultValue={member.role}>
              {roles.map((role) => <option key={role} value={role}>{t(`roles.${role}`)}</option>)}
            </select>
          </label>
          <ReasonField errors={errorsFor("member.setRole")} id="role-reason" />
          <FieldError errors={errorsFor("member.setRole")} name="userId" />
          <FieldError errors={errorsFor("member.setRole")} name="" />
          {self ? <p className="muted">{t("admin.members.selfRoleHint")}</p> : null}
          <div className="form-actions">
            <SubmitButton intent="member.setRole">{t("admin.members.saveRole")}</SubmitButton>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="access-heading">
        <h2 id="access-heading">{member.status === "deactivated" ? t("admin.members.reactivate") : t("admin.members.deactivate")}</h2>
        <p className="muted">{member.status === "deactivated" ? t("admin.members.reactivateHelp") : t("admin.members.deactivateHelp")}</p>
        <Form method="post" className="form" data-testid="access-form" key={`access-${member.status}`}>
          <ReasonField errors={errorsFor(member.status === "deactivated" ? "member.reactivate" : "member.deactivate")} id="access-reason" />
          <FieldError errors={errorsFor("member.deactivate")} name="userId" />
          <FieldError errors={errorsFor("member.deactivate")} name="" />
          <FieldError errors={errorsFor("member.reactivate")} name="" />
          <div className="form-actions">
            {member.status === "deactivated" ? (
              <SubmitButton intent="member.reactivate" className="button button-secondary">{t("admin.members.reactivate")}</SubmitButton>
            ) : (
              <SubmitButton intent="member.deactivate" className="button button-danger">{t("admin.members.deactivate")}</SubmitButton>
            )}
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="export-heading">
        <h2 id="export-heading">{t("admin.members.exportTitle")}</h2>
        <p className="muted">{t("admin.members.exportHelp")}</p>
        <Form method="post" action={`/admin/members/${member.id}/export.json`} reloadDocument className="form" data-testid="export-form">
          <ReasonField errors={undefined} id="export-reason" />
          <div className="form-actions">
            <button type="submit" className="button button-secondary">{t("admin.members.exportButton")}</button>
          </div>
        </Form>
      </section>

      <section className="card danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t("admin.members.deleteTitle")}</h2>
        <p className="muted">{t("admin.members.deleteHelp")}</p>
        <Form method="post" className="form" data-testid="admin-delete-form">
          <ReasonField errors={errorsFor("member.delete")} id="delete-reason" />
          <FieldError errors={errorsFor("member.delete")} name="userId" />
          <FieldError errors={errorsFor("member.delete")} name="" />
          <div className="form-actions">
            <SubmitButton intent="member.delete" className="button button-danger">{t("admin.members.deleteButton")}</SubmitButton>
          </div>
        </Form>
      </section>
    </div>
  );
}
