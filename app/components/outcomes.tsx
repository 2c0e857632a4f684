/** The outcomes register's pieces: badges, cards, the counts by status. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { truncate } from "~/utils/text";

export type OutcomeTypeName = "policy_idea" | "joint_project" | "commitment" | "publication";
export type OutcomeStatusName = "proposed" | "under_discussion" | "adopted" | "implemented" | "not_pursued";
export const OUTCOME_STATUSES: OutcomeStatusName[] = ["proposed", "under_discussion", "adopted", "implemented", "not_pursued"];
export const OUTCOME_TYPES: OutcomeTypeName[] = ["policy_idea", "joint_project", "commitment", "publication"];

export function OutcomeStatusBadge({ status }: { status: OutcomeStatusName }) {
  const { t } = useTranslation();
  return <span className={`badge outcome-status outcome-status-${status}`} data-testid="outcome-status">{t(`outcomes.status.${status}`)}</span>;
}

export function OutcomeTypeBadge({ type }: { type: OutcomeTypeName }) {
  const { t } = useTranslation();
  return <span className="badge" data-testid="outcome-type">{t(`outcomes.type.${type}`)}</span>;
}

export interface OutcomeCardData {
  id: string;
  title: string;
  otherTitle: string;
  summary: string;
  type: OutcomeTypeName;
  status: OutcomeStatusName;
  isPublic: boolean;
  regions: { slug: string; name: string }[];
}

export function OutcomeList({ items, testId = "outcomes" }: { items: OutcomeCardData[]; testId?: string }) {
  const { t } = useTranslation();
  return (
    <ul className="outcome-list" data-testid={testId}>
      {items.map((o) => (
        <li key={o.id} className="card outcome-card" data-testid="outcome-card" data-outcome-id={o.id}>
          <div className="badges">
            <OutcomeStatusBadge status={o.status} />
            <OutcomeTypeBadge type={o.type} />
            {o.isPublic ? null : <span className="badge">{t("outcomes.membersOnly")}</span>}
          </div>
          <h3>
            <Link to={`/outcomes/${o.id}`}>{o.title || o.otherTitle}</Link>
          </h3>
          {o.title && o.otherTitle ? <p className="muted other-lang">{o.otherTitle}</p> : null}
          {o.summary ? <p className="excerpt">{truncate(o.summary, 280)}</p> : null}
          {o.regions.length ? <p className="muted small">{o.regions.map((r) => r.name).join(" · ")}</p> : null}
        </li>
      ))}
    </ul>
  );
}

/** "12 outcomes: 3 adopted, 2 implemented…", each status a link to the filtered register. */
export function OutcomeCounts({ total, byStatus, region }: { total: number; byStatus: Record<OutcomeStatusName, number>; region?: string }) {
  const { t } = useTranslation();
  const href = (status?: string) => `/outcomes?${new URLSearchParams({ ...(status ? { status } : {}), ...(region ? { region } : {}) })}`;
  return (
    <p className="outcome-counts" data-testid="outcome-counts" data-total={total}>
      <Link to={href()}>{t("outcomes.count", { count: total })}</Link>
      {total > 0 ? ": " : null}
      {OUTCOME_STATUSES.filter((s) => byStatus[s] > 0).map((s, i) => (
        <span key={s}>
          {i > 0 ? t("outcomes.listSeparator") : null}
          <Link to={href(s)}>{t(`outcomes.statusCount.${s}`, { count: byStatus[s] })}</Link>
        </span>
      ))}
    </p>
  );
}

export interface OutcomeFieldValues {
  type: OutcomeTypeName;
  titleEn: string;
  titleZh: string;
  summaryEn: string;
  summaryZh: string;
  isPublic: boolean;
  regionIds: string[];
}

type Errors = Record<string, string[] | null | undefined> | undefined;

/** The outcome's fields: both languages side by side, its type, regions and visibility. */
export function OutcomeFields({ values, regions, errors }: { values: OutcomeFieldValues; regions: { id: string; name: string }[]; errors: Errors }) {
  const { t } = useTranslation();
  const error = (name: string) => (errors?.[name]?.length ? <p className="field-error" role="alert">{errors[name]!.map((code) => t(`errors.${code}`, { defaultValue: t("errors.invalid") })).join(" ")}</p> : null);
  return (
    <>
      <label>
        {t("outcomes.typeLabel")}
        <select name="type" defaultValue={values.type} data-testid="outcome-type-field">
          {OUTCOME_TYPES.map((type) => (
            <option key={type} value={type}>{t(`outcomes.type.${type}`)}</option>
          ))}
        </select>
      </label>
      <div className="two-col outcome-languages">
        <fieldset lang="en">
          <legend>{t("outcomes.english")}</legend>
          <label>
            {t("outcomes.titleField")}
            <input name="titleEn" defaultValue={values.titleEn} maxLength={200} data-testid="outcome-title-en" />
          </label>
          {error("titleEn")}
          <label>
            {t("outcomes.summaryField")}
            <textarea name="summaryEn" rows={5} defaultValue={values.summaryEn} maxLength={4000} />
          </label>
        </fieldset>
        <fieldset lang="zh-CN">
          <legend>{t("outcomes.chinese")}</legend>
          <label>
            {t("outcomes.titleField")}
            <input name="titleZh" defaultValue={values.titleZh} maxLength={200} data-testid="outcome-title-zh" />
          </label>
          {error("titleZh")}
          <label>
            {t("outcomes.summaryField")}
            <textarea name="summaryZh" rows={5} defaultValue={values.summaryZh} maxLength={4000} />
          </label>
        </fieldset>
      </div>
      <fieldset>
        <legend>{t("outcomes.regionLabel")}</legend>
        <div className="checkbox-row">
          {regions.map((r) => (
            <label key={r.id} className="checkbox">
              <input type="checkbox" name="regionIds" value={r.id} defaultChecked={values.regionIds.includes(r.id)} /> {r.name}
            </label>
          ))}
        </div>
        {error("regionIds")}
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" name="isPublic" value="on" defaultChecked={values.isPublic} /> {t("outcomes.publicField")}
      </label>
      {error("")}
    </>
  );
}

/** An outcome form's fields as a command's input (regions repeated; empty texts kept, so they clear). */
export function outcomeFormInput(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    type: text("type"),
    titleEn: text("titleEn"),
    titleZh: text("titleZh"),
    summaryEn: text("summaryEn"),
    summaryZh: text("summaryZh"),
    isPublic: form.get("isPublic") === "on",
    regionIds: form.getAll("regionIds").map(String),
  };
}
