/**
 * The comment sidebar of a policy note (browser only; rendered by the co-editing editor, which it
 * needs): select text in the note, press "Comment", write, and the thread appears here and its
 * range is highlighted in the text (app/editor/note-comment-highlights.ts). Threads are listed in
 * the order their ranges appear in the note; threads whose text was removed come last with their
 * quote. Each has its replies, a reply box, Resolve / Reopen, and edit / delete on one's own
 * comments. Writes go over the tab's socket as the named commands (`noteComment.*`); the list is
 * read from `/notes/<id>/comments` and read again whenever `noteComment:changed` arrives.
 */
import type { Editor } from "@tiptap/react";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { LocalTime } from "~/components/time";
import { anchorsFromRange, decodeAnchor, type ProsemirrorMapping } from "~/editor/note-anchors";
import { highlightRanges, noteCommentHighlightsKey, type HighlightMeta, type HighlightRanges } from "~/editor/note-comment-highlights";
import type { NoteThreadView } from "~/models/note-comments.server";
import type { CommandInput } from "~/realtime/commands";
import type { AckResult } from "~/realtime/events";
import type { NoteProvider } from "~/realtime/note-provider";
import "~/styles/note-comments.css";
import { cutAtGrapheme } from "~/utils/text";
import { useMemberName } from "~/components/member-name";
import { TranslatedComment } from "~/components/translations";

type CommentCommand =
  | "noteComment.create"
  | "noteComment.reply"
  | "noteComment.resolve"
  | "noteComment.reopen"
  | "noteComment.edit"
  | "noteComment.delete"
  | "noteComment.translate"
  | "noteComment.untranslate";

interface ThreadList {
  threads: NoteThreadView[];
  canComment: boolean;
}

export interface NoteCommentsProps {
  editor: Editor | null;
  noteId: string;
  provider: NoteProvider;
  /** The thread focused from the text or the list (shared with the highlight plugin). */
  activeId: string | null;
  onActivate: (threadId: string | null) => void;
}

/** The selected range of the note: the editor's selection, or the browser's in a read-only editor. */
function selectedRange(editor: Editor): { from: number; to: number } | null {
  if (editor.isDestroyed) return null;
  const dom = typeof window === "undefined" ? null : window.getSelection();
  if (dom && dom.rangeCount > 0 && !dom.isCollapsed) {
    const range = dom.getRangeAt(0);
    if (editor.view.dom.contains(range.startContainer) && editor.view.dom.contains(range.endContainer)) {
      try {
        const from = editor.view.posAtDOM(range.startContainer, range.startOffset);
        const to = editor.view.posAtDOM(range.endContainer, range.endOffset);
        if (from < to) return { from, to };
      } catch {
        // fall through to the editor's own selection
      }
    }
  }
  const { from, to, empty } = editor.state.selection;
  return empty ? null : { from, to };
}

function sameRanges(a: HighlightRanges, b: HighlightRanges): boolean {
  if (a.size !== b.size) return false;
  for (const [id, r] of a) {
    const o = b.get(id);
    if (!o || o.from !== r.from || o.to !== r.to) return false;
  }
  return true;
}

export function NoteComments({ editor, noteId, provider, activeId, onActivate }: NoteCommentsProps) {
  const { t } = useTranslation();
  const [list, setList] = useState<ThreadList | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [showResolved, setShowResolved] = useState(false);
  const [ranges, setRanges] = useState<HighlightRanges>(new Map());
  const [hasSelection, setHasSelection] = useState(false);
  const [draft, setDraft] = useState<{ anchorStart: string; anchorEnd: string; quote: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const loads = useRef(0);

  const load = useCallback(async () => {
    const mine = ++loads.current;
    try {
      const response = await fetch(`/notes/${encodeURIComponent(noteId)}/comments`, { headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const body = (await response.json()) as ThreadList;
      if (mine === loads.current) {
        setList(body);
        setLoadFailed(false);
      }
    } catch {
      if (mine === loads.current) setLoadFailed(true);
    }
  }, [noteId]);

  // The list, and again on every change anyone makes (and after a reconnect, for missed events).
  useEffect(() => {
    const socket = provider.socket;
    const changed = (payload: { noteId: string }) => {
      if (payload.noteId === noteId) void load();
    };
    const reconnected = () => void load();
    socket.on("noteComment:changed", changed);
    // A new role may allow or forbid commenting.
    socket.on("doc:role", changed);
    socket.on("connect", reconnected);
    void load();
    return () => {
      socket.off("noteComment:changed", changed);
      socket.off("doc:role", changed);
      socket.off("connect", reconnected);
    };
  }, [provider, noteId, load]);

  const visible = useMemo(() => (list?.threads ?? []).filter((th) => showResolved || !th.resolved), [list, showResolved]);

  // Hand the visible threads' anchors to the highlight plugin.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const threads = visible.flatMap((th) => {
      const start = decodeAnchor(th.anchorStart);
      const end = decodeAnchor(th.anchorEnd);
      return start && end ? [{ id: th.id, start, end }] : [];
    });
    editor.view.dispatch(editor.state.tr.setMeta(noteCommentHighlightsKey, { threads } satisfies HighlightMeta));
  }, [editor, visible]);

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.view.dispatch(editor.state.tr.setMeta(noteCommentHighlightsKey, { activeId } satisfies HighlightMeta));
    if (!activeId) return;
    document.getElementById(`note-thread-${activeId}`)?.scrollIntoView({ block: "nearest" });
    const range = highlightRanges(editor.state).get(activeId);
    if (range) {
      const { node } = editor.view.domAtPos(range.from);
      (node instanceof Element ? node : node.parentElement)?.scrollIntoView({ block: "nearest" });
    }
  }, [editor, activeId]);

  // Where each highlight is now, and whether there is a selection to comment on.
  useEffect(() => {
    if (!editor) return;
    const onTransaction = () => setRanges((old) => (sameRanges(old, highlightRanges(editor.state)) ? old : highlightRanges(editor.state)));
    const onSelection = () => setHasSelection(selectedRange(editor) !== null);
    editor.on("transaction", onTransaction);
    editor.on("selectionUpdate", onSelection);
    document.addEventListener("selectionchange", onSelection);
    onTransaction();
    return () => {
      editor.off("transaction", onTransaction);
      editor.off("selectionUpdate", onSelection);
      document.removeEventListener("selectionchange", onSelection);
    };
  }, [editor]);

  const send = useCallback(
    async <N extends CommentCommand>(name: N, input: CommandInput<N>): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        // The command's socket event (app/realtime/events.ts); a generic name defeats the typed overloads.
        const socket = provider.socket.timeout(15_000) as unknown as {
          emitWithAck(event: N, input: CommandInput<N>): Promise<AckResult<{ result: unknown }>>;
        };
        const ack = await socket.emitWithAck(name, input).catch(() => null);
        if (!ack?.ok) {
          // No answer in time (or the connection dropped): say so rather than guess an error.
          setError(t(ack ? `errors.${ack.error}` : "errors.unexpected"));
          return false;
        }
        await load();
        return true;
      } finally {
        setBusy(false);
      }
    },
    [provider, load, t],
  );

  function startDraft() {
    if (!editor) return;
    const range = selectedRange(editor);
    const sync = ySyncPluginKey.getState(editor.state) as { type?: Y.XmlFragment; binding?: { mapping: ProsemirrorMapping } | null } | undefined;
    if (!range || !sync?.type || !sync.binding) return;
    const selected = editor.state.doc.textBetween(range.from, range.to, "\n").trim();
    const quote = cutAtGrapheme(selected, 1000);
    if (!quote) return;
    setError(null);
    setDraft({ ...anchorsFromRange(sync.type, sync.binding.mapping, range.from, range.to), quote });
  }

  async function submitDraft(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft) return;
    const body = String(new FormData(event.currentTarget).get("body") ?? "");
    // The anchors may name text this tab typed a moment ago: let the server have it first.
    setBusy(true);
    await provider.whenSaved().catch(() => {});
    if (await send("noteComment.create", { noteId, ...draft, body })) setDraft(null);
  }

  const ordered = useMemo(() => {
    const placed = visible.filter((th) => ranges.has(th.id)).sort((a, b) => ranges.get(a.id)!.from - ranges.get(b.id)!.from);
    const rest = visible.filter((th) => !ranges.has(th.id));
    return [...placed, ...rest];
  }, [visible, ranges]);

  return (
    <aside className="note-comments stack" aria-labelledby="note-comments-title" data-testid="note-comments">
      <div className="note-comments-head">
        <h2 id="note-comments-title">{t("notes.comments.title")}</h2>
        <label className="note-comments-toggle">
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.currentTarget.checked)} data-testid="note-comments-show-resolved" />{" "}
          {t("notes.comments.showResolved")}
        </label>
      </div>
      {list?.canComment ? (
        <div className="stack-sm">
          <button
            type="button"
            className="button"
            data-testid="note-comment-add"
            disabled={!hasSelection || busy}
            // Keep the text selection when the button is pressed.
            onMouseDown={(e) => e.preventDefault()}
            onClick={startDraft}
          >
            {t("notes.comments.add")}
          </button>
          {!draft ? <p className="muted small">{t("notes.comments.addHint")}</p> : null}
        </div>
      ) : list ? (
        <p className="muted small">{t("notes.comments.viewerOnly")}</p>
      ) : null}
      {draft ? (
        <form className="note-comment-form card stack-sm" onSubmit={submitDraft} data-testid="note-comment-new">
          <blockquote className="note-comment-quote">{draft.quote}</blockquote>
          <label>
            {t("notes.comments.body")}
            <textarea name="body" rows={3} required maxLength={5000} autoFocus />
          </label>
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy}>{t("notes.comments.submit")}</button>{" "}
            <button type="button" className="link-action" onClick={() => setDraft(null)}>{t("notes.comments.cancel")}</button>
          </div>
        </form>
      ) : null}
      {error ? <p className="field-error" role="alert" data-testid="note-comment-error">{error}</p> : null}
      {!list && !loadFailed ? <p className="muted">{t("notes.comments.loading")}</p> : null}
      {loadFailed ? <p className="field-error" role="alert">{t("notes.comments.loadFailed")}</p> : null}
      {list && ordered.length === 0 ? (
        <p className="muted" data-testid="note-comments-empty">{t(list.threads.length ? "notes.comments.emptyOpen" : "notes.comments.empty")}</p>
      ) : null}
      <ol className="note-threads">
        {ordered.map((thread) => (
          <ThreadCard
            key={thread.id}
            thread={thread}
            // Where the editor has placed it, trust the editor; otherwise what the server found.
            orphaned={ranges.has(thread.id) ? false : thread.orphaned || provider.synced}
            active={thread.id === activeId}
            busy={busy}
            onActivate={() => onActivate(thread.id === activeId ? null : thread.id)}
            send={send}
          />
        ))}
      </ol>
    </aside>
  );
}

function ThreadCard({
  thread,
  orphaned,
  active,
  busy,
  onActivate,
  send,
}: {
  thread: NoteThreadView;
  orphaned: boolean;
  active: boolean;
  busy: boolean;
  onActivate: () => void;
  send: <N extends CommentCommand>(name: N, input: CommandInput<N>) => Promise<boolean>;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "zh" ? "zh" : "en";
  const name = useMemberName();
  const [editing, setEditing] = useState<string | null>(null);
  const [translating, setTranslating] = useState<string | null>(null);
  const className = ["note-thread", "card", active ? "is-active" : "", thread.resolved ? "is-resolved" : "", orphaned ? "is-orphaned" : ""].join(" ");
  return (
    <li
      id={`note-thread-${thread.id}`}
      className={className}
      data-testid="note-comment-thread"
      data-thread-id={thread.id}
      data-resolved={thread.resolved ? "true" : "false"}
      aria-label={t("notes.comments.thread", { quote: thread.quote })}
    >
      <button type="button" className="note-comment-quote" aria-pressed={active} onClick={onActivate}>
        {thread.quote}
      </button>
      {orphaned ? <p className="muted small" data-testid="note-comment-orphaned">{t("notes.comments.removed")}</p> : null}
      {thread.resolved ? (
        <p className="muted small" data-testid="note-comment-resolved">
          {thread.resolved.by ? t("notes.comments.resolvedBy", { name: name(thread.resolved.by.displayName) }) : t("notes.comments.resolvedByUnknown")} ·{" "}
          <LocalTime iso={thread.resolved.at} />
        </p>
      ) : null}
      <ul className="note-comment-list">
        {thread.comments.map((comment) => (
          <li key={comment.id} className="note-comment" data-testid="note-comment">
            <div className="note-comment-meta small">
              <strong>{name(comment.author.displayName)}</strong> · <LocalTime iso={comment.createdAt} />
              {comment.editedAt && !comment.deleted ? <span className="muted"> · {t("notes.comments.edited")}</span> : null}
            </div>
            {comment.deleted ? (
              <p className="muted small">{t("notes.comments.deleted")}</p>
            ) : editing === comment.id ? (
              <form
                className="stack-sm"
                onSubmit={async (e) => {
                  e.preventDefault();
                  const body = String(new FormData(e.currentTarget).get("body") ?? "");
                  if (await send("noteComment.edit", { commentId: comment.id, body })) setEditing(null);
                }}
              >
                <textarea name="body" rows={3} required maxLength={5000} defaultValue={comment.body ?? ""} aria-label={t("notes.comments.edit")} autoFocus />
                <div className="form-actions">
                  <button type="submit" className="button" disabled={busy}>{t("notes.comments.save")}</button>{" "}
                  <button type="button" className="link-action" onClick={() => setEditing(null)}>{t("notes.comments.cancel")}</button>
                </div>
              </form>
            ) : translating === comment.id ? (
              <form
                className="stack-sm"
                onSubmit={async (e) => {
                  e.preventDefault();
                  const body = String(new FormData(e.currentTarget).get("body") ?? "");
                  if (await send("noteComment.translate", { commentId: comment.id, language: comment.language === "zh" ? "en" : "zh", body })) setTranslating(null);
                }}
              >
                <p className="note-comment-body muted">{comment.body}</p>
                <textarea
                  name="body"
                  rows={3}
                  required
                  maxLength={5000}
                  defaultValue={comment.translations.find((tr) => tr.language !== comment.language)?.text ?? ""}
                  aria-label={t("translation.yourTranslation", { language: t(`translation.languages.${comment.language === "zh" ? "en" : "zh"}`) })}
                  autoFocus
                />
                <div className="form-actions">
                  <button type="submit" className="button" disabled={busy}>{t("translation.save")}</button>{" "}
                  <button type="button" className="link-action" onClick={() => setTranslating(null)}>{t("notes.comments.cancel")}</button>
                </div>
              </form>
            ) : (
              <TranslatedComment language={comment.language} translations={comment.translations} lang={lang}>
                <p className="note-comment-body">{comment.body}</p>
              </TranslatedComment>
            )}
            {!comment.deleted && editing !== comment.id && translating !== comment.id && (comment.canEdit || comment.canDelete || thread.canReply) ? (
              <div className="note-comment-actions small">
                {thread.canReply ? (
                  <button type="button" className="link-action" data-testid="translate-note-comment" onClick={() => setTranslating(comment.id)}>
                    {t(comment.translations.some((tr) => tr.language !== comment.language) ? "translation.improve" : "translation.translate", {
                      language: t(`translation.languages.${comment.language === "zh" ? "en" : "zh"}`),
                    })}
                  </button>
                ) : null}{" "}
                {comment.translations.some((tr) => tr.language !== comment.language) && (comment.canUntranslate || comment.translations.some((tr) => tr.mine)) ? (
                  <button
                    type="button"
                    className="link-action"
                    disabled={busy}
                    onClick={() => void send("noteComment.untranslate", { commentId: comment.id, language: comment.language === "zh" ? "en" : "zh" })}
                  >
                    {t("translation.remove")}
                  </button>
                ) : null}{" "}
                {comment.canEdit ? (
                  <button type="button" className="link-action" onClick={() => setEditing(comment.id)}>{t("notes.comments.edit")}</button>
                ) : null}{" "}
                {comment.canDelete ? (
                  <button
                    type="button"
                    className="link-action"
                    disabled={busy}
                    onClick={() => {
                      if (window.confirm(t("notes.comments.confirmDelete"))) void send("noteComment.delete", { commentId: comment.id });
                    }}
                  >
                    {t("notes.comments.delete")}
                  </button>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {thread.canReply ? (
        <form
          className="note-comment-reply stack-sm"
          onSubmit={async (e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const body = String(new FormData(form).get("body") ?? "");
            if (await send("noteComment.reply", { threadId: thread.id, body })) form.reset();
          }}
        >
          <textarea name="body" rows={2} required maxLength={5000} aria-label={t("notes.comments.replyLabel")} placeholder={t("notes.comments.reply")} />
          <div className="form-actions">
            <button type="submit" className="button button-small" disabled={busy}>{t("notes.comments.reply")}</button>{" "}
            {thread.canResolve ? (
              <button
                type="button"
                className="link-action"
                disabled={busy}
                data-testid={thread.resolved ? "note-comment-reopen" : "note-comment-resolve"}
                onClick={() => void send(thread.resolved ? "noteComment.reopen" : "noteComment.resolve", { threadId: thread.id })}
              >
                {t(thread.resolved ? "notes.comments.reopen" : "notes.comments.resolve")}
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
    </li>
  );
}
