import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { caseStudyChoices } from "~/models/case-studies.server";
import { prisma } from "~/db.server";
import { pick } from "~/utils/content";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";

export const meta: MetaFunction = () => [{ title: "New policy note · Coal Regions Network" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const [{ regions }, dialogues] = await Promise.all([
    caseStudyChoices(),
    prisma.dialogue.findMany({ orderBy: [{ seriesId: "asc" }, { position: "asc" }], select: { id: true, titleEn: true, titleZh: true } }),
  ]);
  return {
    locale,
    regions: regions.map((r) => ({ id: r.id, name: pick(locale, r.nameEn, r.nameZh) })),
    dialogues: dialogues.map((d) => ({ id: d.id, title: pick(locale, d.titleEn, d.titleZh) })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  // The language defaults to the reader's UI language (the select shows it preselected).
  const language = form.get("language") || (await resolveLocale(request, context));
  const input = { title: form.get("title") ?? "", dialogueId: form.get("dialogueId") || null, regionIds: form.getAll("regionIds"), language };
  const outcome = await runRequestCommand(request, context, "note.create", input);
  if (!outcome.ok) return commandErrorResponse(outcome, "note.create");
  const { noteId } = outcome.result as { noteId: string };
  return redirect(`/notes/${noteId}`);
}

export default function NewNote() {
  const { regions, dialogues, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  return (
    <div className="stack-lg narrow-wide">
      <h1>{t("notes.newTitle")}</h1>
      <Form method="post" className="form card" data-testid="note-form">
        <label>
          {t("notes.form.title")}
          <input name="title" required maxLength={200} />
        </label>
        <FieldError errors={errors} name="title" />
        <label>
          {t("notes.language")}
          <select name="language" defaultValue={locale} data-testid="note-language-select">
            <option value="en" lang="en">{t("notes.languages.en")}</option>
            <option value="zh" lang="zh-CN">{t("notes.languages.zh")}</option>
          </select>
        </label>
        <FieldError errors={errors} name="language" />
        <label>
          {t("notes.form.dialogue")}
          <select name="dialogueId" defaultValue="">
            <option value="">{t("notes.form.noDialogue")}</option>
            {dialogues.map((d) => (
              <option key={d.id} value={d.id}>{d.title}</option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t("notes.form.regions")}</legend>
          {regions.map((r) => (
            <label key={r.id} className="checkbox">
              <input type="checkbox" name="regionIds" value={r.id} /> {r.name}
            </label>
          ))}
        </fieldset>
        <FieldError errors={errors} name="" />
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("common.working") : t("notes.form.create")}
          </button>
        </div>
      </Form>
    </div>
  );
}
