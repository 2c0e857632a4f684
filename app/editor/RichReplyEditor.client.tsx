/**
 * The Tiptap half of ReplyEditor, loaded with a dynamic import after hydration (the
 * `.client` suffix keeps it out of the server bundle). Not meant to be used directly.
 */
import { BulletIcon, LinkIcon, OrderedIcon, QuoteIcon } from "./toolbar-icons";
import { Extension, type Editor, type JSONContent } from "@tiptap/core";
import type { MentionNodeAttrs } from "@tiptap/extension-mention";
import { PluginKey } from "@tiptap/pm/state";
import { EditorContent, useEditor } from "@tiptap/react";
import { exitSuggestion } from "@tiptap/suggestion";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { Composition } from "./composition";
import { dropDisallowedLinks, isDocEmpty } from "./doc-utils";
import { replyExtensions, type ReplyExtensionOptions } from "./extensions";
import type { ReplyEditorApi } from "./reply-editor-api";
import { EditorToolbar, useLinkPrompt, type ToolbarTool } from "./EditorToolbar";
import { MEMBER_ID_PATTERN, type MemberSuggestion } from "./rules";

export interface RichReplyEditorProps {
  id: string;
  initialContent?: JSONContent;
  placeholder?: string;
  disabled?: boolean;
  describedBy?: string;
  invalid?: boolean;
  autoFocus?: boolean;
  mentionSearchUrl: string;
  /** The editor exists: the plain textarea can go. */
  onActive(): void;
  onReady(api: ReplyEditorApi): void;
  /** Called after every change with the document, or null when the editor is empty. */
  onChange?(doc: JSONContent | null): void;
}

/** The open @mention menu. */
interface MentionMenu {
  query: string;
  items: MemberSuggestion[];
  loading: boolean;
  active: number;
  element: HTMLElement;
  command: (attrs: MentionNodeAttrs) => void;
}

interface MentionStore {
  get(): MentionMenu | null;
  set(next: MentionMenu | null): void;
}

const MAX_SUGGESTIONS = 8;

export function RichReplyEditor(props: RichReplyEditorProps) {
  const { id, initialContent, disabled = false, describedBy, invalid, mentionSearchUrl } = props;
  const { t } = useTranslation();
  const propsRef = useRef(props);
  propsRef.current = props;
  const hiddenRef = useRef<HTMLInputElement>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // The mention menu lives in React state (rendered through a portal); the suggestion plugin's
  // callbacks read and write it through this store, synchronously, for keyboard handling.
  const [menu, setMenu] = useState<MentionMenu | null>(null);
  const menuRef = useRef<MentionMenu | null>(null);
  const [store] = useState<MentionStore>(() => ({
    get: () => menuRef.current,
    set: (next) => {
      menuRef.current = next;
      setMenu(next);
    },
  }));

  /** The text changed: tell the page (it keeps it as a draft), unless an IME composition is under way. */
  const composingRef = useRef(false);
  const editorRef = useRef<Editor | null>(null);
  const reportChange = useCallback((editor: Editor) => {
    if (composingRef.current) return;
    const doc = editor.getJSON();
    propsRef.current.onChange?.(isDocEmpty(doc) ? null : doc);
  }, []);

  // Created once: the editor compares extension identity between renders.
  const [extensions] = useState(() =>
    replyExtensions({
      placeholder: () => propsRef.current.placeholder ?? "",
      mentionSuggestion: mentionSuggestion(mentionSearchUrl, store),
      extra: [
        SubmitShortcut,
        // The uncommitted composition is never saved as a draft; the committed text is, at its end.
        Composition.configure({
          onStart: () => (composingRef.current = true),
          onEnd: () => {
            composingRef.current = false;
            const editor = editorRef.current;
            if (editor && !editor.isDestroyed) reportChange(editor);
          },
        }),
      ],
    }),
  );
  const [content] = useState(() => initialContent);

  const editorProps = useMemo(
    () => ({
      attributes: {
        id,
        class: "reply-editor-input rich",
        role: "textbox",
        "aria-multiline": "true",
        "aria-autocomplete": "list",
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(invalid ? { "aria-invalid": "true" } : {}),
      },
    }),
    [id, describedBy, invalid],
  );

  const writeHidden = useCallback((editor: Editor) => {
    const input = hiddenRef.current;
    if (!input) return;
    input.value = editor.isEmpty ? "" : JSON.stringify(dropDisallowedLinks(editor.getJSON()));
  }, []);

  const editor = useEditor({
    immediatelyRender: false,
    shouldRerenderOnTransaction: false,
    injectCSS: false, // app/styles/editor.css carries ProseMirror's few required rules
    extensions,
    content,
    editable: !disabled,
    editorProps,
    onCreate: ({ editor }) => writeHidden(editor),
    onUpdate: ({ editor }) => {
      writeHidden(editor);
      setNotice(null);
      reportChange(editor);
    },
  });
  editorRef.current = editor;

  const api = useMemo<ReplyEditorApi | null>(() => {
    if (!editor) return null;
    return {
      insertQuote(doc) {
        if (editor.isDestroyed) return;
        const blocks = doc.type === "doc" ? doc.content ?? [] : [doc];
        const tail: JSONContent[] = [...blocks, { type: "paragraph" }];
        if (isDocEmpty(editor.getJSON())) {
          editor.commands.setContent({ type: "doc", content: tail }, { emitUpdate: true });
        } else {
          editor.chain().insertContentAt(editor.state.doc.content.size, tail).run();
        }
        editor.commands.focus("end");
        editor.commands.scrollIntoView();
      },
      clear() {
        if (!editor.isDestroyed) editor.commands.clearContent(true);
      },
      focus() {
        if (!editor.isDestroyed) editor.commands.focus();
      },
      isEmpty() {
        return editor.isDestroyed ? true : isDocEmpty(editor.getJSON());
      },
    };
  }, [editor]);

  // The editor exists: replace the textarea, hand the API to the page, keep the focus.
  useEffect(() => {
    if (!editor || !api) return;
    writeHidden(editor);
    propsRef.current.onActive();
    propsRef.current.onReady(api);
    if (propsRef.current.autoFocus) editor.commands.focus("end");
  }, [editor, api, writeHidden]);

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable === disabled) editor.setEditable(!disabled);
  }, [editor, disabled]);

  // The page's <label for={id}> names the editable element and focuses it when clicked.
  useEffect(() => {
    if (!editor) return;
    const label = document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(id)}"]`);
    if (!label) return;
    if (!label.id) label.id = `${id}-label`;
    const dom = editor.view.dom;
    dom.setAttribute("aria-labelledby", label.id);
    const onClick = (event: MouseEvent) => {
      event.preventDefault();
      editor.commands.focus();
    };
    label.addEventListener("click", onClick);
    return () => {
      label.removeEventListener("click", onClick);
    };
  }, [editor, id]);

  // The form's reset (e.g. after a post) empties the editor too.
  useEffect(() => {
    const form = hiddenRef.current?.form;
    if (!editor || !form) return;
    const onReset = () => {
      if (!editor.isDestroyed) editor.commands.clearContent(true);
    };
    form.addEventListener("reset", onReset);
    return () => form.removeEventListener("reset", onReset);
  }, [editor]);

  // The menu's active option, for screen readers.
  const listboxId = `${id}-mentions`;
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const dom = editor.view.dom;
    if (menu && menu.items.length) {
      dom.setAttribute("aria-controls", listboxId);
      dom.setAttribute("aria-activedescendant", `${listboxId}-${menu.active}`);
    } else {
      dom.removeAttribute("aria-controls");
      dom.removeAttribute("aria-activedescendant");
    }
  }, [editor, menu, listboxId]);

  const onLink = useLinkPrompt(editor, (message) => setNotice(message));
  const tools = useMemo<ToolbarTool[]>(
    () => [
      { name: "bold", label: t("editor.bold"), icon: <b>B</b>, shortcut: "Mod+B", run: (e) => e.chain().focus().toggleBold().run(), isActive: (e) => e.isActive("bold") },
      { name: "italic", label: t("editor.italic"), icon: <i>I</i>, shortcut: "Mod+I", run: (e) => e.chain().focus().toggleItalic().run(), isActive: (e) => e.isActive("italic") },
      { name: "link", label: t("editor.link"), icon: <LinkIcon />, run: () => onLink(), isActive: (e) => e.isActive("link") },
      { name: "heading", label: t("editor.heading"), icon: <b>H</b>, run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), isActive: (e) => e.isActive("heading") },
      { name: "bulletList", label: t("editor.bulletList"), icon: <BulletIcon />, shortcut: "Mod+Shift+8", run: (e) => e.chain().focus().toggleBulletList().run(), isActive: (e) => e.isActive("bulletList") },
      { name: "orderedList", label: t("editor.orderedList"), icon: <OrderedIcon />, shortcut: "Mod+Shift+7", run: (e) => e.chain().focus().toggleOrderedList().run(), isActive: (e) => e.isActive("orderedList") },
      { name: "blockquote", label: t("editor.blockquote"), icon: <QuoteIcon />, shortcut: "Mod+Shift+B", run: (e) => e.chain().focus().toggleBlockquote().run(), isActive: (e) => e.isActive("blockquote") },
      { name: "code", label: t("editor.code"), icon: <code>{"</>"}</code>, shortcut: "Mod+E", run: (e) => e.chain().focus().toggleCode().run(), isActive: (e) => e.isActive("code") },
      { name: "codeBlock", label: t("editor.codeBlock"), icon: <code>{"{ }"}</code>, shortcut: "Mod+Alt+C", run: (e) => e.chain().focus().toggleCodeBlock().run(), isActive: (e) => e.isActive("codeBlock") },
    ],
    [t, onLink],
  );

  return (
    <>
      {/* No value/defaultValue prop: React would reset a hidden input's value on every render. */}
      <input type="hidden" name="content" ref={hiddenRef} />
      {editor ? (
        <div className={`reply-editor-rich${disabled ? " is-disabled" : ""}${invalid ? " is-invalid" : ""}`}>
          <EditorToolbar editor={editor} controls={id} tools={tools} disabled={disabled} />
          <EditorContent editor={editor} className="reply-editor-content" />
          {notice ? (
            <p className="reply-editor-notice" role="status">
              {notice}
            </p>
          ) : null}
        </div>
      ) : null}
      {menu && menu.query
        ? createPortal(
            <MentionList
              id={listboxId}
              menu={menu}
              onPick={(member) => menu.command({ id: member.id, label: member.label })}
              onHover={(index) => store.set({ ...menu, active: index })}
            />,
            menu.element,
          )
        : null}
    </>
  );
}

/** "example.org" → https://example.org, "a@b.org" → mailto:a@b.org; anything with a scheme as is. */
/** Mod-Enter (Ctrl+Enter, ⌘+Enter) submits the form the editor is in. */
const SubmitShortcut = Extension.create({
  name: "replySubmitShortcut",
  addKeyboardShortcuts() {
    return {
      "Mod-Enter": ({ editor }) => {
        const form = editor.view.dom.closest("form");
        if (!form) return false;
        form.requestSubmit();
        return true;
      },
    };
  },
});

function parseMembers(data: unknown): MemberSuggestion[] {
  const members = (data as { members?: unknown } | null)?.members;
  if (!Array.isArray(members)) return [];
  return members
    .filter(
      (m): m is MemberSuggestion =>
        !!m &&
        typeof m.id === "string" &&
        MEMBER_ID_PATTERN.test(m.id) &&
        typeof m.label === "string" &&
        m.label.trim() !== "" &&
        (m.region === undefined || m.region === null || typeof m.region === "string"),
    )
    .slice(0, MAX_SUGGESTIONS)
    .map((m) => ({ id: m.id, label: m.label, ...(m.region ? { region: m.region } : {}) }));
}

/** The @mention autocomplete: fetches members as the name is typed and drives the menu. */
function mentionSuggestion(url: string, store: MentionStore): NonNullable<ReplyExtensionOptions["mentionSuggestion"]> {
  const pluginKey = new PluginKey("replyMention");
  return {
    pluginKey,
    char: "@",
    // "@" right after a letter or digit is an email address, not a mention; after CJK text
    // (no spaces in Chinese) or punctuation it is a mention.
    allowedPrefixes: null,
    allow: ({ state, range }) => {
      const $from = state.doc.resolve(range.from);
      const type = state.schema.nodes.mention;
      if (!type || !$from.parent.type.contentMatch.matchType(type)) return false;
      const before = range.from > $from.start() ? state.doc.textBetween(range.from - 1, range.from, "\n", " ") : "";
      return !/[A-Za-z0-9._%+-]/.test(before);
    },
    minQueryLength: 1,
    debounce: 150,
    items: async ({ query, signal }) => {
      const q = query.trim();
      if (!q) return [];
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(q)}`, {
          signal,
          credentials: "same-origin",
          headers: { accept: "application/json" },
        });
        if (!response.ok) return [];
        return parseMembers(await response.json());
      } catch (error) {
        if ((error as Error)?.name === "AbortError") throw error;
        return [];
      }
    },
    command: ({ editor, range, props }) => {
      // Swallow one space after the query so that the inserted space does not double it.
      if (editor.view.state.selection.$to.nodeAfter?.text?.startsWith(" ")) range.to += 1;
      editor
        .chain()
        .focus()
        .insertContentAt(range, [
          { type: "mention", attrs: { id: props.id, label: props.label } },
          { type: "text", text: " " },
        ])
        .run();
    },
    render: () => {
      let unmount: (() => void) | null = null;
      return {
        onStart: (props) => {
          const element = document.createElement("div");
          element.className = "mention-popup";
          unmount = props.mount(element);
          store.set({ query: props.query, items: props.items, loading: props.loading, active: 0, element, command: props.command });
        },
        onUpdate: (props) => {
          const current = store.get();
          if (!current) return;
          store.set({
            ...current,
            query: props.query,
            items: props.items,
            loading: props.loading,
            command: props.command,
            active: Math.min(current.active, Math.max(props.items.length - 1, 0)),
          });
        },
        onKeyDown: ({ event, view }) => {
          const current = store.get();
          if (!current) return false;
          if (event.key === "Escape") {
            exitSuggestion(view, pluginKey);
            return true;
          }
          const count = current.items.length;
          if (!count) return false;
          if (event.key === "ArrowDown") {
            store.set({ ...current, active: (current.active + 1) % count });
            return true;
          }
          if (event.key === "ArrowUp") {
            store.set({ ...current, active: (current.active - 1 + count) % count });
            return true;
          }
          if (event.key === "Enter" || event.key === "Tab") {
            const member = current.items[current.active];
            if (member) current.command({ id: member.id, label: member.label });
            return true;
          }
          return false;
        },
        onExit: () => {
          unmount?.();
          unmount = null;
          store.set(null);
        },
      };
    },
  };
}

function MentionList({ id, menu, onPick, onHover }: {
  id: string;
  menu: MentionMenu;
  onPick(member: MemberSuggestion): void;
  onHover(index: number): void;
}) {
  const { t } = useTranslation();
  return (
    <div className="mention-list" data-testid="mention-list">
      {menu.items.length ? (
        <ul role="listbox" id={id} aria-label={t("editor.mentionResults")}>
          {menu.items.map((member, index) => (
            <li
              key={member.id}
              id={`${id}-${index}`}
              role="option"
              aria-selected={index === menu.active}
              className="mention-option"
              // Keep the focus (and the selection) in the editor.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onPick(member)}
              onMouseEnter={() => onHover(index)}
            >
              <span className="mention-option-name">{member.label}</span>
              {member.region ? <span className="mention-option-region">{member.region}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mention-status" role="status">
          {menu.loading ? t("editor.mentionSearching") : t("editor.mentionNone")}
        </p>
      )}
    </div>
  );
}
