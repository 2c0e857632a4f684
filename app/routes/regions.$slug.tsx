import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/dialogues";
import { CaseStudyList, MemberCard } from "~/components/members";
import { getActor } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { displayStatus, getRegion } from "~/models/dialogues.server";
import { countMembersOnlyRegionCaseStudies, listRegionCaseStudies, presentCaseStudy, presentMember } from "~/models/directory.server";
import { listRegionMembers } from "~/models/users.server";
import { can } from "~/policy.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { OutcomeCounts } from "~/components/outcomes";
import { outcomeCounts } from "~/models/outcomes/outcomes.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.name} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const region = await loadOrThrow(request, () => getRegion(params.slug ?? ""));
  const actor = getActor(context);
  const member = can(actor, "member.read");
  const [members, caseStudies, hiddenCaseStudies, outcomes] = await Promise.all([
    member ? listRegionMembers(actor, region.id) : null,
    listRegionCaseStudies(actor, region.id),
    member ? 0 : countMembersOnlyRegionCaseStudies(region.id),
    outcomeCounts(actor, { regionId: region.id }),
  ]);
  return {
    slug: region.slug,
    name: pick(locale, region.nameEn, region.nameZh),
    otherName: locale === "zh" ? region.nameEn : region.nameZh,
    country: region.country,
    dialogues: region.dialogues.map(({ dialogue: d }) => ({
      slug: d.slug,
      title: pick(locale, d.titleEn, d.titleZh),
      status: displayStatus(d),
    })),
    caseStudies: caseStudies.map((c) => presentCaseStudy(c, locale)),
    hiddenCaseStudies,
    members: members?.map((m) => presentMember(m, locale)) ?? null,
    outcomes,
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
        <h2>{t("outcomes.regionTitle")}</h2>
        <OutcomeCounts total={r.outcomes.total} byStatus={r.outcomes.byStatus} region={r.slug} />
      </section>
      <section>
        <h2>{t("regions.caseStudies")}</h2>
        {r.caseStudies.length === 0 ? <p className="muted">{t("regions.noCaseStudies")}</p> : <CaseStudyList items={r.caseStudies} testId="region-case-studies" />}
        {r.hiddenCaseStudies > 0 ? (
          <p className="muted">
            {t("regions.signInForCaseStudies", { count: r.hiddenCaseStudies })} <Link to={`/signin?redirectTo=${encodeURIComponent(`/regions/${r.slug}`)}`}>{t("nav.signIn")}</Link>
          </p>
        ) : null}
      </section>
      <section>
        <h2>{t("regions.dialogues")}</h2>
        {r.dialogues.length === 0 ? <p className="muted">{t("regions.noDialogues")}</p> : null}
        <ul className="list" data-testid="region-dialogues">
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
            {t("regions.signInForMembers")} <Link to={`/signin?redirectTo=${encodeURIComponent(`/regions/${r.slug}`)}`}>{t("nav.signIn")}</Link>
          </p>
        ) : r.members.length === 0 ? (
          <p className="muted">{t("regions.noMembers")}</p>
        ) : (
          <>
            <ul className="member-grid" data-testid="region-members">
              {r.members.map((m) => (
                <MemberCard key={m.id} member={m} />
              ))}
            </ul>
            <p><Link to={`/members?region=${r.slug}`}>{t("regions.allMembers")}</Link></p>
          </>
        )}
      </section>
    </div>
  );
}
