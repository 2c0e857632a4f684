/**
 * The case-study body editor, progressively enhanced like ReplyEditor: the server renders a
 * plain `<textarea name="body">` (converted with textToDoc on the server); after hydration the
 * Tiptap editor (RichCaseStudyEditor.client) is loaded on demand, replaces the textarea and keeps
 * a hidden `<input name="content">` with the document as JSON. Its toolbar inserts tables and
 * uploads images (`POST /uploads`).
 */
import type { JSONContent } from "@tiptap/core";
import { useEffect, useRef, useState, type ComponentType } from "react";
import { onDemand } from "./lazy";
import { textToDoc } from "./plain-text";
import type { RichCaseStudyEditorProps } from "./RichCaseStudyEditor.client";

export interface CaseStudyEditorProps {
  /** Id of the textarea / editable element: point a `<label htmlFor>` at it. */
  id: string;
  initialContent?: JSONContent;
  /** The textarea's starting text (the version's stored plain text). */
  initialText?: string;
  placeholder?: string;
  describedBy?: string;
  invalid?: boolean;
  /** Where images are uploaded. */
  uploadUrl?: string;
}

type RichComponent = ComponentType<RichCaseStudyEditorProps>;

const loadRichEditor = onDemand<RichComponent>(() => import("./RichCaseStudyEditor.client").then((module) => module.RichCaseStudyEditor));

export function CaseStudyEditor({ id, initialContent, initialText = "", placeholder, describedBy, invalid, uploadUrl = "/uploads" }: CaseStudyEditorProps) {
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const [rich, setRich] = useState<{ Component: RichComponent; content: JSONContent | undefined } | null>(null);
  const [richActive, setRichActive] = useState(false);

  useEffect(() => {
    let cancelled = false;
    loadRichEditor()
      .then((Component) => {
        if (cancelled) return;
        const typed = textareaRef.current?.value ?? initialText;
        setRich({ Component, content: typed !== initialText ? textToDoc(typed) : initialContent });
      })
      .catch(() => {
        // The textarea keeps working.
      });
    return () => {
      cancelled = true;
    };
    // Only on mount: a different document needs a new `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="cs-editor" data-testid="case-study-editor" data-editor={richActive ? "rich" : "plain"}>
      {richActive ? null : (
        <textarea
          ref={textareaRef}
          id={id}
          name="body"
          className="reply-editor-textarea"
          rows={16}
          defaultValue={initialText}
          placeholder={placeholder}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
      {rich ? (
        <rich.Component
          id={id}
          initialContent={rich.content}
          placeholder={placeholder}
          describedBy={describedBy}
          invalid={invalid}
          uploadUrl={uploadUrl}
          onActive={() => setRichActive(true)}
        />
      ) : null}
    </div>
  );
}
