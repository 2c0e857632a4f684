/**
 * Tokenising, query parsing and highlighting: the pure parts of search, with no database.
 */
import { describe, expect, it } from "vitest";
import { detectLanguages, highlight, indexTokens, MAX_PAGE, parseQuery, searchParamsFrom, snippet, tokenString } from "./search.server";

describe("indexTokens", () => {
  it("keeps the segmenter's Chinese words and adds every character bigram of a Han run", () => {
    const tokens = indexTokens("煤炭地区的能源转型");
    expect(tokens).toEqual(expect.arrayContaining(["能源", "转型", "煤炭", "地区"]));
    // bigrams across word boundaries too, so any two-character word is found
    expect(tokens).toEqual(expect.arrayContaining(["区的", "的能", "源转"]));
  });

  it("splits a mixed English/Chinese title into both parts, Latin lower-cased", () => {
    const tokens = indexTokens("Shanxi能源转型 Case Study");
    expect(tokens).toEqual(expect.arrayContaining(["shanxi", "能源", "转型", "case", "study"]));
  });

  it("splits words on punctuation the same way a query does", () => {
    expect(tokenString("can't co-operate, U.S. 2024年")).toBe("can t co operate u s 2024 年");
  });

  it("folds full-width Latin letters and digits", () => {
    expect(indexTokens("ＣＣＵＳ　２０３０")).toEqual(["ccus", "2030"]);
  });

  it("keeps no tsquery or tsvector syntax characters", () => {
    expect(tokenString("a&b|c!d(e):*f<g>h'i\\j")).toBe("a b c d e f g h i j");
  });
});

describe("parseQuery", () => {
  it("matches Latin words as prefixes and joins terms with AND", () => {
    expect(parseQuery("Coal transit")).toEqual({ tsquery: "coal:* & transit:*", terms: ["coal", "transit"] });
  });

  it("matches a two-character Chinese word through its bigram", () => {
    expect(parseQuery("能源").tsquery).toBe("能源");
    expect(parseQuery("转型").tsquery).toBe("转型");
  });

  it("matches a longer Chinese word through all its bigrams", () => {
    expect(parseQuery("多元化").tsquery).toBe("多元 & 元化");
  });

  it("mixes scripts", () => {
    const { tsquery, terms } = parseQuery("Shanxi 能源");
    expect(tsquery).toBe("shanxi:* & 能源");
    expect(terms).toEqual(expect.arrayContaining(["shanxi", "能源"]));
  });

  it("lets no operator or quote through, whatever the input", () => {
    for (const q of ["a & b", "x | y", "!foo", "(bar)", "baz:*", "'quoted'", "back\\slash", "<-> phrase", "foo:A"]) {
      const { tsquery } = parseQuery(q);
      expect(tsquery ?? "").toMatch(/^[\p{L}\p{M}\p{N}]+(:\*)?( & [\p{L}\p{M}\p{N}]+(:\*)?)*$|^$/u);
    }
  });

  it("finds nothing to search in punctuation only", () => {
    expect(parseQuery("!!! ... ——，。？")).toEqual({ tsquery: null, terms: [] });
    expect(parseQuery("   ")).toEqual({ tsquery: null, terms: [] });
  });

  it("matches a lone Chinese character as the prefix of a bigram", () => {
    expect(parseQuery("煤")).toEqual({ tsquery: "煤:*", terms: ["煤"] });
    expect(parseQuery("能 transition").tsquery).toBe("能:* & transition:*");
  });

  it("does not expand a one-letter word as a prefix", () => {
    expect(parseQuery("a coal").tsquery).toBe("a & coal:*");
  });

  it("caps a very long query", () => {
    const { tsquery } = parseQuery(Array.from({ length: 400 }, (_, i) => `word${i}`).join(" "));
    expect(tsquery!.split(" & ").length).toBeLessThanOrEqual(24);
  });
});

describe("highlight", () => {
  it("marks every match case-insensitively and escapes the rest", () => {
    expect(highlight("Coal <b>and</b> COAL & coalition", ["coal"])).toBe(
      "<mark>Coal</mark> &lt;b&gt;and&lt;/b&gt; <mark>COAL</mark> &amp; <mark>coal</mark>ition",
    );
  });

  it("escapes text inside a match", () => {
    expect(highlight(`say "<x>"`, ["<x>"])).toBe("say &quot;<mark>&lt;x&gt;</mark>&quot;");
  });

  it("marks Chinese words, the longest first", () => {
    expect(highlight("山西能源转型", ["能源", "能源转型"])).toBe("山西<mark>能源转型</mark>");
  });

  it("treats regular-expression characters in terms as text", () => {
    expect(highlight("a.b (c) [d]", ["(c)", "."])).toBe("a<mark>.</mark>b <mark>(c)</mark> [d]");
  });

  it("escapes without terms", () => {
    expect(highlight("<script>", [])).toBe("&lt;script&gt;");
  });
});

describe("snippet", () => {
  it("centres on the first match and shows where text was cut", () => {
    const body = `${"lorem ".repeat(100)}hydrogen hub ${"ipsum ".repeat(100)}`;
    const piece = snippet(body, ["hydrogen"]);
    expect(piece.startsWith("… ")).toBe(true);
    expect(piece.endsWith(" …")).toBe(true);
    expect(piece).toContain("hydrogen hub");
  });

  it("does not split a surrogate pair", () => {
    const piece = snippet("𠀀".repeat(300), ["x"], 11);
    expect(piece).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe("searchParamsFrom", () => {
  it("drops unknown values and clamps the page instead of failing", () => {
    const params = searchParamsFrom(new URLSearchParams("q=%20coal%20%20mine%20&type=poem&country=FR&language=de&region=Bad%20Slug&page=9999"));
    expect(params).toEqual({ q: "coal mine", type: undefined, region: undefined, country: undefined, language: undefined, page: MAX_PAGE });
  });

  it("keeps valid filters", () => {
    const params = searchParamsFrom(new URLSearchParams("q=能源&type=case_study&region=shanxi&country=CN&language=zh&page=2"));
    expect(params).toEqual({ q: "能源", type: "case_study", region: "shanxi", country: "CN", language: "zh", page: 2 });
  });

  it("cuts a very long query", () => {
    expect(searchParamsFrom(new URLSearchParams({ q: "x".repeat(5000) })).q.length).toBe(200);
  });
});

describe("detectLanguages", () => {
  it("names the script a text is written in", () => {
    expect(detectLanguages("Coal")).toEqual(["en"]);
    expect(detectLanguages("煤炭")).toEqual(["zh"]);
    expect(detectLanguages("12345 !!")).toEqual(["en"]);
  });

  it("gives both languages to a bilingual title", () => {
    expect(detectLanguages("Climate Finance and Subnational Approaches / 美国和中国的气候融资与煤炭产区")).toEqual(["en", "zh"]);
    expect(detectLanguages("Coal 煤炭")).toEqual(["en", "zh"]);
  });

  it("does not call a Chinese reply English for an acronym, a name or a link in it", () => {
    expect(detectLanguages("我们讨论了CCUS技术在山西的应用前景，以及West Virginia的经验。详见 https://example.org/a-long-english-path-name")).toEqual(["zh"]);
    expect(detectLanguages("The 晋中 pilot closed two mines and retrained most of the workers in the county")).toEqual(["en"]);
  });
});

describe("snippet", () => {
  it("cuts only between whole characters, wherever the match falls", () => {
    const unit = "能源转型 👩‍👩‍👧‍👦 e\u0301 🇨🇳 煤炭 ";
    const body = unit.repeat(40);
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|^\u0301|\u200D$|^\u200D/;
    for (let width = 7; width < 60; width += 5) {
      for (const term of ["煤炭", "能源", "e"]) {
        const out = snippet(body, [term], width).replace(/^… |  …$| …$/g, "");
        expect(lone.test(out)).toBe(false);
        expect(body.includes(out)).toBe(true);
      }
    }
  });
});
