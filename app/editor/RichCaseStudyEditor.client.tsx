/**
 * The Tiptap half of CaseStudyEditor, loaded with a dynamic import after hydration. Toolbar:
 * text formatting, headings, lists, links, tables (insert, add row, add column, delete) and image
 * upload (to `POST /uploads`; the server checks the bytes and answers with the image's URL).
 */
import { BulletIcon, ImageIcon, LinkIcon, OrderedIcon, QuoteIcon } from "./toolbar-icons";
import type { Editor, JSONContent } from "@tiptap/core";
import { NodeSelection } from "@tiptap/pm/state";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { caseStudyExtensions, IMAGE_TEXT_MAX, isUploadSrc } from "./case-study-extensions";
import { dropDisallowedLinks, isDocEmpty } from "./doc-utils";
import { EditorToolbar, useLinkPrompt, type ToolbarTool } from "./EditorToolbar";

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

  const onLink = useLinkPrompt(editor, (text) => setNotice({ text, error: true }));
  const tools = useMemo<ToolbarTool[]>(() => {
    const inTable = (e: Editor) => e.isActive("table");
    return [
      { name: "bold", label: t("editor.bold"), icon: <b>B</b>, shortcut: "Mod+B", run: (e) => e.chain().focus().toggleBold().run(), isActive: (e) => e.isActive("bold") },
      { name: "italic", label: t("editor.italic"), icon: <i>I</i>, shortcut: "Mod+I", run: (e) => e.chain().focus().toggleItalic().run(), isActive: (e) => e.isActive("italic") },
      { name: "link", label: t("editor.link"), icon: <LinkIcon />, run: () => onLink(), isActive: (e) => e.isActive("link") },
      { name: "h2", label: t("caseStudies.editor.heading2"), icon: <b>H2</b>, run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), isActive: (e) => e.isActive("heading", { level: 2 }) },
      { name: "h3", label: t("caseStudies.editor.heading3"), icon: <b>H3</b>, run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(), isActive: (e) => e.isActive("heading", { level: 3 }) },
      { name: "bulletList", label: t("editor.bulletList"), icon: <BulletIcon />, shortcut: "Mod+Shift+8", run: (e) => e.chain().focus().toggleBulletList().run(), isActive: (e) => e.isActive("bulletList") },
      { name: "orderedList", label: t("editor.orderedList"), icon: <OrderedIcon />, shortcut: "Mod+Shift+7", run: (e) => e.chain().focus().toggleOrderedList().run(), isActive: (e) => e.isActive("orderedList") },
      { name: "blockquote", label: t("editor.blockquote"), icon: <QuoteIcon />, shortcut: "Mod+Shift+B", run: (e) => e.chain().focus().toggleBlockquote().run(), isActive: (e) => e.isActive("blockquote") },
      { name: "table", label: t("caseStudies.editor.insertTable"), icon: <span>▦</span>, run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), isActive: inTable },
      { name: "addRow", label: t("caseStudies.editor.addRow"), icon: <span>+≡</span>, run: (e) => e.chain().focus().addRowAfter().run(), visible: inTable },
      { name: "addColumn", label: t("caseStudies.editor.addColumn"), icon: <span>+‖</span>, run: (e) => e.chain().focus().addColumnAfter().run(), visible: inTable },
      { name: "deleteTable", label: t("caseStudies.editor.deleteTable"), icon: <span>✕▦</span>, run: (e) => e.chain().focus().deleteTable().run(), visible: inTable },
      { name: "image", label: t("caseStudies.editor.image"), icon: <ImageIcon />, run: () => fileRef.current?.click(), disabled: uploading },
    ];
  }, [t, onLink, uploading]);

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
        // No alt text from the file name ("IMG_2041" describes nothing): the image is selected
        // and its description field focused, so the author writes one.
        editor
          .chain()
          .focus()
          .insertContent({ type: "image", attrs: { src: result.url, alt: "", width: result.width, height: result.height } })
          .run();
        selectImage(editor, result.url);
        requestAnimationFrame(() => document.getElementById(`${id}-image-alt`)?.focus());
        setNotice(null);
      } catch {
        setNotice({ text: t("errors.unexpected"), error: true });
      } finally {
        setUploading(false);
        if (fileRef.current) fileRef.current.value = "";
      }
    },
    [editor, t, uploadUrl, id],
  );
  const image = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      if (!e) return { selected: null, missingAlt: 0 };
      const selection = e.state.selection;
      const node = selection instanceof NodeSelection && selection.node.type.name === "image" ? selection.node : null;
      let missingAlt = 0;
      e.state.doc.descendants((n) => {
        if (n.type.name === "image" && !String(n.attrs.alt ?? "").trim()) missingAlt++;
      });
      return {
        selected: node ? { alt: String(node.attrs.alt ?? ""), caption: String(node.attrs.caption ?? "") } : null,
        missingAlt,
      };
    },
  });

  return (
    <>
      <input type="hidden" name="content" ref={hiddenRef} />
      {editor ? (
        <div className={`reply-editor-rich cs-editor-rich${invalid ? " is-invalid" : ""}`}>
          <EditorToolbar editor={editor} controls={id} tools={tools} className="cs-toolbar" />
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
          {image?.selected ? (
            <fieldset className="cs-image-panel" data-testid="image-panel">
              <legend>{t("caseStudies.image.panel")}</legend>
              <label htmlFor={`${id}-image-alt`}>{t("caseStudies.image.alt")}</label>
              <input
                id={`${id}-image-alt`}
                value={image.selected.alt}
                maxLength={IMAGE_TEXT_MAX}
                aria-describedby={`${id}-image-alt-hint`}
                data-testid="image-alt"
                onChange={(event) => editor.chain().updateAttributes("image", { alt: event.currentTarget.value }).run()}
              />
              <p id={`${id}-image-alt-hint`} className="muted small">{t("caseStudies.image.altHint")}</p>
              <label htmlFor={`${id}-image-caption`}>{t("caseStudies.image.caption")}</label>
              <input
                id={`${id}-image-caption`}
                value={image.selected.caption}
                maxLength={IMAGE_TEXT_MAX}
                data-testid="image-caption"
                onChange={(event) => editor.chain().updateAttributes("image", { caption: event.currentTarget.value || null }).run()}
              />
            </fieldset>
          ) : null}
          <EditorContent editor={editor} className="reply-editor-content cs-editor-content" />
          {image && image.missingAlt > 0 ? (
            <p className="reply-editor-notice" role="status" data-testid="missing-alt">{t("caseStudies.image.missingAlt", { count: image.missingAlt })}</p>
          ) : null}
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

/** Selects the (last) image showing `src`, so its panel opens. */
function selectImage(editor: Editor, src: string): void {
  let at = -1;
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name === "image" && node.attrs.src === src) at = pos;
  });
  if (at >= 0) editor.commands.setNodeSelection(at);
}

function hasImage(node: JSONContent): boolean {
  return node.type === "image" || (node.content ?? []).some(hasImage);
}
