import type { JSONContent } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { contentDisposition } from "~/http/attachment.server";
import { noteDocFromJson, noteMarkdown, pairedHtml, pairedMarkdown, singleHtml, slugify, splitSections } from "./note-export.server";

type Mark = { type: string; attrs?: Record<string, unknown> };
const text = (value: string, ...marks: Mark[]): JSONContent => ({ type: "text", text: value, ...(marks.length ? { marks } : {}) });
const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const h = (level: number, value: string): JSONContent => ({ type: "heading", attrs: { level }, content: [text(value)] });
const doc = (...content: JSONContent[]): JSONContent => ({ type: "doc", content });

describe("note export conversion", () => {
  it("keeps only safe links, normalised, and escapes text that looks like HTML or Markdown", () => {
    const node = noteDocFromJson(
      doc(
        p(
          text("<script>alert(1)</script> *not bold* "),
          text("bad", { type: "link", attrs: { href: "javascript:alert(1)" } }),
          text(" "),
          text("spaced", { type: "link", attrs: { href: "https://example.org/a b" } }),
          text(" odd", { type: "sparkle" }),
        ),
      ),
    );
    expect(noteMarkdown(node)).toBe("\\<script\\>alert(1)\\</script\\> \\*not bold\\* bad [spaced](https://example.org/a%20b) odd\n");
    const html = singleHtml({ id: "n1", language: "en", title: "A <b> title", doc: node });
    expect(html).toContain("<title>A &#60;b&#62; title</title>");
    expect(html).toContain("<p>&lt;script&gt;alert(1)&lt;/script&gt; *not bold* bad <a");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('href="https://example.org/a%20b"');
  });

  it("clamps attributes and drops the trailing empty paragraph", () => {
    const node = noteDocFromJson(
      doc({ type: "heading", attrs: { level: "9" }, content: [text("Deep")] }, { type: "orderedList", attrs: { start: -4 }, content: [{ type: "listItem", content: [p(text("one"))] }] }, { type: "paragraph" }),
    );
    expect(noteMarkdown(node)).toBe("###### Deep\n\n1. one\n");
  });

  it("exports a document that does not fit the schema as its text rather than failing", () => {
    const node = noteDocFromJson(doc({ type: "listItem", content: [p(text("stray item"))] }, p(text("after"))));
    expect(noteMarkdown(node)).toContain("stray item");
    expect(noteMarkdown(node)).toContain("after");
  });

  it("splits sections before each top-level heading, keeping what precedes the first", () => {
    const node = noteDocFromJson(doc(p(text("intro")), h(1, "A"), p(text("a")), { type: "blockquote", content: [h(2, "inner")] }, h(2, "B")));
    expect(splitSections(node).map((s) => s.map((n) => n.textContent).join("|"))).toEqual(["intro", "A|a|inner", "B"]);
  });

  it("pairs uneven versions, leaving the missing side's cell empty", () => {
    const en = { id: "e", language: "en" as const, title: "Plan", doc: noteDocFromJson(doc(h(1, "Plan"), h(2, "One"), h(2, "Two"))) };
    const zh = { id: "z", language: "zh" as const, title: "计划", doc: noteDocFromJson(doc(h(1, "计划"), h(2, "一"))) };
    const html = pairedHtml(en, zh, "en");
    expect(html).toContain('<div class="row" data-section="3"><section class="col col-en" lang="en" data-section="3"><h2>Two</h2></section><section class="col col-zh" lang="zh-CN" data-section="3"></section></div>');
    const md = pairedMarkdown(en, zh);
    expect(md).toContain("<!-- section 2 · 中文 -->\n\n## 一\n\n<!-- section 3 · English -->\n\n## Two\n");
    expect(md).not.toContain("section 3 · 中文");
  });
});

describe("export file names", () => {
  it("slugifies titles in any script", () => {
    expect(slugify("Just Transition: Plan (2026)!")).toBe("just-transition-plan-2026");
    expect(slugify("煤炭地区 公正转型")).toBe("煤炭地区-公正转型");
    expect(slugify("  ***  ")).toBe("note");
    expect([...slugify("长".repeat(200))]).toHaveLength(80);
  });

  it("sends an ASCII fallback and an RFC 8187 UTF-8 name (RFC 6266)", () => {
    expect(contentDisposition("煤炭-plan.md", "note")).toBe(`attachment; filename="plan.md"; filename*=UTF-8''%E7%85%A4%E7%82%AD-plan.md`);
    expect(contentDisposition("煤炭.html", "note")).toBe(`attachment; filename="note.html"; filename*=UTF-8''%E7%85%A4%E7%82%AD.html`);
    expect(contentDisposition("it's(1)*.md", "note")).toBe(`attachment; filename="it-s-1.md"; filename*=UTF-8''it%27s%281%29%2A.md`);
  });
});
