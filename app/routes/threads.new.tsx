import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { ReplyEditor } from "~/editor/ReplyEditor";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { caseStudyLink } from "~/models/case-studies.server";
import { listProgrammeDialogues } from "~/models/dialogues.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { pick } from "~/utils/content";
import { pageTitle } from "~/utils/page-title";
import { discardDraft } from "~/editor/drafts";

/** One draft for the first post of a new thread, whichever category it goes to. */
const NEW_THREAD_DRAFT = "thread:new";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "threads.new");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const dialogues = await listProgrammeDialogues();
  const url = new URL(request.url);
  const slug = url.searchParams.get("dialogue");
  // Started from a case study: the thread will link back to it (if the member may read it).
  const caseStudyId = url.searchParams.get("caseStudy");
  const caseStudy = caseStudyId && caseStudyId.length <= 40 ? await caseStudyLink(getActor(context), caseStudyId, locale) : null;
  return {
    caseStudy,
    dialogues: dialogues.map((d) => ({ id: d.id, title: pick(locale, d.titleEn, d.titleZh) })),
    selected: dialogues.find((d) => d.slug === slug)?.id ?? "network",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const input = formToInput(await request.formData());
  const dialogueId = input.dialogueId && input.dialogueId !== "network" ? input.dialogueId : null;
  const outcome = await runRequestCommand(request, context, "thread.create", { ...input, dialogueId });
  if (!outcome.ok) return commandErrorResponse(outcome, "thread.create");
  const { threadId } = outcome.result as { threadId: string };
  return redirect(`/threads/${threadId}`);
}

export default function NewThread() {
  const { dialogues, selected, caseStudy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  return (
    <div className="stack-lg narrow-wide">
      <h1>{t("threads.new")}</h1>
      {caseStudy ? (
        <p className="notice" data-testid="from-case-study">{t("caseStudies.fromCaseStudy", { title: caseStudy.title })}</p>
      ) : null}
      <Form method="post" className="form card" data-testid="new-thread-form" onSubmit={() => discardDraft(NEW_THREAD_DRAFT)}>
        {caseStudy ? <input type="hidden" name="caseStudyId" value={caseStudy.id} /> : null}
        <label>
          {t("threads.category")}
          <select name="dialogueId" defaultValue={selected}>
            <option value="network">{t("nav.network")}</option>
            {dialogues.map((d) => (
              <option key={d.id} value={d.id}>{d.title}</option>
            ))}
          </select>
        </label>
        <FieldError errors={errors} name="dialogueId" />
        <FieldError errors={errors} name="caseStudyId" />
        <label>
          {t("threads.title")}
          <input name="title" required maxLength={200} data-testid="thread-title" />
        </label>
        <FieldError errors={errors} name="title" />
        <label htmlFor="thread-body">{t("threads.firstPost")}</label>
        <ReplyEditor id="thread-body" placeholder={t("thread.replyPlaceholder")} draftKey={NEW_THREAD_DRAFT} />
        <FieldError errors={errors} name="content" />
        <FieldError errors={errors} name="body" />
        <FieldError errors={errors} name="" />
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("common.working") : t("threads.create")}
          </button>
        </div>
      </Form>
    </div>
  );
}
