import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
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
import { parseDocJson } from "~/editor/doc-utils";

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
  const form = formToInput(await request.formData());
  const input = { ...form, caseStudyId, language: params.lang };
  const outcome = await runRequestCommand(request, context, "caseStudyVersion.save", input);
  if (!outcome.ok) {
    if (outcome.code !== "edit_conflict") return commandErrorResponse(outcome, "caseStudyVersion.save");
    // Someone saved this language in between: show theirs beside what this member wrote; the
    // next save (from the stored state) is a deliberate choice.
    const study = await loadOrThrow(request, () => getCaseStudy(getActor(context), caseStudyId));
    const current = study.versions.find((v) => v.language === params.lang);
    const text = (key: string) => (typeof form[key] === "string" ? (form[key] as string) : null);
    return data(
      {
        errors: { content: ["edit_conflict"] },
        message: outcome.message,
        conflict: current ? { ...toVersionView(current), base: current.updatedAt.toISOString() } : null,
        submitted: { title: text("title"), summary: text("summary"), body: text("body"), content: text("content") },
      },
      { status: 409 },
    );
  }
  return redirect(`/case-studies/${caseStudyId}?lang=${params.lang}`);
}

export default function EditVersion() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  const conflict = actionData && "conflict" in actionData ? actionData : null;
  const submittedContent = conflict?.submitted.content ? parseDocJson(conflict.submitted.content) : null;
  const languageName = t(`caseStudies.lang.${d.language}`);
  return (
    <div className="stack-lg">
      <nav className="breadcrumbs">
        <Link to={`/case-studies/${d.caseStudyId}`}>{d.version?.title ?? d.counterpart?.title ?? t("caseStudies.title")}</Link>
      </nav>
      <h1>{d.version ? t("caseStudies.editVersion", { language: languageName }) : t("caseStudies.addVersion", { language: languageName })}</h1>
      <div className={d.counterpart ? "cs-side-by-side cs-translate" : ""}>
        <Form method="post" className="form card" data-testid="version-form">
          {conflict ? (
            <section className="edit-conflict" data-testid="edit-conflict" role="alert">
              <p>{conflict.message}</p>
              {conflict.conflict ? (
                <details open>
                  <summary>{t("caseStudies.conflictTheirs")}</summary>
                  <h2>{conflict.conflict.title}</h2>
                  {conflict.conflict.summary ? <p className="lead">{conflict.conflict.summary}</p> : null}
                  <div className="rich" data-testid="conflict-theirs" dangerouslySetInnerHTML={{ __html: conflict.conflict.html }} />
                </details>
              ) : null}
              <p>
                <Link to={`/case-studies/${d.caseStudyId}?lang=${d.language}`} data-testid="keep-theirs">{t("reply.conflictKeepTheirs")}</Link>
              </p>
            </section>
          ) : null}
          <input type="hidden" name="baseVersion" value={conflict?.conflict?.base ?? d.version?.updatedAt ?? "new"} />
          <VersionFields
            title={conflict?.submitted.title ?? d.version?.title ?? ""}
            summary={conflict?.submitted.summary ?? d.version?.summary ?? ""}
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
            initialContent={submittedContent ?? d.version?.content ?? d.prefill?.content}
            initialText={conflict?.submitted.body ?? d.version?.text ?? d.prefill?.text ?? ""}
            placeholder={t("caseStudies.form.bodyPlaceholder")}
          />
          <FieldError errors={errors} name="content" />
          <FieldError errors={errors} name="body" />
          <FieldError errors={errors} name="" />
          <div className="form-actions">
            <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="save-version">
              {navigation.state === "submitting" ? t("common.working") : conflict ? t("reply.conflictKeepMine") : t("common.save")}
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
