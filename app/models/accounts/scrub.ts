/**
 * Removing a deleted member's name from text that stays (GDPR Art. 17; PIPL Art. 47): other
 * members' replies that quote them ("Dana Li wrote:") or thank them by name, @mentions of them,
 * comments, titles, notification details. Pure functions, no database: deletion.server.ts
 * finds the rows and writes the results.
 *
 * A name is matched whole: for Latin-script names, not inside a longer word and whatever the
 * letter case; for names with Han characters, as written (Chinese has no word spaces). Names
 * shorter than two characters are not matched (they would hit ordinary words).
 */
import type { JSONContent } from "@tiptap/core";
import { DELETED_MEMBER_LABEL } from "~/utils/deleted-member";

const HAN = /\p{Script=Han}/u;

/** The label for text in this language: Chinese when it has Han characters, else English. */
export function labelFor(context: string): string {
  return HAN.test(context) ? DELETED_MEMBER_LABEL.zh : DELETED_MEMBER_LABEL.en;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * One pattern for all the member's names (display name, Latin-script name, Chinese-script
 * name), longest first so "Dana Li" wins over "Dana".
 * @returns null when no name is long enough to match safely
 */
export function namePattern(names: (string | null | undefined)[]): RegExp | null {
  const unique = [...new Set(names.map((n) => (n ?? "").trim()).filter((n) => [...n].length >= 2))].sort((a, b) => b.length - a.length);
  if (unique.length === 0) return null;
  const parts = unique.map((name) => (HAN.test(name) ? escape(name) : `(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`));
  return new RegExp(parts.join("|"), "giu");
}

/** The nearest letter or digit before `index` in `text` (spaces and punctuation skipped). */
function letterBefore(text: string, index: number): string {
  const match = /[\p{L}\p{N}](?=[^\p{L}\p{N}]*$)/u.exec(text.slice(0, index));
  return match ? match[0] : "";
}

/** The nearest letter or digit from `index` on. */
function letterAfter(text: string, index: number): string {
  const match = /[\p{L}\p{N}]/u.exec(text.slice(index));
  return match ? match[0] : "";
}

/**
 * The label for one occurrence: Chinese when the nearest letter on either side is Han ("谢谢…!"),
 * English when the nearest are Latin ("Thank you … and"), else the language of `context`.
 */
function labelAt(before: string, after: string, context: string): string {
  const neighbours = letterBefore(before, before.length) + letterAfter(after, 0);
  if (neighbours) return HAN.test(neighbours) ? DELETED_MEMBER_LABEL.zh : DELETED_MEMBER_LABEL.en;
  return labelFor(context);
}

/**
 * `text` with every name replaced by the label, chosen per occurrence from its neighbours, or
 * from `context` (the surrounding block's text) when the name stands alone.
 */
export function scrubText(text: string, pattern: RegExp | null, context = text): string {
  if (!pattern || !text) return text;
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  const fallback = context.replace(pattern, "");
  pattern.lastIndex = 0;
  return text.replace(pattern, (match: string, ...rest: unknown[]) => {
    const offset = rest[rest.length - 2] as number;
    return labelAt(text.slice(0, offset), text.slice(offset + match.length), fallback);
  });
}

/** The plain text of a node's direct and nested text (for the language of a block). */
function textOf(node: JSONContent): string {
  if (typeof node.text === "string") return node.text;
  if (node.type === "mention") return "";
  return (node.content ?? []).map(textOf).join(" ");
}

/**
 * A copy of a ProseMirror document with the member's mentions turned into "@<label>" text and
 * their names replaced in every text node; the label's language follows the block it stands in.
 * @returns the new document and whether anything changed
 */
export function scrubDoc(doc: JSONContent, userId: string, pattern: RegExp | null): { doc: JSONContent; changed: boolean } {
  let changed = false;
  /** The text beside the node being visited, within its block (for a mention's language). */
  let siblings = { before: "", after: "" };
  const visit = (node: JSONContent, context: string): JSONContent => {
    if (!node || typeof node !== "object") return node;
    if (node.type === "mention" && node.attrs?.id === userId) {
      changed = true;
      const { attrs: _attrs, type: _type, ...rest } = node;
      return { ...rest, type: "text", text: `@${labelAt(siblings.before, siblings.after, context)}` };
    }
    if (typeof node.text === "string") {
      const text = scrubText(node.text, pattern, context);
      if (text !== node.text) changed = true;
      return text === node.text ? node : { ...node, text };
    }
    if (!Array.isArray(node.content)) return node;
    // A block with text of its own sets the language for what it holds.
    const own = node.content.some((c) => c && (typeof c.text === "string" || c.type === "mention")) ? textOf(node) : context;
    const ownContext = pattern ? own.replace(pattern, "") : own;
    const children = node.content;
    return {
      ...node,
      content: children.map((child, i) => {
        siblings = { before: children.slice(0, i).map(textOf).join(""), after: children.slice(i + 1).map(textOf).join("") };
        return visit(child, ownContext || context);
      }),
    };
  };
  const result = visit(doc, "");
  return { doc: changed ? result : doc, changed };
}

/** A JSON value (notification details and the like) with names replaced in every string. */
export function scrubJson(value: unknown, pattern: RegExp | null): unknown {
  if (typeof value === "string") return scrubText(value, pattern);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, pattern));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubJson(v, pattern)]));
  return value;
}
