/**
 * `/surveys`: the open surveys a member may answer, with how far they got (not started, a draft
 * saved, answered), and the closed ones they answered; staff see every survey and write new ones.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { requireUser, getActor } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listSurveys } from "~/models/surveys/surveys.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "surveys.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  return listSurveys(getActor(context), locale);
}

export default function Surveys() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <header className="page-header">
        <h1>{t("surveys.title")}</h1>
        {d.canManage ? <Link to="/surveys/new" className="button" data-testid="new-survey">{t("surveys.new")}</Link> : null}
      </header>
      <p className="muted">{t("surveys.intro")}</p>
      {d.surveys.length === 0 ? <p className="muted" data-testid="no-surveys">{t("surveys.none")}</p> : null}
      <ul className="list" data-testid="surveys">
        {d.surveys.map((s) => (
          <li key={s.id} className="card" data-testid="survey-card" data-survey-id={s.id}>
            <div className="badges">
              <span className={`badge survey-state-${s.state}`}>{t(`surveys.state.${s.state}`)}</span>
              <span className="badge">{t(s.anonymous ? "surveys.anonymous" : "surveys.attributed")}</span>
              {d.canManage ? null : <span className="badge" data-testid="survey-progress">{t(`surveys.progress.${s.progress}`)}</span>}
            </div>
            <h2 className="h3">
              <Link to={s.state === "open" || !d.canManage ? `/surveys/${s.id}` : `/surveys/${s.id}/edit`}>{s.title}</Link>
            </h2>
            {s.closesAt ? <p className="muted small">{t("surveys.closes")} <LocalTime iso={s.closesAt} /></p> : null}
            {d.canManage ? (
              <p className="small">
                <Link to={`/surveys/${s.id}/edit`}>{t("surveys.edit")}</Link> · <Link to={`/surveys/${s.id}/results`}>{t("surveys.results.link", { count: s.responses ?? 0 })}</Link>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
