import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DialogueCard } from "~/components/dialogues";
import { resolveLocale } from "~/i18n/i18n.server";
import { listRegions, listSeries, upcomingDialoguesIn, presentDialogueCard } from "~/models/dialogues.server";
import { pick } from "~/utils/content";
import { OutcomeCounts } from "~/components/outcomes";
import { getActor } from "~/http/auth.server";
import { outcomeCounts } from "~/models/outcomes/outcomes.server";

export const meta: MetaFunction = () => [
  { title: "Coal Regions Network · 煤炭地区网络" },
  { name: "description", content: "U.S.–China Coal Regions and the Energy Transition Track 2 Dialogues" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const [series, regions, outcomes] = await Promise.all([listSeries(), listRegions(), outcomeCounts(getActor(context))]);
  const upcoming = upcomingDialoguesIn(series);
  const current = series[series.length - 1];
  return {
    series: series.map((s) => ({
      slug: s.slug,
      title: pick(locale, s.titleEn, s.titleZh),
      years: `${s.startYear} – ${s.endYear}`,
      dialogues: s.dialogues.map((d) => presentDialogueCard({ ...d, series: s }, locale)),
    })),
    currentSlug: current?.slug ?? null,
    upcoming: upcoming.map((d) => presentDialogueCard(d, locale, true)),
    regions: regions.map((r) => ({ slug: r.slug, name: pick(locale, r.nameEn, r.nameZh), country: r.country })),
    outcomes,
  };
}

export default function Home() {
  const { series, currentSlug, upcoming, regions, outcomes } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const current = series.find((s) => s.slug === currentSlug);
  return (
    <div className="stack-lg">
      <section className="hero">
        <p className="eyebrow">{t("home.eyebrow")}</p>
        <h1>{t("home.title")}</h1>
        <p className="lead">{t("home.lead")}</p>
      </section>

      <section aria-labelledby="goals">
        <h2 id="goals">{t("home.goals")}</h2>
        <ol className="goals">
          <li>{t("home.goal1")}</li>
          <li>{t("home.goal2")}</li>
        </ol>
      </section>

      <section aria-labelledby="outcomes" className="card">
        <h2 id="outcomes">{t("outcomes.homeTitle")}</h2>
        <OutcomeCounts total={outcomes.total} byStatus={outcomes.byStatus} />
      </section>

      <section aria-labelledby="background" className="card prose">
        <h2 id="background">{t("home.background")}</h2>
        <p>{t("home.background1")}</p>
        <p>{t("home.background2")}</p>
      </section>

      {current ? (
        <section aria-labelledby="current">
          <h2 id="current">{t("home.currentSeries")}</h2>
          <p className="section-sub">
            <Link to={`/series/${current.slug}`}>{current.title}</Link> · {current.years}
          </p>
          <div className="grid">
            {current.dialogues.map((d) => <DialogueCard key={d.slug} dialogue={d} />)}
          </div>
        </section>
      ) : null}

      <section aria-labelledby="upcoming">
        <h2 id="upcoming">{t("home.upcoming")}</h2>
        {upcoming.length ? (
          <div className="grid">{upcoming.map((d) => <DialogueCard key={d.slug} dialogue={d} />)}</div>
        ) : (
          <p className="muted">{t("home.noUpcoming")}</p>
        )}
      </section>

      <section aria-labelledby="programme">
        <h2 id="programme">{t("home.programme")}</h2>
        <ol className="timeline">
          {series.map((s) => (
            <li key={s.slug}>
              <span className="timeline-years">{s.years}</span>
              <div>
                <h3><Link to={`/series/${s.slug}`}>{s.title}</Link></h3>
                <ul className="plain-list">
                  {s.dialogues.map((d) => (
                    <li key={d.slug}><Link to={`/dialogues/${d.slug}`}>{d.title}</Link></li>
                  ))}
                </ul>
              </div>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="regions">
        <h2 id="regions">{t("home.regions")}</h2>
        <ul className="chips">
          {regions.map((r) => (
            <li key={r.slug}>
              <Link to={`/regions/${r.slug}`} className="chip">
                <span className="chip-country">{t(`country.${r.country}`)}</span> {r.name}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
