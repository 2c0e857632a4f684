/**
 * `/outcomes`: the register of what came of the dialogues, public (members also see the
 * members-only outcomes), filtered by status, type and region, with counts by status. Members
 * see their proposals awaiting review, staff every proposal.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { OUTCOME_STATUSES, OUTCOME_TYPES, OutcomeList } from "~/components/outcomes";
import { getActor } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listRegions } from "~/models/dialogues.server";
import { listOutcomes, listProposals } from "~/models/outcomes/outcomes.server";
import { can } from "~/policy.server";
import { pick } from "~/utils/content";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "outcomes.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const actor = getActor(context);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const [register, proposals, regions] = await Promise.all([listOutcomes(actor, query, locale), listProposals(actor, locale), listRegions()]);
  return {
    ...register,
    proposals,
    regions: regions.map((r) => ({ slug: r.slug, name: pick(locale, r.nameEn, r.nameZh) })),
    canPropose: can(actor, "outcome.propose"),
    staff: can(actor, "outcome.curate"),
  };
}

export default function Outcomes() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const pageHref = (page: number) => `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(d.filters).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])), page: String(page) })}`;
  return (
    <div className="stack-lg">
      <header className="page-header">
        <div>
          <h1>{t("outcomes.title")}</h1>
          <p className="muted">{t("outcomes.intro")}</p>
        </div>
        {d.canPropose ? (
          <Link to="/outcomes/new" className="button" data-testid="propose-outcome">{t("outcomes.propose")}</Link>
        ) : null}
      </header>

      <Form method="get" className="search-form outcome-filters" data-testid="outcome-filters">
        <div className="search-filters">
          <label>
            {t("outcomes.statusLabel")}
            <select name="status" defaultValue={d.filters.status ?? ""} key={`status-${d.filters.status}`}>
              <option value="">{t("outcomes.anyStatus")}</option>
              {OUTCOME_STATUSES.map((s) => (
                <option key={s} value={s}>{t(`outcomes.status.${s}`)} ({d.byStatus[s]})</option>
              ))}
            </select>
          </label>
          <label>
            {t("outcomes.typeLabel")}
            <select name="type" defaultValue={d.filters.type ?? ""} key={`type-${d.filters.type}`}>
              <option value="">{t("outcomes.anyType")}</option>
              {OUTCOME_TYPES.map((type) => (
                <option key={type} value={type}>{t(`outcomes.type.${type}`)}</option>
              ))}
            </select>
          </label>
          <label>
            {t("outcomes.regionLabel")}
            <select name="region" defaultValue={d.filters.region ?? ""} key={`region-${d.filters.region}`}>
              <option value="">{t("outcomes.anyRegion")}</option>
              {d.regions.map((r) => (
                <option key={r.slug} value={r.slug}>{r.name}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button-small">{t("outcomes.filter")}</button>
          {d.filters.status || d.filters.type || d.filters.region ? <Link to="/outcomes" className="search-clear">{t("search.clear")}</Link> : null}
        </div>
      </Form>

      {d.items.length === 0 ? <p className="muted" data-testid="no-outcomes">{t("outcomes.none")}</p> : <OutcomeList items={d.items} />}
      <nav className="pager-row">
        {d.page > 1 ? <Link className="pager" to={pageHref(d.page - 1)}>{t("outcomes.previous")}</Link> : null}
        {d.hasMore ? <Link className="pager" to={pageHref(d.page + 1)}>{t("outcomes.next")}</Link> : null}
      </nav>

      {d.proposals.length ? (
        <section className="stack" data-testid="outcome-proposals">
          <h2>{d.staff ? t("outcomes.awaitingReview") : t("outcomes.yourProposals")}</h2>
          <p className="muted">{d.staff ? t("outcomes.awaitingReviewHelp") : t("outcomes.yourProposalsHelp")}</p>
          <OutcomeList items={d.proposals} testId="outcome-proposal-list" />
        </section>
      ) : null}
    </div>
  );
}
