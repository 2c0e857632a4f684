import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listParticipationRequests } from "~/models/participation.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "requests.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const requests = await loadOrThrow(request, () => listParticipationRequests(getActor(context)));
  return {
    requests: requests.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      organisation: r.organisation,
      message: r.message,
      createdAt: r.createdAt.toISOString(),
      dialogue: { slug: r.dialogue.slug, title: pick(locale, r.dialogue.titleEn, r.dialogue.titleZh) },
    })),
  };
}

export default function ParticipationRequests() {
  const { requests } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <h1>{t("requests.title")}</h1>
      {requests.length === 0 ? <p className="muted">{t("requests.none")}</p> : null}
      <ul className="list" data-testid="participation-requests">
        {requests.map((r) => (
          <li key={r.id} className="card">
            <p>
              <strong>{r.name}</strong> · <a href={`mailto:${r.email}`}>{r.email}</a>
              {r.organisation ? <> · {r.organisation}</> : null}
            </p>
            <p className="muted">
              <Link to={`/dialogues/${r.dialogue.slug}`}>{r.dialogue.title}</Link> · <LocalTime iso={r.createdAt} />
            </p>
            {r.message ? <p className="excerpt">{r.message}</p> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
