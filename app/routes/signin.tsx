import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { safeRedirect, serializeSessionCookie } from "~/http/auth.server";
import { createSession, invalidateSession } from "~/models/sessions.server";
import { signIn } from "~/models/users.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { formatInZone } from "~/utils/dates";
import { isAppError } from "~/utils/errors";
import { actionError } from "~/utils/http.server";
import { z } from "~/utils/validation";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth.signInTitle");

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.auth) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

const signInForm = z.object({
  email: z.string().max(254),
  password: z.string().max(200),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => null);
  if (!form) return data({ errors: { "": ["body_malformed"] } }, { status: 400 });
  // The target is judged on its own (safeRedirect): a hostile one sends the member home, it
  // does not fail the sign-in.
  const redirectTo = form.get("redirectTo");
  form.delete("redirectTo");
  const submission = parseWithZod(form, { schema: signInForm });
  if (submission.status !== "success") return data({ errors: { "": ["invalid_credentials"] } }, { status: 400 });
  try {
    const user = await signIn(submission.value, { ip: context.clientIp });
    // A new session at every sign-in; an existing one in this browser is ended, never reused.
    if (context.auth) await invalidateSession(context.auth.sessionId);
    const { token, expiresAt } = await createSession(user.id, { userAgent: context.userAgent, ipAddress: context.clientIp });
    return redirect(safeRedirect(redirectTo), {
      headers: { "Set-Cookie": serializeSessionCookie(token, expiresAt, context.secure) },
    });
  } catch (error) {
    // The message names the end of the suspension ("suspended until {{until}}").
    if (isAppError(error) && error.code === "suspended" && error.params?.until) {
      const until = formatInZone(new Date(error.params.until), "UTC", await resolveLocale(request, context));
      return data({ errors: { "": ["suspended"] }, params: { until } }, { status: error.status });
    }
    // "Try again in N minutes": the count travels with the code.
    if (isAppError(error) && error.code === "signin_throttled") {
      return data({ errors: { "": ["signin_throttled"] }, params: error.params ?? {} }, { status: error.status });
    }
    return actionError(error);
  }
}

export default function SignIn() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="narrow card stack">
      <h1>{t("auth.signInTitle")}</h1>
      <Form method="post" className="form">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <label>
          {t("fields.email")}
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          {t("fields.password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <FieldError errors={actionData?.errors} name="" params={actionData && "params" in actionData ? (actionData.params as Record<string, string>) : undefined} />
        <SubmitButton pendingLabel={t("auth.signingIn")}>{t("nav.signIn")}</SubmitButton>
      </Form>
      <p><Link to="/forgot-password" data-testid="forgot-password">{t("auth.forgotLink")}</Link></p>
      {params.get("emailChanged") ? <p className="notice success" role="status">{t("emailChange.changed")}</p> : null}
      <p className="muted">{t("auth.invitationOnly")}</p>
    </div>
  );
}

