import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/forms";
import { LocalTime } from "~/components/time";
import { requireUser, serializeClearedSessionCookie } from "~/auth.server";
import { invalidateAllSessions, invalidateOwnSession, listSessions } from "~/models/sessions.server";
import { logger } from "~/utils/logger.server";

export const meta: MetaFunction = () => [{ title: "Settings · Coal Regions Network" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const sessions = await listSessions(user.id);
  return {
    user: { displayName: user.displayName, email: user.email, role: user.role, locale: user.locale },
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === context.auth?.sessionId,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      userAgent: s.userAgent,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "sign-out-everywhere") {
    await invalidateAllSessions(user.id);
    logger.info({ event: "auth.signout_everywhere", userId: user.id }, "member signed out everywhere");
    return redirect("/signin", { headers: { "Set-Cookie": serializeClearedSessionCookie(context.secure) } });
  }
  if (intent === "revoke") {
    const sessionId = String(form.get("sessionId") ?? "");
    const ok = /^[a-z2-7]{1,64}$/.test(sessionId) && (await invalidateOwnSession(user.id, sessionId));
    if (!ok) return data({ errors: { "": ["not_found"] } }, { status: 404 });
    if (sessionId === context.auth?.sessionId) {
      return redirect("/signin", { headers: { "Set-Cookie": serializeClearedSessionCookie(context.secure) } });
    }
    return redirect("/settings");
  }
  return data({ errors: { "": ["validation"] } }, { status: 400 });
}

/** A readable device label from a User-Agent string. */
function deviceLabel(userAgent: string): string {
  if (!userAgent) return "—";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Chrome\//.test(userAgent) ? "Chrome" : /Firefox\//.test(userAgent) ? "Firefox" : /Safari\//.test(userAgent) ? "Safari" : "";
  const os = /Windows/.test(userAgent) ? "Windows" : /Mac OS X/.test(userAgent) ? "macOS" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Linux/.test(userAgent) ? "Linux" : "";
  return [browser, os].filter(Boolean).join(" · ") || userAgent.slice(0, 60);
}

export default function Settings() {
  const { user, sessions } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg narrow-wide">
      <h1>{t("settings.title")}</h1>
      <section className="card">
        <h2>{t("settings.account")}</h2>
        <dl className="kv">
          <dt>{t("fields.displayName")}</dt><dd>{user.displayName}</dd>
          <dt>{t("fields.email")}</dt><dd>{user.email}</dd>
          <dt>{t("settings.role")}</dt><dd>{t(`roles.${user.role}`)}</dd>
        </dl>
      </section>
      <section className="card">
        <h2>{t("settings.sessions")}</h2>
        <p className="muted">{t("settings.sessionsHelp")}</p>
        <ul className="list" data-testid="sessions">
          {sessions.map((s) => (
            <li key={s.id} className="session-row">
              <div>
                <strong>{deviceLabel(s.userAgent)}</strong>
                {s.current ? <span className="badge badge-scheduled">{t("settings.thisDevice")}</span> : null}
                <div className="muted">
                  {t("settings.signedIn")} <LocalTime iso={s.createdAt} /> · {t("settings.lastActive")} <LocalTime iso={s.lastSeenAt} />
                </div>
              </div>
              <Form method="post">
                <input type="hidden" name="sessionId" value={s.id} />
                <SubmitButton intent="revoke" className="button button-secondary button-small">{t("nav.signOut")}</SubmitButton>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post">
          <SubmitButton intent="sign-out-everywhere" className="button button-danger">{t("settings.signOutEverywhere")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}
