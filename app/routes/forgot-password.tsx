import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { resolveLocale } from "~/i18n/i18n.server";
import { requestPasswordReset } from "~/models/email/password-reset.server";
import { isAppError } from "~/utils/errors";
import { actionError } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth.forgotTitle");

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.auth) throw redirect("/settings#password");
  return null;
}

/**
 * The same answer for every address, known or not (the work happens in the queue): a redirect
 * to this page saying "if an account uses that address, a link is on its way".
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => null);
  if (!form) return data({ errors: { "": ["body_malformed"] }, params: {} }, { status: 400 });
  try {
    await requestPasswordReset({ email: String(form.get("email") ?? "") }, { ip: context.clientIp, locale: await resolveLocale(request, context) });
  } catch (error) {
    if (isAppError(error) && error.code === "email_throttled") return data({ errors: { "": ["email_throttled"] }, params: error.params ?? {} }, { status: error.status });
    return actionError(error);
  }
  return redirect("/forgot-password?sent=1");
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const sent = params.get("sent") === "1" && !actionData;
  return (
    <div className="narrow card stack">
      <h1>{t("auth.forgotTitle")}</h1>
      {sent ? (
        <p className="notice success" role="status" data-testid="reset-requested">{t("auth.forgotSent")}</p>
      ) : (
        <p className="muted">{t("auth.forgotHelp")}</p>
      )}
      <Form method="post" className="form">
        <label>
          {t("fields.email")}
          <input name="email" type="email" autoComplete="email" required maxLength={254} />
        </label>
        <FieldError errors={actionData?.errors} name="email" />
        <FieldError errors={actionData?.errors} name="" params={actionData && "params" in actionData ? (actionData.params as Record<string, string>) : undefined} />
        <SubmitButton>{t("auth.forgotSubmit")}</SubmitButton>
      </Form>
      <p className="muted"><Link to="/signin">{t("auth.backToSignIn")}</Link></p>
    </div>
  );
}
