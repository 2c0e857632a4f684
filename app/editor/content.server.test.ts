import type { JSONContent } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { AppError } from "~/utils/errors";
import { REPLY_MAX_LENGTH } from "~/utils/limits";
import {
  extractMentionIds,
  MAX_CONTENT_JSON_LENGTH,
  parseReplyContent,
  quoteDoc,
  relabelMentions,
  renderReplyHtml,
  renderReplyHtmlWithTiptap,
  validateDoc,
} from "./content.server";
import { dropDisallowedLinks } from "./doc-utils";
import { isAllowedEditorUri, isAllowedHref } from "./rules";

const text = (t: string, marks?: JSONContent["marks"]): JSONContent => (marks ? { type: "text", text: t, marks } : { type: "text", text: t });
const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const doc = (...content: JSONContent[]): JSONContent => ({ type: "doc", content });
const link = (href: string, attrs: Record<string, unknown> = {}) => ({ type: "link", attrs: { href, ...attrs } });
const mention = (id: string, label: string): JSONContent => ({ type: "mention", attrs: { id, label } });

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}
const codeOf = (input: Parameters<typeof parseReplyContent>[0]) => errorOf(() => parseReplyContent(input)).code;

describe("parseReplyContent: plain text (no JavaScript)", () => {
  it("converts the textarea's text with textToDoc", () => {
    const parsed = parseReplyContent({ body: "Hello\r\nthere\r\n\r\nSecond" });
    expect(parsed.content).toEqual(doc(p(text("Hello"), { type: "hardBreak" }, text("there")), p(text("Second"))));
    expect(parsed.text).toBe("Hello\nthere\n\nSecond");
    expect(parsed.mentionIds).toEqual([]);
  });

  it("refuses empty and over-long text", () => {
    expect(codeOf({ body: "  \n\n " })).toBe("reply_empty");
    expect(codeOf({})).toBe("reply_empty");
    expect(codeOf({ body: "x".repeat(REPLY_MAX_LENGTH + 1) })).toBe("reply_too_long");
    expect(parseReplyContent({ body: "x".repeat(REPLY_MAX_LENGTH) }).text.length).toBe(REPLY_MAX_LENGTH);
  });

  it("uses the body when the content field is empty", () => {
    expect(parseReplyContent({ content: "", body: "fallback" }).text).toBe("fallback");
  });
});

describe("parseReplyContent: ProseMirror JSON", () => {
  const rich = doc(
    { type: "heading", attrs: { level: 2 }, content: [text("Shanxi")] },
    p(text("See "), text("this", [link("https://example.org/a?b=1"), { type: "bold" }]), text(", "), mention("m_1", "Dana Li")),
    { type: "bulletList", content: [{ type: "listItem", content: [p(text("one"))] }] },
    { type: "blockquote", content: [p(text("quoted"))] },
    { type: "codeBlock", attrs: { language: "ts" }, content: [text("let a = 1;")] },
    p(text("mail", [link("mailto:someone@example.org")]), text(" "), text("x", [{ type: "code" }])),
    { type: "paragraph" },
  );

  it("accepts a JSON string or an object, and normalises it", () => {
    const fromString = parseReplyContent({ content: JSON.stringify(rich) });
    const fromObject = parseReplyContent({ content: rich, body: "ignored" });
    expect(fromObject).toEqual(fromString);
    // The trailing empty paragraph the editor keeps is dropped; link attributes are the site's.
    expect(fromString.content.content).toHaveLength(6);
    const marks = fromString.content.content![1]!.content![1]!.marks!;
    expect(marks.find((m) => m.type === "link")!.attrs).toEqual({
      href: "https://example.org/a?b=1",
      target: null,
      rel: "nofollow noopener ugc",
      class: null,
      title: null,
    });
    expect(fromString.text).toBe("Shanxi\n\nSee this, @Dana Li\n\n- one\n\nquoted\n\nlet a = 1;\n\nmail x");
    expect(fromString.mentionIds).toEqual(["m_1"]);
  });

  it("is idempotent: the normalised document validates to itself", () => {
    const once = parseReplyContent({ content: rich }).content;
    expect(validateDoc(once)).toEqual(once);
  });

  it("returns distinct mention ids; a mention alone is not empty", () => {
    const parsed = parseReplyContent({ content: doc(p(mention("a1", "A"), text(" "), mention("b2", "B"), mention("a1", "A"))) });
    expect(parsed.mentionIds).toEqual(["a1", "b2"]);
    expect(parseReplyContent({ content: doc(p(mention("a1", "A"))) }).mentionIds).toEqual(["a1"]);
  });

  it("refuses empty documents", () => {
    expect(codeOf({ content: doc({ type: "paragraph" }) })).toBe("reply_empty");
    expect(codeOf({ content: doc(p(text("   ")), p({ type: "hardBreak" })) })).toBe("reply_empty");
    expect(codeOf({ content: { type: "doc", content: [] } })).toBe("reply_empty");
  });

  it("refuses documents over 200,000 JSON characters and text over the reply limit", () => {
    const huge = JSON.stringify(doc(p(text("x".repeat(MAX_CONTENT_JSON_LENGTH)))));
    expect(codeOf({ content: huge })).toBe("reply_too_long");
    expect(codeOf({ content: JSON.parse(huge) })).toBe("reply_too_long");
    const paragraphs = Array.from({ length: 3 }, () => p(text("y".repeat(7000))));
    expect(codeOf({ content: doc(...paragraphs) })).toBe("reply_too_long");
  });

  it("refuses what is not a document", () => {
    for (const content of ["{not json", "42", "[]", "null", 42, true, ["doc"], { type: "paragraph", content: [text("x")] }]) {
      expect(codeOf({ content }), JSON.stringify(content)).toBe("reply_invalid");
    }
  });

  it("refuses unknown nodes, marks, attributes and keys", () => {
    const cases: unknown[] = [
      doc({ type: "image", attrs: { src: "https://example.org/x.png" } }),
      doc(p(text("x", [{ type: "highlight" }]))),
      doc({ type: "paragraph", attrs: { onclick: "alert(1)" }, content: [text("x")] }),
      doc(p(text("x", [{ type: "bold", attrs: { style: "color:red" } }]))),
      doc({ type: "paragraph", content: [text("x")], html: "<b>x</b>" } as JSONContent),
      doc(p({ type: "text", text: "x", marks: [{ type: "bold", html: "<b>" }] } as unknown as JSONContent)),
      doc(p(mention("m1", "A")), { type: "mention", attrs: { id: "m1", label: "A", extra: 1 } }),
      { type: "doc", content: [p(text("x"))], attrs: { title: "t" } },
      doc(p({ type: "text", text: 5 } as unknown as JSONContent)),
      doc(p({ type: "text", text: "x", content: [] } as unknown as JSONContent)),
      doc({ type: "paragraph", text: "x" } as JSONContent),
      doc(p(text("x", [link("https://a.example", { onmouseover: "x" })]))),
    ];
    for (const content of cases) expect(codeOf({ content }), JSON.stringify(content)).toBe("reply_invalid");
  });

  it("refuses content the schema does not allow", () => {
    const cases: JSONContent[] = [
      doc({ type: "listItem", content: [p(text("x"))] }),
      doc(text("bare text in doc")),
      doc({ type: "bulletList", content: [p(text("not an item"))] }),
      doc({ type: "codeBlock", content: [text("x", [{ type: "bold" }])] }),
      doc(p({ type: "hardBreak", content: [text("x")] })),
      doc(p(p(text("nested paragraph")))),
    ];
    for (const content of cases) expect(codeOf({ content }), JSON.stringify(content)).toBe("reply_invalid");
  });

  it("checks attribute values: heading levels 2–4, list start, code language, mentions", () => {
    const heading = (level: unknown) => doc({ type: "heading", attrs: { level }, content: [text("H")] } as JSONContent);
    expect(codeOf({ content: heading(1) })).toBe("reply_invalid");
    expect(codeOf({ content: heading(5) })).toBe("reply_invalid");
    expect(codeOf({ content: heading("2") })).toBe("reply_invalid");
    expect(codeOf({ content: doc({ type: "heading", content: [text("H")] }) })).toBe("reply_invalid");
    for (const level of [2, 3, 4]) expect(parseReplyContent({ content: heading(level) }).text).toBe("H");

    const list = (attrs: Record<string, unknown>) =>
      doc({ type: "orderedList", attrs, content: [{ type: "listItem", content: [p(text("x"))] }] });
    expect(codeOf({ content: list({ start: -1 }) })).toBe("reply_invalid");
    expect(codeOf({ content: list({ start: 1.5 }) })).toBe("reply_invalid");
    expect(codeOf({ content: list({ type: "disc; color: red" }) })).toBe("reply_invalid");
    expect(parseReplyContent({ content: list({ start: 7 }) }).text).toBe("7. x");

    expect(codeOf({ content: doc({ type: "codeBlock", attrs: { language: 'x" onclick="y' }, content: [text("x")] }) })).toBe("reply_invalid");
    expect(codeOf({ content: doc({ type: "codeBlock", attrs: { language: { a: 1 } }, content: [text("x")] } as unknown as JSONContent) })).toBe("reply_invalid");

    expect(codeOf({ content: doc(p(mention("../admin", "A"))) })).toBe("reply_invalid");
    expect(codeOf({ content: doc(p({ type: "mention", attrs: { id: "abc" } })) })).toBe("reply_invalid");
    expect(codeOf({ content: doc(p({ type: "mention", attrs: { id: "abc", label: "  " } })) })).toBe("reply_invalid");
    expect(codeOf({ content: doc(p({ type: "mention", attrs: { id: "abc", label: "A", mentionSuggestionChar: "#" } })) })).toBe("reply_invalid");
  });

  it("allows only http, https and mailto links", () => {
    const withHref = (href: string) => doc(p(text("link", [link(href)])));
    for (const href of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      " javascript:alert(1)",
      "\u0001javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "ftp://example.org/",
      "/relative/path",
      "//evil.example/",
      "example.org",
      "#top",
      "https://",
      "",
      `https://example.org/${"a".repeat(3000)}`,
    ]) {
      expect(codeOf({ content: withHref(href) }), href).toBe("link_not_allowed");
    }
    expect(codeOf({ content: doc(p(text("x", [{ type: "link", attrs: {} }]))) })).toBe("link_not_allowed");
    for (const href of ["https://example.org/path?q=1#f", "http://example.org", "HTTPS://EXAMPLE.ORG", "mailto:a@example.org"]) {
      expect(parseReplyContent({ content: withHref(href) }).text, href).toBe("link");
    }
  });

  it("refuses links that set their own target, rel or class", () => {
    expect(codeOf({ content: doc(p(text("x", [link("https://a.example", { target: "_blank" })]))) })).toBe("reply_invalid");
    expect(codeOf({ content: doc(p(text("x", [link("https://a.example", { rel: "opener" })]))) })).toBe("reply_invalid");
    expect(codeOf({ content: doc(p(text("x", [link("https://a.example", { class: "button" })]))) })).toBe("reply_invalid");
    // What the editor itself sends is fine.
    const editorLink = link("https://a.example", { target: null, rel: "nofollow noopener ugc", class: null, title: null });
    expect(parseReplyContent({ content: doc(p(text("x", [editorLink]))) }).text).toBe("x");
  });

  it("cleans strings PostgreSQL's jsonb refuses (NUL, lone surrogates) and drops empty text nodes", () => {
    const parsed = parseReplyContent({ content: doc(p(text("a\u0000b"), text("\ud800c"), text(""), text("\u0000"))) });
    expect(parsed.content).toEqual(doc(p(text("ab\ufffdc"))));
  });

  it("refuses very deep nesting without overflowing the stack", () => {
    let node: JSONContent = p(text("deep"));
    for (let i = 0; i < 5000; i++) node = { type: "blockquote", content: [node] };
    expect(codeOf({ content: doc(node) })).toBe("reply_invalid");
  });

  it("throws AppErrors for the content field with status 400", () => {
    const error = errorOf(() => parseReplyContent({ content: doc(p(text("x", [link("javascript:x")]))) }));
    expect(error.field).toBe("content");
    expect(error.status).toBe(400);
    expect(errorOf(() => parseReplyContent({ content: "{" })).status).toBe(400);
  });
});

describe("renderReplyHtml", () => {
  it("renders the editor's formatting, with safe links", () => {
    const { content } = parseReplyContent({
      content: doc(
        { type: "heading", attrs: { level: 3 }, content: [text("Title")] },
        p(text("a "), text("b", [{ type: "bold" }]), text(" "), text("c", [{ type: "italic" }]), text(" "), text("site", [link("https://example.org/?a=1&b=2")])),
        p(mention("m_1", "Dana")),
        { type: "orderedList", content: [{ type: "listItem", content: [p(text("one"))] }] },
        { type: "blockquote", content: [p(text("q"))] },
        { type: "codeBlock", content: [text("x < y")] },
      ),
    });
    const html = renderReplyHtml(content);
    expect(html).toContain("<h3>Title</h3>");
    expect(html).toContain("<strong>b</strong>");
    expect(html).toContain("<em>c</em>");
    expect(html).toContain('<a rel="nofollow noopener ugc" href="https://example.org/?a=1&amp;b=2">site</a>');
    expect(html).not.toContain("target=");
    expect(html).toMatch(/<a [^>]*class="mention"[^>]*href="\/members\/m_1"[^>]*>@Dana<\/a>/);
    expect(html).toContain("<ol><li><p>one</p></li></ol>");
    expect(html).toContain("<blockquote><p>q</p></blockquote>");
    expect(html).toContain("<pre><code>x &lt; y</code></pre>");
  });

  it("renders a document once and gives an edited document its own HTML (cache keyed by the JSON)", () => {
    const first = parseReplyContent({ body: `cached ${Math.random()}` }).content;
    const again = JSON.parse(JSON.stringify(first));
    expect(renderReplyHtml(again)).toBe(renderReplyHtml(first));
    const edited = parseReplyContent({ body: `${first.content![0].content![0].text} edited` }).content;
    expect(renderReplyHtml(edited)).toContain("edited</p>");
    expect(renderReplyHtml(first)).not.toContain("edited");
    // A tampered document is still rendered as escaped text, cached or not.
    const tampered = doc(p(text("x", [{ type: "link", attrs: { href: "javascript:alert(1)" } }])));
    expect(renderReplyHtml(tampered)).toBe(renderReplyHtml(JSON.parse(JSON.stringify(tampered))));
    expect(renderReplyHtml(tampered)).not.toContain("javascript:");
  });

  it("escapes text: a <script> typed in a reply stays text", () => {
    const { content } = parseReplyContent({ body: '<script>alert("x")</script> <img src=x onerror=alert(1)> & "' });
    const html = renderReplyHtml(content);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("never outputs a dangerous link or attribute, even from a tampered stored document", () => {
    const tampered = [
      doc(p(text("x", [{ type: "link", attrs: { href: "javascript:alert(1)" } }]))),
      doc(p(text("x", [{ type: "link", attrs: { href: "https://a.example", target: "_blank", rel: "opener", class: "x" } }]))),
      doc({ type: "paragraph", attrs: { onclick: "alert(1)", style: "x" }, content: [text("x")] }),
      doc(p({ type: "mention", attrs: { id: 'x" onmouseover="alert(1)', label: "<b>x</b>" } })),
      doc({ type: "script", content: [text("alert(1)")] }),
      doc({ type: "codeBlock", attrs: { language: '"><script>alert(1)</script>' }, content: [text("x")] }),
      { type: "doc", content: "<script>alert(1)</script>" },
      "<script>alert(1)</script>",
      null,
    ];
    for (const content of tampered) {
      const html = renderReplyHtml(content);
      expect(html, JSON.stringify(content)).not.toMatch(/javascript:|<script|onclick|onmouseover=|style=|target=|opener|class="x"/i);
    }
    // A tampered document falls back to its text, escaped.
    expect(renderReplyHtml(doc(p({ type: "mention", attrs: { id: "bad id", label: "<b>x</b>" } })))).toBe("<p>@&#60;b&#62;x&#60;/b&#62;</p>");
  });

  it("produces the same HTML as generateHTML from @tiptap/html/server", () => {
    const { content } = parseReplyContent({
      content: doc(
        p(text("Hello "), text("world", [{ type: "bold" }, link("https://example.org")]), { type: "hardBreak" }, text("二"), mention("u1", "张伟")),
        { type: "bulletList", content: [{ type: "listItem", content: [p(text("a")), { type: "orderedList", attrs: { start: 2 }, content: [{ type: "listItem", content: [p(text("b"))] }] }] }] },
        { type: "heading", attrs: { level: 4 }, content: [text("h", [{ type: "code" }])] },
        { type: "horizontalRule" },
        { type: "blockquote", content: [p(text("q", [{ type: "strike" }, { type: "underline" }]))] },
      ),
    });
    expect(renderReplyHtml(content)).toBe(renderReplyHtmlWithTiptap(content));
  });

  it("renders the documents the migration produced from plain text", () => {
    expect(renderReplyHtml(doc(p(text("a"), { type: "hardBreak" }, text("b")), p(text("c"))))).toBe("<p>a<br>b</p><p>c</p>");
    expect(renderReplyHtml(doc({ type: "paragraph" }))).toBe("<p></p>");
  });
});

describe("quoteDoc, extractMentionIds, relabelMentions, dropDisallowedLinks", () => {
  const quoted = doc(
    { type: "blockquote", content: [p(text("older quote"))] },
    p(text("I agree with "), mention("m_2", "Bo")),
    { type: "paragraph" },
    { type: "bulletList", content: [{ type: "listItem", content: [p(text("point"))] }] },
  );

  it("builds a block quote with the author's name first, without nested quotes or live mentions", () => {
    const quote = quoteDoc({ authorName: "Dana Li", replyId: "r1", content: quoted });
    expect(quote).toEqual({
      type: "blockquote",
      content: [
        p(text("Dana Li", [{ type: "bold" }]), text(" wrote:")),
        p(text("I agree with "), text("@Bo")),
        { type: "bulletList", content: [{ type: "listItem", content: [p(text("point"))] }] },
      ],
    });
    expect(extractMentionIds(quote)).toEqual([]);
    const reply = parseReplyContent({ content: doc(quote, p(text("Me too"))) });
    expect(reply.text).toBe("Dana Li wrote:\n\nI agree with @Bo\n\n- point\n\nMe too");
    expect(reply.mentionIds).toEqual([]);
  });

  it("takes a translated attribution", () => {
    const quote = quoteDoc({ authorName: "张伟", content: quoted, attribution: "张伟 写道:" });
    expect(quote.content![0]).toEqual(p(text("张伟", [{ type: "bold" }]), text(" 写道:")));
    expect(quoteDoc({ authorName: "A", content: doc(), attribution: "Quote" }).content).toEqual([p(text("Quote"))]);
  });

  it("relabels mentions with current names and turns unknown ones into text", () => {
    const relabelled = relabelMentions(doc(p(mention("a1", "Spoofed Admin"), text(" "), mention("zz", "Ghost"))), { a1: "Real Name" });
    expect(relabelled).toEqual(doc(p(mention("a1", "Real Name"), text(" "), text("@Ghost"))));
    expect(extractMentionIds(relabelled)).toEqual(["a1"]);
    expect(relabelMentions(doc(p(mention("a1", "x"))), new Map([["a1", "Map Name"]]))).toEqual(doc(p(mention("a1", "Map Name"))));
  });

  it("drops links the server would refuse, keeping their text", () => {
    const cleaned = dropDisallowedLinks(doc(p(text("a", [link("/relative"), { type: "bold" }]), text("b", [link("https://ok.example")]))));
    expect(cleaned).toEqual(doc(p(text("a", [{ type: "bold" }]), text("b", [link("https://ok.example")]))));
  });
});

describe("link rules", () => {
  it("isAllowedHref is strict; isAllowedEditorUri lets bare hosts through for the autolinker", () => {
    expect(isAllowedHref("https://example.org")).toBe(true);
    expect(isAllowedHref("example.org")).toBe(false);
    expect(isAllowedEditorUri("example.org")).toBe(true);
    expect(isAllowedEditorUri("name@example.org")).toBe(true);
    for (const bad of ["javascript:x", "java\nscript:x", " data:x", "/path", "//host", "#x", "?q", "", undefined]) {
      expect(isAllowedEditorUri(bad), String(bad)).toBe(false);
    }
  });
});
