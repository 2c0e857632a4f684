import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/dialogues";
import { getActor } from "~/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { displayStatus, getRegion } from "~/models/dialogues.server";
import { listRegionMembers } from "~/models/users.server";
import { can } from "~/policy.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.name} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const region = await loadOrThrow(request, () => getRegion(params.slug ?? ""));
  const actor = getActor(context);
  const members = can(actor, "member.read") ? await listRegionMembers(actor, region.id) : null;
  return {
    name: pick(locale, region.nameEn, region.nameZh),
    otherName: locale === "zh" ? region.nameEn : region.nameZh,
    country: region.country,
    dialogues: region.dialogues.map(({ dialogue: d }) => ({
      slug: d.slug,
      title: pick(locale, d.titleEn, d.titleZh),
      status: displayStatus(d),
    })),
    members: members?.map((m) => ({ id: m.id, displayName: m.displayName, organisation: m.organisation, role: m.role })) ?? null,
  };
}

export default function RegionPage() {
  const r = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <nav className="breadcrumbs"><Link to="/regions">{t("nav.regions")}</Link></nav>
      <header>
        <p className="eyebrow">{t(`country.${r.country}`)}</p>
        <h1>{r.name}</h1>
        <p className="muted other-lang">{r.otherName}</p>
      </header>
      <section>
        <h2>{t("regions.dialogues")}</h2>
        <ul className="list">
          {r.dialogues.map((d) => (
            <li key={d.slug}>
              <StatusBadge status={d.status} /> <Link to={`/dialogues/${d.slug}`}>{d.title}</Link>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h2>{t("regions.members")}</h2>
        {r.members === null ? (
          <p className="muted">
            {t("regions.signInForMembers")} <Link to="/signin">{t("nav.signIn")}</Link>
          </p>
        ) : r.members.length === 0 ? (
          <p className="muted">{t("regions.noMembers")}</p>
        ) : (
          <ul className="list" data-testid="region-members">
            {r.members.map((m) => (
              <li key={m.id}>
                <Link to={`/members/${m.id}`}>{m.displayName}</Link>
                {m.organisation ? <span className="muted"> · {m.organisation}</span> : null}
                {m.role !== "member" ? <span className="badge">{t(`roles.${m.role}`)}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
