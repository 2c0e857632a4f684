import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { serializeSessionCookie } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listRegions } from "~/models/dialogues.server";
import { findUsableInvitation } from "~/models/invitations.server";
import { createSession } from "~/models/sessions.server";
import { signUp, signUpInput } from "~/models/users.server";
import { pick } from "~/utils/content";
import { actionError, invalidForm } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth.signUpTitle");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const token = new URL(request.url).searchParams.get("invitation") ?? "";
  const invitation = await findUsableInvitation(token);
  const regions = await listRegions();
  return {
    token,
    invitationValid: invitation !== null,
    role: invitation?.role ?? null,
    // An invitation by email: the address it was sent to (the member may still give another).
    email: invitation?.email ?? "",
    invitationLocale: invitation?.locale ?? null,
    locale,
    regions: regions.map((r) => ({ id: r.id, name: pick(locale, r.nameEn, r.nameZh), country: r.country })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: signUpInput });
  if (submission.status !== "success") return invalidForm(submission.error);
  try {
    const user = await signUp(submission.value);
    const { token, expiresAt } = await createSession(user.id, { userAgent: context.userAgent, ipAddress: context.clientIp });
    return redirect("/", { headers: { "Set-Cookie": serializeSessionCookie(token, expiresAt, context.secure) } });
  } catch (error) {
    return actionError(error);
  }
}

export default function SignUp() {
  const { token, invitationValid, regions, locale, role, email, invitationLocale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const { t } = useTranslation();
  if (!invitationValid && !errors) {
    return (
      <div className="narrow card stack">
        <h1>{t("auth.signUpTitle")}</h1>
        <p className="notice error" role="alert">{t("errors.invitation_invalid")}</p>
        <p className="muted">{t("auth.invitationOnly")}</p>
      </div>
    );
  }
  return (
    <div className="narrow card stack">
      <h1>{t("auth.signUpTitle")}</h1>
      {role && role !== "member" ? <p className="notice">{t("auth.invitedAs", { role: t(`roles.${role}`) })}</p> : null}
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="invitation" value={token} />
        <FieldError errors={errors} name="invitation" />
        <label>
          {t("fields.email")}
          <input name="email" type="email" autoComplete="email" required defaultValue={email} />
        </label>
        <FieldError errors={errors} name="email" />
        <label>
          {t("fields.password")}
          <input name="password" type="password" autoComplete="new-password" minLength={10} required />
          <span className="hint">{t("auth.passwordHint")}</span>
        </label>
        <FieldError errors={errors} name="password" />
        <label>
          {t("fields.displayName")}
          <input name="displayName" autoComplete="name" required maxLength={100} />
        </label>
        <FieldError errors={errors} name="displayName" />
        <label>
          {t("fields.organisation")}
          <input name="organisation" autoComplete="organization" maxLength={200} />
        </label>
        <label>
          {t("fields.region")}
          <select name="regionId" defaultValue="">
            <option value="">{t("fields.noRegion")}</option>
            {(["US", "CN"] as const).map((country) => (
              <optgroup key={country} label={t(`country.${country}`)}>
                {regions.filter((r) => r.country === country).map((r) => (
                  <option key={r.id} value={r.id}>{r.name}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <FieldError errors={errors} name="regionId" />
        <label>
          {t("fields.language")}
          <select name="locale" defaultValue={invitationLocale ?? locale}>
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </label>
        <FieldError errors={errors} name="" />
        <SubmitButton>{t("auth.createAccount")}</SubmitButton>
      </Form>
    </div>
  );
}
