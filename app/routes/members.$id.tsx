import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Affiliation, CaseStudyList, OtherNames } from "~/components/members";
import { LocalTime, TimeZoneField } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { presentCaseStudy, presentMember } from "~/models/directory.server";
import { getProfile } from "~/models/users.server";
import { can } from "~/policy.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { truncate } from "~/utils/text";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.displayName} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const actor = getActor(context);
  const { user, replies, caseStudies } = await loadOrThrow(request, () => getProfile(actor, params.id ?? ""));
  const suspended = user.suspendedUntil && user.suspendedUntil > new Date() ? user.suspendedUntil.toISOString() : null;
  return {
    ...presentMember(user, locale, { fullBio: true }),
    own: actor?.id === user.id,
    joined: user.createdAt.toISOString(),
    caseStudies: caseStudies.map((c) => presentCaseStudy(c, locale)),
    suspendedUntil: suspended,
    canSuspend: can(actor, "member.suspend", { id: user.id, role: user.role }),
    replies: replies.map((r) => ({
      id: r.id,
      postNumber: r.postNumber,
      excerpt: truncate(r.text, 240),
      createdAt: r.createdAt.toISOString(),
      thread: { id: r.thread.id, title: pick(locale, r.thread.titleEn, r.thread.titleZh) },
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const intent = form.get("intent") === "member.unsuspend" ? "member.unsuspend" : "member.suspend";
  const outcome = await runRequestCommand(request, context, intent, { ...formToInput(form), userId: params.id });
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  return redirect(`/members/${params.id}`);
}

export default function MemberPage() {
  const m = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <header className="profile-header">
        <h1>{m.displayName}</h1>
        <OtherNames member={m} />
        <p className="muted">
          <Affiliation member={m} />
          {m.role !== "member" ? <span className="badge">{t(`roles.${m.role}`)}</span> : null}
        </p>
        {m.suspendedUntil ? (
          <p className="notice error" data-testid="suspended-notice">{t("members.suspendedUntil")} <LocalTime iso={m.suspendedUntil} /></p>
        ) : null}
        {m.own ? <p><Link to="/settings#profile" className="button button-secondary button-small">{t("profile.edit")}</Link></p> : null}
      </header>
      <dl className="kv profile-facts" data-testid="profile-facts">
        <dt>{t("fields.region")}</dt>
        <dd>{m.region ? <><Link to={`/regions/${m.region.slug}`}>{m.region.name}</Link> · {t(`country.${m.region.country}`)}</> : "—"}</dd>
        <dt>{t("profile.languages")}</dt>
        <dd>{m.languages.length ? m.languages.map((l) => l.name).join(t("directory.listSeparator")) : "—"}</dd>
        <dt>{t("members.joined")}</dt>
        <dd><LocalTime iso={m.joined} /></dd>
      </dl>
      {m.bio ? (
        <section>
          <h2>{t("profile.bio")}</h2>
          <p className="profile-bio" data-testid="profile-bio">{m.bio}</p>
        </section>
      ) : null}
      {m.canSuspend ? (
        <section className="card">
          <h2>{t("moderation.suspendTitle")}</h2>
          {actionData?.message ? <p className="field-error" role="alert">{actionData.message}</p> : null}
          {m.suspendedUntil ? (
            <Form method="post">
              <input type="hidden" name="intent" value="member.unsuspend" />
              <button type="submit" className="button button-secondary">{t("moderation.unsuspend")}</button>
            </Form>
          ) : (
            <Form method="post" className="form form-inline" data-testid="suspend-form">
              <input type="hidden" name="intent" value="member.suspend" />
              <label>
                {t("moderation.suspendUntil")}
                <input type="date" name="until" required />
                <TimeZoneField />
              </label>
              <label>
                {t("moderation.reasonToMember")}
                <input name="reason" required maxLength={500} />
              </label>
              <button type="submit" className="button button-danger">{t("moderation.suspend")}</button>
            </Form>
          )}
        </section>
      ) : null}
      <section>
        <h2>{t("profile.caseStudies")}</h2>
        {m.caseStudies.length === 0 ? <p className="muted">{t("profile.noCaseStudies")}</p> : <CaseStudyList items={m.caseStudies} testId="profile-case-studies" />}
      </section>
      <section>
        <h2>{t("members.recentReplies")}</h2>
        {m.replies.length === 0 ? <p className="muted">{t("members.noReplies")}</p> : null}
        <ul className="list" data-testid="profile-replies">
          {m.replies.map((r) => (
            <li key={r.id}>
              <Link to={`/threads/${r.thread.id}?after=${Math.max(r.postNumber - 1, 0)}#post-${r.postNumber}`}>{r.thread.title}</Link> · <LocalTime iso={r.createdAt} />
              <p className="excerpt">{r.excerpt}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
