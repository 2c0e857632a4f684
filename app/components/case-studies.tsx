/** Pieces shared by the case-study pages: the list card, the metadata and version form fields. */
import { Link } from "@remix-run/react";
import { dateTimeFormat } from "~/utils/dates";
import { useTranslation } from "react-i18next";
import { FieldError, type Errors } from "~/components/forms";
import type { Lang } from "~/i18n/config";
import type { CaseStudyListItem } from "~/models/case-studies.server";
import { pick } from "~/utils/content";
import { useMemberName } from "~/components/member-name";

/** A case study as the list cards show it: the model's list item. */
export type CardStudy = CaseStudyListItem;

/** The version in the reader's language, else the other one. */
export function preferredVersion<V extends { language: Lang }>(versions: V[], locale: Lang): V | undefined {
  return versions.find((v) => v.language === locale) ?? versions[0];
}

export function formatDate(iso: string, locale: Lang): string {
  return dateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
}

export function CaseStudyCard({ study, locale }: { study: CardStudy; locale: Lang }) {
  const { t } = useTranslation();
  const name = useMemberName();
  const version = preferredVersion(study.versions, locale);
  if (!version) return null;
  return (
    <article className="card cs-card" data-testid="case-study-card" lang={version.language === "zh" ? "zh-CN" : "en"}>
      <h2 className="cs-card-title">
        <Link to={`/case-studies/${study.id}`}>{version.title}</Link>
      </h2>
      {version.summary ? <p className="cs-card-summary">{version.summary}</p> : null}
      <div className="cs-meta" lang={locale === "zh" ? "zh-CN" : "en"}>
        {study.status === "draft" ? <span className="tag tag-draft">{t("caseStudies.draft")}</span> : null}
        <span className="tag">{study.isPublic ? t("caseStudies.public") : t("caseStudies.membersOnly")}</span>
        {study.versions.map((v) => (
          <span key={v.language} className="tag tag-lang">{t(`caseStudies.lang.${v.language}`)}</span>
        ))}
        {study.regions.map((r) => (
          <Link key={r.slug} className="tag tag-region" to={`/case-studies?region=${r.slug}`}>{pick(locale, r.nameEn, r.nameZh)}</Link>
        ))}
        {study.topics.map((tp) => (
          <Link key={tp.slug} className="tag tag-topic" to={`/case-studies?topic=${tp.slug}`}>{pick(locale, tp.nameEn, tp.nameZh)}</Link>
        ))}
      </div>
      <p className="muted cs-byline">
        {t("caseStudies.by", { name: name(study.author.displayName) })}
        {study.publishedAt ? ` · ${formatDate(study.publishedAt, locale)}` : ""}
        {" · "}
        <span data-testid="endorsement-count">{t("caseStudies.endorsements", { count: study.endorsementCount })}</span>
      </p>
    </article>
  );
}

export interface Choices {
  regions: { id: string; slug: string; nameEn: string; nameZh: string; country: string }[];
  topics: { id: string; slug: string; nameEn: string; nameZh: string }[];
}

/** Regions, topics and the public flag (checkboxes posting `regionIds`, `topicIds`, `isPublic`). */
export function MetadataFields({ choices, locale, regionIds, topicIds, isPublic, errors }: {
  choices: Choices;
  locale: Lang;
  regionIds: string[];
  topicIds: string[];
  isPublic: boolean;
  errors: Errors;
}) {
  const { t } = useTranslation();
  return (
    <>
      <fieldset className="cs-choices">
        <legend>{t("caseStudies.form.regions")}</legend>
        {(["US", "CN"] as const).map((country) => (
          <div key={country} className="cs-choice-group">
            <span className="muted">{t(`country.${country}`)}</span>
            {choices.regions.filter((r) => r.country === country).map((r) => (
              <label key={r.id} className="checkbox">
                <input type="checkbox" name="regionIds" value={r.id} defaultChecked={regionIds.includes(r.id)} />
                {pick(locale, r.nameEn, r.nameZh)}
              </label>
            ))}
          </div>
        ))}
        <FieldError errors={errors} name="regionIds" />
      </fieldset>
      <fieldset className="cs-choices">
        <legend>{t("caseStudies.form.topics")}</legend>
        <div className="cs-choice-group">
          {choices.topics.map((tp) => (
            <label key={tp.id} className="checkbox">
              <input type="checkbox" name="topicIds" value={tp.id} defaultChecked={topicIds.includes(tp.id)} />
              {pick(locale, tp.nameEn, tp.nameZh)}
            </label>
          ))}
        </div>
        <FieldError errors={errors} name="topicIds" />
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" name="isPublic" value="on" defaultChecked={isPublic} />
        {t("caseStudies.form.isPublic")}
      </label>
    </>
  );
}

/** Title, summary and how the version came to be (the body editor is added by the page). */
export function VersionFields({ title, summary, translation, errors, language }: {
  title: string;
  summary: string;
  translation: "original" | "human" | "machine";
  errors: Errors;
  language: Lang;
}) {
  const { t } = useTranslation();
  const lang = language === "zh" ? "zh-CN" : "en";
  return (
    <>
      <label>
        {t("caseStudies.form.title")}
        <input name="title" required maxLength={200} defaultValue={title} lang={lang} data-testid="cs-title" />
      </label>
      <FieldError errors={errors} name="title" />
      <label>
        {t("caseStudies.form.summary")}
        <textarea name="summary" rows={3} maxLength={1000} defaultValue={summary} lang={lang} />
      </label>
      <FieldError errors={errors} name="summary" />
      <fieldset className="cs-choices">
        <legend>{t("caseStudies.form.translation")}</legend>
        <div className="cs-choice-group">
          {(["original", "human", "machine"] as const).map((kind) => (
            <label key={kind} className="checkbox">
              <input type="radio" name="translation" value={kind} defaultChecked={translation === kind} />
              {t(`caseStudies.translation.${kind}`)}
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}

/** Form fields → command input, with repeated checkboxes collected into arrays. */
export function caseStudyFormInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key === "intent" || typeof value !== "string" || value === "") continue;
    if (key === "regionIds" || key === "topicIds") continue;
    input[key] = value;
  }
  input.regionIds = form.getAll("regionIds").filter((v): v is string => typeof v === "string" && v !== "");
  input.topicIds = form.getAll("topicIds").filter((v): v is string => typeof v === "string" && v !== "");
  return input;
}
