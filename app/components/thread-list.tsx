/**
 * A category's threads: pinned first, then by last activity, with post counts and — for
 * threads the reader tracks or watches — their unread count. Counts refresh live.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "./time";
import { useMemberName } from "~/components/member-name";

export interface ThreadRow {
  id: string;
  title: string;
  replyCount: number;
  lastActivityAt: string;
  pinned: boolean;
  locked: boolean;
  unread: number | null;
  level: string;
  author: { id: string; displayName: string } | null;
}

export function ThreadList({ threads, nextCursor }: { threads: ThreadRow[]; nextCursor: string | null }) {
  const { t } = useTranslation();
  const name = useMemberName();
  if (threads.length === 0) return <p className="muted">{t("threads.none")}</p>;
  return (
    <>
      <table className="table thread-table" data-testid="thread-list">
        <thead>
          <tr>
            <th>{t("threads.topic")}</th>
            <th className="num">{t("threads.posts")}</th>
            <th>{t("threads.activity")}</th>
          </tr>
        </thead>
        <tbody>
          {threads.map((thread) => (
            <tr key={thread.id} data-testid="thread-row" data-thread-id={thread.id}>
              <td>
                {thread.pinned ? <span className="badge badge-scheduled tag">{t("thread.pinned")}</span> : null}
                {thread.locked ? <span className="badge badge-tbd tag">{t("thread.locked")}</span> : null}
                <Link to={`/threads/${thread.id}`} className="thread-link">{thread.title}</Link>
                {thread.unread ? (
                  <span className="unread-badge" data-testid="unread-count" title={t("threads.unread", { count: thread.unread })}>{thread.unread}</span>
                ) : null}
                {thread.level === "muted" ? <span className="muted"> · {t("watch.levels.muted")}</span> : null}
                {thread.author ? <div className="muted small">{name(thread.author.displayName)}</div> : null}
              </td>
              <td className="num">{thread.replyCount}</td>
              <td className="muted"><LocalTime iso={thread.lastActivityAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextCursor ? <Link className="pager" to={`?cursor=${encodeURIComponent(nextCursor)}`}>{t("threads.more")}</Link> : null}
    </>
  );
}
