import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listReviewQueue } from "~/models/moderation.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";
import { useMemberName } from "~/components/member-name";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "review.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const items = await loadOrThrow(request, () => listReviewQueue(getActor(context)));
  return { items: items.map((i) => ({ ...i, threadTitle: pick(locale, i.thread.titleEn, i.thread.titleZh) })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const outcome = await runRequestCommand(request, context, "flag.review", formToInput(await request.formData()));
  if (!outcome.ok) return commandErrorResponse(outcome, "flag.review");
  return redirect("/moderation/review");
}

export default function ReviewQueue() {
  const { items } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const name = useMemberName();
  return (
    <div className="stack-lg">
      <header className="page-header">
        <h1>{t("review.title")}</h1>
        <Link to="/moderation/log">{t("nav.staffLog")}</Link>
      </header>
      {items.length === 0 ? <p className="muted">{t("review.empty")}</p> : null}
      <ul className="list" data-testid="review-queue">
        {items.map((item) => (
          <li key={item.replyId} className="card" data-testid="review-item">
            <p>
              <span className="badge badge-tbd">{t("review.score", { score: item.score })}</span>{" "}
              <Link to={`/threads/${item.thread.id}?after=${Math.max(item.postNumber - 1, 0)}#post-${item.postNumber}`}>{item.threadTitle}</Link> ·{" "}
              {name(item.author.displayName)}
              {item.hidden ? <span className="badge">{t("review.hidden")}</span> : null}
            </p>
            <blockquote className="excerpt">{item.excerpt}</blockquote>
            <ul className="plain-list">
              {item.flags.map((f) => (
                <li key={f.id} className="muted">
                  {t(`flag.reasons.${f.reason}`)} · {f.flagger.displayName} · <LocalTime iso={f.createdAt} />
                  {f.note ? <> · “{f.note}”</> : null}
                </li>
              ))}
            </ul>
            <div className="form-actions">
              {(["agree", "disagree", "ignore"] as const).map((decision) => (
                <Form method="post" key={decision}>
                  <input type="hidden" name="replyId" value={item.replyId} />
                  <input type="hidden" name="decision" value={decision} />
                  <button type="submit" className={`button button-small${decision === "agree" ? " button-danger" : " button-secondary"}`}>
                    {t(`review.${decision}`)}
                  </button>
                </Form>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
