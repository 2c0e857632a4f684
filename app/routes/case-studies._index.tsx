import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseStudyCard } from "~/components/case-studies";
import { getActor } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { caseStudyChoices, listCaseStudies, listOwnDrafts } from "~/models/case-studies.server";
import { pick } from "~/utils/content";
import { z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.heading ?? "Case studies"} · Coal Regions Network` },
  { name: "description", content: data?.description ?? "" },
];

const filtersSchema = z.object({
  region: z.string().max(60).regex(/^[a-z0-9-]+$/).optional().catch(undefined),
  country: z.enum(["US", "CN"]).optional().catch(undefined),
  topic: z.string().max(60).regex(/^[a-z0-9-]+$/).optional().catch(undefined),
  language: z.enum(["en", "zh"]).optional().catch(undefined),
  sort: z.enum(["newest", "endorsed"]).default("newest").catch("newest"),
  page: z.coerce.number().int().min(1).max(500).default(1).catch(1),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = getActor(context);
  const locale = await resolveLocale(request, context);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const filters = filtersSchema.parse(params);
  const [list, choices, drafts] = await Promise.all([listCaseStudies(actor, filters), caseStudyChoices(), listOwnDrafts(actor)]);
  return {
    locale,
    filters,
    ...list,
    drafts,
    signedIn: actor !== null,
    regions: choices.regions.map((r) => ({ slug: r.slug, name: pick(locale, r.nameEn, r.nameZh), country: r.country })),
    topics: choices.topics.map((tp) => ({ slug: tp.slug, name: pick(locale, tp.nameEn, tp.nameZh) })),
    heading: locale === "zh" ? "案例研究" : "Case studies",
    description:
      locale === "zh"
        ? "煤炭地区网络各地区的最佳实践案例研究，提供英文和中文版本。"
        : "Best-practice case studies from the Coal Regions Network, in English and Chinese.",
  };
}

export default function CaseStudies() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { filters } = data;
  const pageLink = (page: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filters, page })) {
      if (value !== undefined && value !== null && value !== "" && !(key === "page" && value === 1) && !(key === "sort" && value === "newest")) {
        params.set(key, String(value));
      }
    }
    const query = params.toString();
    return `/case-studies${query ? `?${query}` : ""}`;
  };
  return (
    <div className="stack-lg">
      <div className="page-header">
        <div>
          <h1>{t("caseStudies.title")}</h1>
          <p className="lead">{t("caseStudies.intro")}</p>
        </div>
        {data.signedIn ? (
          <div className="page-actions">
            <Link to="/case-studies/new" className="button" data-testid="new-case-study">{t("caseStudies.new")}</Link>
          </div>
        ) : null}
      </div>

      <Form method="get" className="card cs-filters" data-testid="case-study-filters">
        <label>
          {t("caseStudies.filters.region")}
          <select name="region" defaultValue={filters.region ?? ""}>
            <option value="">{t("caseStudies.filters.any")}</option>
            {data.regions.map((r) => <option key={r.slug} value={r.slug}>{r.name}</option>)}
          </select>
        </label>
        <label>
          {t("caseStudies.filters.country")}
          <select name="country" defaultValue={filters.country ?? ""}>
            <option value="">{t("caseStudies.filters.any")}</option>
            <option value="US">{t("country.US")}</option>
            <option value="CN">{t("country.CN")}</option>
          </select>
        </label>
        <label>
          {t("caseStudies.filters.topic")}
          <select name="topic" defaultValue={filters.topic ?? ""}>
            <option value="">{t("caseStudies.filters.any")}</option>
            {data.topics.map((tp) => <option key={tp.slug} value={tp.slug}>{tp.name}</option>)}
          </select>
        </label>
        <label>
          {t("caseStudies.filters.language")}
          <select name="language" defaultValue={filters.language ?? ""}>
            <option value="">{t("caseStudies.filters.any")}</option>
            <option value="en">{t("caseStudies.lang.en")}</option>
            <option value="zh">{t("caseStudies.lang.zh")}</option>
          </select>
        </label>
        <label>
          {t("caseStudies.filters.sort")}
          <select name="sort" defaultValue={filters.sort}>
            <option value="newest">{t("caseStudies.filters.newest")}</option>
            <option value="endorsed">{t("caseStudies.filters.endorsed")}</option>
          </select>
        </label>
        <div className="cs-filter-actions">
          <button type="submit" className="button button-small">{navigation.state === "loading" ? t("common.working") : t("caseStudies.filters.apply")}</button>
          <Link to="/case-studies" className="link-action">{t("caseStudies.filters.clear")}</Link>
        </div>
      </Form>

      {data.drafts.length ? (
        <section className="stack" data-testid="my-drafts">
          <h2>{t("caseStudies.myDrafts")}</h2>
          <div className="cs-list">
            {data.drafts.map((study) => <CaseStudyCard key={study.id} study={study} locale={data.locale} />)}
          </div>
        </section>
      ) : null}

      <section className="stack" data-testid="case-study-list">
        {data.drafts.length ? <h2>{t("caseStudies.published")}</h2> : null}
        {data.items.length ? (
          <div className="cs-list">
            {data.items.map((study) => <CaseStudyCard key={study.id} study={study} locale={data.locale} />)}
          </div>
        ) : (
          <p className="muted card">{t("caseStudies.none")}</p>
        )}
        {data.page > 1 || data.hasMore ? (
          <nav className="pager" aria-label={t("caseStudies.pages")}>
            {data.page > 1 ? <Link to={pageLink(data.page - 1)} rel="prev">← {t("caseStudies.previous")}</Link> : <span />}
            {data.hasMore ? <Link to={pageLink(data.page + 1)} rel="next">{t("caseStudies.next")} →</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
