import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { JSONContent } from "@tiptap/core";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { ReplyEditor } from "~/editor/ReplyEditor";
import { getActor, requireUser } from "~/http/auth.server";
import { getEditableReply } from "~/models/replies.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import type { ReplyView } from "~/realtime/events";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.editReply");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const reply = await loadOrThrow(request, () => getEditableReply(getActor(context), params.id ?? ""));
  return { reply: { id: reply.id, threadId: reply.threadId, postNumber: reply.postNumber, content: reply.content as JSONContent, text: reply.text } };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const input = formToInput(await request.formData());
  const outcome = await runRequestCommand(request, context, "reply.edit", { ...input, replyId: params.id });
  if (!outcome.ok) return commandErrorResponse(outcome, "reply.edit");
  const reply = outcome.result as ReplyView;
  return redirect(`/threads/${reply.threadId}?after=${Math.max(reply.postNumber - 1, 0)}#post-${reply.postNumber}`);
}

export default function EditReply() {
  const { reply } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div className="stack-lg narrow-wide">
      <nav className="breadcrumbs"><Link to={`/threads/${reply.threadId}#post-${reply.postNumber}`}>← {t("reply.backToThread")}</Link></nav>
      <h1>{t("reply.editTitle", { number: reply.postNumber })}</h1>
      <Form method="post" className="form card" data-testid="edit-form">
        <label htmlFor="edit-body">{t("thread.yourReply")}</label>
        <ReplyEditor id="edit-body" initialContent={reply.content} initialText={reply.text} />
        <FieldError errors={actionData?.errors} name="content" />
        <FieldError errors={actionData?.errors} name="body" />
        <FieldError errors={actionData?.errors} name="" />
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>{t("reply.saveEdit")}</button>
          <Link to={`/threads/${reply.threadId}#post-${reply.postNumber}`}>{t("common.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
