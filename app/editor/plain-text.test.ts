import { describe, expect, it } from "vitest";
import { docToText, textToDoc } from "./plain-text";

const p = (...content: object[]) => ({ type: "paragraph", content });
const text = (t: string) => ({ type: "text", text: t });
const br = { type: "hardBreak" };

describe("textToDoc (same rule as the migration's SQL)", () => {
  it("splits paragraphs on blank lines and turns single newlines into hard breaks", () => {
    expect(textToDoc("First line\nsecond line\n\nNext paragraph")).toEqual({
      type: "doc",
      content: [p(text("First line"), br, text("second line")), p(text("Next paragraph"))],
    });
  });

  it("treats lines of spaces or tabs as blank, drops \\r, trims the whole text", () => {
    expect(textToDoc("  \r\n a\r\n \t\r\nb\n\n")).toEqual({ type: "doc", content: [p(text("a")), p(text("b"))] });
  });

  it("drops whitespace-only paragraphs from runs of blank lines, keeps inner spaces", () => {
    expect(textToDoc("a\n\n\n\n\nb  c")).toEqual({ type: "doc", content: [p(text("a")), p(text("b  c"))] });
    // Three newlines: the third stays at the paragraph's start and is trimmed (btrim(p, '\n')).
    expect(textToDoc("a\n\n\nb")).toEqual({ type: "doc", content: [p(text("a")), p(text("b"))] });
  });

  it("keeps an empty line inside a paragraph as two hard breaks", () => {
    // "a\n\u00a0\nb": NBSP is not a blank-line character for the SQL either.
    expect(textToDoc("a\n\u00a0\nb")).toEqual({ type: "doc", content: [p(text("a"), br, text("\u00a0"), br, text("b"))] });
  });

  it("gives one empty paragraph for empty text", () => {
    expect(textToDoc("")).toEqual({ type: "doc", content: [{ type: "paragraph" }] });
    expect(textToDoc(" \n\n \t ")).toEqual({ type: "doc", content: [{ type: "paragraph" }] });
  });

  it("keeps Chinese text as is", () => {
    expect(textToDoc("山西的经验\n第二行\n\n内蒙古")).toEqual({
      type: "doc",
      content: [p(text("山西的经验"), br, text("第二行")), p(text("内蒙古"))],
    });
  });
});

describe("docToText", () => {
  it("round-trips plain paragraphs and hard breaks", () => {
    const original = "One\ntwo\n\nThree 三";
    expect(docToText(textToDoc(original))).toBe(original);
  });

  it("writes mentions as @label, lists on their own lines, blank lines between blocks", () => {
    const doc = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [text("Title")] },
        p(text("Hi "), { type: "mention", attrs: { id: "u1", label: "Dana Li" } }, text("!")),
        { type: "bulletList", content: [
          { type: "listItem", content: [p(text("one")), { type: "bulletList", content: [{ type: "listItem", content: [p(text("nested"))] }] }] },
          { type: "listItem", content: [p(text("two"))] },
        ] },
        { type: "orderedList", attrs: { start: 3 }, content: [
          { type: "listItem", content: [p(text("three"))] },
          { type: "listItem", content: [p(text("four"))] },
        ] },
        { type: "blockquote", content: [p(text("quoted"))] },
        { type: "codeBlock", content: [text("let x = 1;\nx++;")] },
        { type: "horizontalRule" },
        { type: "paragraph" },
        p(text("end")),
      ],
    };
    expect(docToText(doc)).toBe(
      "Title\n\nHi @Dana Li!\n\n- one\n  - nested\n- two\n\n3. three\n4. four\n\nquoted\n\nlet x = 1;\nx++;\n\nend",
    );
    expect(docToText(doc, { omitQuotes: true })).not.toContain("quoted");
  });

  it("falls back to the id for a mention without label and tolerates junk", () => {
    expect(docToText({ type: "doc", content: [p({ type: "mention", attrs: { id: "abc" } })] })).toBe("@abc");
    expect(docToText(null)).toBe("");
    expect(docToText({ type: "doc", content: [null as never, { type: "paragraph", content: "x" as never }] })).toBe("");
  });
});
