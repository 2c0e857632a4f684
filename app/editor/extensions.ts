/**
 * The one Tiptap extension list for replies, shared by the server (schema validation, HTML
 * rendering) and the browser (the editor). The schema the server validates against is exactly
 * the schema the editor produces, because both come from `replyExtensions()`.
 *
 * Marks and nodes: paragraphs, hard breaks, bold, italic, underline, strike, inline code, links
 * (http, https, mailto only; rel="nofollow noopener ugc"), headings 2–4, bullet and numbered
 * lists, block quotes, code blocks, horizontal rules, and @mentions of members. No images.
 */
import { mergeAttributes, type Extensions } from "@tiptap/core";
import Mention, { type MentionNodeAttrs } from "@tiptap/extension-mention";
import { Placeholder } from "@tiptap/extensions";
import StarterKit from "@tiptap/starter-kit";
import type { SuggestionOptions } from "@tiptap/suggestion";
import { PasteFromOffice } from "./paste-office";
import { HEADING_LEVELS, isAllowedEditorUri, LINK_REL, MEMBER_ID_PATTERN, type MemberSuggestion } from "./rules";

export {
  HEADING_LEVELS,
  isAllowedEditorUri,
  isAllowedHref,
  LINK_PROTOCOLS,
  LINK_REL,
  MAX_HREF_LENGTH,
  MEMBER_ID_PATTERN,
} from "./rules";
export type { HeadingLevel, MemberSuggestion } from "./rules";

/** Mention, rendered as a member link: also parse that link back (copy and paste in the editor). */
const ReplyMention = Mention.extend({
  parseHTML() {
    return [{ tag: 'span[data-type="mention"]' }, { tag: 'a[data-type="mention"]' }];
  },
});

export interface ReplyExtensionOptions {
  /** Placeholder shown in the empty editor (browser only); a function is read on each render. */
  placeholder?: string | (() => string);
  /** The @mention autocomplete (browser only): items, render, … */
  mentionSuggestion?: Omit<SuggestionOptions<MemberSuggestion, MentionNodeAttrs>, "editor">;
  /** More browser-only extensions (keyboard shortcuts, …). They must not add schema. */
  extra?: Extensions;
}

/**
 * StarterKit as the reply and case-study editors use it: headings 2–4, undo/redo (they are not
 * collaborative), links limited to http, https and mailto with rel="nofollow noopener ugc".
 */
export function richTextStarterKit() {
  return StarterKit.configure({
    heading: { levels: [...HEADING_LEVELS] },
    undoRedo: {},
    link: {
      openOnClick: false,
      autolink: true,
      linkOnPaste: true,
      defaultProtocol: "https",
      protocols: [],
      isAllowedUri: (url) => isAllowedEditorUri(url),
      HTMLAttributes: { rel: LINK_REL, target: null, class: null },
    },
  });
}

/**
 * The reply extensions. Call with no options on the server; the browser adds the placeholder
 * and the mention autocomplete, which do not change the schema.
 */
export function replyExtensions(options: ReplyExtensionOptions = {}): Extensions {
  const extensions: Extensions = [
    richTextStarterKit(),
    PasteFromOffice,
    ReplyMention.configure({
      HTMLAttributes: { class: "mention" },
      renderText: ({ node }) => `@${mentionLabel(node.attrs)}`,
      renderHTML: ({ options, node }) => {
        const id = node.attrs.id;
        const attributes = mergeAttributes(options.HTMLAttributes, {
          // A member link when the id is well formed; a plain span otherwise.
          ...(typeof id === "string" && MEMBER_ID_PATTERN.test(id) ? { href: `/members/${id}` } : {}),
        });
        return [attributes.href ? "a" : "span", attributes, `@${mentionLabel(node.attrs)}`];
      },
      ...(options.mentionSuggestion ? { suggestion: { char: "@", ...options.mentionSuggestion } } : {}),
    }),
  ];
  if (options.placeholder !== undefined) {
    const { placeholder } = options;
    extensions.push(Placeholder.configure({ placeholder: typeof placeholder === "function" ? () => placeholder() : placeholder }));
  }
  if (options.extra) extensions.push(...options.extra);
  return extensions;
}

function mentionLabel(attrs: Record<string, unknown>): string {
  const label = attrs.label;
  if (typeof label === "string" && label.trim()) return label;
  return typeof attrs.id === "string" ? attrs.id : "";
}
