/**
 * Plain text ⇄ ProseMirror JSON for replies. Pure functions with no Tiptap runtime, usable in
 * the browser and on the server.
 *
 * textToDoc applies the rule of the SQL that converted the old plain-text replies
 * (prisma/migrations/20261129120000_threads_moderation/migration.sql): a blank line (only
 * spaces/tabs between two newlines) separates paragraphs; a single newline inside a paragraph
 * becomes a hard break; newlines at a paragraph's ends are dropped; paragraphs holding only
 * whitespace are dropped; no paragraph at all gives one empty paragraph. The whole text is
 * trimmed first (as replies always were), and "\r" is removed.
 */
import type { JSONContent } from "@tiptap/core";

/** Plain text (from the no-JavaScript textarea) → a document of paragraphs and hard breaks. */
export function textToDoc(text: string): JSONContent {
  const normalised = text.replace(/\r/g, "").trim();
  const paragraphs: JSONContent[] = [];
  for (const raw of normalised.split(/\n[ \t]*\n/)) {
    if (raw.replace(/^[ \t\n]+|[ \t\n]+$/g, "") === "") continue;
    const lines = raw.replace(/^\n+|\n+$/g, "").split("\n");
    const content: JSONContent[] = [];
    lines.forEach((line, i) => {
      if (i > 0) content.push({ type: "hardBreak" });
      if (line !== "") content.push({ type: "text", text: line });
    });
    paragraphs.push({ type: "paragraph", content });
  }
  return { type: "doc", content: paragraphs.length ? paragraphs : [{ type: "paragraph" }] };
}

export interface DocToTextOptions {
  /** Leave block quotes out (for excerpts and notifications that should show the reply's own words). */
  omitQuotes?: boolean;
}

/**
 * A document → plain text: blocks separated by blank lines, hard breaks as newlines, mentions
 * as "@label", list items on their own lines ("- " or "1. ", nested items indented). Used for
 * the stored `text` (length limit, search, excerpts, notifications). Tolerates malformed input.
 */
export function docToText(doc: JSONContent | null | undefined, options: DocToTextOptions = {}): string {
  if (!doc || typeof doc !== "object") return "";
  const blocks = doc.type === "doc" ? children(doc) : [doc];
  return blocksToText(blocks, options).trim();
}

function children(node: JSONContent): JSONContent[] {
  return Array.isArray(node.content) ? node.content.filter((c) => c && typeof c === "object") : [];
}

function blocksToText(blocks: JSONContent[], options: DocToTextOptions): string {
  return blocks
    .map((block) => blockToText(block, options))
    .filter((text) => text.trim() !== "")
    .join("\n\n");
}

function blockToText(node: JSONContent, options: DocToTextOptions): string {
  switch (node.type) {
    case "blockquote":
      return options.omitQuotes ? "" : blocksToText(children(node), options);
    case "bulletList":
    case "orderedList":
      return listToText(node, options, 0);
    case "codeBlock":
      return inlineToText(children(node)).replace(/^\n+|\n+$/g, "");
    case "horizontalRule":
      return "";
    case "paragraph":
    case "heading":
      return inlineToText(children(node));
    default:
      // Unknown block (or an inline node at block level): its text, if any.
      return node.type === "text" || node.type === "mention" || node.type === "hardBreak"
        ? inlineToText([node])
        : blocksToText(children(node), options);
  }
}

function listToText(list: JSONContent, options: DocToTextOptions, depth: number): string {
  const ordered = list.type === "orderedList";
  const startAttr = Number(list.attrs?.start);
  let n = ordered && Number.isFinite(startAttr) ? startAttr : 1;
  const indent = "  ".repeat(depth);
  const lines: string[] = [];
  for (const item of children(list)) {
    const marker = ordered ? `${n++}. ` : "- ";
    const parts: string[] = [];
    for (const child of children(item)) {
      if (child.type === "bulletList" || child.type === "orderedList") {
        parts.push(listToText(child, options, depth + 1));
      } else {
        const text = blockToText(child, options);
        if (text.trim() !== "") {
          parts.push(
            text
              .split("\n")
              .map((line, i) => (i === 0 && parts.length === 0 ? line : `${indent}  ${line}`))
              .join("\n"),
          );
        }
      }
    }
    const body = parts.join("\n");
    lines.push(`${indent}${marker}${body}`.replace(/\s+$/, ""));
  }
  return lines.join("\n");
}

function inlineToText(nodes: JSONContent[]): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text") out += typeof node.text === "string" ? node.text : "";
    else if (node.type === "hardBreak") out += "\n";
    else if (node.type === "mention") out += `@${mentionLabel(node.attrs)}`;
    else if (Array.isArray(node.content)) out += inlineToText(children(node));
  }
  return out;
}

function mentionLabel(attrs: Record<string, unknown> | undefined): string {
  const label = attrs?.label;
  if (typeof label === "string" && label.trim()) return label;
  return typeof attrs?.id === "string" ? attrs.id : "";
}
