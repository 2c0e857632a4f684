import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { JSONContent } from "@tiptap/core";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { ReplyEditor } from "~/editor/ReplyEditor";
import { getActor, requireUser } from "~/http/auth.server";
import { renderReplyHtml } from "~/editor/content.server";
import { getEditableReply } from "~/models/replies.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import type { ReplyView } from "~/realtime/events";
import { pageTitle } from "~/utils/page-title";
import { parseDocJson } from "~/editor/doc-utils";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.editReply");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const reply = await loadOrThrow(request, () => getEditableReply(getActor(context), params.id ?? ""));
  return { reply: { id: reply.id, threadId: reply.threadId, postNumber: reply.postNumber, content: reply.content as JSONContent, text: reply.text, revision: reply.editCount } };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const input = formToInput(await request.formData());
  const outcome = await runRequestCommand(request, context, "reply.edit", { ...input, replyId: params.id });
  if (!outcome.ok) {
    if (outcome.code !== "edit_conflict") return commandErrorResponse(outcome, "reply.edit");
    // Someone saved in between: show their version beside what this member wrote, and let the
    // next save (from the stored revision) be a deliberate choice to keep theirs or this one.
    const current = await loadOrThrow(request, () => getEditableReply(getActor(context), params.id ?? ""));
    return data(
      {
        errors: { content: ["edit_conflict"] },
        message: outcome.message,
        conflict: { revision: current.editCount, html: renderReplyHtml(current.content as JSONContent), editedAt: current.editedAt?.toISOString() ?? null },
        submitted: { body: typeof input.body === "string" ? input.body : null, content: typeof input.content === "string" ? input.content : null },
      },
      { status: 409 },
    );
  }
  const reply = outcome.result as ReplyView;
  return redirect(`/threads/${reply.threadId}?after=${Math.max(reply.postNumber - 1, 0)}#post-${reply.postNumber}`);
}

export default function EditReply() {
  const { reply } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const conflict = actionData && "conflict" in actionData ? actionData : null;
  // After a conflict the editor keeps what was typed (and, without JavaScript, gets it back).
  const submittedContent = conflict?.submitted.content ? parseDocJson(conflict.submitted.content) : null;
  return (
    <div className="stack-lg narrow-wide">
      <nav className="breadcrumbs"><Link to={`/threads/${reply.threadId}#post-${reply.postNumber}`}>← {t("reply.backToThread")}</Link></nav>
      <h1>{t("reply.editTitle", { number: reply.postNumber })}</h1>
      {conflict ? (
        <section className="card edit-conflict" data-testid="edit-conflict" role="alert">
          <p>{conflict.message}</p>
          <h2>{t("reply.conflictTheirs")}</h2>
          <div className="rich" data-testid="conflict-theirs" dangerouslySetInnerHTML={{ __html: conflict.conflict.html }} />
          <p>
            <Link to={`/threads/${reply.threadId}#post-${reply.postNumber}`} data-testid="keep-theirs">{t("reply.conflictKeepTheirs")}</Link>
          </p>
        </section>
      ) : null}
      <Form method="post" className="form card" data-testid="edit-form">
        <input type="hidden" name="baseRevision" value={conflict ? conflict.conflict.revision : reply.revision} />
        <label htmlFor="edit-body">{conflict ? t("reply.conflictYours") : t("thread.yourReply")}</label>
        <ReplyEditor
          id="edit-body"
          initialContent={submittedContent ?? reply.content}
          initialText={conflict?.submitted.body ?? (submittedContent ? undefined : reply.text)}
        />
        <FieldError errors={conflict ? undefined : actionData?.errors} name="content" />
        <FieldError errors={actionData?.errors} name="body" />
        <FieldError errors={actionData?.errors} name="" />
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="save-edit">
            {conflict ? t("reply.conflictKeepMine") : t("reply.saveEdit")}
          </button>
          <Link to={`/threads/${reply.threadId}#post-${reply.postNumber}`}>{t("common.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
