import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { listStaffActions } from "~/models/moderation.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";
import { describeReason } from "~/utils/moderation-reason";
import { MemberLink } from "~/components/member-name";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffLog.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const cursor = new URL(request.url).searchParams.get("cursor");
  const locale = await resolveLocale(request, context);
  const page = await loadOrThrow(request, () => listStaffActions(getActor(context), { cursor }));
  return {
    ...page,
    actions: page.actions.map((a) => ({ ...a, target: a.target ? { href: a.target.href, label: pick(locale, a.target.label, a.target.labelZh) } : null })),
  };
}

/** A role named in a log row's data (a role change's "from" and "to"), or null. */
function roleOf(value: unknown): "member" | "moderator" | "admin" | null {
  return value === "member" || value === "moderator" || value === "admin" ? value : null;
}

export default function StaffLog() {
  const { actions, nextCursor } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <div className="stack-lg">
      <h1>{t("staffLog.title")}</h1>
      <table className="table" data-testid="staff-log">
        <thead>
          <tr>
            <th>{t("staffLog.when")}</th>
            <th>{t("staffLog.who")}</th>
            <th>{t("staffLog.what")}</th>
            <th>{t("staffLog.why")}</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => {
            const from = roleOf(a.data?.from);
            const to = roleOf(a.data?.to);
            return (
              <tr key={a.id} data-testid="staff-action" data-action={a.action}>
                <td><LocalTime iso={a.createdAt} /></td>
                <td>{a.actor ? <MemberLink member={a.actor} /> : "—"}</td>
                <td>
                  {t(`staffLog.actions.${a.action}`, { defaultValue: a.action })}{" "}
                  {a.target ? <Link to={a.target.href}>{a.target.label}</Link> : <span className="muted">{a.targetType}</span>}
                  {a.action === "member.role" && from && to ? (
                    <span className="muted"> ({t("staffLog.roleChange", { from: t(`roles.${from}`), to: t(`roles.${to}`) })})</span>
                  ) : null}
                </td>
                <td>{describeReason(t, i18n.language, a.reason)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {nextCursor ? <Link className="pager" to={`?cursor=${encodeURIComponent(nextCursor)}`}>{t("threads.more")}</Link> : null}
    </div>
  );
}
