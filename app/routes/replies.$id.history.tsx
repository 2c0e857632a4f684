import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { listRevisions, loadReply, readerOf } from "~/models/replies.server";
import { toReplyView } from "~/models/reply-rows.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";
import { useMemberName } from "~/components/member-name";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.replyHistory");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = getActor(context);
  const revisions = await loadOrThrow(request, () => listRevisions(actor, params.id ?? ""));
  const row = await loadReply(params.id ?? "", actor);
  const reply = toReplyView(row, readerOf(actor), row.access.level);
  return { reply, revisions };
}

export default function ReplyHistory() {
  const { reply, revisions } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const name = useMemberName();
  return (
    <div className="stack-lg narrow-wide">
      <nav className="breadcrumbs"><Link to={`/threads/${reply.threadId}#post-${reply.postNumber}`}>← {t("reply.backToThread")}</Link></nav>
      <h1>{t("reply.historyTitle", { number: reply.postNumber })}</h1>
      <section className="card">
        <h2>{t("reply.current")}</h2>
        <div className="rich" dangerouslySetInnerHTML={{ __html: reply.html }} />
      </section>
      {revisions.map((r) => (
        <section key={r.revision} className="card" data-testid="revision">
          <h2>{t("reply.revision", { number: r.revision })}</h2>
          <p className="muted">
            {t("reply.replacedBy", { name: r.editor ? name(r.editor.displayName) : r.editorParticipant !== null ? t("attribution.participant", { number: r.editorParticipant }) : "—" })} · <LocalTime iso={r.createdAt} />
          </p>
          <div className="rich" dangerouslySetInnerHTML={{ __html: r.html }} />
        </section>
      ))}
    </div>
  );
}
