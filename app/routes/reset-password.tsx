import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { serializeSessionCookie } from "~/http/auth.server";
import { isResetTokenUsable, resetPassword } from "~/models/email/password-reset.server";
import { createSession, invalidateSession } from "~/models/sessions.server";
import { actionError } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth.resetTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token, usable: await isResetTokenUsable(token) };
}

/** Sets the new password, ends every session, and signs this browser in with a new one. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => null);
  if (!form) return data({ errors: { "": ["body_malformed"] } }, { status: 400 });
  try {
    const user = await resetPassword({ token: String(form.get("token") ?? ""), password: String(form.get("password") ?? "") });
    if (context.auth) await invalidateSession(context.auth.sessionId);
    const { token, expiresAt } = await createSession(user.id, { userAgent: context.userAgent, ipAddress: context.clientIp });
    return redirect("/?reset=1", { headers: { "Set-Cookie": serializeSessionCookie(token, expiresAt, context.secure) } });
  } catch (error) {
    return actionError(error);
  }
}

export default function ResetPassword() {
  const { token, usable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const invalid = actionData?.errors?.[""]?.includes("reset_token_invalid");
  if (!usable || invalid) {
    return (
      <div className="narrow card stack">
        <h1>{t("auth.resetTitle")}</h1>
        <p className="notice error" role="alert" data-testid="reset-invalid">{t("errors.reset_token_invalid")}</p>
        <p><Link to="/forgot-password">{t("auth.resetAgain")}</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow card stack">
      <h1>{t("auth.resetTitle")}</h1>
      <p className="muted">{t("auth.resetHelp")}</p>
      <Form method="post" className="form">
        <input type="hidden" name="token" value={token} />
        <label>
          {t("account.password.new")}
          <input name="password" type="password" autoComplete="new-password" required minLength={10} maxLength={200} />
          <span className="hint">{t("account.password.rules")}</span>
        </label>
        <FieldError errors={actionData?.errors} name="password" />
        <FieldError errors={actionData?.errors} name="" />
        <SubmitButton>{t("auth.resetSubmit")}</SubmitButton>
      </Form>
    </div>
  );
}
