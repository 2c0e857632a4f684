/**
 * Exporting a policy note as Markdown or as a standalone HTML page (docs/decisions/012-note-export.md).
 *
 * The note's body is its Yjs document (note-docs.server.ts). It is read as ProseMirror JSON
 * (`yXmlFragmentToProsemirrorJSON` of the `default` fragment), cleaned (only schema-known
 * nodes and marks; links only http, https and mailto; attributes clamped), and turned into a
 * ProseMirror node of the note editor's schema (StarterKit, as RichNoteEditor.client.tsx
 * configures it). From that node:
 * - Markdown comes from prosemirror-markdown's MarkdownSerializer, given serialisers for
 *   Tiptap's node and mark names (it ships them for prosemirror-schema-basic's names);
 * - HTML comes from ProseMirror's DOMSerializer with the same schema (serializeDocHtml), so
 *   text is escaped by the DOM, never concatenated.
 *
 * A note with a linked translation the actor can read is exported with it, side by side: both
 * documents are split into sections at their top-level headings and section i of the English
 * note faces section i of the Chinese one (HTML: one grid row per section, English left; Markdown:
 * the English section, then its Chinese counterpart, each after an HTML comment naming it).
 */
import type { JSONContent } from "@tiptap/core";
import { Node as PMNode, type Schema } from "@tiptap/pm/model";
import { NOTE_FIELD, noteSchema } from "~/editor/note-schema";
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import type { Locale } from "@prisma/client";
import { MarkdownSerializer, defaultMarkdownSerializer, type MarkdownSerializerState } from "prosemirror-markdown";
import { prisma } from "~/db.server";
import { escapeHtml, serializeDocHtml } from "~/editor/content.server";
import { docToText, textToDoc } from "~/editor/plain-text";
import { isAllowedHref, LINK_REL } from "~/editor/rules";
import type { Actor } from "~/policy.server";
import { AppError } from "~/utils/errors";
import { loadNoteDoc } from "./note-docs.server";
import { assertNote, readableTranslation } from "./notes.server";

export type ExportFormat = "md" | "html";

/** The note editor's schema (app/editor/note-schema.ts). */
const schema: Schema = noteSchema();

/** One exported version: its language, title and document (a node of `schema`). */
export interface ExportedVersion {
  id: string;
  language: Locale;
  title: string;
  doc: PMNode;
}

/** What an export route sends: a body, its media type and the attachment's file name. */
export interface NoteExportFile {
  body: string;
  contentType: string;
  /** `<slugified title>.<ext>`; may contain any Unicode letter (see app/http/attachment.server.ts). */
  filename: string;
  /** Languages in the file, in order (one, or "en" then "zh"). */
  languages: Locale[];
}

export interface ExportOptions {
  noteId: string;
  format: ExportFormat;
  /** Only this note, even when a translation is linked. */
  single: boolean;
  /** The footer line of the HTML page, already translated (e.g. "Exported from … on …"). */
  footer?: string;
}

/**
 * Exports the note (and, unless `single`, its linked translation when the actor can read it).
 *
 * @throws AppError unauthenticated | suspended | not_found (not a member, or no such note)
 */
export async function exportNote(actor: Actor | null, options: ExportOptions): Promise<NoteExportFile> {
  await assertNote(actor, options.noteId, "note.read");
  const note = await prisma.note.findUnique({ where: { id: options.noteId }, select: { id: true, title: true, language: true, translationId: true } });
  if (!note) throw new AppError("not_found");
  const self = await loadVersion(note);
  const partnerRef = options.single ? null : await readableTranslation(actor, note.translationId);
  const partner = partnerRef && partnerRef.language !== note.language ? await loadVersion(partnerRef) : null;
  const versions = partner ? (self.language === "en" ? [self, partner] : [partner, self]) : [self];

  const ext = options.format;
  const filename = `${slugify(note.title)}.${ext}`;
  const languages = versions.map((v) => v.language);
  if (options.format === "md") {
    const body = versions.length === 2 ? pairedMarkdown(versions[0]!, versions[1]!) : noteMarkdown(self.doc);
    return { body, contentType: "text/markdown; charset=utf-8", filename, languages };
  }
  const body = versions.length === 2 ? pairedHtml(versions[0]!, versions[1]!, self.language, options.footer) : singleHtml(self, options.footer);
  return { body, contentType: "text/html; charset=utf-8", filename, languages };
}

/**
 * The note's current text as HTML (the note schema, cleaned as for export): what the note page
 * shows before its editor has loaded, and without JavaScript. The caller has checked that the
 * actor may read the note.
 */
export async function noteBodyHtml(note: { id: string; title: string; language: Locale }): Promise<string> {
  return serializeDocHtml(schema, (await loadVersion(note)).doc);
}

/**
 * The note's current text as Markdown, for a member's data export (the caller has checked that
 * the member may read the note).
 */
export async function noteBodyMarkdown(note: { id: string; title: string; language: Locale }): Promise<string> {
  return noteMarkdown((await loadVersion(note)).doc);
}

/** Reads the note's current document from PostgreSQL into a node of the note schema. */
async function loadVersion(note: { id: string; title: string; language: Locale }): Promise<ExportedVersion> {
  const ydoc = await loadNoteDoc(note.id);
  try {
    const json = yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(NOTE_FIELD)) as JSONContent;
    return { id: note.id, language: note.language, title: note.title, doc: noteDocFromJson(json) };
  } finally {
    ydoc.destroy();
  }
}

// --- Cleaning ------------------------------------------------------------------------------------

const CODE_LANGUAGE = /^[A-Za-z0-9_+#.-]{1,32}$/;
const SIMPLE_MARKS = new Set(["bold", "italic", "strike", "code", "underline"]);

/**
 * ProseMirror JSON (as the Yjs binding produces it) → a checked node of the note schema.
 * Unknown marks are dropped, links keep only an allowed absolute href (http, https, mailto;
 * else the text stays, unlinked), heading levels are clamped to 1–6, list starts to ≥ 1, code
 * languages to a safe token. A document that still does not fit the schema (only a forged
 * update could make one) is exported as its plain text, never failing the export.
 */
export function noteDocFromJson(json: JSONContent): PMNode {
  try {
    const node = PMNode.fromJSON(schema, cleanNode(json));
    node.check();
    return node;
  } catch {
    return PMNode.fromJSON(schema, textToDoc(docToText(json) || ""));
  }
}

function cleanNode(node: JSONContent): JSONContent {
  const out: JSONContent = { type: node.type };
  if (node.type === "text") {
    out.text = typeof node.text === "string" ? node.text.replace(/\u0000/g, "") : "";
    const marks = (node.marks ?? []).flatMap((mark) => {
      if (SIMPLE_MARKS.has(mark.type)) return [{ type: mark.type }];
      const href = mark.attrs?.href;
      // The URL as a browser reads it (spaces and the like percent-encoded), so Markdown keeps it whole.
      if (mark.type === "link" && isAllowedHref(href)) return [{ type: "link", attrs: { href: new URL(href).href, target: null, rel: LINK_REL, class: null } }];
      return [];
    });
    if (marks.length) out.marks = marks;
    return out;
  }
  const attrs = node.attrs ?? {};
  if (node.type === "heading") out.attrs = { level: Math.min(6, Math.max(1, Math.trunc(Number(attrs.level)) || 1)) };
  if (node.type === "orderedList") out.attrs = { start: Math.max(1, Math.trunc(Number(attrs.start)) || 1), type: null };
  if (node.type === "codeBlock") out.attrs = { language: typeof attrs.language === "string" && CODE_LANGUAGE.test(attrs.language) ? attrs.language : null };
  if (node.content) out.content = node.content.filter((child) => child.type !== "text" || (child.text ?? "") !== "").map(cleanNode);
  // The editor keeps an empty paragraph at the end to type into; an export does not need it.
  if (node.type === "doc") while (out.content && out.content.length > 1 && isEmptyParagraph(out.content[out.content.length - 1]!)) out.content.pop();
  return out;
}

function isEmptyParagraph(node: JSONContent): boolean {
  return node.type === "paragraph" && !(node.content ?? []).length;
}

// --- Sections ------------------------------------------------------------------------------------

/**
 * The document's top-level nodes split before every top-level heading: section 0 is whatever
 * precedes the first heading (nothing, for a note that starts with its title heading), each
 * later section one heading and the blocks up to the next. Sections are what side-by-side
 * exports align. Empty sections (no node) are dropped, so a note with a title heading first
 * yields [title section, section 2, …].
 */
export function splitSections(doc: PMNode): PMNode[][] {
  const sections: PMNode[][] = [[]];
  doc.forEach((child) => {
    if (child.type.name === "heading") sections.push([]);
    sections[sections.length - 1]!.push(child);
  });
  return sections.filter((s) => s.length > 0);
}

function docOf(nodes: PMNode[]): PMNode {
  return schema.topNodeType.create(null, nodes);
}

// --- Markdown ------------------------------------------------------------------------------------

const basic = defaultMarkdownSerializer.nodes;

/** prosemirror-markdown's CommonMark serialisers, under Tiptap's node and mark names. */
const markdown = new MarkdownSerializer(
  {
    doc: (state, node) => state.renderContent(node),
    paragraph: basic.paragraph!,
    text: basic.text!,
    blockquote: basic.blockquote!,
    horizontalRule: (state, node) => {
      state.write("---");
      state.closeBlock(node);
    },
    heading: (state, node) => {
      state.write(`${state.repeat("#", Number(node.attrs.level) || 1)} `);
      state.renderInline(node, false);
      state.closeBlock(node);
    },
    bulletList: (state, node) => state.renderList(node, "  ", () => "- "),
    orderedList: (state, node) => {
      const start = Number(node.attrs.start) || 1;
      const width = String(start + node.childCount - 1).length;
      state.renderList(node, state.repeat(" ", width + 2), (i) => {
        const n = String(start + i);
        return `${state.repeat(" ", width - n.length)}${n}. `;
      });
    },
    listItem: (state, node) => state.renderContent(node),
    codeBlock: (state, node) => {
      const runs = node.textContent.match(/`{3,}/gm);
      const fence = runs ? `${runs.sort().slice(-1)[0]}\`` : "```";
      state.write(`${fence}${(node.attrs.language as string | null) ?? ""}\n`);
      state.text(node.textContent, false);
      state.write("\n");
      state.write(fence);
      state.closeBlock(node);
    },
    hardBreak: (state: MarkdownSerializerState, node, parent, index) => {
      // A backslash line break, unless only breaks follow (Markdown cannot end a block with one).
      for (let i = index + 1; i < parent.childCount; i += 1) {
        if (parent.child(i).type !== node.type) {
          state.write("\\\n");
          return;
        }
      }
    },
  },
  {
    bold: defaultMarkdownSerializer.marks.strong!,
    italic: defaultMarkdownSerializer.marks.em!,
    code: defaultMarkdownSerializer.marks.code!,
    link: defaultMarkdownSerializer.marks.link!,
    strike: { open: "~~", close: "~~", mixable: true, expelEnclosingWhitespace: true },
    // CommonMark has no underline: keep it as inline HTML rather than lose it.
    underline: { open: "<u>", close: "</u>", mixable: true, expelEnclosingWhitespace: true },
  },
  // Escape "<" and ">" in text too, so text never becomes raw HTML in a Markdown renderer.
  // (`tightLists` is read by renderList but missing from the published option type.)
  { hardBreakNodeName: "hardBreak", tightLists: true, escapeExtraCharacters: /[<>]/g } as ConstructorParameters<typeof MarkdownSerializer>[2],
);

/** The document as CommonMark (+ GFM strikethrough), ending with one newline. */
export function noteMarkdown(doc: PMNode): string {
  const text = markdown.serialize(doc).trim();
  return text ? `${text}\n` : "";
}

const LANGUAGE_NAME: Record<Locale, string> = { en: "English", zh: "中文" };

/**
 * Two versions as one Markdown file: for each section index, the English section then the
 * Chinese one, each introduced by an HTML comment (`<!-- section 2 · English -->`), which
 * Markdown renderers do not show. A section missing on one side is simply absent.
 */
export function pairedMarkdown(en: ExportedVersion, zh: ExportedVersion): string {
  const left = splitSections(en.doc);
  const right = splitSections(zh.doc);
  const parts = [`<!-- ${mdComment(en.title)} (English) · ${mdComment(zh.title)} (中文): sections paired in order -->`];
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    for (const [version, sections] of [[en, left], [zh, right]] as const) {
      const section = sections[i];
      if (!section) continue;
      parts.push(`<!-- section ${i + 1} · ${LANGUAGE_NAME[version.language]} -->`, noteMarkdown(docOf(section)).trimEnd());
    }
  }
  return `${parts.join("\n\n")}\n`;
}

/** Text safe inside an HTML comment (no "--", no ">"). */
function mdComment(text: string): string {
  return text.replace(/-{2,}/g, "-").replace(/[<>]/g, "");
}

// --- HTML ----------------------------------------------------------------------------------------

/** BCP 47 tags the pages use (root.tsx says zh-CN for Simplified Chinese). */
const HTML_LANG: Record<Locale, string> = { en: "en", zh: "zh-CN" };

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; padding: 2rem 1.5rem 3rem; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: var(--ink); background: #fff; }
main { max-width: 46rem; margin: 0 auto; }
main.pair { max-width: 90rem; display: grid; grid-template-columns: 1fr 1fr; column-gap: 2.5rem; }
.pair > .row { display: contents; }
.pair .head { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); border-bottom: 2px solid var(--rule); padding-bottom: .25rem; }
.pair section { border-top: 1px solid var(--rule); padding: .5rem 0 1rem; min-width: 0; }
.pair .row:nth-child(2) section { border-top: 0; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.2em 0 .4em; }
h1 { font-size: 1.9rem; } h2 { font-size: 1.45rem; } h3 { font-size: 1.2rem; }
p, ul, ol, blockquote, pre { margin: 0 0 .9em; }
li > p { margin: 0 0 .25em; }
li > ul, li > ol { margin-bottom: .25em; }
a { color: var(--accent); }
blockquote { border-left: 4px solid var(--rule); padding: 0 1em; color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; background: #f3f4f6; padding: .1em .3em; border-radius: 4px; }
pre { background: #f6f8fa; padding: .8em 1em; border-radius: 6px; overflow-x: auto; }
pre code { background: none; padding: 0; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 1.5em 0; }
footer { max-width: 90rem; margin: 2.5rem auto 0; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
@media (max-width: 48rem) { main.pair { grid-template-columns: 1fr; } .pair .head { display: none; } }
@media print { body { padding: 0; } a { color: inherit; } }
`;

function page(lang: Locale, title: string, main: string, footer: string | undefined): string {
  return [
    "<!DOCTYPE html>",
    `<html lang="${HTML_LANG[lang]}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // The file may be opened from disk or forwarded: it runs nothing and loads nothing.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="generator" content="Coal Regions Network">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    main,
    footer ? `<footer>${escapeHtml(footer)}</footer>` : "",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** One version as a standalone UTF-8 page whose `<html lang>` is the note's language. */
export function singleHtml(version: ExportedVersion, footer?: string): string {
  return page(version.language, version.title, `<main class="single" data-note-id="${escapeHtml(version.id)}">\n${serializeDocHtml(schema, version.doc)}\n</main>`, footer);
}

/**
 * Two versions side by side: a grid with English on the left and Chinese on the right, one row
 * per section index (section i faces section i; a missing one leaves its cell empty). Each cell
 * carries its own `lang`; the page's `lang` is that of the note exported (`pageLang`).
 */
export function pairedHtml(en: ExportedVersion, zh: ExportedVersion, pageLang: Locale, footer?: string): string {
  const left = splitSections(en.doc);
  const right = splitSections(zh.doc);
  const cell = (version: ExportedVersion, nodes: PMNode[] | undefined, i: number) =>
    `<section class="col col-${version.language}" lang="${HTML_LANG[version.language]}" data-section="${i + 1}">${nodes ? serializeDocHtml(schema, docOf(nodes)) : ""}</section>`;
  const rows = [
    `<div class="row"><div class="head" lang="en">${LANGUAGE_NAME.en}</div><div class="head" lang="zh-CN">${LANGUAGE_NAME.zh}</div></div>`,
  ];
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    rows.push(`<div class="row" data-section="${i + 1}">${cell(en, left[i], i)}${cell(zh, right[i], i)}</div>`);
  }
  const title = `${en.title} / ${zh.title}`;
  return page(pageLang, title, `<main class="pair" data-note-ids="${escapeHtml(`${en.id} ${zh.id}`)}">\n${rows.join("\n")}\n</main>`, footer);
}

// --- File names ------------------------------------------------------------------------------------

/**
 * A file-name slug of a title: Unicode letters and digits kept (Chinese too), lower-cased, every
 * other run of characters one "-", at most 80 characters; "note" when nothing is left.
 */
export function slugify(title: string): string {
  const slug = [...title.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "")].slice(0, 80).join("");
  return slug.replace(/-+$/, "") || "note";
}
