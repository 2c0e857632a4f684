/**
 * The one formatting toolbar of every rich editor (replies, case studies): a WAI-ARIA toolbar
 * (one tab stop, arrow keys / Home / End move between buttons, `aria-pressed` shows state), and
 * the link prompt the editors share. Each editor passes the tools it offers; the look, keyboard
 * behaviour and link rules are written once here.
 */
import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useCallback, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { isAllowedHref } from "./rules";

export interface ToolbarTool {
  /** Stable name: the button's class `editor-button-<name>` and test id `tool-<name>`. */
  name: string;
  label: string;
  icon: ReactNode;
  /** e.g. "Mod+B"; shown in the button's title with the platform's modifier names. */
  shortcut?: string;
  run(editor: Editor): void;
  /** Whether the button shows as pressed for the current selection. */
  isActive?(editor: Editor): boolean;
  /** Shown only while this holds (e.g. table tools inside a table). */
  visible?(editor: Editor): boolean;
  disabled?: boolean;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const shortcutText = (shortcut: string) => shortcut.replace("Mod", isMac ? "⌘" : "Ctrl").replace("Alt", isMac ? "⌥" : "Alt");

export function EditorToolbar({
  editor,
  controls,
  tools,
  disabled = false,
  className,
}: {
  editor: Editor;
  /** Id of the editable element the toolbar controls (`aria-controls`). */
  controls: string;
  tools: ToolbarTool[];
  disabled?: boolean;
  className?: string;
}) {
  const { t } = useTranslation();
  // One subscription for every button's state; the default deep equality re-renders only on change.
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      Object.fromEntries(tools.map((tool) => [tool.name, [tool.isActive?.(e) ?? null, tool.visible?.(e) ?? true] as const])),
  });
  const shown = tools.filter((tool) => state?.[tool.name]?.[1] ?? true);
  const [focusIndex, setFocusIndex] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const current = Math.min(focusIndex, shown.length - 1);

  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const last = shown.length - 1;
    const next =
      event.key === "ArrowRight" ? (current === last ? 0 : current + 1)
      : event.key === "ArrowLeft" ? (current === 0 ? last : current - 1)
      : event.key === "Home" ? 0
      : event.key === "End" ? last
      : null;
    if (next === null) return;
    event.preventDefault();
    setFocusIndex(next);
    buttons.current[next]?.focus();
  };

  return (
    <div
      className={`reply-editor-toolbar${className ? ` ${className}` : ""}`}
      role="toolbar"
      aria-label={t("editor.toolbar")}
      aria-controls={controls}
      onKeyDown={onKeyDown}
    >
      {shown.map((tool, index) => {
        const pressed = state?.[tool.name]?.[0];
        return (
          <button
            key={tool.name}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            className={`editor-button editor-button-${tool.name}`}
            aria-label={tool.label}
            aria-pressed={pressed === null || pressed === undefined ? undefined : pressed}
            title={tool.shortcut ? `${tool.label} (${shortcutText(tool.shortcut)})` : tool.label}
            tabIndex={index === current ? 0 : -1}
            disabled={disabled || tool.disabled}
            data-testid={`tool-${tool.name}`}
            onFocus={() => setFocusIndex(index)}
            // Keep the editor's selection while clicking.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => tool.run(editor)}
          >
            <span aria-hidden="true">{tool.icon}</span>
          </button>
        );
      })}
    </div>
  );
}

/**
 * A typed address as a link target: `example.org` → `https://example.org`, `a@b.org` →
 * `mailto:a@b.org`, `//host` → `https://host`; anything with a scheme is kept as typed (and then
 * checked against `isAllowedHref`).
 */
export function normaliseHref(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[^:/?#]+\.[^:/?#]+:\d/.test(value)) return value;
  if (/^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$/.test(value)) return `mailto:${value}`;
  if (value.startsWith("//")) return `https:${value}`;
  return `https://${value}`;
}

/**
 * The link button's action: asks for an address (prefilled with the current link), removes the
 * link when emptied, refuses addresses outside http/https/mailto (`onRefused` says so), links
 * the selection, or inserts the address itself as linked text when nothing is selected.
 */
export function useLinkPrompt(editor: Editor | null, onRefused: (message: string) => void): () => void {
  const { t } = useTranslation();
  const refusedRef = useRef(onRefused);
  refusedRef.current = onRefused;
  return useCallback(() => {
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
      refusedRef.current(t("editor.linkRefused"));
      editor.commands.focus();
      return;
    }
    if (editor.state.selection.empty && !editor.isActive("link")) {
      editor.chain().focus().insertContent({ type: "text", text: value, marks: [{ type: "link", attrs: { href } }] }).run();
    } else {
      editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
    }
  }, [editor, t]);
}
