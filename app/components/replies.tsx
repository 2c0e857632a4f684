/** One reply: author, region, time, plain-text paragraphs. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ReplyView } from "~/realtime/events";
import { paragraphs, pick } from "~/utils/content";
import type { Lang } from "~/i18n/config";
import { LocalTime } from "./time";

export function ReplyItem({ reply }: { reply: ReplyView }) {
  const { i18n } = useTranslation();
  const lang = (i18n.language === "zh" ? "zh" : "en") as Lang;
  return (
    <li className="reply card" id={`reply-${reply.id}`} data-testid="reply">
      <div className="reply-meta">
        <Link to={`/members/${reply.author.id}`} className="reply-author">{reply.author.displayName}</Link>
        {reply.author.region ? (
          <Link to={`/regions/${reply.author.region.slug}`} className="muted">
            {pick(lang, reply.author.region.nameEn, reply.author.region.nameZh)}
          </Link>
        ) : null}
        <span className="muted"><LocalTime iso={reply.createdAt} /></span>
      </div>
      <div className="reply-body">
        {paragraphs(reply.body).map((p, i) => <p key={i}>{p}</p>)}
      </div>
    </li>
  );
}
