import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getActor } from "~/http/auth.server";
import { LocalTime } from "~/components/time";
import { resolveLocale } from "~/i18n/i18n.server";
import { listRegions } from "~/models/dialogues.server";
import { search, searchParamsFrom, type SearchHit, type SearchParams } from "~/models/search.server";
import { pick } from "~/utils/content";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.query.q ? `${data.query.q} · Search · Coal Regions Network` : "Search · Coal Regions Network" },
  { name: "robots", content: "noindex" },
];

/** Where a hit leads: a case study in the hit's language, a thread, or a reply in its thread. */
function hrefOf(hit: SearchHit): string {
  switch (hit.kind) {
    case "case_study":
      return `/case-studies/${hit.caseStudyId}?lang=${hit.languages[0] === "zh" ? "zh" : "en"}`;
    case "thread":
      return `/threads/${hit.threadId}`;
    default:
      return `/threads/${hit.threadId}?after=${Math.max((hit.postNumber ?? 1) - 1, 0)}#post-${hit.postNumber}`;
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const actor = getActor(context);
  const params = searchParamsFrom(new URL(request.url).searchParams);
  const [result, regions] = await Promise.all([search(actor, params, undefined, locale), listRegions()]);
  return {
    signedIn: actor !== null,
    query: result.query,
    hasMore: result.hasMore,
    hits: result.hits.map((hit) => ({ ...hit, href: hrefOf(hit) })),
    regions: regions.map((r) => ({ slug: r.slug, name: pick(locale, r.nameEn, r.nameZh), country: r.country })),
  };
}

/** The query string of this search with some parameters changed (empty ones left out). */
function searchHref(query: SearchParams, change: Partial<Record<keyof SearchParams, string | number | undefined>>): string {
  const merged: Record<string, string | number | undefined> = { ...query, ...change };
  const params = new URLSearchParams();
  for (const key of ["q", "type", "region", "country", "language", "page"]) {
    const value = merged[key];
    if (value !== undefined && value !== "" && !(key === "page" && value === 1)) params.set(key, String(value));
  }
  return `/search?${params}`;
}

export default function Search() {
  const { query, hits, hasMore, regions, signedIn } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/search";
  const filtered = Boolean(query.type || query.region || query.country || query.language);
  return (
    <div className="stack-lg narrow-wide search-page">
      <div className="stack">
        <h1>{t("search.title")}</h1>
        <p className="muted">{t("search.lead")}</p>
        {!signedIn ? <p className="notice" data-testid="search-signed-out">{t("search.signedOut")}</p> : null}
      </div>

      <Form method="get" action="/search" role="search" className="form search-form" data-testid="search-form">
        <div className="search-box">
          <label htmlFor="search-q" className="visually-hidden">{t("search.label")}</label>
          <input id="search-q" type="search" name="q" defaultValue={query.q} key={query.q} placeholder={t("search.placeholder")} maxLength={200} autoComplete="off" />
          <button type="submit" className="button">{t("search.submit")}</button>
        </div>
        <div className="search-filters">
          <label>
            <span>{t("search.type")}</span>
            <select name="type" defaultValue={query.type ?? ""} key={`type-${query.type}`}>
              <option value="">{t("search.anyType")}</option>
              {(["case_study", "thread", "reply"] as const).map((type) => (
                <option key={type} value={type}>{t(`search.types.${type}`)}</option>
              ))}
            </select>
          </label>
          <label>
            <span>{t("search.region")}</span>
            <select name="region" defaultValue={query.region ?? ""} key={`region-${query.region}`}>
              <option value="">{t("search.anyRegion")}</option>
              {(["US", "CN"] as const).map((country) => (
                <optgroup key={country} label={t(`country.${country}`)}>
                  {regions.filter((r) => r.country === country).map((r) => (
                    <option key={r.slug} value={r.slug}>{r.name}</option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            <span>{t("search.country")}</span>
            <select name="country" defaultValue={query.country ?? ""} key={`country-${query.country}`}>
              <option value="">{t("search.anyCountry")}</option>
              <option value="US">{t("country.US")}</option>
              <option value="CN">{t("country.CN")}</option>
            </select>
          </label>
          <label>
            <span>{t("search.language")}</span>
            <select name="language" defaultValue={query.language ?? ""} key={`language-${query.language}`}>
              <option value="">{t("search.anyLanguage")}</option>
              <option value="en">{t("search.languages.en")}</option>
              <option value="zh">{t("search.languages.zh")}</option>
            </select>
          </label>
          {filtered ? <Link to={searchHref(query, { type: "", region: "", country: "", language: "", page: 1 })} className="search-clear">{t("search.clear")}</Link> : null}
        </div>
      </Form>

      {query.q ? (
        <section aria-live="polite" aria-busy={searching} className={searching ? "search-results pending" : "search-results"}>
          <h2 className="search-summary">
            {t("search.resultsFor", { q: query.q })}
            {query.page > 1 ? <span className="muted"> · {t("search.page", { page: query.page })}</span> : null}
            {searching ? <span className="muted"> · {t("search.searching")}</span> : null}
          </h2>
          {hits.length === 0 ? (
            <div className="card search-empty" data-testid="search-empty">
              <p>{query.page > 1 ? t("search.noMore") : t("search.empty", { q: query.q })}</p>
              {query.page === 1 ? <p className="muted">{t("search.emptyHint")}</p> : null}
            </div>
          ) : (
            <ol className="search-hits" data-testid="search-results">
              {hits.map((hit) => (
                <li key={`${hit.kind}:${hit.refId}`} className="card search-hit" data-testid="search-hit" data-kind={hit.kind} data-ref-id={hit.refId}>
                  <div className="card-meta">
                    <span className={`badge badge-${hit.kind}`}>{t(`search.types.${hit.kind}`)}</span>
                    {hit.languages.map((language) => (
                      <span key={language} className="badge" data-testid="language-badge" data-language={language}>{language === "zh" ? "中文" : "EN"}</span>
                    ))}
                    <span className="muted"><LocalTime iso={hit.createdAt} /></span>
                  </div>
                  <h3>
                    <Link to={hit.href} dangerouslySetInnerHTML={{ __html: hit.titleHtml }} />
                  </h3>
                  {hit.kind !== "thread" ? <p className="search-snippet" dangerouslySetInnerHTML={{ __html: hit.snippetHtml }} /> : null}
                </li>
              ))}
            </ol>
          )}
          <div className="search-pager">
            {query.page > 1 ? <Link to={searchHref(query, { page: 1 })}>{t("search.firstPage")}</Link> : null}
            {hasMore ? (
              <Link to={searchHref(query, { page: query.page + 1 })} className="button button-secondary" data-testid="search-more">
                {t("search.more")}
              </Link>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}
