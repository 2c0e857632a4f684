import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/forms";
import { readUnsubscribe, unsubscribe } from "~/models/email/preferences.server";
import { isAppError } from "~/utils/errors";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "unsubscribe.title");

/** The page behind an email's footer link: says what the link turns off, with a button. */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await readUnsubscribe(params.token ?? "");
  return { kind: found?.kind ?? null };
}

/**
 * RFC 8058 one-click unsubscribe (the mail client POSTs `List-Unsubscribe=One-Click`, with no
 * cookie) and the page's own button: turns off exactly the token's kind. Answers 200 on success,
 * 404 for a forged or unknown token; never a redirect (mail providers do not follow one).
 */
export async function action({ params }: ActionFunctionArgs) {
  try {
    const { kind } = await unsubscribe(params.token ?? "");
    return data({ done: true as const, kind });
  } catch (error) {
    if (isAppError(error)) return data({ done: false as const, kind: null }, { status: error.status });
    throw error;
  }
}

export default function Unsubscribe() {
  const { kind } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  if (actionData?.done) {
    return (
      <div className="narrow card stack" data-testid="unsubscribed">
        <h1>{t("unsubscribe.doneTitle")}</h1>
        <p>{t("unsubscribe.done", { what: t(`email.kinds.${actionData.kind}`) })}</p>
        <p><Link to="/settings#email">{t("unsubscribe.preferences")}</Link></p>
      </div>
    );
  }
  if (!kind) {
    return (
      <div className="narrow card stack">
        <h1>{t("unsubscribe.title")}</h1>
        <p className="notice error" role="alert">{t("unsubscribe.invalid")}</p>
        <p><Link to="/settings#email">{t("unsubscribe.preferences")}</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow card stack">
      <h1>{t("unsubscribe.title")}</h1>
      <p>{t("unsubscribe.confirm", { what: t(`email.kinds.${kind}`) })}</p>
      <Form method="post">
        <SubmitButton>{t("unsubscribe.button")}</SubmitButton>
      </Form>
      <p className="muted"><Link to="/settings#email">{t("unsubscribe.preferences")}</Link></p>
    </div>
  );
}
