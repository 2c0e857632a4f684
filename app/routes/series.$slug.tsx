import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DialogueCard } from "~/components/dialogues";
import { resolveLocale } from "~/i18n/i18n.server";
import { getSeries, presentDialogueCard } from "~/models/dialogues.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const series = await loadOrThrow(request, () => getSeries(params.slug ?? ""));
  return {
    title: pick(locale, series.titleEn, series.titleZh),
    otherTitle: locale === "zh" ? series.titleEn : series.titleZh,
    summary: pick(locale, series.summaryEn, series.summaryZh),
    years: `${series.startYear} – ${series.endYear}`,
    dialogues: series.dialogues.map((d) => presentDialogueCard({ ...d, series }, locale)),
  };
}

export default function SeriesPage() {
  const s = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <nav className="breadcrumbs"><Link to="/">{t("nav.programme")}</Link></nav>
      <header>
        <p className="eyebrow">{t("series.label")} · {s.years}</p>
        <h1>{s.title}</h1>
        {s.otherTitle ? <p className="muted other-lang">{s.otherTitle}</p> : null}
        {s.summary ? <p className="lead">{s.summary}</p> : null}
      </header>
      <div className="grid">
        {s.dialogues.map((d) => <DialogueCard key={d.slug} dialogue={d} />)}
      </div>
    </div>
  );
}
