import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { ReplyEditor } from "~/editor/ReplyEditor";
import { requireUser } from "~/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listProgrammeDialogues } from "~/models/dialogues.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/utils/commands.server";
import { pick } from "~/utils/content";

export const meta: MetaFunction = () => [{ title: "New thread · Coal Regions Network" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const dialogues = await listProgrammeDialogues();
  const slug = new URL(request.url).searchParams.get("dialogue");
  return {
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
  const { dialogues, selected } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  return (
    <div className="stack-lg narrow-wide">
      <h1>{t("threads.new")}</h1>
      <Form method="post" className="form card" data-testid="new-thread-form">
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
        <label>
          {t("threads.title")}
          <input name="title" required maxLength={200} data-testid="thread-title" />
        </label>
        <FieldError errors={errors} name="title" />
        <label htmlFor="thread-body">{t("threads.firstPost")}</label>
        <ReplyEditor id="thread-body" placeholder={t("thread.replyPlaceholder")} />
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
