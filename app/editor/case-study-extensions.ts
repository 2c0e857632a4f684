/**
 * The Tiptap extension list for case-study bodies, shared by the server (validation in
 * case-study-content.server.ts, HTML rendering) and the browser (CaseStudyEditor), so the schema
 * the server checks is exactly the one the editor produces — the approach of `replyExtensions()`.
 *
 * Everything replies allow except @mentions, plus tables (header row, rows, cells; no column
 * resizing, so no widths are stored) and block images whose `src` is one of our own uploads
 * (`/uploads/<id>`); no other image source, no data: URLs.
 */
import type { Extensions } from "@tiptap/core";
import Image from "@tiptap/extension-image";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import { Placeholder } from "@tiptap/extensions";
import { richTextStarterKit } from "./extensions";

/** An image source the case-study body may use: one of our uploads. */
export const UPLOAD_SRC_PATTERN = /^\/uploads\/[a-z0-9]{10,40}$/;

export function isUploadSrc(src: unknown): src is string {
  return typeof src === "string" && UPLOAD_SRC_PATTERN.test(src);
}

export interface CaseStudyExtensionOptions {
  /** Placeholder shown in the empty editor (browser only). */
  placeholder?: string | (() => string);
}

/** The case-study extensions; call with no options on the server. */
export function caseStudyExtensions(options: CaseStudyExtensionOptions = {}): Extensions {
  const extensions: Extensions = [
    richTextStarterKit(),
    Table.configure({ resizable: false, HTMLAttributes: { class: "cs-table" } }),
    TableRow,
    TableHeader,
    TableCell,
    Image.configure({ inline: false, allowBase64: false, HTMLAttributes: { loading: "lazy", decoding: "async" } }),
  ];
  if (options.placeholder !== undefined) {
    const { placeholder } = options;
    extensions.push(Placeholder.configure({ placeholder: typeof placeholder === "function" ? () => placeholder() : placeholder }));
  }
  return extensions;
}
