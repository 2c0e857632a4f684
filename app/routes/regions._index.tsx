import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { resolveLocale } from "~/i18n/i18n.server";
import { listRegions } from "~/models/dialogues.server";
import { pick } from "~/utils/content";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "regions.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const regions = await listRegions();
  return {
    regions: regions.map((r) => ({
      slug: r.slug,
      name: pick(locale, r.nameEn, r.nameZh),
      otherName: locale === "zh" ? r.nameEn : r.nameZh,
      country: r.country,
    })),
  };
}

export default function Regions() {
  const { regions } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <h1>{t("regions.title")}</h1>
      <p className="lead">{t("regions.lead")}</p>
      {(["US", "CN"] as const).map((country) => (
        <section key={country}>
          <h2>{t(`country.${country}`)}</h2>
          <div className="grid">
            {regions.filter((r) => r.country === country).map((r) => (
              <article key={r.slug} className="card">
                <h3><Link to={`/regions/${r.slug}`}>{r.name}</Link></h3>
                <p className="muted other-lang">{r.otherName}</p>
              </article>
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
