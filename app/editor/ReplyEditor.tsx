/**
 * The reply editor, progressively enhanced.
 *
 * Server render and no JavaScript: a plain `<textarea name="body">` (the server converts its
 * text with textToDoc). After hydration the Tiptap code is loaded on demand (a dynamic import,
 * so pages without an editor never download it); once the editor exists it replaces the
 * textarea, keeps a hidden `<input name="content">` holding the document as JSON, and the
 * textarea is removed so only one of the two fields is posted. Text typed into the textarea
 * before the editor arrived is carried over.
 *
 * Usage:
 *   <label htmlFor="reply-body">…</label>
 *   <ReplyEditor id="reply-body" placeholder={…} onReady={(api) => (editorRef.current = api)} />
 * `onReady` is called with a textarea-backed API first and again with the rich editor's API
 * once it is ready: keep the latest. Give the component a `key` (e.g. the reply id) when
 * `initialContent` changes for a different reply. Its styles: `replyEditorLinks` (or
 * app/styles/editor.css?url in the route's or root's `links`).
 *
 * With a `draftKey`, what is typed is kept as a draft in the browser (app/editor/drafts.ts) and
 * brought back when the editor is next shown, with a "Discard" button; the API's `clear()` (after
 * a successful post) forgets it.
 */
import type { JSONContent } from "@tiptap/core";
import { useEffect, useMemo, useRef, useState, type ComponentType, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import editorStylesHref from "~/styles/editor.css?url";
import { REPLY_MAX_LENGTH } from "~/utils/limits";
import { discardDraft, readDraft, writeDraft } from "./drafts";
import { onDemand } from "./lazy";
import { docToText, textToDoc } from "./plain-text";
import type { ReplyEditorApi } from "./reply-editor-api";
import type { RichReplyEditorProps } from "./RichReplyEditor.client";

export type { ReplyEditorApi };

/** The stylesheet for the editor and for rendered replies (`.rich`): add to a route's `links`. */
export const replyEditorLinks = [{ rel: "stylesheet", href: editorStylesHref }];

/** Where the @mention autocomplete asks for members: `GET <url>?q=<text>` → `{ members: [{ id, label, region? }] }`. */
export const MEMBER_SEARCH_URL = "/api/members/search";

export interface ReplyEditorProps {
  /** Id of the textarea / editable element: point a `<label htmlFor>` at it. */
  id: string;
  /** The document to start from (editing a reply). */
  initialContent?: JSONContent;
  /** The plain textarea's starting text (e.g. the reply's stored `text`); default docToText(initialContent). */
  initialText?: string;
  placeholder?: string;
  onReady?: (api: ReplyEditorApi) => void;
  disabled?: boolean;
  /** Id(s) of the element(s) describing the field, e.g. its error message. */
  describedBy?: string;
  invalid?: boolean;
  /** Rows of the plain textarea. */
  rows?: number;
  /** Override of MEMBER_SEARCH_URL. */
  mentionSearchUrl?: string;
  /** Keep unsent text as a draft under this key (e.g. `reply:<threadId>`). */
  draftKey?: string;
}

type RichComponent = ComponentType<RichReplyEditorProps>;

const loadRichEditor = onDemand<RichComponent>(() => import("./RichReplyEditor.client").then((module) => module.RichReplyEditor));

/** Starts downloading the editor's code early (e.g. when a "Reply" button is hovered). */
export function preloadReplyEditor(): void {
  loadRichEditor().catch(() => {});
}

interface RichStart {
  Component: RichComponent;
  content: JSONContent | undefined;
  autoFocus: boolean;
}

export function ReplyEditor({
  id,
  initialContent,
  initialText: initialTextProp,
  placeholder,
  onReady,
  disabled = false,
  describedBy,
  invalid,
  rows = 6,
  mentionSearchUrl = MEMBER_SEARCH_URL,
  draftKey,
}: ReplyEditorProps) {
  const { t } = useTranslation();
  const initialText = useMemo(
    () => initialTextProp ?? (initialContent ? docToText(initialContent) : ""),
    [initialTextProp, initialContent],
  );
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const onReadyRef = useRef(onReady);
  onReadyRef.current = onReady;
  const [rich, setRich] = useState<RichStart | null>(null);
  const [richActive, setRichActive] = useState(false);
  const [restored, setRestored] = useState(false);
  const apiRef = useRef<ReplyEditorApi | null>(null);

  /** Hands the page an API whose clear() also forgets the draft. */
  const ready = (api: ReplyEditorApi) => {
    apiRef.current = draftKey
      ? {
          ...api,
          clear() {
            api.clear();
            discardDraft(draftKey);
            setRestored(false);
          },
        }
      : api;
    onReadyRef.current?.(apiRef.current);
  };
  const saveDraft = (doc: JSONContent | null) => {
    if (!draftKey) return;
    writeDraft(draftKey, doc);
    if (doc === null) setRestored(false);
  };

  useEffect(() => {
    // A saved draft replaces the starting text (only in the browser: the server has none).
    const draft = draftKey ? readDraft(draftKey) : null;
    if (draft && textareaRef.current) {
      textareaRef.current.value = docToText(draft);
      setRestored(true);
    }
    ready(textareaApi(textareaRef));
    let cancelled = false;
    loadRichEditor()
      .then((Component) => {
        if (cancelled) return;
        const textarea = textareaRef.current;
        const typed = textarea ? textarea.value : initialText;
        setRich({
          Component,
          // Keep what was typed before the editor arrived (or the draft, as rich as it was saved).
          content: draft && typed === docToText(draft) ? draft : typed !== initialText ? textToDoc(typed) : initialContent,
          autoFocus: textarea !== null && textarea === document.activeElement,
        });
      })
      .catch(() => {
        // The editor's code could not be loaded: the textarea keeps working.
      });
    return () => {
      cancelled = true;
    };
    // Only on mount: later prop changes need a new `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="reply-editor" data-testid="reply-editor" data-editor={richActive ? "rich" : "plain"}>
      {richActive ? null : (
        <textarea
          ref={textareaRef}
          id={id}
          name="body"
          className="reply-editor-textarea"
          rows={rows}
          maxLength={REPLY_MAX_LENGTH}
          defaultValue={initialText}
          // Not mid-composition (IME): the uncommitted text is not a draft; its end is.
          onInput={(event) => {
            if ((event.nativeEvent as InputEvent).isComposing) return;
            saveDraft(event.currentTarget.value.trim() ? textToDoc(event.currentTarget.value) : null);
          }}
          onCompositionEnd={(event) => saveDraft(event.currentTarget.value.trim() ? textToDoc(event.currentTarget.value) : null)}
          placeholder={placeholder}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
      {rich ? (
        <rich.Component
          id={id}
          initialContent={rich.content}
          placeholder={placeholder}
          disabled={disabled}
          describedBy={describedBy}
          invalid={invalid}
          autoFocus={rich.autoFocus}
          mentionSearchUrl={mentionSearchUrl}
          onActive={() => setRichActive(true)}
          onReady={ready}
          onChange={saveDraft}
        />
      ) : null}
      {restored ? (
        <p className="muted small draft-notice" data-testid="draft-restored">
          {t("editor.draftRestored")}{" "}
          <button
            type="button"
            className="link-action"
            onClick={() => apiRef.current?.clear()}
          >
            {t("editor.discardDraft")}
          </button>
        </p>
      ) : null}
    </div>
  );
}

/** The same API over the plain textarea (before the editor loads, or if it never does). */
function textareaApi(ref: RefObject<HTMLTextAreaElement>): ReplyEditorApi {
  return {
    insertQuote(doc) {
      const textarea = ref.current;
      if (!textarea) return;
      const quoted = docToText(doc)
        .split("\n")
        .map((line) => (line ? `> ${line}` : ">"))
        .join("\n");
      const before = textarea.value.trimEnd();
      textarea.value = `${before ? `${before}\n\n` : ""}${quoted}\n\n`;
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    },
    clear() {
      if (ref.current) ref.current.value = "";
    },
    focus() {
      ref.current?.focus();
    },
    isEmpty() {
      return !ref.current?.value.trim();
    },
  };
}
