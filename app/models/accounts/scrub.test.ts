import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DELETED_MEMBER_LABEL } from "~/utils/deleted-member";
import { namePattern, scrubDoc, scrubJson, scrubText } from "./scrub";

const p = (...content: object[]) => ({ type: "paragraph", content });
const text = (t: string, marks?: object[]) => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const doc = (...content: object[]) => ({ type: "doc", content });

describe("namePattern and scrubText", () => {
  const pattern = namePattern(["Dana Li", "Li Dana", "李丹娜", "", "L"]);

  it("replaces whole names in any letter case, and Chinese names as written", () => {
    expect(scrubText("Thanks, Dana Li! And dana li again.", pattern)).toBe("Thanks, Deleted member! And Deleted member again.");
    expect(scrubText("感谢李丹娜的数据。", pattern)).toBe("感谢已删除的成员的数据。");
  });

  it("picks each occurrence's language from its neighbours", () => {
    expect(scrubText("Thank you Dana Li and 谢谢李丹娜!", pattern)).toBe("Thank you Deleted member and 谢谢已删除的成员!");
    expect(scrubText("Dana Li", pattern, "Dana Li 写道:")).toBe("已删除的成员");
  });

  it("leaves longer words and other names alone", () => {
    expect(scrubText("Dana Lithium and Li Danakov", pattern)).toBe("Dana Lithium and Li Danakov");
    expect(namePattern(["L", " "])).toBeNull();
  });
});

describe("scrubDoc", () => {
  it("turns mentions of the member into text and names in quotes into the label of the block's language", () => {
    const quote = { type: "blockquote", content: [p(text("Dana Li", [{ type: "bold" }]), text(" wrote:")), p(text("pilot results"))] };
    const zh = p(text("同意 "), { type: "mention", attrs: { id: "u1", label: "Dana Li" } }, text(" 的看法"));
    const other = p({ type: "mention", attrs: { id: "u2", label: "Bo" } });
    const { doc: scrubbed, changed } = scrubDoc(doc(quote, zh, other), "u1", namePattern(["Dana Li"]));
    expect(changed).toBe(true);
    expect(scrubbed).toEqual(
      doc(
        { type: "blockquote", content: [p(text("Deleted member", [{ type: "bold" }]), text(" wrote:")), p(text("pilot results"))] },
        p(text("同意 "), text("@已删除的成员"), text(" 的看法")),
        other,
      ),
    );
  });

  it("reports no change when the name is absent", () => {
    const original = doc(p(text("nothing here")));
    expect(scrubDoc(original, "u1", namePattern(["Dana Li"]))).toEqual({ doc: original, changed: false });
  });
});

describe("scrubJson", () => {
  it("replaces names in nested strings only", () => {
    expect(scrubJson({ title: "Dana Li's pilot", n: 3, list: ["Dana Li"] }, namePattern(["Dana Li"]))).toEqual({ title: "Deleted member's pilot", n: 3, list: ["Deleted member"] });
  });
});

it("uses the same labels as the locale files", () => {
  for (const lang of ["en", "zh"] as const) {
    const file = JSON.parse(readFileSync(path.join(__dirname, "../../../public/locales", lang, "common.json"), "utf8"));
    expect(file.members.deleted).toBe(DELETED_MEMBER_LABEL[lang]);
  }
});
