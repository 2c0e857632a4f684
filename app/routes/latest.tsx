import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listLatestReplies } from "~/models/feed.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";
import { MemberLink, useSpeakerName } from "~/components/member-name";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "latest.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const cursor = new URL(request.url).searchParams.get("cursor");
  const page = await loadOrThrow(request, () => listLatestReplies(getActor(context), { cursor, locale }));
  return { ...page, replies: page.replies.map((r) => ({ ...r, threadTitle: pick(locale, r.thread.titleEn, r.thread.titleZh) })) };
}

export default function Latest() {
  const { replies, nextCursor } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const speaker = useSpeakerName();
  return (
    <div className="stack-lg narrow-wide">
      <h1>{t("latest.title")}</h1>
      {replies.length === 0 ? <p className="muted">{t("latest.none")}</p> : null}
      <ol className="replies" data-testid="feed">
        {replies.map((r) => (
          <li key={r.id} className="reply card" data-testid="feed-item" data-reply-id={r.id}>
            <div className="reply-meta">
              {r.author.id === null ? <span className="reply-author pseudonym">{speaker(r.author)}</span> : <MemberLink member={r.author} className="reply-author" />}
              <Link to={`/threads/${r.thread.id}?after=${Math.max(r.postNumber - 1, 0)}#post-${r.postNumber}`}>{r.threadTitle}</Link>
              <span className="muted"><LocalTime iso={r.createdAt} /></span>
            </div>
            {r.translated ? <p className="muted small" data-testid="latest-translated">{t("translation.translatedShort")}</p> : null}
            <div className="reply-body rich" dangerouslySetInnerHTML={{ __html: r.html }} />
          </li>
        ))}
      </ol>
      {nextCursor ? <Link className="pager" to={`?cursor=${encodeURIComponent(nextCursor)}`}>{t("threads.more")}</Link> : null}
    </div>
  );
}
