import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listNotifications } from "~/models/notifications.server";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";
import { describeReason } from "~/utils/moderation-reason";
import { useSpeakerName } from "~/components/member-name";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notifications.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const cursor = new URL(request.url).searchParams.get("cursor");
  const page = await loadOrThrow(request, () => listNotifications(getActor(context), { cursor, locale }));
  return {
    ...page,
    notifications: page.notifications.map((n) => ({ ...n, threadTitle: n.thread ? pick(locale, n.thread.titleEn, n.thread.titleZh) : null })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const notificationId = form.get("notificationId");
  const outcome = await runRequestCommand(request, context, "notifications.markRead", notificationId ? { notificationId } : {});
  if (!outcome.ok) return commandErrorResponse(outcome, "notifications.markRead");
  const go = form.get("go");
  return redirect(typeof go === "string" && /^\/((threads|notes|surveys|replies|case-studies|dialogues)\/[A-Za-z0-9]|translations$|moderation\/requests\?)/.test(go) ? go : "/notifications");
}

export default function Notifications() {
  const { notifications, nextCursor } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const speaker = useSpeakerName();
  return (
    <div className="stack-lg narrow-wide">
      <header className="page-header">
        <h1>{t("notifications.title")}</h1>
        <Form method="post">
          <button type="submit" className="button button-secondary button-small" data-testid="mark-all-read">{t("notifications.markAllRead")}</button>
        </Form>
      </header>
      {notifications.length === 0 ? <p className="muted">{t("notifications.none")}</p> : null}
      <ul className="list notification-list" data-testid="notifications">
        {notifications.map((n) => {
          // A translation notice leads to what is to be done: what changed, or the queue.
          const translationTarget = n.type === "translation_outdated" && n.reply ? `/replies/${n.reply.id}/history` : n.type === "translation_requested" ? "/translations" : null;
          const target = translationTarget ?? (n.thread
            ? `/threads/${n.thread.id}${n.reply ? `?after=${Math.max(n.reply.postNumber - 1, 0)}#post-${n.reply.postNumber}` : ""}`
            : n.noteId
              ? `/notes/${n.noteId}`
              : n.caseStudyId
                ? `/case-studies/${n.caseStudyId}#comments`
                : n.type === "participation_requested" && n.data?.slug
                  ? `/moderation/requests?dialogue=${n.data.slug}`
                  : n.type === "participation_decided" && n.data?.slug
                    ? `/dialogues/${n.data.slug}#participate`
                    : n.data?.surveyId
                      ? `/surveys/${n.data.surveyId}`
                      : null);
          return (
            <li key={n.id} className={n.read ? "read" : "unread"} data-testid="notification" data-type={n.type}>
              <div className="notification-text">
                <strong>
                  {t(`notifications.types.${n.type === "translation_requested" && n.data?.what === "title" ? "translation_requested_title" : n.type}`, {
                    count: n.count,
                    name: n.actor ? (n.actor.displayName === null && n.actor.participant === null ? t("translations.someone") : speaker(n.actor)) : "—",
                    language: n.data?.language === "zh" || n.data?.language === "en" ? t(`translations.languages.${n.data.language}`) : "",
                    decision: n.data?.decision ? t(`flag.decisions.${n.data.decision}`) : "",
                    role: n.data?.role ? t(`notes.roles.${n.data.role}`) : "",
                    dialogue: n.data?.titleEn ? (i18n.language === "zh" ? n.data.titleZh || n.data.titleEn : n.data.titleEn) : "",
                    requester: n.data?.name ?? "",
                    status: n.data?.status ? t(`requests.statuses.${n.data.status}`) : "",
                  })}
                </strong>
                {n.threadTitle ? <> · {n.threadTitle}</> : null}
                {n.type === "note_shared" && n.data?.title ? <> · {n.data.title}</> : null}
                {n.data?.surveyId ? <> · {(i18n.language === "zh" ? n.data.titleZh || n.data.titleEn : n.data.titleEn || n.data.titleZh) ?? ""}</> : null}
                {n.data?.reason ? <div className="muted">{t("moderation.reason")}: {describeReason(t, i18n.language, n.data.reason)}</div> : null}
                {n.reply && n.type !== "reply_hidden" ? <div className="excerpt muted">{n.reply.excerpt}</div> : null}
                <div className="muted small"><LocalTime iso={n.updatedAt} /></div>
              </div>
              {target ? (
                <Form method="post">
                  <input type="hidden" name="notificationId" value={n.id} />
                  <input type="hidden" name="go" value={target} />
                  <button type="submit" className="link-action nowrap">{t("notifications.open")}</button>
                </Form>
              ) : !n.read ? (
                <Form method="post">
                  <input type="hidden" name="notificationId" value={n.id} />
                  <button type="submit" className="link-action">{t("notifications.markRead")}</button>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
      {nextCursor ? <Link className="pager" to={`?cursor=${encodeURIComponent(nextCursor)}`}>{t("threads.more")}</Link> : null}
    </div>
  );
}
