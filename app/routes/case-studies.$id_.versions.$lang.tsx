import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { JSONContent } from "@tiptap/core";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { VersionFields } from "~/components/case-studies";
import { FieldError } from "~/components/forms";
import { CaseStudyEditor } from "~/editor/CaseStudyEditor";
import { getActor, requireUser } from "~/http/auth.server";
import { isLang } from "~/i18n/config";
import { caseStudyResource, getCaseStudy, toVersionView } from "~/models/case-studies.server";
import { assertCan, can } from "~/policy.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.caseStudyVersion");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = getActor(context);
  const language = params.lang;
  if (!isLang(language)) throw new Response("not_found", { status: 404 });
  const study = await loadOrThrow(request, async () => {
    const found = await getCaseStudy(actor, params.id ?? "");
    const resource = caseStudyResource(found);
    const existing = found.versions.find((v) => v.language === language);
    if (existing) assertCan(actor, "caseStudyVersion.edit", { id: existing.id, authorId: existing.authorId, caseStudy: resource });
    else if (!can(actor, "caseStudy.edit", resource)) assertCan(actor, "caseStudy.translate", resource);
    return found;
  });
  const version = study.versions.find((v) => v.language === language) ?? null;
  const counterpart = study.versions.find((v) => v.language !== language) ?? null;
  return {
    caseStudyId: study.id,
    language,
    version: version
      ? { title: version.title, summary: version.summary, translation: version.translation, content: version.content as JSONContent, text: version.text, updatedAt: version.updatedAt.toISOString() }
      : null,
    // The other language, shown beside the form as the source to translate from.
    counterpart: counterpart ? toVersionView(counterpart) : null,
    // A new language version starts from the other one's body (its images, tables and
    // structure), to be translated in place; the server refuses it unchanged.
    prefill: !version && counterpart ? { content: counterpart.content as JSONContent, text: counterpart.text } : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const caseStudyId = params.id ?? "";
  const input = { ...formToInput(await request.formData()), caseStudyId, language: params.lang };
  const outcome = await runRequestCommand(request, context, "caseStudyVersion.save", input);
  if (!outcome.ok) return commandErrorResponse(outcome, "caseStudyVersion.save");
  return redirect(`/case-studies/${caseStudyId}?lang=${params.lang}`);
}

export default function EditVersion() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  const languageName = t(`caseStudies.lang.${d.language}`);
  return (
    <div className="stack-lg">
      <nav className="breadcrumbs">
        <Link to={`/case-studies/${d.caseStudyId}`}>{d.version?.title ?? d.counterpart?.title ?? t("caseStudies.title")}</Link>
      </nav>
      <h1>{d.version ? t("caseStudies.editVersion", { language: languageName }) : t("caseStudies.addVersion", { language: languageName })}</h1>
      <div className={d.counterpart ? "cs-side-by-side cs-translate" : ""}>
        <Form method="post" className="form card" data-testid="version-form">
          <VersionFields
            title={d.version?.title ?? ""}
            summary={d.version?.summary ?? ""}
            translation={d.version?.translation ?? (d.counterpart ? "human" : "original")}
            errors={errors}
            language={d.language}
          />
          <label htmlFor="cs-body">{t("caseStudies.form.body")}</label>
          {d.prefill && d.counterpart ? (
            <p className="muted small" data-testid="prefill-hint">{t("caseStudies.prefillHint", { language: t(`caseStudies.lang.${d.counterpart.language}`) })}</p>
          ) : null}
          <CaseStudyEditor
            id="cs-body"
            initialContent={d.version?.content ?? d.prefill?.content}
            initialText={d.version?.text ?? d.prefill?.text ?? ""}
            placeholder={t("caseStudies.form.bodyPlaceholder")}
          />
          <FieldError errors={errors} name="content" />
          <FieldError errors={errors} name="body" />
          <FieldError errors={errors} name="" />
          <div className="form-actions">
            <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="save-version">
              {navigation.state === "submitting" ? t("common.working") : t("common.save")}
            </button>
            <Link to={`/case-studies/${d.caseStudyId}`}>{t("common.cancel")}</Link>
          </div>
        </Form>
        {d.counterpart ? (
          <aside className="card cs-source" lang={d.counterpart.language === "zh" ? "zh-CN" : "en"}>
            <p className="muted">{t("caseStudies.source", { language: t(`caseStudies.lang.${d.counterpart.language}`) })}</p>
            <h2>{d.counterpart.title}</h2>
            {d.counterpart.summary ? <p className="lead">{d.counterpart.summary}</p> : null}
            <div className="rich" dangerouslySetInnerHTML={{ __html: d.counterpart.html }} />
          </aside>
        ) : null}
      </div>
    </div>
  );
}
