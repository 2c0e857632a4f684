import { getSchema } from "@tiptap/core";
import { DOMParser as PMDOMParser } from "@tiptap/pm/model";
import { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { replyExtensions } from "./extensions";
import { PLAIN_MARKERS, WORD, WPS } from "../../tests/fixtures/office-clipboard";
import { rebuildOfficeLists } from "./paste-office";

const window = new Window();
const parser = new window.DOMParser() as unknown as DOMParser;

/** What the reply editor makes of the pasted HTML: the document's outline as nested arrays. */
function outline(html: string): unknown {
  const schema = getSchema(replyExtensions());
  const dom = parser.parseFromString(`<body>${html}</body>`, "text/html").body;
  const doc = PMDOMParser.fromSchema(schema).parse(dom as unknown as Node);
  const walk = (node: import("@tiptap/pm/model").Node): unknown => {
    if (node.type.name === "paragraph") return node.textContent;
    if (node.type.name === "bulletList" || node.type.name === "orderedList") return { [node.type.name]: node.content.content.map(walk) };
    if (node.type.name === "listItem") {
      const parts = node.content.content.map(walk);
      return parts.length === 1 ? parts[0] : parts;
    }
    return node.content.content.map(walk);
  };
  return walk(doc);
}

describe("rebuildOfficeLists", () => {
  it("turns Word's bulleted and numbered list paragraphs into nested lists", () => {
    expect(outline(rebuildOfficeLists(WORD, parser))).toEqual([
      { bulletList: [["Retrain miners", { bulletList: ["Wind turbine maintenance", "Solar installation"] }], "Diversify the tax base"] },
      "Then the plan:",
      { orderedList: ["Survey the workforce", "Fund the college"] },
    ]);
  });

  it("keeps the formatting inside an item", () => {
    expect(rebuildOfficeLists(WORD, parser)).toMatch(/<li><p>(?:(?!<\/p>).)*Retrain <b>miners<\/b><\/span><\/p>/);
  });

  it("turns WPS's Chinese numbered list with a bulleted sub-list into nested lists", () => {
    expect(outline(rebuildOfficeLists(WPS, parser))).toEqual([
      { orderedList: [["开展职业培训", { bulletList: ["风电运维"] }], "吸引新产业"] },
    ]);
  });

  it("strips plain-text markers when there is no mso-list:Ignore span", () => {
    expect(outline(rebuildOfficeLists(PLAIN_MARKERS, parser))).toEqual([{ orderedList: ["Close the mine", "Reclaim the land"] }]);
  });

  it("leaves HTML without Office lists (Google Docs, the web) exactly as it was", () => {
    const docs = `<meta charset="utf-8"><b id="docs-internal-guid-1"><ul><li dir="ltr"><p dir="ltr"><span>Item</span></p></li></ul></b>`;
    expect(rebuildOfficeLists(docs, parser)).toBe(docs);
    expect(rebuildOfficeLists("<p>1. Not a list, just a sentence.</p>", parser)).toBe("<p>1. Not a list, just a sentence.</p>");
  });

  it("without the fix, Word's list would paste as paragraphs starting with a bullet", () => {
    expect(outline(WORD)).toEqual(expect.arrayContaining([expect.stringMatching(/^·\s+Retrain miners$/)]));
  });
});
