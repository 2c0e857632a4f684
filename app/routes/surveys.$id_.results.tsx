/**
 * `/surveys/<id>/results`: each question's counts and percentages as an accessible SVG chart
 * with the numbers in a table, the U.S. and Chinese answers side by side, a breakdown by region
 * (cells under five answers withheld on anonymous surveys), free-text answers (staff), and the
 * CSV and JSON downloads (staff). Respondents see it when the survey shares its results.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BarChart, GroupedBarChart } from "~/components/survey-charts";
import { getActor } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { getSurveyResults } from "~/models/surveys/results.server";
import { loadOrThrow } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  return loadOrThrow(request, () => getSurveyResults(getActor(context), params.id ?? "", locale));
}

export default function SurveyResults() {
  const r = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg survey-results">
      <nav className="breadcrumbs"><Link to="/surveys">{t("surveys.title")}</Link> › <Link to={`/surveys/${r.id}`}>{r.title}</Link></nav>
      <header className="stack">
        <h1>{t("surveys.results.title", { title: r.title })}</h1>
        <p data-testid="results-total">{t("surveys.results.total", { count: r.total })}</p>
        {r.anonymous ? <p className="muted small">{t("surveys.results.smallCells", { min: r.smallCellMin })}</p> : null}
        {r.canExport ? (
          <p>
            <a href={`/surveys/${r.id}/results.csv`} download className="button button-secondary" data-testid="download-csv">{t("surveys.results.csv")}</a>{" "}
            <a href={`/surveys/${r.id}/results.json`} className="button button-secondary" data-testid="download-json">{t("surveys.results.json")}</a>
          </p>
        ) : null}
      </header>
      {r.questions.map((q) => (
        <section key={q.id} className="card stack" data-testid="question-result" data-question-type={q.type}>
          {q.section ? <p className="muted small">{q.section}</p> : null}
          <h2 className="h3">{q.number}. {q.prompt}</h2>
          <p className="muted small">{t("surveys.results.answered", { count: q.answered })}</p>
          {q.options.length ? (
            <>
              <BarChart title={`${q.number}. ${q.prompt}`} bars={q.options} />
              <table className="data-table" data-testid="result-table">
                <thead>
                  <tr>
                    <th scope="col">{t("surveys.results.answer")}</th>
                    <th scope="col">{t("surveys.results.count")}</th>
                    <th scope="col">{t("surveys.results.percent")}</th>
                  </tr>
                </thead>
                <tbody>
                  {q.options.map((o) => (
                    <tr key={o.id}>
                      <th scope="row">{o.label}</th>
                      <td>{o.count}</td>
                      <td>{o.percent}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          {q.stats ? (
            <p data-testid="result-stats">
              {t("surveys.results.stats", { mean: q.stats.mean, median: q.stats.median, min: q.stats.min, max: q.stats.max })}
            </p>
          ) : null}
          {q.byCountry.length ? (
            <details open>
              <summary>{t("surveys.results.byCountry")}</summary>
              <GroupedBarChart
                title={t("surveys.results.byCountryTitle", { prompt: q.prompt })}
                labels={q.options.map((o) => o.label)}
                series={q.byCountry.map((g) => ({ label: g.withheld ? g.label : `${g.label} (${g.answered})`, withheld: g.withheld, values: q.options.map((o) => g.options.find((x) => x.id === o.id)?.percent ?? 0) }))}
                testId="country-chart"
              />
            </details>
          ) : null}
          {q.byRegion.length ? (
            <details>
              <summary>{t("surveys.results.byRegion")}</summary>
              <div className="table-scroll">
                <table className="data-table" data-testid="region-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("surveys.results.answer")}</th>
                      {q.byRegion.map((g) => (
                        <th key={g.key} scope="col">{g.label}{g.withheld ? "" : ` (${g.answered})`}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {q.options.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">{o.label}</th>
                        {q.byRegion.map((g) => (
                          <td key={g.key} data-withheld={g.withheld || undefined}>
                            {g.withheld ? <span className="muted" title={t("surveys.results.withheld", { min: r.smallCellMin })}>—</span> : `${g.options.find((x) => x.id === o.id)?.percent ?? 0}%`}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {q.byRegion.some((g) => g.withheld) ? <p className="muted small" data-testid="withheld-note">{t("surveys.results.withheld", { min: r.smallCellMin })}</p> : null}
            </details>
          ) : null}
          {q.texts ? (
            q.texts.length ? (
              <ul className="survey-texts" data-testid="result-texts">
                {q.texts.map((text, i) => (
                  <li key={i}>{text}</li>
                ))}
              </ul>
            ) : <p className="muted small">{t("surveys.results.noTexts")}</p>
          ) : q.type === "short_text" || q.type === "long_text" ? (
            <p className="muted small">{t("surveys.results.textsStaffOnly")}</p>
          ) : null}
        </section>
      ))}
    </div>
  );
}
