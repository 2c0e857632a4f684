/**
 * Survey pieces: the settings and question fields staff write in both languages side by side,
 * and the answer form respondents fill in (plain form controls: it works without JavaScript).
 */
import { Form, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { SubmitButton, type Errors } from "./forms";
import { LocalTime, TimeZoneField } from "./time";

export const SURVEY_AUDIENCES = ["all_members", "regions", "dialogue", "public_link"] as const;
export const SURVEY_QUESTION_TYPES = ["single_choice", "multiple_choice", "scale", "number", "short_text", "long_text", "region"] as const;
export type SurveyQuestionTypeName = (typeof SURVEY_QUESTION_TYPES)[number];

function ErrorFor({ errors, name, params }: { errors: Errors; name: string; params?: Record<string, string | number> | null }) {
  const { t } = useTranslation();
  const codes = errors?.[name];
  if (!codes?.length) return null;
  return (
    <p className="field-error" role="alert" id={`${name}-error`}>
      {codes.map((code) => t(`errors.${code}`, { ...(params ?? {}), defaultValue: t("errors.invalid") })).join(" ")}
    </p>
  );
}

export interface SurveySettingsValues {
  titleEn: string;
  titleZh: string;
  introEn: string;
  introZh: string;
  singleLanguage: "en" | "zh" | null;
  audience: (typeof SURVEY_AUDIENCES)[number];
  regionIds: string[];
  dialogueId: string | null;
  anonymous: boolean;
  sharesResults: boolean;
  opensAt: string | null;
  closesAt: string | null;
}

/**
 * The zone staff pick days in: their own (the root loader's) until the page runs, then the
 * browser's, the same zone `TimeZoneField` sends with the form, so a day shown is the day saved.
 */
function usePickerZone(): string {
  const root = useRouteLoaderData("root") as { user?: { timeZone?: string } | null } | undefined;
  const fallback = root?.user?.timeZone ?? "UTC";
  const [zone, setZone] = useState(fallback);
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || fallback), [fallback]);
  return zone;
}

/** An ISO instant as the day (YYYY-MM-DD) a date field shows in `zone`; a closing time is the end of its day. */
function dayOf(iso: string | null, zone: string, closing = false): string {
  if (!iso) return "";
  const at = new Date(new Date(iso).getTime() - (closing ? 1 : 0));
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** A survey's settings: texts in both languages side by side, audience, anonymity, dates. */
export function SurveySettingsFields({
  values,
  regions,
  dialogues,
  errors,
  locked,
}: {
  values: SurveySettingsValues;
  regions: { id: string; name: string }[];
  dialogues: { id: string; title: string }[];
  errors: Errors;
  /** Opened: anonymity can no longer change. */
  locked?: boolean;
}) {
  const { t } = useTranslation();
  const zone = usePickerZone();
  return (
    <>
      <div className="two-col survey-languages">
        <fieldset lang="en">
          <legend>{t("surveys.english")}</legend>
          <label>
            {t("surveys.titleField")}
            <input name="titleEn" defaultValue={values.titleEn} maxLength={200} data-testid="survey-title-en" />
          </label>
          <ErrorFor errors={errors} name="titleEn" />
          <label>
            {t("surveys.introField")}
            <textarea name="introEn" rows={4} defaultValue={values.introEn} maxLength={4000} />
          </label>
          <ErrorFor errors={errors} name="introEn" />
        </fieldset>
        <fieldset lang="zh-CN">
          <legend>{t("surveys.chinese")}</legend>
          <label>
            {t("surveys.titleField")}
            <input name="titleZh" defaultValue={values.titleZh} maxLength={200} data-testid="survey-title-zh" />
          </label>
          <ErrorFor errors={errors} name="titleZh" />
          <label>
            {t("surveys.introField")}
            <textarea name="introZh" rows={4} defaultValue={values.introZh} maxLength={4000} />
          </label>
          <ErrorFor errors={errors} name="introZh" />
        </fieldset>
      </div>
      <label>
        {t("surveys.languagesField")}
        <select name="singleLanguage" defaultValue={values.singleLanguage ?? ""}>
          <option value="">{t("surveys.languages.both")}</option>
          <option value="en">{t("surveys.languages.en")}</option>
          <option value="zh">{t("surveys.languages.zh")}</option>
        </select>
      </label>
      <fieldset>
        <legend>{t("surveys.audienceField")}</legend>
        {SURVEY_AUDIENCES.map((a) => (
          <label key={a} className="checkbox">
            <input type="radio" name="audience" value={a} defaultChecked={values.audience === a} data-testid={`audience-${a}`} /> {t(`surveys.audience.${a}`)}
          </label>
        ))}
        <ErrorFor errors={errors} name="audience" />
        <p className="muted small">{t("surveys.regionsHelp")}</p>
        <div className="checkbox-row">
          {regions.map((r) => (
            <label key={r.id} className="checkbox">
              <input type="checkbox" name="regionIds" value={r.id} defaultChecked={values.regionIds.includes(r.id)} /> {r.name}
            </label>
          ))}
        </div>
        <ErrorFor errors={errors} name="regionIds" />
        <label>
          {t("surveys.dialogueField")}
          <select name="dialogueId" defaultValue={values.dialogueId ?? ""}>
            <option value="">—</option>
            {dialogues.map((d) => (
              <option key={d.id} value={d.id}>{d.title}</option>
            ))}
          </select>
        </label>
        <ErrorFor errors={errors} name="dialogueId" />
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" name="anonymous" value="on" defaultChecked={values.anonymous} disabled={locked} /> {t("surveys.anonymousField")}
      </label>
      {locked ? <input type="hidden" name="anonymous" value={values.anonymous ? "on" : ""} /> : null}
      <p className="muted small">{t("surveys.anonymousHelp")}</p>
      <ErrorFor errors={errors} name="anonymous" />
      <label className="checkbox">
        <input type="checkbox" name="sharesResults" value="on" defaultChecked={values.sharesResults} /> {t("surveys.sharesResultsField")}
      </label>
      <div className="survey-dates">
        <label>
          {t("surveys.opensField")}
          <input type="date" name="opensAt" key={`opens-${zone}`} defaultValue={dayOf(values.opensAt, zone)} />
        </label>
        <label>
          {t("surveys.closesField")}
          <input type="date" name="closesAt" key={`closes-${zone}`} defaultValue={dayOf(values.closesAt, zone, true)} />
        </label>
        <TimeZoneField />
      </div>
      <ErrorFor errors={errors} name="closesAt" />
      <ErrorFor errors={errors} name="" />
    </>
  );
}

/** The settings form's fields as a command's input (empty texts kept, so they clear). */
export function surveyFormInput(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    titleEn: text("titleEn"),
    titleZh: text("titleZh"),
    introEn: text("introEn"),
    introZh: text("introZh"),
    singleLanguage: text("singleLanguage"),
    audience: text("audience"),
    regionIds: form.getAll("regionIds").map(String),
    dialogueId: text("dialogueId"),
    anonymous: form.get("anonymous") === "on",
    sharesResults: form.get("sharesResults") === "on",
    opensAt: text("opensAt"),
    closesAt: text("closesAt"),
    timeZone: text("timeZone"),
  };
}

export interface QuestionValues {
  type: SurveyQuestionTypeName;
  promptEn: string;
  promptZh: string;
  helpEn: string;
  helpZh: string;
  sectionEn: string;
  sectionZh: string;
  required: boolean;
  options: { en: string; zh: string }[];
  minValue: number | null;
  maxValue: number | null;
}

export const EMPTY_QUESTION: QuestionValues = { type: "single_choice", promptEn: "", promptZh: "", helpEn: "", helpZh: "", sectionEn: "", sectionZh: "", required: false, options: [], minValue: null, maxValue: null };

/** A question's fields, both languages side by side; choices one per line, "English | 中文". */
export function QuestionFields({ values, errors, prefix }: { values: QuestionValues; errors: Errors; prefix: string }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="survey-question-meta">
        <label>
          {t("surveys.questionType")}
          <select name="type" defaultValue={values.type} data-testid={`${prefix}-type`}>
            {SURVEY_QUESTION_TYPES.map((type) => (
              <option key={type} value={type}>{t(`surveys.types.${type}`)}</option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" name="required" value="on" defaultChecked={values.required} /> {t("surveys.requiredField")}
        </label>
      </div>
      <div className="two-col survey-languages">
        <fieldset lang="en">
          <legend>{t("surveys.english")}</legend>
          <label>
            {t("surveys.sectionField")}
            <input name="sectionEn" defaultValue={values.sectionEn} maxLength={200} />
          </label>
          <label>
            {t("surveys.promptField")}
            <textarea name="promptEn" rows={2} defaultValue={values.promptEn} maxLength={500} data-testid={`${prefix}-prompt-en`} />
          </label>
          <ErrorFor errors={errors} name="promptEn" />
          <label>
            {t("surveys.helpField")}
            <input name="helpEn" defaultValue={values.helpEn} maxLength={500} />
          </label>
        </fieldset>
        <fieldset lang="zh-CN">
          <legend>{t("surveys.chinese")}</legend>
          <label>
            {t("surveys.sectionField")}
            <input name="sectionZh" defaultValue={values.sectionZh} maxLength={200} />
          </label>
          <label>
            {t("surveys.promptField")}
            <textarea name="promptZh" rows={2} defaultValue={values.promptZh} maxLength={500} data-testid={`${prefix}-prompt-zh`} />
          </label>
          <label>
            {t("surveys.helpField")}
            <input name="helpZh" defaultValue={values.helpZh} maxLength={500} />
          </label>
        </fieldset>
      </div>
      <label>
        {t("surveys.optionsField")}
        <textarea name="options" rows={4} defaultValue={values.options.map((o) => [o.en, o.zh].filter(Boolean).join(" | ")).join("\n")} data-testid={`${prefix}-options`} />
      </label>
      <p className="muted small">{t("surveys.optionsHelp")}</p>
      <ErrorFor errors={errors} name="options" />
      <div className="survey-dates">
        <label>
          {t("surveys.minField")}
          <input type="number" step="any" name="minValue" defaultValue={values.minValue ?? ""} />
        </label>
        <label>
          {t("surveys.maxField")}
          <input type="number" step="any" name="maxValue" defaultValue={values.maxValue ?? ""} />
        </label>
      </div>
      <ErrorFor errors={errors} name="minValue" />
      <ErrorFor errors={errors} name="type" />
      <ErrorFor errors={errors} name="" />
    </>
  );
}

/** A question form's fields as a command's input. */
export function questionFormInput(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    type: text("type"),
    promptEn: text("promptEn"),
    promptZh: text("promptZh"),
    helpEn: text("helpEn"),
    helpZh: text("helpZh"),
    sectionEn: text("sectionEn"),
    sectionZh: text("sectionZh"),
    required: form.get("required") === "on",
    options: text("options"),
    minValue: text("minValue"),
    maxValue: text("maxValue"),
  };
}

export interface AnswerQuestion {
  id: string;
  number: number;
  type: SurveyQuestionTypeName;
  prompt: string;
  help: string;
  section: string;
  required: boolean;
  options: { id: string; label: string }[];
  min: number | null;
  max: number | null;
}

/** Answer form fields → answers by question id (`q_<id>`; several values for a multiple choice). */
export function answersFromForm(form: FormData): Record<string, string | string[]> {
  const answers: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    if (!key.startsWith("q_")) continue;
    const values = form.getAll(key).map(String);
    answers[key.slice(2)] = form.get(`multi_${key.slice(2)}`) !== null ? values : (values[0] ?? "");
  }
  // A multiple choice with nothing ticked sends only its marker: an empty answer.
  for (const key of new Set(form.keys())) {
    if (key.startsWith("multi_") && !(key.slice(6) in answers)) answers[key.slice(6)] = [];
  }
  return answers;
}

/**
 * The questions to answer, in the survey's language for this reader (`lang`), with the saved
 * answers filled in and each problem next to its question. Buttons: save a draft, submit.
 */
export function AnswerForm({
  lang,
  questions,
  answers,
  errors,
  params,
  canSaveDraft,
  submitLabel,
  hidden,
}: {
  lang: "en" | "zh";
  questions: AnswerQuestion[];
  answers: Record<string, unknown>;
  errors: Errors;
  params?: Record<string, Record<string, string | number>> | null;
  canSaveDraft: boolean;
  submitLabel: string;
  hidden: Record<string, string>;
}) {
  const { t, i18n } = useTranslation();
  // Labels in the survey's language, whatever the interface's (a single-language survey).
  const ts = i18n.getFixedT(lang);
  let lastSection = "";
  return (
    <Form method="post" className="form survey-answer-form" lang={lang === "zh" ? "zh-CN" : "en"} data-testid="survey-answer-form" noValidate>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {questions.map((q) => {
        const name = `q_${q.id}`;
        const value = answers[q.id];
        const invalid = Boolean(errors?.[name]?.length);
        const section = q.section && q.section !== lastSection ? q.section : "";
        if (q.section) lastSection = q.section;
        const described = [q.help ? `${name}-help` : "", invalid ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined;
        const label = (
          <>
            <span className="question-number">{q.number}.</span> {q.prompt}
            {q.required ? <span className="required" aria-hidden="true"> *</span> : null}
            {q.required ? <span className="visually-hidden"> ({ts("surveys.required")})</span> : null}
          </>
        );
        const choice = q.type === "single_choice" || q.type === "multiple_choice" || q.type === "scale";
        return (
          <div key={q.id} className="survey-question" data-testid="survey-question" data-question-type={q.type}>
            {section ? <h2 className="survey-section">{section}</h2> : null}
            {choice ? (
              <fieldset aria-invalid={invalid || undefined} aria-describedby={described}>
                <legend>{label}</legend>
                {q.help ? <p className="muted small" id={`${name}-help`}>{q.help}</p> : null}
                {q.type === "multiple_choice" ? <input type="hidden" name={`multi_${q.id}`} value="1" /> : null}
                <div className={q.type === "scale" ? "scale-row" : "choice-list"}>
                  {q.type === "scale" ? <span className="muted small scale-end">{ts("surveys.scaleLow")}</span> : null}
                  {q.options.map((o) => {
                    const checked = Array.isArray(value) ? value.includes(o.id) : String(value ?? "") === o.id;
                    return (
                      <label key={o.id} className="choice">
                        <input type={q.type === "multiple_choice" ? "checkbox" : "radio"} name={name} value={o.id} defaultChecked={checked} required={q.required && q.type !== "multiple_choice"} />
                        <span>{o.label}</span>
                      </label>
                    );
                  })}
                  {q.type === "scale" ? <span className="muted small scale-end">{ts("surveys.scaleHigh")}</span> : null}
                </div>
              </fieldset>
            ) : (
              <label>
                <span>{label}</span>
                {q.help ? <span className="muted small" id={`${name}-help`}>{q.help}</span> : null}
                {q.type === "region" ? (
                  <select name={name} defaultValue={String(value ?? "")} aria-invalid={invalid || undefined} aria-describedby={described}>
                    <option value="">{ts("surveys.chooseRegion")}</option>
                    {q.options.map((o) => (
                      <option key={o.id} value={o.id}>{o.label}</option>
                    ))}
                  </select>
                ) : q.type === "long_text" ? (
                  <textarea name={name} rows={5} defaultValue={String(value ?? "")} aria-invalid={invalid || undefined} aria-describedby={described} />
                ) : (
                  <input
                    name={name}
                    type="text"
                    inputMode={q.type === "number" ? "decimal" : undefined}
                    defaultValue={value === undefined ? "" : String(value)}
                    aria-invalid={invalid || undefined}
                    aria-describedby={described}
                  />
                )}
              </label>
            )}
            <ErrorFor errors={errors} name={name} params={params?.[name]} />
          </div>
        );
      })}
      <ErrorFor errors={errors} name="" />
      <ErrorFor errors={errors} name="surveyId" />
      <div className="form-actions">
        <SubmitButton intent="submit">{submitLabel}</SubmitButton>
        {canSaveDraft ? (
          <SubmitButton intent="draft" className="button button-secondary">
            {t("surveys.saveDraft")}
          </SubmitButton>
        ) : null}
      </div>
    </Form>
  );
}

export interface AnswerPageData {
  survey: {
    id: string;
    lang: "en" | "zh";
    title: string;
    intro: string;
    state: "draft" | "scheduled" | "open" | "closed";
    anonymous: boolean;
    closesAt: string | null;
    questions: AnswerQuestion[];
    answers: Record<string, unknown>;
    hasDraft: boolean;
    answered: boolean;
    canAnswer: boolean;
    canSeeResults: boolean;
    canManage: boolean;
  };
  saved: string | null;
  preview: "en" | "zh" | null;
}

export interface AnswerActionData {
  errors?: Errors;
  message?: string | null;
  answers?: Record<string, unknown>;
  problemParams?: Record<string, Record<string, string | number>> | null;
}

/** A survey to answer (members' page and public link alike), in the reader's language. */
export function SurveyAnswerView({ d, actionData, resultsHref }: { d: AnswerPageData; actionData: AnswerActionData | undefined; resultsHref: string | null }) {
  const { t, i18n } = useTranslation();
  const s = d.survey;
  const ts = i18n.getFixedT(s.lang);
  const paragraphs = s.intro.split(/\n\s*\n/).filter(Boolean);
  const answers = actionData?.answers ?? s.answers;
  return (
    <div className="stack-lg narrow-wide survey-page" lang={s.lang === "zh" ? "zh-CN" : "en"}>
      <header className="stack">
        <div className="badges">
          <span className={`badge survey-state-${s.state}`}>{ts(`surveys.state.${s.state}`)}</span>
          <span className="badge" data-testid="survey-anonymity">{ts(s.anonymous ? "surveys.anonymous" : "surveys.attributed")}</span>
          {d.preview ? <span className="badge badge-tbd" data-testid="survey-preview">{t("surveys.previewBadge")}</span> : null}
        </div>
        <h1 data-testid="survey-title">{s.title}</h1>
        {paragraphs.map((p, i) => <p key={i}>{p}</p>)}
        <p className="muted small">{ts(s.anonymous ? "surveys.anonymousNote" : "surveys.attributedNote")}</p>
        {s.closesAt ? <p className="muted small">{ts("surveys.closes")} <LocalTime iso={s.closesAt} /></p> : null}
      </header>
      {d.saved === "draft" ? <p className="notice" role="status" data-testid="draft-saved">{ts("surveys.draftSaved")}</p> : null}
      {d.saved === "submitted" || (s.answered && !s.canAnswer) ? (
        <p className="notice" role="status" data-testid="survey-thanks">{ts("surveys.thanks")}</p>
      ) : null}
      {s.hasDraft && !d.saved ? <p className="muted small" data-testid="draft-resumed">{ts("surveys.draftResumed")}</p> : null}
      {resultsHref && s.canSeeResults ? <p><a href={resultsHref} data-testid="results-link">{ts("surveys.results.see")}</a></p> : null}
      {s.state !== "open" && !d.preview ? <p className="muted" data-testid="survey-not-open">{ts(`surveys.notOpen.${s.state}`)}</p> : null}
      {actionData?.message && !Object.keys(actionData.errors ?? {}).some((k) => k.startsWith("q_")) ? (
        <p className="field-error" role="alert" data-testid="survey-error">{actionData.message}</p>
      ) : null}
      {Object.keys(actionData?.errors ?? {}).some((k) => k.startsWith("q_")) ? (
        <p className="field-error" role="alert" data-testid="survey-errors-summary">{ts("surveys.fixAnswers")}</p>
      ) : null}
      {s.canAnswer || d.preview ? (
        <AnswerForm
          lang={s.lang}
          questions={s.questions}
          answers={answers}
          errors={actionData?.errors}
          params={actionData?.problemParams}
          canSaveDraft={!s.answered && !d.preview}
          submitLabel={ts(s.answered ? "surveys.updateAnswers" : "surveys.submit")}
          hidden={{ lang: s.lang }}
        />
      ) : null}
    </div>
  );
}
