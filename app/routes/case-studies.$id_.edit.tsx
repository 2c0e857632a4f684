import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { caseStudyFormInput, MetadataFields, preferredVersion } from "~/components/case-studies";
import { FieldError } from "~/components/forms";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { caseStudyChoices, getCaseStudyForEdit } from "~/models/case-studies.server";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.editCaseStudy");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const study = await loadOrThrow(request, () => getCaseStudyForEdit(getActor(context), params.id ?? ""));
  return {
    locale,
    choices: await caseStudyChoices(),
    study: {
      id: study.id,
      title: preferredVersion(study.versions, locale)?.title ?? "",
      isPublic: study.isPublic,
      regionIds: study.regions.map((r) => r.regionId),
      topicIds: study.topics.map((tp) => tp.topicId),
      versions: study.versions.map((v) => v.language),
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const caseStudyId = params.id ?? "";
  const input = { ...caseStudyFormInput(await request.formData()), caseStudyId };
  const outcome = await runRequestCommand(request, context, "caseStudy.update", input);
  if (!outcome.ok) return commandErrorResponse(outcome, "caseStudy.update");
  return redirect(`/case-studies/${caseStudyId}`);
}

export default function EditCaseStudy() {
  const { locale, choices, study } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div className="stack-lg narrow-wide">
      <nav className="breadcrumbs">
        <Link to={`/case-studies/${study.id}`}>{study.title}</Link>
      </nav>
      <h1>{t("caseStudies.editTitle")}</h1>
      <p className="page-actions">
        {(["en", "zh"] as const).map((lang) => (
          <Link key={lang} className="button button-small button-secondary" to={`/case-studies/${study.id}/versions/${lang}`}>
            {study.versions.includes(lang)
              ? t("caseStudies.editVersion", { language: t(`caseStudies.lang.${lang}`) })
              : t("caseStudies.addVersion", { language: t(`caseStudies.lang.${lang}`) })}
          </Link>
        ))}
      </p>
      <Form method="post" className="form card">
        <MetadataFields choices={choices} locale={locale} regionIds={study.regionIds} topicIds={study.topicIds} isPublic={study.isPublic} errors={actionData?.errors} />
        <FieldError errors={actionData?.errors} name="" />
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("common.working") : t("common.save")}
          </button>
          <Link to={`/case-studies/${study.id}`}>{t("common.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
