import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { getProfile } from "~/models/users.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.displayName} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const { user, replies } = await loadOrThrow(request, () => getProfile(getActor(context), params.id ?? ""));
  return {
    displayName: user.displayName,
    organisation: user.organisation,
    role: user.role,
    region: user.region ? { slug: user.region.slug, name: pick(locale, user.region.nameEn, user.region.nameZh) } : null,
    joined: user.createdAt.toISOString(),
    replies: replies.map((r) => ({
      id: r.id,
      excerpt: r.body.slice(0, 240),
      createdAt: r.createdAt.toISOString(),
      thread: { id: r.thread.id, title: pick(locale, r.thread.titleEn, r.thread.titleZh) },
    })),
  };
}

export default function MemberPage() {
  const m = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <header>
        <h1>{m.displayName}</h1>
        <p className="muted">
          {m.organisation}
          {m.region ? <> · <Link to={`/regions/${m.region.slug}`}>{m.region.name}</Link></> : null}
          {m.role !== "member" ? <> · <span className="badge">{t(`roles.${m.role}`)}</span></> : null}
        </p>
        <p className="muted">{t("members.joined")} <LocalTime iso={m.joined} /></p>
      </header>
      <section>
        <h2>{t("members.recentReplies")}</h2>
        {m.replies.length === 0 ? <p className="muted">{t("members.noReplies")}</p> : null}
        <ul className="list">
          {m.replies.map((r) => (
            <li key={r.id}>
              <Link to={`/threads/${r.thread.id}#reply-${r.id}`}>{r.thread.title}</Link> · <LocalTime iso={r.createdAt} />
              <p className="excerpt">{r.excerpt}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
