/**
 * The Tiptap extension list for case-study bodies, shared by the server (validation in
 * case-study-content.server.ts, HTML rendering) and the browser (CaseStudyEditor), so the schema
 * the server checks is exactly the one the editor produces — the approach of `replyExtensions()`.
 *
 * Everything replies allow except @mentions, plus tables (header row, rows, cells; no column
 * resizing, so no widths are stored) and block images whose `src` is one of our own uploads
 * (`/uploads/<id>`), each with alt text and an optional caption; no other image source, no
 * data: URLs.
 */
import { mergeAttributes, type Extensions } from "@tiptap/core";
import Image from "@tiptap/extension-image";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import { Placeholder } from "@tiptap/extensions";
import { richTextStarterKit } from "./extensions";
import { PasteFromOffice } from "./paste-office";

/** An image source the case-study body may use: one of our uploads. */
export const UPLOAD_SRC_PATTERN = /^\/uploads\/[a-z0-9]{10,40}$/;

export function isUploadSrc(src: unknown): src is string {
  return typeof src === "string" && UPLOAD_SRC_PATTERN.test(src);
}

/** Longest alt text or caption of an image, in characters. */
export const IMAGE_TEXT_MAX = 500;

/**
 * A block image with a text alternative (`alt`, read to people who cannot see it: WCAG 2.2
 * success criterion 1.1.1) and an optional visible caption, stored as node attributes and shown
 * as `<figure><img alt><figcaption>`. Only `alt` and `caption` are edited in the editor's image
 * panel; the caption is not editable inline, so it cannot take marks or links.
 */
export const CaseStudyImage = Image.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      alt: { default: "", parseHTML: (element) => element.getAttribute("alt") ?? "" },
      caption: {
        default: null,
        parseHTML: (element) => element.closest("figure")?.querySelector("figcaption")?.textContent?.trim() || null,
        renderHTML: () => ({}),
      },
    };
  },
  parseHTML() {
    return [{ tag: "figure img[src]" }, { tag: "img[src]" }];
  },
  renderHTML({ node, HTMLAttributes }) {
    const img = ["img", mergeAttributes(this.options.HTMLAttributes, HTMLAttributes, { alt: node.attrs.alt ?? "" })] as const;
    const caption = typeof node.attrs.caption === "string" && node.attrs.caption ? node.attrs.caption : null;
    return caption ? ["figure", { class: "cs-figure" }, img, ["figcaption", {}, caption]] : ["figure", { class: "cs-figure" }, img];
  },
});

export interface CaseStudyExtensionOptions {
  /** Placeholder shown in the empty editor (browser only). */
  placeholder?: string | (() => string);
}

/** The case-study extensions; call with no options on the server. */
export function caseStudyExtensions(options: CaseStudyExtensionOptions = {}): Extensions {
  const extensions: Extensions = [
    richTextStarterKit(),
    PasteFromOffice,
    Table.configure({ resizable: false, HTMLAttributes: { class: "cs-table" } }),
    TableRow,
    TableHeader,
    TableCell,
    CaseStudyImage.configure({ inline: false, allowBase64: false, HTMLAttributes: { loading: "lazy", decoding: "async" } }),
  ];
  if (options.placeholder !== undefined) {
    const { placeholder } = options;
    extensions.push(Placeholder.configure({ placeholder: typeof placeholder === "function" ? () => placeholder() : placeholder }));
  }
  return extensions;
}
