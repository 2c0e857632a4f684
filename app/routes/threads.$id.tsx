import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { ReplyItem } from "~/components/replies";
import { getActor, requireUser } from "~/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { createReply, getThread, listReplies } from "~/models/replies.server";
import { REPLY_MAX_LENGTH } from "~/utils/limits";
import type { ReplyView } from "~/realtime/events";
import { useThreadRoom } from "~/realtime/use-thread-room";
import { pick } from "~/utils/content";
import { actionError, invalidForm, loadOrThrow } from "~/utils/http.server";
import { z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.thread.title} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const actor = getActor(context);
  const locale = await resolveLocale(request, context);
  const url = new URL(request.url);
  const threadId = params.id ?? "";
  const thread = await loadOrThrow(request, () => getThread(actor, threadId));
  const page = await loadOrThrow(request, () =>
    listReplies(actor, threadId, {
      after: url.searchParams.get("after"),
      before: url.searchParams.get("before"),
      last: url.searchParams.get("last") === "1",
    }),
  );
  return {
    thread: {
      id: thread.id,
      title: pick(locale, thread.titleEn, thread.titleZh),
      replyCount: thread.replyCount,
      dialogue: thread.dialogue ? { slug: thread.dialogue.slug, title: pick(locale, thread.dialogue.titleEn, thread.dialogue.titleZh) } : null,
    },
    ...page,
  };
}

const replyForm = z.object({ body: z.string().max(REPLY_MAX_LENGTH * 2, { message: "reply_too_long" }) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const submission = parseWithZod(await request.formData(), { schema: replyForm });
  if (submission.status !== "success") {
    const empty = submission.error?.body?.includes("required");
    return invalidForm(empty ? { body: ["reply_empty"] } : submission.error);
  }
  try {
    const reply = await createReply(getActor(context), { threadId: params.id ?? "", body: submission.value.body });
    return redirect(`/threads/${reply.threadId}?last=1#reply-${reply.id}`);
  } catch (error) {
    return actionError(error);
  }
}

function ReplyForm() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const wasSubmitting = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting") wasSubmitting.current = true;
    if (navigation.state === "idle" && wasSubmitting.current) {
      wasSubmitting.current = false;
      if (!actionData?.errors) formRef.current?.reset();
    }
  }, [navigation.state, actionData]);
  return (
    <Form method="post" className="form reply-form" ref={formRef} data-testid="reply-form">
      <label htmlFor="reply-body">{t("thread.yourReply")}</label>
      <textarea
        id="reply-body"
        name="body"
        rows={5}
        maxLength={REPLY_MAX_LENGTH}
        aria-describedby="reply-error"
        placeholder={t("thread.replyPlaceholder")}
      />
      <FieldError errors={actionData?.errors} name="body" id="reply-error" />
      <FieldError errors={actionData?.errors} name="" />
      <div className="form-actions">
        <SubmitButton pendingLabel={t("thread.posting")}>{t("thread.postReply")}</SubmitButton>
        <span className="muted">{t("thread.plainTextHint")}</span>
      </div>
    </Form>
  );
}

export default function ThreadPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [live, setLive] = useState<ReplyView[]>([]);
  useEffect(() => setLive([]), [data.thread.id]);
  const onReply = useCallback((reply: ReplyView) => setLive((current) => [...current, reply]), []);
  const { viewers, status } = useThreadRoom(data.thread.id, onReply);

  // Live replies show on the last page only; ones already in the loaded page are not repeated.
  const replies = useMemo(() => {
    if (data.hasNewer) return data.replies;
    const seen = new Set(data.replies.map((r) => r.id));
    return [...data.replies, ...live.filter((r) => !seen.has(r.id) && (seen.add(r.id), true))];
  }, [data.replies, data.hasNewer, live]);

  const first = data.replies[0];
  const last = data.replies[data.replies.length - 1];
  return (
    <div className="stack-lg thread-page">
      <nav className="breadcrumbs">
        <Link to="/">{t("nav.programme")}</Link>
        {data.thread.dialogue ? <> › <Link to={`/dialogues/${data.thread.dialogue.slug}`}>{data.thread.dialogue.title}</Link></> : null}
      </nav>
      <header className="thread-header">
        <h1>{data.thread.title}</h1>
        <p className="muted">
          <span data-testid="live-status" data-status={status} className={`live-dot live-${status}`}>
            {t(`live.${status}`)}
          </span>
          {viewers !== null ? (
            <span data-testid="viewer-count" data-count={viewers}> · {t("thread.viewers", { count: viewers })}</span>
          ) : null}
        </p>
      </header>

      {data.hasOlder && first ? (
        <Link className="pager" to={`?before=${first.id}`}>{t("thread.olderReplies")}</Link>
      ) : null}

      {replies.length === 0 ? <p className="muted" data-testid="no-replies">{t("thread.noReplies")}</p> : null}
      <ol className="replies" data-testid="replies">
        {replies.map((reply) => <ReplyItem key={reply.id} reply={reply} />)}
      </ol>

      {data.hasNewer && last ? (
        <Link className="pager" to={`?after=${last.id}`}>{t("thread.newerReplies")}</Link>
      ) : null}

      <ReplyForm />
    </div>
  );
}
