import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { BusyRetryNote, FieldError, useRetryWhenBusy } from "~/components/forms";
import { ModerationTools } from "~/components/moderation-tools";
import { ReplyItem } from "~/components/replies";
import { AttributionBanner, ThreadAttributionForm } from "~/components/track2";
import { WatchLevelForm } from "~/components/watch-level";
import { ReplyEditor, type ReplyEditorApi } from "~/editor/ReplyEditor";
import { quoteDoc } from "~/editor/doc-utils";
import { getActor, requireUser, safeRedirect } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { caseStudyLink } from "~/models/case-studies.server";
import { listProgrammeDialogues } from "~/models/dialogues.server";
import { listReplies, readerOf } from "~/models/replies.server";
import { machineTranslationAllowed } from "~/models/translations/machine.server";
import { presentTitle, titleTranslations } from "~/models/translations/titles.server";
import { ThreadHeading, TitleTranslationActions } from "~/components/translations";
import { getThread, isPinned, readerStateIn } from "~/models/threads.server";
import { isStaff } from "~/policy.server";
import type { ReplyView, ThreadChange } from "~/realtime/events";
import { sendCommand } from "~/realtime/hooks";
import { useThreadRoom } from "~/realtime/use-thread-room";
import { commandErrorResponse, failedOutcome, formToInput, runRequestCommand } from "~/http/commands.server";
import { AppError } from "~/utils/errors";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { useSpeakerName } from "~/components/member-name";
import { newFormKey } from "~/utils/ids.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.thread.title} · Coal Regions Network` : "Not found" }];

const postNumberParam = (value: string | null) => (value && /^\d{1,9}$/.test(value) ? Number(value) : null);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const actor = getActor(context);
  const locale = await resolveLocale(request, context);
  const url = new URL(request.url);
  const threadId = params.id ?? "";
  const thread = await loadOrThrow(request, () => getThread(actor, threadId));
  const { lastRead, level } = await readerStateIn(user.id, thread);
  let after = postNumberParam(url.searchParams.get("after"));
  const before = postNumberParam(url.searchParams.get("before"));
  const last = url.searchParams.get("last") === "1";
  // Land on the first unread reply, like Discourse, when no page was asked for.
  if (after === null && before === null && !last && lastRead > 0 && lastRead < thread.lastPostNumber) after = lastRead;
  const page = await loadOrThrow(request, () => listReplies(actor, threadId, { after, before, last, thread }));
  const staff = isStaff(actor);
  const caseStudy = await caseStudyLink(actor, thread.caseStudyId, locale);
  const reader = readerOf(actor);
  const title = presentTitle(thread, (await titleTranslations([thread.id])).get(thread.id) ?? [], locale, reader, thread.access.level);
  return {
    caseStudy,
    thread: {
      id: thread.id,
      title: title.title,
      titleView: title,
      canRemoveTitleTranslation: staff || thread.authorId === user.id || Boolean(title.target?.mine),
      dialogue: thread.dialogue ? { id: thread.dialogue.id, slug: thread.dialogue.slug, title: pick(locale, thread.dialogue.titleEn, thread.dialogue.titleZh) } : null,
      locked: thread.lockedAt !== null,
      pinned: isPinned(thread),
      pinnedUntil: thread.pinnedUntil?.toISOString() ?? null,
      slowModeSeconds: thread.slowModeSeconds,
      replyCount: thread.replyCount,
      attribution: thread.access.level,
      ownAttribution: thread.attributionLevel,
      dialogueAttribution: thread.dialogue?.attributionLevel ?? "on_record",
    },
    // Read before the replies: live changes and the catch-up after a reconnect start here.
    changeSeq: thread.changeSeq,
    // Sent with the reply form: resending the same post (a retry, a double click, the back
    // button) never posts it twice. A new one with every page load.
    replyKey: newFormKey(),
    me: { id: user.id, staff },
    translationDisplay: user.translationDisplay,
    // The words leave the server for the service: offered on the record, or where an admin allowed it.
    machineTranslation: machineTranslationAllowed(thread.access.level, thread.dialogue?.allowMachineTranslation ?? false),
    level,
    lastRead,
    dialogues: staff ? (await listProgrammeDialogues()).map((d) => ({ id: d.id, title: pick(locale, d.titleEn, d.titleZh) })) : [],
    ...page,
  };
}

const THREAD_INTENTS = [
  "thread.attribution", "thread.watch", "thread.lock", "thread.unlock", "thread.pin", "thread.unpin", "thread.slowMode", "thread.move", "thread.delete",
  "thread.translateTitle", "thread.untranslateTitle", "thread.requestTitleTranslation", "thread.machineTranslateTitle",
];
const REPLY_INTENTS = ["reply.create", "reply.delete", "reply.flag", "reply.hide", "reply.unhide", "reply.translate", "reply.untranslate", "reply.requestTranslation", "reply.machineTranslate"];

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const threadId = params.id ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "reply.create");
  if (!THREAD_INTENTS.includes(intent) && !REPLY_INTENTS.includes(intent)) {
    return data({ errors: { "": ["validation"] }, message: null, params: null, intent }, { status: 400 });
  }
  // Deleting from the page needs its confirmation box ticked (the API and sockets are for
  // deliberate callers and need no box).
  if (intent === "thread.delete" && form.get("confirm") !== "yes") {
    const outcome = await failedOutcome(request, context, new AppError("confirmation_required", "Tick the box to confirm", "confirm"));
    return commandErrorResponse(outcome, intent);
  }
  const input: Record<string, unknown> = { ...formToInput(form) };
  delete input.confirm;
  if (intent.startsWith("thread.") || intent === "reply.create") input.threadId = threadId;
  if (intent === "thread.move") input.dialogueId = input.dialogueId && input.dialogueId !== "network" ? input.dialogueId : null;
  const outcome = await runRequestCommand(request, context, intent, input);
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  if (intent === "reply.create") {
    const reply = outcome.result as ReplyView;
    return redirect(`/threads/${threadId}?last=1#post-${reply.postNumber}`);
  }
  if (intent === "thread.delete") return redirect(safeRedirect(form.get("returnTo"), "/network"));
  // The flag menu stays on the page (a fetcher) and says it was sent; without JavaScript the
  // page renders with the same confirmation.
  if (intent === "reply.flag") return data({ ok: true as const, errors: undefined, message: null, params: null, intent });
  const url = new URL(request.url);
  return redirect(url.pathname + url.search);
}

function ReplyComposer({ threadId, replyKey, locked, slowModeSeconds, replyTo, onClearReplyTo, editorRef }: {
  threadId: string;
  replyKey: string;
  locked: boolean;
  slowModeSeconds: number;
  replyTo: ReplyView | null;
  onClearReplyTo(): void;
  editorRef: React.MutableRefObject<ReplyEditorApi | null>;
}) {
  const { t } = useTranslation();
  const speaker = useSpeakerName();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "reply.create";
  const wasSubmitting = useRef(false);
  const errors = actionData?.intent === "reply.create" || actionData?.intent === undefined ? actionData?.errors : undefined;
  const retrying = useRetryWhenBusy("reply.create", actionData);
  useEffect(() => {
    if (submitting) wasSubmitting.current = true;
    if (navigation.state === "idle" && wasSubmitting.current) {
      wasSubmitting.current = false;
      if (!actionData?.errors) {
        editorRef.current?.clear();
        onClearReplyTo();
      }
    }
  }, [navigation.state, submitting, actionData, editorRef, onClearReplyTo]);
  if (locked) {
    return (
      <p className="notice locked-notice" data-testid="locked-notice" role="status">{t("thread.lockedNotice")}</p>
    );
  }
  return (
    <Form method="post" className="form reply-form" data-testid="reply-form">
      <input type="hidden" name="intent" value="reply.create" />
      <input type="hidden" name="idempotencyKey" value={replyKey} />
      {replyTo ? (
        <p className="muted replying-to">
          <input type="hidden" name="replyToId" value={replyTo.id} />
          ↩ {t("reply.replyingTo", { name: speaker(replyTo.author), number: replyTo.postNumber })}{" "}
          <button type="button" className="link-action" onClick={onClearReplyTo}>{t("common.cancel")}</button>
        </p>
      ) : null}
      <label htmlFor="reply-body">{t("thread.yourReply")}</label>
      <ReplyEditor
        id="reply-body"
        placeholder={t("thread.replyPlaceholder")}
        draftKey={`reply:${threadId}`}
        onReady={(api) => (editorRef.current = api)}
      />
      <FieldError errors={errors} name="content" id="reply-error" />
      <FieldError errors={errors} name="body" />
      <FieldError errors={errors} name="" />
      <BusyRetryNote attempt={retrying} />
      {actionData?.intent === "reply.create" && actionData.params && actionData.message ? (
        <p className="field-error" role="alert">{actionData.message}</p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t("thread.posting") : t("thread.postReply")}
        </button>
        {slowModeSeconds > 0 ? <span className="muted">{t("thread.slowModeHint", { count: slowModeSeconds })}</span> : null}
      </div>
    </Form>
  );
}

export default function ThreadPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const speaker = useSpeakerName();
  // A quote becomes words others read: under the Chatham House Rule it names the pseudonym, even
  // when staff (who see the name) quote.
  const quoted = useCallback(
    (reply: ReplyView) => (reply.author.participant !== null ? t("attribution.participant", { number: reply.author.participant }) : speaker(reply.author)),
    [t, speaker],
  );
  const revalidator = useRevalidator();
  // The latest change per reply since the page's data was read (ThreadFeed applies each once).
  const [changes, setChanges] = useState<Map<string, ThreadChange>>(() => new Map());
  const [replyTo, setReplyTo] = useState<ReplyView | null>(null);
  const editorRef = useRef<ReplyEditorApi | null>(null);

  const { viewers, people, status } = useThreadRoom(data.thread.id, { changeSeq: data.changeSeq, token: data.replies }, {
    onReset: useCallback(() => setChanges(new Map()), []),
    onChanges: useCallback((list: ThreadChange[]) => setChanges((current) => {
      const next = new Map(current);
      for (const change of list) next.set(change.kind === "upsert" ? change.reply.id : change.replyId, change);
      return next;
    }), []),
    onReload: useCallback(() => revalidator.revalidate(), [revalidator]),
    onThreadUpdated: useCallback(() => revalidator.revalidate(), [revalidator]),
  });

  // The page's replies with the changes since: a new (or unhidden) reply shows when it falls
  // within this page (new ones on the last page only), in post order.
  const replies = useMemo(() => {
    const first = data.replies[0]?.postNumber ?? 0;
    const last = data.replies[data.replies.length - 1]?.postNumber ?? 0;
    const from = data.hasOlder ? first : 0;
    const to = data.hasNewer ? last : Number.POSITIVE_INFINITY;
    const byId = new Map(data.replies.map((r) => [r.id, r]));
    for (const change of changes.values()) {
      if (change.kind === "removed") byId.delete(change.replyId);
      else if (byId.has(change.reply.id) || (change.reply.postNumber >= from && change.reply.postNumber <= to)) byId.set(change.reply.id, change.reply);
    }
    return [...byId.values()].sort((a, b) => a.postNumber - b.postNumber);
  }, [data.replies, data.hasOlder, data.hasNewer, changes]);

  // Reading position: everything on screen counts as read (sent over the socket, never by GET).
  const maxShown = replies.reduce((max, r) => Math.max(max, r.postNumber), 0);
  useEffect(() => {
    if (maxShown <= data.lastRead || document.visibilityState !== "visible") return;
    void sendCommand("thread.markRead", { threadId: data.thread.id, postNumber: maxShown });
  }, [maxShown, data.lastRead, data.thread.id]);

  const firstUnread = data.lastRead > 0 ? replies.find((r) => r.postNumber > data.lastRead && r.author.id !== data.me.id) : undefined;
  const onQuote = useCallback((reply: ReplyView) => {
    editorRef.current?.insertQuote(
      quoteDoc({ authorName: quoted(reply), content: htmlToQuoteSource(reply), attribution: t("editor.quoteWrote", { name: quoted(reply) }) }),
    );
    editorRef.current?.focus();
  }, [t, quoted]);
  const onReplyTo = useCallback((reply: ReplyView) => {
    setReplyTo(reply);
    editorRef.current?.focus();
  }, []);
  const first = data.replies[0];
  const last = data.replies[data.replies.length - 1];
  const otherErrors = actionData && !("ok" in actionData) && actionData.intent && actionData.intent !== "reply.create" ? actionData : null;
  const flagged = actionData && "ok" in actionData && actionData.intent === "reply.flag";

  return (
    <div className="stack-lg thread-page">
      <nav className="breadcrumbs">
        {data.thread.dialogue ? (
          <>
            <Link to="/">{t("nav.programme")}</Link> › <Link to={`/dialogues/${data.thread.dialogue.slug}`}>{data.thread.dialogue.title}</Link>
          </>
        ) : (
          <Link to="/network">{t("nav.network")}</Link>
        )}
      </nav>
      <header className="thread-header">
        <ThreadHeading key={data.thread.title} title={data.thread.titleView} />
        <TitleTranslationActions title={data.thread.titleView} canRemove={data.thread.canRemoveTitleTranslation} canMachineTranslate={data.machineTranslation} />
        {data.caseStudy ? (
          <p className="from-case-study" data-testid="from-case-study">
            {t("caseStudies.fromCaseStudyLabel")} <Link to={`/case-studies/${data.caseStudy.id}`}>{data.caseStudy.title}</Link>
          </p>
        ) : null}
        <p className="muted thread-status">
          <span data-testid="live-status" data-status={status} className={`live-dot live-${status}`}>{t(`live.${status}`)}</span>
          {viewers !== null ? (
            <span data-testid="viewer-count" data-count={viewers}> · {t("thread.viewers", { count: viewers })}</span>
          ) : null}
          {people.length ? (
            <span className="thread-viewers" data-testid="viewers" aria-label={t("thread.viewersLabel")}>
              {people.map((person) => (
                <span key={person.id} className="thread-viewer" data-testid="viewer" data-user-id={person.id}>
                  <span className="viewer-dot" style={{ background: person.color }} aria-hidden="true" />
                  {person.name}
                  {person.role !== "member" ? <span className="viewer-role"> ({t(`roles.${person.role}`)})</span> : null}
                </span>
              ))}
            </span>
          ) : null}
          {data.thread.pinned ? <span className="badge badge-scheduled">{t("thread.pinned")}</span> : null}
          {data.thread.locked ? <span className="badge badge-tbd" data-testid="locked-badge">{t("thread.locked")}</span> : null}
          {data.thread.slowModeSeconds > 0 ? <span className="badge">{t("thread.slowMode", { count: data.thread.slowModeSeconds })}</span> : null}
        </p>
        <WatchLevelForm level={data.level} intent="thread.watch" />
        <p className="small">
          <Link to={`/outcomes/new?from=thread:${data.thread.id}`} data-testid="propose-outcome-from-thread">{t("outcomes.proposeFromHere")}</Link>
        </p>
      </header>

      {otherErrors?.message ? <p className="notice error" role="alert">{otherErrors.message}</p> : null}
      {flagged ? <p className="notice" role="status">{t("flag.done")}</p> : null}
      <AttributionBanner level={data.thread.attribution} />
      {data.me.staff ? <ModerationTools thread={data.thread} dialogues={data.dialogues} /> : null}
      {data.me.staff ? <ThreadAttributionForm own={data.thread.ownAttribution} inherited={data.thread.dialogueAttribution} /> : null}

      {data.hasOlder && first ? <Link className="pager" to={`?before=${first.postNumber}`}>{t("thread.olderReplies")}</Link> : null}
      {replies.length === 0 ? <p className="muted" data-testid="no-replies">{t("thread.noReplies")}</p> : null}
      <ol className="replies" data-testid="replies">
        {replies.map((reply) => (
          <FragmentWithMarker key={reply.id} marker={reply === firstUnread} label={t("thread.newReplies")}>
            <ReplyItem
              reply={reply}
              onQuote={onQuote}
              onReplyTo={onReplyTo}
              permissions={{
                canReply: !data.thread.locked,
                canEdit: !data.thread.locked && ((reply.author.id === data.me.id && !reply.hidden) || data.me.staff),
                canDelete: reply.author.id === data.me.id || data.me.staff,
                canFlag: reply.author.id !== data.me.id && !reply.hidden,
                canModerate: data.me.staff,
                canTranslate: !reply.hidden,
                canRemove: reply.author.id === data.me.id || data.me.staff || reply.translations.some((tr) => tr.translator?.id === data.me.id),
                canMachineTranslate: data.machineTranslation,
              }}
              display={data.translationDisplay}
            />
          </FragmentWithMarker>
        ))}
      </ol>
      {data.hasNewer && last ? <Link className="pager" to={`?after=${last.postNumber}`}>{t("thread.newerReplies")}</Link> : null}

      {data.thread.locked ? null : <AttributionBanner level={data.thread.attribution} compact />}
      <ReplyComposer
        key={data.thread.id}
        threadId={data.thread.id}
        replyKey={data.replyKey}
        locked={data.thread.locked}
        slowModeSeconds={data.thread.slowModeSeconds}
        replyTo={replyTo}
        onClearReplyTo={useCallback(() => setReplyTo(null), [])}
        editorRef={editorRef}
      />
    </div>
  );
}

function FragmentWithMarker({ marker, label, children }: { marker: boolean; label: string; children: React.ReactNode }) {
  return (
    <>
      {marker ? <li className="new-replies-marker" data-testid="new-replies-marker" aria-label={label}><span>{label}</span></li> : null}
      {children}
    </>
  );
}

/** A quote needs the reply's document; the browser only has its HTML, so quote its text by paragraph. */
function htmlToQuoteSource(reply: ReplyView) {
  const paragraphs = reply.text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return { type: "doc", content: paragraphs.map((p) => ({ type: "paragraph", content: [{ type: "text", text: p }] })) };
}
