/**
 * The Tiptap half of CaseStudyEditor, loaded with a dynamic import after hydration. Toolbar:
 * text formatting, headings, lists, links, tables (insert, add row, add column, delete) and image
 * upload (to `POST /uploads`; the server checks the bytes and answers with the image's URL).
 */
import { ImageIcon, LinkIcon } from "./toolbar-icons";
import type { Editor, JSONContent } from "@tiptap/core";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { caseStudyExtensions, isUploadSrc } from "./case-study-extensions";
import { dropDisallowedLinks, isDocEmpty } from "./doc-utils";
import { normaliseHref } from "./RichReplyEditor.client";
import { isAllowedHref } from "./rules";

export interface RichCaseStudyEditorProps {
  id: string;
  initialContent?: JSONContent;
  placeholder?: string;
  describedBy?: string;
  invalid?: boolean;
  uploadUrl: string;
  onActive(): void;
}

const ACCEPT = "image/png,image/jpeg,image/gif,image/webp";

export function RichCaseStudyEditor(props: RichCaseStudyEditorProps) {
  const { id, initialContent, describedBy, invalid, uploadUrl } = props;
  const { t } = useTranslation();
  const propsRef = useRef(props);
  propsRef.current = props;
  const hiddenRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [uploading, setUploading] = useState(false);
  const [extensions] = useState(() => caseStudyExtensions({ placeholder: () => propsRef.current.placeholder ?? "" }));
  const [content] = useState(() => initialContent);

  const editorProps = useMemo(
    () => ({
      attributes: {
        id,
        class: "reply-editor-input rich cs-editor-input",
        role: "textbox",
        "aria-multiline": "true",
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(invalid ? { "aria-invalid": "true" } : {}),
      },
    }),
    [id, describedBy, invalid],
  );

  const writeHidden = useCallback((editor: Editor) => {
    const input = hiddenRef.current;
    if (!input) return;
    const json = editor.getJSON();
    input.value = isDocEmpty(json) && !hasImage(json) ? "" : JSON.stringify(dropDisallowedLinks(json));
  }, []);

  const editor = useEditor({
    immediatelyRender: false,
    shouldRerenderOnTransaction: false,
    injectCSS: false,
    extensions,
    content,
    editorProps,
    onCreate: ({ editor }) => writeHidden(editor),
    onUpdate: ({ editor }) => writeHidden(editor),
  });

  useEffect(() => {
    if (!editor) return;
    writeHidden(editor);
    propsRef.current.onActive();
  }, [editor, writeHidden]);

  // The label focuses the editor.
  useEffect(() => {
    if (!editor) return;
    const label = document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(id)}"]`);
    if (!label) return;
    if (!label.id) label.id = `${id}-label`;
    editor.view.dom.setAttribute("aria-labelledby", label.id);
    const onClick = (event: MouseEvent) => {
      event.preventDefault();
      editor.commands.focus();
    };
    label.addEventListener("click", onClick);
    return () => label.removeEventListener("click", onClick);
  }, [editor, id]);

  const onLink = useCallback(() => {
    if (!editor) return;
    const previous = (editor.getAttributes("link").href as string | undefined) ?? "";
    const input = window.prompt(t("editor.linkPrompt"), previous || "https://");
    if (input === null) return;
    const value = input.trim();
    if (value === "") {
      editor.chain().focus().extendMarkRange("link").unsetLink().run();
      return;
    }
    const href = normaliseHref(value);
    if (!isAllowedHref(href)) {
      setNotice({ text: t("editor.linkRefused"), error: true });
      return;
    }
    if (editor.state.selection.empty && !editor.isActive("link")) {
      editor.chain().focus().insertContent({ type: "text", text: value, marks: [{ type: "link", attrs: { href } }] }).run();
    } else {
      editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
    }
  }, [editor, t]);

  const onFile = useCallback(
    async (file: File) => {
      if (!editor) return;
      setUploading(true);
      setNotice({ text: t("caseStudies.uploading"), error: false });
      try {
        const body = new FormData();
        body.append("file", file, file.name);
        const response = await fetch(uploadUrl, { method: "POST", body, credentials: "same-origin", headers: { accept: "application/json" } });
        const result = (await response.json().catch(() => null)) as
          | { ok: true; url: string; width: number | null; height: number | null }
          | { ok: false; error: { message: string } }
          | null;
        if (!response.ok || !result || !result.ok || !isUploadSrc(result.url)) {
          setNotice({ text: result && !result.ok ? result.error.message : t("errors.unexpected"), error: true });
          return;
        }
        const alt = file.name.replace(/\.[^.]+$/, "").slice(0, 200);
        editor
          .chain()
          .focus()
          .insertContent({ type: "image", attrs: { src: result.url, alt, width: result.width, height: result.height } })
          .run();
        setNotice(null);
      } catch {
        setNotice({ text: t("errors.unexpected"), error: true });
      } finally {
        setUploading(false);
        if (fileRef.current) fileRef.current.value = "";
      }
    },
    [editor, t, uploadUrl],
  );

  return (
    <>
      <input type="hidden" name="content" ref={hiddenRef} />
      {editor ? (
        <div className={`reply-editor-rich cs-editor-rich${invalid ? " is-invalid" : ""}`}>
          <Toolbar editor={editor} controls={id} onLink={onLink} onImage={() => fileRef.current?.click()} uploading={uploading} />
          <input
            ref={fileRef}
            type="file"
            accept={ACCEPT}
            hidden
            data-testid="image-file"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file) void onFile(file);
            }}
          />
          <EditorContent editor={editor} className="reply-editor-content cs-editor-content" />
          {notice ? (
            <p className={notice.error ? "field-error" : "reply-editor-notice"} role={notice.error ? "alert" : "status"}>
              {notice.text}
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

function hasImage(node: JSONContent): boolean {
  return node.type === "image" || (node.content ?? []).some(hasImage);
}

type Tool = { name: string; label: string; icon: ReactNode; run(editor: Editor): void; active?(editor: Editor): boolean; inTable?: boolean };

function Toolbar({ editor, controls, onLink, onImage, uploading }: { editor: Editor; controls: string; onLink(): void; onImage(): void; uploading: boolean }) {
  const { t } = useTranslation();
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      link: e.isActive("link"),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      blockquote: e.isActive("blockquote"),
      table: e.isActive("table"),
    }),
  });
  const tools: Tool[] = [
    { name: "bold", label: t("editor.bold"), icon: <b>B</b>, run: (e) => e.chain().focus().toggleBold().run() },
    { name: "italic", label: t("editor.italic"), icon: <i>I</i>, run: (e) => e.chain().focus().toggleItalic().run() },
    { name: "link", label: t("editor.link"), icon: <LinkIcon />, run: () => onLink() },
    { name: "h2", label: t("caseStudies.editor.heading2"), icon: <b>H2</b>, run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run() },
    { name: "h3", label: t("caseStudies.editor.heading3"), icon: <b>H3</b>, run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run() },
    { name: "bulletList", label: t("editor.bulletList"), icon: <span>•≡</span>, run: (e) => e.chain().focus().toggleBulletList().run() },
    { name: "orderedList", label: t("editor.orderedList"), icon: <span>1.≡</span>, run: (e) => e.chain().focus().toggleOrderedList().run() },
    { name: "blockquote", label: t("editor.blockquote"), icon: <span>“”</span>, run: (e) => e.chain().focus().toggleBlockquote().run() },
    { name: "table", label: t("caseStudies.editor.insertTable"), icon: <span>▦</span>, run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run() },
    { name: "addRow", label: t("caseStudies.editor.addRow"), icon: <span>+≡</span>, run: (e) => e.chain().focus().addRowAfter().run(), inTable: true },
    { name: "addColumn", label: t("caseStudies.editor.addColumn"), icon: <span>+‖</span>, run: (e) => e.chain().focus().addColumnAfter().run(), inTable: true },
    { name: "deleteTable", label: t("caseStudies.editor.deleteTable"), icon: <span>✕▦</span>, run: (e) => e.chain().focus().deleteTable().run(), inTable: true },
    { name: "image", label: t("caseStudies.editor.image"), icon: <ImageIcon />, run: () => onImage() },
  ];
  return (
    <div className="reply-editor-toolbar cs-toolbar" role="toolbar" aria-label={t("editor.toolbar")} aria-controls={controls}>
      {tools
        .filter((tool) => !tool.inTable || state?.table)
        .map((tool) => (
          <button
            key={tool.name}
            type="button"
            className={`editor-button editor-button-${tool.name}`}
            aria-label={tool.label}
            title={tool.label}
            aria-pressed={tool.name in (state ?? {}) ? Boolean((state as Record<string, boolean>)[tool.name]) : undefined}
            disabled={tool.name === "image" && uploading}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => tool.run(editor)}
            data-testid={`tool-${tool.name}`}
          >
            <span aria-hidden="true">{tool.icon}</span>
          </button>
        ))}
    </div>
  );
}

