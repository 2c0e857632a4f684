/**
 * `/surveys/new`: staff write a survey's title, introduction and settings (both languages side
 * by side); the questions follow on its authoring page.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/forms";
import { SurveySettingsFields, surveyFormInput } from "~/components/surveys";
import { getActor, requireUser } from "~/http/auth.server";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { surveyAudienceChoices } from "~/models/surveys/surveys.server";
import { assertCan } from "~/policy.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "surveys.new");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  await loadOrThrow(request, async () => assertCan(getActor(context), "survey.manage"));
  const locale = await resolveLocale(request, context);
  return surveyAudienceChoices(locale);
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const outcome = await runRequestCommand(request, context, "survey.create", surveyFormInput(await request.formData()));
  if (!outcome.ok) return commandErrorResponse(outcome, "survey.create");
  return redirect(`/surveys/${(outcome.result as { surveyId: string }).surveyId}/edit`);
}

export default function NewSurvey() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <nav className="breadcrumbs"><Link to="/surveys">{t("surveys.title")}</Link></nav>
      <h1>{t("surveys.new")}</h1>
      <Form method="post" className="form card" data-testid="survey-form">
        <SurveySettingsFields
          values={{ titleEn: "", titleZh: "", introEn: "", introZh: "", singleLanguage: null, audience: "all_members", regionIds: [], dialogueId: null, anonymous: true, sharesResults: false, opensAt: null, closesAt: null }}
          regions={d.regions}
          dialogues={d.dialogues}
          errors={actionData?.errors}
        />
        <div className="form-actions">
          <SubmitButton>{t("surveys.createDraft")}</SubmitButton>
          <Link to="/surveys">{t("common.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
