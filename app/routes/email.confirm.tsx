import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { confirmEmailChange, findEmailChange } from "~/models/email/email-change.server";
import { actionError } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "emailChange.confirmTitle");

/** The link in the confirmation email opens this page; the change happens on its button (a POST). */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const change = await findEmailChange(token);
  return { token, newEmail: change?.newEmail ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => null);
  try {
    await confirmEmailChange(String(form?.get("token") ?? ""));
    return redirect(context.auth ? "/settings?saved=email#email" : "/signin?emailChanged=1");
  } catch (error) {
    return actionError(error);
  }
}

export default function ConfirmEmail() {
  const { token, newEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  if (!newEmail) {
    return (
      <div className="narrow card stack">
        <h1>{t("emailChange.confirmTitle")}</h1>
        <p className="notice error" role="alert">{t("errors.email_change_invalid")}</p>
        <p><Link to="/settings#email">{t("emailChange.settings")}</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow card stack">
      <h1>{t("emailChange.confirmTitle")}</h1>
      <p>{t("emailChange.confirmBody", { email: newEmail })}</p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <FieldError errors={actionData?.errors} name="" />
        <FieldError errors={actionData?.errors} name="email" />
        <SubmitButton>{t("emailChange.confirmButton")}</SubmitButton>
      </Form>
    </div>
  );
}
