/**
 * `/surveys/<id>/edit`: staff write a survey: its settings (both languages side by side), its
 * questions (added, edited, moved, removed while a draft; texts correctable after opening), a
 * preview in each language, and opening, closing or deleting it. Every form is a named command.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/forms";
import { EMPTY_QUESTION, QuestionFields, questionFormInput, SurveySettingsFields, surveyFormInput, type SurveyQuestionTypeName } from "~/components/surveys";
import { getActor, requireUser } from "~/http/auth.server";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { getSurveyForEditing, surveyAudienceChoices } from "~/models/surveys/surveys.server";
import { loadOrThrow } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.survey.titleEn || data.survey.titleZh} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const survey = await loadOrThrow(request, () => getSurveyForEditing(getActor(context), params.id ?? ""));
  return { survey, ...(await surveyAudienceChoices(locale)), publicUrl: context.publicUrl };
}

const INTENTS = ["survey.update", "survey.open", "survey.close", "survey.delete", "surveyQuestion.add", "surveyQuestion.update", "surveyQuestion.move", "surveyQuestion.remove"] as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const surveyId = params.id ?? "";
  const questionId = String(form.get("questionId") ?? "");
  if (!(INTENTS as readonly string[]).includes(intent)) return data({ errors: { "": ["validation"] }, message: null, params: null, intent, questionId }, { status: 400 });
  const input: Record<string, unknown> =
    intent === "survey.update"
      ? { ...surveyFormInput(form), surveyId, baseRevision: form.get("baseRevision") ?? undefined }
      : intent === "surveyQuestion.add"
        ? { ...questionFormInput(form), surveyId }
        : intent === "surveyQuestion.update"
          ? { ...questionFormInput(form), questionId }
          : intent === "surveyQuestion.move"
            ? { questionId, direction: String(form.get("direction") ?? "") }
            : intent === "surveyQuestion.remove"
              ? { questionId }
              : { surveyId };
  const outcome = await runRequestCommand(request, context, intent, input);
  if (!outcome.ok) {
    const response = commandErrorResponse(outcome, intent);
    return data({ ...response.data, questionId }, { status: outcome.status });
  }
  if (intent === "survey.delete") return redirect("/surveys");
  return redirect(`/surveys/${surveyId}/edit${questionId ? `#q-${questionId}` : intent === "surveyQuestion.add" ? "#add-question" : ""}`);
}

/** "Chinese · question 2 · help text" for a field the opening check names. */
function problemLabel(problem: { field: string; code: string }, questionIds: string[], t: (key: string, options?: Record<string, unknown>) => string): string {
  if (problem.field === "questions") return t(`errors.${problem.code}`);
  const match = /^(?:question\.([^.]+)\.)?(title|intro|prompt|help|section|options)(En|Zh)?$/.exec(problem.field);
  if (!match) return t(`errors.${problem.code}`);
  const [, questionId, part, lang] = match;
  const where = [
    lang ? t(lang === "En" ? "surveys.english" : "surveys.chinese") : "",
    questionId ? t("surveys.questionNumber", { number: questionIds.indexOf(questionId) + 1 }) : "",
    t(`surveys.missing.${part}`),
  ].filter(Boolean);
  return t("surveys.missingIn", { where: where.join(" · ") });
}

export default function EditSurvey() {
  const { survey: s, regions, dialogues, publicUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errorsFor = (intent: string, questionId = "") =>
    actionData && actionData.intent === intent && (actionData.questionId ?? "") === questionId ? actionData.errors : undefined;
  const opened = s.openedAt !== null;
  const openErrors = errorsFor("survey.open");
  return (
    <div className="stack-lg">
      <nav className="breadcrumbs"><Link to="/surveys">{t("surveys.title")}</Link></nav>
      <header className="stack">
        <div className="badges">
          <span className={`badge survey-state-${s.state}`} data-testid="survey-state">{t(`surveys.state.${s.state}`)}</span>
          <span className="badge">{t(s.anonymous ? "surveys.anonymous" : "surveys.attributed")}</span>
        </div>
        <h1>{s.titleEn || s.titleZh}</h1>
        {s.titleEn && s.titleZh ? <p className="muted other-lang" lang="zh-CN">{s.titleZh}</p> : null}
        <p className="small">
          <Link to={`/surveys/${s.id}?preview=en`} data-testid="preview-en">{t("surveys.previewEn")}</Link> ·{" "}
          <Link to={`/surveys/${s.id}?preview=zh`} data-testid="preview-zh">{t("surveys.previewZh")}</Link> ·{" "}
          <Link to={`/surveys/${s.id}/results`}>{t("surveys.results.link", { count: s.responses })}</Link>
        </p>
        {s.audience === "public_link" && s.publicToken ? (
          <p data-testid="public-link">
            {t("surveys.publicLink")} <code>{`${publicUrl}/s/${s.publicToken}`}</code>
          </p>
        ) : null}
      </header>

      <section className="card stack">
        <h2>{t("surveys.openSection")}</h2>
        {!opened ? (
          <>
            {s.problems.length ? (
              <ul className="muted small" data-testid="survey-problems">
                {s.problems.slice(0, 8).map((p) => (
                  <li key={p.field}>{problemLabel(p, s.questions.map((q) => q.id), t)}</li>
                ))}
              </ul>
            ) : (
              <p className="muted small">{t("surveys.readyToOpen")}</p>
            )}
            <Form method="post">
              <SubmitButton intent="survey.open">{t("surveys.open")}</SubmitButton>
            </Form>
            {openErrors ? <p className="field-error" role="alert" data-testid="open-error">{actionData?.message}</p> : null}
          </>
        ) : s.state !== "closed" ? (
          <Form method="post">
            <SubmitButton intent="survey.close" className="button button-secondary">{t("surveys.closeNow")}</SubmitButton>
          </Form>
        ) : (
          <p className="muted">{t("surveys.state.closed")}</p>
        )}
      </section>

      <section className="stack">
        <h2>{t("surveys.settings")}</h2>
        <Form method="post" className="form card" data-testid="survey-settings-form">
          <input type="hidden" name="baseRevision" value={s.revision} />
          <SurveySettingsFields
            values={{ ...s, singleLanguage: s.singleLanguage, dialogueId: s.dialogueId }}
            regions={regions}
            dialogues={dialogues}
            errors={errorsFor("survey.update")}
            locked={opened}
          />
          <div className="form-actions">
            <SubmitButton intent="survey.update">{t("common.save")}</SubmitButton>
          </div>
        </Form>
      </section>

      <section className="stack">
        <h2>{t("surveys.questions")}</h2>
        {opened ? <p className="muted small">{t("surveys.questionsLocked")}</p> : null}
        {s.questions.map((q, i) => (
          <div key={q.id} id={`q-${q.id}`} className="card stack" data-testid="survey-question-editor">
            <h3 className="h4">{t("surveys.questionNumber", { number: i + 1 })} · {t(`surveys.types.${q.type}`)}</h3>
            <Form method="post" className="form">
              <input type="hidden" name="questionId" value={q.id} />
              <QuestionFields values={{ ...q, type: q.type as SurveyQuestionTypeName }} errors={errorsFor("surveyQuestion.update", q.id)} prefix={`question-${i + 1}`} />
              <div className="form-actions">
                <SubmitButton intent="surveyQuestion.update">{t("common.save")}</SubmitButton>
              </div>
            </Form>
            {opened ? null : (
              <div className="form-actions">
                <Form method="post" className="inline-form">
                  <input type="hidden" name="questionId" value={q.id} />
                  <input type="hidden" name="direction" value="up" />
                  <SubmitButton intent="surveyQuestion.move" className="button button-secondary">{t("surveys.moveUp")}</SubmitButton>
                </Form>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="questionId" value={q.id} />
                  <input type="hidden" name="direction" value="down" />
                  <SubmitButton intent="surveyQuestion.move" className="button button-secondary">{t("surveys.moveDown")}</SubmitButton>
                </Form>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="questionId" value={q.id} />
                  <SubmitButton intent="surveyQuestion.remove" className="button button-danger">{t("surveys.removeQuestion")}</SubmitButton>
                </Form>
              </div>
            )}
          </div>
        ))}
        {opened ? null : (
          <Form method="post" className="form card" id="add-question" data-testid="add-question-form">
            <h3 className="h4">{t("surveys.addQuestion")}</h3>
            <QuestionFields values={EMPTY_QUESTION} errors={errorsFor("surveyQuestion.add")} prefix="new-question" />
            <div className="form-actions">
              <SubmitButton intent="surveyQuestion.add">{t("surveys.addQuestion")}</SubmitButton>
            </div>
          </Form>
        )}
      </section>

      <section className="card">
        <Form method="post">
          <SubmitButton intent="survey.delete" className="button button-danger">{t("surveys.delete")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}
