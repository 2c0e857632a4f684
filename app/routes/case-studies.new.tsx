import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { caseStudyFormInput, MetadataFields, VersionFields } from "~/components/case-studies";
import { FieldError } from "~/components/forms";
import { CaseStudyEditor } from "~/editor/CaseStudyEditor";
import { requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { caseStudyChoices } from "~/models/case-studies.server";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.newCaseStudy");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  return { locale, choices: await caseStudyChoices() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const outcome = await runRequestCommand(request, context, "caseStudy.create", caseStudyFormInput(await request.formData()));
  if (!outcome.ok) return commandErrorResponse(outcome, "caseStudy.create");
  const { caseStudyId } = outcome.result as { caseStudyId: string };
  return redirect(`/case-studies/${caseStudyId}`);
}

export default function NewCaseStudy() {
  const { locale, choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  return (
    <div className="stack-lg narrow-wide">
      <h1>{t("caseStudies.newTitle")}</h1>
      <Form method="post" className="form card" data-testid="case-study-form">
        <label>
          {t("caseStudies.form.language")}
          <select name="language" defaultValue={locale}>
            <option value="en">{t("caseStudies.lang.en")}</option>
            <option value="zh">{t("caseStudies.lang.zh")}</option>
          </select>
        </label>
        <VersionFields title="" summary="" translation="original" errors={errors} language={locale} />
        <label htmlFor="cs-body">{t("caseStudies.form.body")}</label>
        <CaseStudyEditor id="cs-body" placeholder={t("caseStudies.form.bodyPlaceholder")} />
        <FieldError errors={errors} name="content" />
        <FieldError errors={errors} name="body" />
        <MetadataFields choices={choices} locale={locale} regionIds={[]} topicIds={[]} isPublic={false} errors={errors} />
        <FieldError errors={errors} name="" />
        <p className="muted">{t("caseStudies.form.draftHint")}</p>
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("common.working") : t("caseStudies.form.create")}
          </button>
        </div>
      </Form>
    </div>
  );
}
