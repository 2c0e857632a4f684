/**
 * Reply content on the server: validation of what a browser posts, and HTML rendering.
 *
 * A reply arrives either as ProseMirror JSON (`content`, from the rich editor's hidden field)
 * or as plain text (`body`, from the no-JavaScript textarea). Either way it is checked against
 * the editor's own schema (replyExtensions()), normalised, and stored as JSON; HTML is only
 * ever produced here, from stored JSON, never taken from the client.
 */
import { getSchema, type JSONContent } from "@tiptap/core";
import { generateHTML, generateJSON } from "@tiptap/html/server";
import { DOMSerializer, Node as PMNode, type Schema } from "@tiptap/pm/model";
import { Window } from "happy-dom";
import { AppError, type ErrorCode } from "~/utils/errors";
import { REPLY_MAX_LENGTH } from "~/utils/limits";
import { extractMentionIds } from "./doc-utils";
import { replyExtensions } from "./extensions";
import { HEADING_LEVELS, isAllowedHref, LINK_REL, MEMBER_ID_PATTERN } from "./rules";
import { docToText, textToDoc } from "./plain-text";

export { extractMentionIds, isDocEmpty, quoteDoc, relabelMentions } from "./doc-utils";
export type { QuoteInput } from "./doc-utils";
export { docToText, textToDoc } from "./plain-text";

/** Longest document accepted, in characters of its JSON. */
export const MAX_CONTENT_JSON_LENGTH = 200_000;
/** Deepest nesting accepted (doc › blockquote › list › item › … › text). */
export const MAX_CONTENT_DEPTH = 48;
/** Longest mention label (a display name). */
export const MAX_MENTION_LABEL_LENGTH = 100;

const extensions = replyExtensions();
const schema: Schema = getSchema(extensions);

export interface ParsedReply {
  /** The normalised document, ready to store. */
  content: JSONContent;
  /** Its plain text (docToText): length limit, search, excerpts, notifications. */
  text: string;
  /** Distinct member ids it mentions (the caller checks they exist). */
  mentionIds: string[];
}

export function fail(code: ErrorCode, message: string): never {
  throw new AppError(code, message, "content");
}

/**
 * Validates a posted reply: `content` (ProseMirror JSON, as an object or as the JSON string of
 * a hidden form field) wins when present; otherwise `body` (plain text) is converted with
 * textToDoc.
 *
 * @throws AppError (field "content") reply_empty | reply_too_long | link_not_allowed | reply_invalid
 */
export function parseReplyContent(input: { content?: unknown; body?: string | null }): ParsedReply {
  let raw: unknown;
  const { content, body } = input;
  if (typeof content === "string" && content.trim() !== "") {
    if (content.length > MAX_CONTENT_JSON_LENGTH) fail("reply_too_long", "Reply document is too large");
    try {
      raw = JSON.parse(content);
    } catch {
      fail("reply_invalid", "Reply content is not JSON");
    }
  } else if (content !== null && typeof content === "object") {
    let size: number;
    try {
      size = JSON.stringify(content).length;
    } catch {
      fail("reply_invalid", "Reply content cannot be serialised");
    }
    if (size > MAX_CONTENT_JSON_LENGTH) fail("reply_too_long", "Reply document is too large");
    raw = content;
  } else if (content !== undefined && content !== null && content !== "") {
    fail("reply_invalid", "Reply content has the wrong type");
  } else if (typeof body === "string") {
    const text = body.replace(/\r\n?/g, "\n").trim();
    if (text === "") fail("reply_empty", "Reply is empty");
    if (text.length > REPLY_MAX_LENGTH) fail("reply_too_long", "Reply is too long");
    raw = textToDoc(text);
  } else {
    fail("reply_empty", "Reply is empty");
  }

  const doc = validateDoc(raw);
  const text = docToText(doc);
  const mentionIds = extractMentionIds(doc);
  if (text.trim() === "" && mentionIds.length === 0) fail("reply_empty", "Reply is empty");
  if (text.length > REPLY_MAX_LENGTH) fail("reply_too_long", "Reply is too long");
  return { content: doc, text, mentionIds };
}

/**
 * Checks a document against the reply schema and returns its normalised JSON: unknown keys,
 * node types, mark types or attributes, out-of-range attribute values, malformed structure
 * and content the schema does not allow are refused; strings lose NUL characters and lone
 * surrogates (PostgreSQL's jsonb refuses both); empty text nodes and empty paragraphs at the
 * start and end are dropped; link attributes are set to the site's own.
 *
 * @throws AppError link_not_allowed | reply_invalid
 */
export function validateDoc(raw: unknown): JSONContent {
  return validateDocWith(replyRules, raw);
}

/** What a document is checked against: a schema, the error code for invalid content, extra attribute checks. */
export interface DocRules {
  schema: Schema;
  invalid: ErrorCode;
  /** Extra checks of a node's cleaned attributes (throw an AppError to refuse). */
  checkAttrs?: (type: string, attrs: Attrs) => void;
}

const replyRules: DocRules = { schema, invalid: "reply_invalid" };

/** validateDoc against other rules (case studies use their own schema and codes). */
export function validateDocWith(r: DocRules, raw: unknown): JSONContent {
  const cleaned = cleanNode(r, raw, 0);
  if (!cleaned || cleaned.type !== "doc") fail(r.invalid, "Content is not a document");
  trimEmptyParagraphs(cleaned);
  let node: PMNode;
  try {
    node = PMNode.fromJSON(r.schema, cleaned);
    node.check();
  } catch (error) {
    fail(r.invalid, `Content does not match the schema: ${(error as Error).message}`);
  }
  return node.toJSON() as JSONContent;
}

/** Serialises a validated document to HTML with a schema (see renderReplyHtml). */
export function serializeDocHtml(schemaToUse: Schema, doc: PMNode): string {
  const { document } = htmlWindow();
  const wrap = document.createElement("div");
  DOMSerializer.fromSchema(schemaToUse).serializeFragment(doc.content, { document: document as unknown as Document }, wrap as unknown as HTMLElement);
  return wrap.innerHTML;
}

/**
 * The reply's HTML, rendered from stored JSON with the editor's extensions. The document is
 * validated again first (defence in depth); a document that no longer validates is shown as
 * escaped plain text rather than failing the page.
 *
 * This is what `generateHTML` from `@tiptap/html/server` does (same schema, same
 * DOMSerializer, same happy-dom settings), except that the schema and the happy-dom window
 * are built once per process instead of on every call: ≈0.1 ms per reply instead of ≈10–15
 * ms, which matters on a page of 50 replies. content.server.test.ts checks that both produce
 * the same HTML.
 */
export function renderReplyHtml(content: JSONContent | unknown): string {
  // The HTML is a pure function of the document, and the same replies are shown again and again
  // (every reader of a thread's last page): the JSON text is the key, so an edited reply is a
  // new entry and nothing needs invalidating. Rendering 20 replies was ~15% of a thread page's
  // CPU (bench/thread-page.ts, --cpu-prof).
  let key: string | undefined;
  try {
    key = JSON.stringify(content);
  } catch {
    key = undefined;
  }
  const cached = key === undefined ? undefined : renderedHtml.get(key);
  if (cached !== undefined) {
    renderedHtml.delete(key!);
    renderedHtml.set(key!, cached);
    return cached;
  }
  let html: string;
  try {
    html = serializeDocHtml(schema, PMNode.fromJSON(schema, validateDoc(content)));
  } catch {
    html = plainTextHtml(docToText(content as JSONContent));
  }
  if (key !== undefined && key.length <= MAX_CACHED_DOC_LENGTH) {
    if (renderedHtml.size >= MAX_CACHED_DOCS) renderedHtml.delete(renderedHtml.keys().next().value!);
    renderedHtml.set(key, html);
  }
  return html;
}

/** Rendered reply HTML by document JSON, least recently used first (a Map keeps insertion order). */
const renderedHtml = new Map<string, string>();
/** About 2,000 replies × (JSON + HTML, ~3 KB) ≈ 6 MB at most. */
const MAX_CACHED_DOCS = 2_000;
const MAX_CACHED_DOC_LENGTH = 20_000;

/** `generateHTML` from `@tiptap/html/server` with the reply extensions (slow: see renderReplyHtml). */
export function renderReplyHtmlWithTiptap(content: JSONContent): string {
  return generateHTML(validateDoc(content), extensions);
}

let sharedWindow: Window | null = null;
/** One happy-dom window per process, used only to build detached elements for serialising. */
function htmlWindow(): Window {
  sharedWindow ??= new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  return sharedWindow;
}

/** Plain text → escaped HTML paragraphs (blank lines) with <br> for single newlines. */
export function plainTextHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== "")
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------------------------

const NODE_KEYS = new Set(["type", "attrs", "content", "marks", "text"]);
const MARK_KEYS = new Set(["type", "attrs"]);
const ORDERED_LIST_TYPES = new Set(["1", "a", "A", "i", "I"]);
const CODE_LANGUAGE = /^[A-Za-z0-9_+#.-]{1,32}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Strings safe for jsonb and for display: no NUL, no lone surrogate. */
function cleanString(value: string): string {
  return value
    .replace(/\u0000/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

export type Attrs = Record<string, string | number | boolean | null>;

function cleanAttrs(r: DocRules, value: unknown, allowed: Record<string, unknown>, where: string): Attrs {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) fail(r.invalid, `Attributes of ${where} are not an object`);
  const attrs: Attrs = {};
  for (const [key, v] of Object.entries(value)) {
    if (!Object.prototype.hasOwnProperty.call(allowed, key)) fail(r.invalid, `Unknown attribute ${key} on ${where}`);
    if (v === null || typeof v === "boolean") attrs[key] = v;
    else if (typeof v === "number" && Number.isFinite(v)) attrs[key] = v;
    else if (typeof v === "string") attrs[key] = cleanString(v);
    else fail(r.invalid, `Attribute ${key} on ${where} has the wrong type`);
  }
  return attrs;
}

function cleanMarks(r: DocRules, value: unknown, where: string): JSONContent["marks"] {
  if (!Array.isArray(value)) fail(r.invalid, `Marks of ${where} are not a list`);
  if (value.length > 16) fail(r.invalid, `Too many marks on ${where}`);
  return value.map((mark) => {
    if (!isPlainObject(mark)) fail(r.invalid, `A mark on ${where} is not an object`);
    for (const key of Object.keys(mark)) if (!MARK_KEYS.has(key)) fail(r.invalid, `Unknown key ${key} in a mark`);
    const type = mark.type;
    if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(r.schema.marks, type)) {
      fail(r.invalid, `Unknown mark ${String(type)}`);
    }
    const attrs = cleanAttrs(r, mark.attrs, r.schema.marks[type]!.spec.attrs ?? {}, `mark ${type}`);
    if (type === "link") return { type, attrs: linkAttrs(r, attrs) };
    return Object.keys(attrs).length ? { type, attrs } : { type };
  });
}

function linkAttrs(r: DocRules, attrs: Attrs): Attrs {
  const { href, target, rel, title } = attrs;
  if (!isAllowedHref(href)) fail("link_not_allowed", "Links must be http, https or mailto URLs");
  if (target != null) fail(r.invalid, "Links may not set a target");
  if (rel != null && rel !== LINK_REL) fail(r.invalid, "Links may not set rel");
  if (attrs.class != null) fail(r.invalid, "Links may not set a class");
  if (title != null && (typeof title !== "string" || title.length > 500)) fail(r.invalid, "Link title is not valid");
  return { href, target: null, rel: LINK_REL, class: null, title: title ?? null };
}

function checkNodeAttrs(r: DocRules, type: string, attrs: Attrs): void {
  r.checkAttrs?.(type, attrs);
  switch (type) {
    case "heading":
      if (!(HEADING_LEVELS as readonly unknown[]).includes(attrs.level)) fail(r.invalid, "Heading level not allowed");
      break;
    case "orderedList":
      if (attrs.start !== undefined && !(Number.isInteger(attrs.start) && (attrs.start as number) >= 0 && (attrs.start as number) <= 1_000_000)) {
        fail(r.invalid, "List start not valid");
      }
      if (attrs.type != null && !ORDERED_LIST_TYPES.has(String(attrs.type))) fail(r.invalid, "List type not valid");
      break;
    case "codeBlock":
      if (attrs.language != null && !(typeof attrs.language === "string" && CODE_LANGUAGE.test(attrs.language))) {
        fail(r.invalid, "Code language not valid");
      }
      break;
    case "mention": {
      const { id, label, mentionSuggestionChar } = attrs;
      if (typeof id !== "string" || !MEMBER_ID_PATTERN.test(id)) fail(r.invalid, "Mention id not valid");
      if (typeof label !== "string" || label.trim() === "" || label.length > MAX_MENTION_LABEL_LENGTH) {
        fail(r.invalid, "Mention label not valid");
      }
      if (mentionSuggestionChar !== undefined && mentionSuggestionChar !== "@") fail(r.invalid, "Mention character not valid");
      break;
    }
  }
}

/** A validated copy of one node (null: an empty text node, dropped). */
function cleanNode(r: DocRules, value: unknown, depth: number): JSONContent | null {
  if (depth > MAX_CONTENT_DEPTH) fail(r.invalid, "Content is nested too deeply");
  if (!isPlainObject(value)) fail(r.invalid, "A node is not an object");
  for (const key of Object.keys(value)) if (!NODE_KEYS.has(key)) fail(r.invalid, `Unknown key ${key} in a node`);
  const type = value.type;
  if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(r.schema.nodes, type)) {
    fail(r.invalid, `Unknown node ${String(type)}`);
  }
  const node: JSONContent = { type };
  const attrs = cleanAttrs(r, value.attrs, r.schema.nodes[type]!.spec.attrs ?? {}, `node ${type}`);
  checkNodeAttrs(r, type, attrs);
  if (Object.keys(attrs).length) node.attrs = attrs;
  if (value.marks !== undefined) {
    const marks = cleanMarks(r, value.marks, `node ${type}`);
    if (marks?.length) node.marks = marks;
  }
  if (type === "text") {
    if (typeof value.text !== "string") fail(r.invalid, "A text node has no text");
    if (value.content !== undefined) fail(r.invalid, "A text node has content");
    const text = cleanString(value.text);
    if (text === "") return null;
    node.text = text;
    return node;
  }
  if (value.text !== undefined) fail(r.invalid, `A ${type} node has text`);
  if (value.content !== undefined) {
    if (!Array.isArray(value.content)) fail(r.invalid, `Content of ${type} is not a list`);
    const content = value.content.map((child) => cleanNode(r, child, depth + 1)).filter((c): c is JSONContent => c !== null);
    if (content.length) node.content = content;
  }
  return node;
}

function isEmptyParagraph(node: JSONContent | undefined): boolean {
  return node?.type === "paragraph" && !node.content?.length;
}

/** Drops empty paragraphs at the start and end of the document (the editor's trailing one). */
function trimEmptyParagraphs(doc: JSONContent): void {
  const content = doc.content ?? [];
  while (content.length > 1 && isEmptyParagraph(content[0])) content.shift();
  while (content.length > 1 && isEmptyParagraph(content[content.length - 1])) content.pop();
  doc.content = content.length ? content : [{ type: "paragraph" }];
}

/**
 * HTML from outside (a machine-translation service) → a reply document: parsed with the
 * editor's own schema (anything the schema does not know — scripts, styles, attributes — is
 * dropped by the parser), then validated like posted content.
 * @throws AppError reply_empty | reply_too_long | link_not_allowed | reply_invalid
 */
export function parseReplyHtml(html: string): ParsedReply {
  let doc: JSONContent;
  try {
    doc = generateJSON(html, extensions);
  } catch (error) {
    fail("reply_invalid", `HTML could not be parsed: ${(error as Error).message}`);
  }
  return parseReplyContent({ content: doc });
}
