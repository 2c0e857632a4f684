/**
 * Case-study bodies on the server: validation of what a browser posts and HTML rendering, with
 * the case-study schema (caseStudyExtensions()). Like replies, a body arrives as ProseMirror
 * JSON (`content`, from the rich editor) or plain text (`body`, from the no-JavaScript
 * textarea); it is checked, normalised and stored as JSON; HTML is only ever made here.
 */
import { getSchema, type JSONContent } from "@tiptap/core";
import { Node as PMNode, type Schema } from "@tiptap/pm/model";
import { AppError, type ErrorCode } from "~/utils/errors";
import { caseStudyExtensions, IMAGE_TEXT_MAX, isUploadSrc } from "./case-study-extensions";
import { escapeHtml, serializeDocHtml, validateDocWith, type Attrs, type DocRules } from "./content.server";
import { docToText, textToDoc } from "./plain-text";

/** Longest body accepted, in characters of plain text. */
export const CASE_STUDY_MAX_TEXT = 100_000;
/** Longest body accepted, in characters of its JSON. */
export const CASE_STUDY_MAX_JSON = 600_000;
const MAX_CELL_SPAN = 50;

const schema: Schema = getSchema(caseStudyExtensions());

function fail(code: ErrorCode, message: string): never {
  throw new AppError(code, message, "content");
}

const rules: DocRules = {
  schema,
  invalid: "case_study_invalid",
  checkAttrs(type: string, attrs: Attrs) {
    if (type === "image") {
      if (!isUploadSrc(attrs.src)) fail("image_not_allowed", "Images must be uploaded to this site");
      for (const key of ["alt", "title", "caption"] as const) {
        const v = attrs[key];
        if (v != null && (typeof v !== "string" || v.length > IMAGE_TEXT_MAX)) fail("case_study_invalid", `Image ${key} is not valid`);
      }
      for (const key of ["width", "height"] as const) {
        const v = attrs[key];
        if (v != null && !(typeof v === "number" && Number.isInteger(v) && v > 0 && v <= 20_000)) fail("case_study_invalid", `Image ${key} is not valid`);
      }
    }
    if (type === "tableCell" || type === "tableHeader") {
      for (const key of ["colspan", "rowspan"] as const) {
        const v = attrs[key];
        if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_CELL_SPAN)) fail("case_study_invalid", `Cell ${key} is not valid`);
      }
      if (attrs.colwidth != null) fail("case_study_invalid", "Column widths are not stored");
      if (attrs.align != null && !["left", "center", "right"].includes(String(attrs.align))) fail("case_study_invalid", "Cell alignment is not valid");
    }
  },
};

export interface ParsedCaseStudyBody {
  content: JSONContent;
  /** Plain text: search, the length limit, the list's excerpt. */
  text: string;
  /** Upload ids of the images it shows (the caller checks they exist). */
  uploadIds: string[];
}

/**
 * Validates a posted body: `content` (JSON object or string) wins; else `body` (plain text).
 * @throws AppError (field "content") case_study_empty | case_study_too_long | case_study_invalid |
 *   link_not_allowed | image_not_allowed
 */
export function parseCaseStudyContent(input: { content?: unknown; body?: string | null }): ParsedCaseStudyBody {
  const { content, body } = input;
  let raw: unknown;
  if (typeof content === "string" && content.trim() !== "") {
    if (content.length > CASE_STUDY_MAX_JSON) fail("case_study_too_long", "Document is too large");
    try {
      raw = JSON.parse(content);
    } catch {
      fail("case_study_invalid", "Content is not JSON");
    }
  } else if (content !== null && typeof content === "object") {
    let size = 0;
    try {
      size = JSON.stringify(content).length;
    } catch {
      fail("case_study_invalid", "Content cannot be serialised");
    }
    if (size > CASE_STUDY_MAX_JSON) fail("case_study_too_long", "Document is too large");
    raw = content;
  } else if (content !== undefined && content !== null && content !== "") {
    fail("case_study_invalid", "Content has the wrong type");
  } else if (typeof body === "string") {
    const text = body.replace(/\r\n?/g, "\n").trim();
    if (text === "") fail("case_study_empty", "Body is empty");
    if (text.length > CASE_STUDY_MAX_TEXT) fail("case_study_too_long", "Body is too long");
    raw = textToDoc(text);
  } else {
    fail("case_study_empty", "Body is empty");
  }
  const doc = validateDocWith(rules, raw);
  const text = caseStudyText(doc);
  const uploadIds = imageUploadIds(doc);
  if (text.trim() === "" && uploadIds.length === 0) fail("case_study_empty", "Body is empty");
  if (text.length > CASE_STUDY_MAX_TEXT) fail("case_study_too_long", "Body is too long");
  return { content: doc, text, uploadIds };
}

/** Plain text of a body: docToText, with each table row's cells on one line. */
export function caseStudyText(doc: JSONContent): string {
  const flatten = (node: JSONContent): JSONContent => {
    if (node.type === "table") {
      const rows = (node.content ?? []).map((row) => ({
        type: "paragraph",
        content: (row.content ?? []).flatMap((cell, i) => [
          ...(i > 0 ? [{ type: "text", text: " | " }] : []),
          { type: "text", text: docToText({ type: "doc", content: cell.content ?? [] }).replace(/\n+/g, " ") || " " },
        ]),
      }));
      return { type: "blockquote", content: rows };
    }
    if (node.type === "image") {
      const words = [node.attrs?.alt, node.attrs?.caption].filter((v): v is string => typeof v === "string" && v.trim() !== "");
      return { type: "paragraph", content: words.length ? [{ type: "text", text: words.join(" — ") }] : [] };
    }
    return node.content ? { ...node, content: node.content.map(flatten) } : node;
  };
  return docToText(flatten(doc));
}

function imageUploadIds(doc: JSONContent): string[] {
  const ids = new Set<string>();
  const walk = (node: JSONContent) => {
    if (node.type === "image" && isUploadSrc(node.attrs?.src)) ids.add(String(node.attrs!.src).slice("/uploads/".length));
    node.content?.forEach(walk);
  };
  walk(doc);
  return [...ids];
}

/**
 * The body's HTML from stored JSON (validated again first; a document that no longer validates
 * is shown as escaped text rather than failing the page).
 */
export function renderCaseStudyHtml(content: unknown): string {
  let doc: PMNode;
  try {
    doc = PMNode.fromJSON(schema, validateDocWith(rules, content));
  } catch {
    const text = docToText(content as JSONContent);
    return text
      .split(/\n{2,}/)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join("");
  }
  return serializeDocHtml(schema, doc);
}
