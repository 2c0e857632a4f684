/**
 * Small pure helpers over reply documents (ProseMirror JSON), shared by the browser (quote
 * buttons, the editor's hidden field) and the server (content.server.ts re-exports them).
 */
import type { JSONContent } from "@tiptap/core";
import { isAllowedHref } from "./rules";
import { docToText } from "./plain-text";

/** Distinct member ids mentioned in the document, in order of first appearance. */
export function extractMentionIds(content: JSONContent | null | undefined): string[] {
  const ids = new Set<string>();
  const visit = (node: JSONContent | null | undefined, depth: number) => {
    if (!node || typeof node !== "object" || depth > 200) return;
    if (node.type === "mention" && typeof node.attrs?.id === "string" && node.attrs.id) ids.add(node.attrs.id);
    if (Array.isArray(node.content)) for (const child of node.content) visit(child, depth + 1);
  };
  visit(content, 0);
  return [...ids];
}

/** True when the document has no text (other than whitespace) and no mention. */
export function isDocEmpty(content: JSONContent | null | undefined): boolean {
  return docToText(content).trim() === "" && extractMentionIds(content).length === 0;
}

export interface QuoteInput {
  /** The quoted reply's author, shown as "<name> wrote:". */
  authorName: string;
  /** The quoted reply's content. */
  content: JSONContent;
  /**
   * The quoted reply's id. The document has no place for it (relative links are refused), so
   * it is not stored in the quote: post it alongside (e.g. a `replyToId` field).
   */
  replyId?: string;
  /** The attribution line, already translated; default `${authorName} wrote:`. */
  attribution?: string;
}

/**
 * A block quote of another reply, for quote-reply: its first paragraph is the attribution
 * (author's name in bold), followed by the quoted reply's blocks. Quotes nested in the quoted
 * reply are left out (no quote pyramids), and its mentions become plain "@name" text so that
 * quoting a reply does not notify the people it mentioned again.
 */
export function quoteDoc({ authorName, content, attribution }: QuoteInput): JSONContent {
  const name = authorName.trim() || "?";
  const line = attribution ?? `${name} wrote:`;
  const at = line.indexOf(name);
  const attributionContent: JSONContent[] =
    at >= 0
      ? [
          ...(at > 0 ? [{ type: "text", text: line.slice(0, at) }] : []),
          { type: "text", text: name, marks: [{ type: "bold" }] },
          ...(at + name.length < line.length ? [{ type: "text", text: line.slice(at + name.length) }] : []),
        ]
      : [{ type: "text", text: line }];
  const blocks = (content?.type === "doc" && Array.isArray(content.content) ? content.content : [])
    .filter((block) => block && block.type !== "blockquote")
    .map((block) => mentionsToText(block))
    .filter((block) => !(block.type === "paragraph" && !block.content?.length));
  return {
    type: "blockquote",
    content: [{ type: "paragraph", content: attributionContent }, ...blocks],
  };
}

function mentionsToText(node: JSONContent): JSONContent {
  if (node.type === "mention") {
    const label = typeof node.attrs?.label === "string" && node.attrs.label ? node.attrs.label : String(node.attrs?.id ?? "");
    return { type: "text", text: `@${label}`, ...(node.marks ? { marks: node.marks } : {}) };
  }
  if (!Array.isArray(node.content)) return node;
  return { ...node, content: node.content.map(mentionsToText) };
}

/**
 * A copy of the document without link marks whose href the server would refuse (the text
 * stays). The editor runs it before filling its hidden field, so a pasted relative link never
 * makes a post fail; the server renderer runs it as a second line of defence.
 */
export function dropDisallowedLinks(node: JSONContent): JSONContent {
  const copy: JSONContent = { ...node };
  if (Array.isArray(node.marks)) {
    copy.marks = node.marks.filter((mark) => mark?.type !== "link" || isAllowedHref(mark.attrs?.href));
    if (copy.marks.length === 0) delete copy.marks;
  }
  if (Array.isArray(node.content)) copy.content = node.content.map(dropDisallowedLinks);
  return copy;
}

/**
 * A copy of the document whose mentions carry the members' current display names (so a
 * client cannot label a mention of one member with another's name). Mentions of ids missing
 * from `labels` (unknown or not visible members) become plain "@label" text.
 */
export function relabelMentions(
  content: JSONContent,
  labels: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): JSONContent {
  const lookup = (id: string): string | undefined =>
    labels instanceof Map ? labels.get(id) : Object.prototype.hasOwnProperty.call(labels, id) ? (labels as Record<string, string>)[id] : undefined;
  const visit = (node: JSONContent): JSONContent => {
    if (node.type === "mention") {
      const id = typeof node.attrs?.id === "string" ? node.attrs.id : "";
      const label = id ? lookup(id) : undefined;
      if (label !== undefined) return { ...node, attrs: { ...node.attrs, label } };
      return mentionsToText(node);
    }
    if (!Array.isArray(node.content)) return node;
    return { ...node, content: node.content.map(visit) };
  };
  return visit(content);
}

/** A document posted as JSON text (a form's hidden `content` field), or null when it is not one. */
export function parseDocJson(json: string): JSONContent | null {
  try {
    const doc = JSON.parse(json) as JSONContent;
    return doc && typeof doc === "object" && doc.type === "doc" ? doc : null;
  } catch {
    return null;
  }
}
