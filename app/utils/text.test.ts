import { describe, expect, it } from "vitest";
import { cutAtGrapheme, ELLIPSIS, sliceAtGraphemes, truncate } from "./text";

/** Emoji with skin tones and ZWJ families, flags, CJK (BMP and a supplementary-plane character), combining marks. */
const SAMPLES = [
  "👩‍👩‍👧‍👦 家庭 👍🏽 能源转型 🇨🇳🇺🇸 e\u0301te\u0301 𠀋𠀌 😀😀 Gillette, WY ☕️",
  "煤炭地区的公正转型需要政策、资金和社区的共同努力。😊 A just transition needs 👷🏿‍♀️ workers.",
  "ก่อนหน้านี้ Ǹ̷̢͉ọ̵̜͑ḯ̶͍s̴͚̾ȇ̸̙ 🏳️‍🌈🏴‍☠️",
];

const boundaries = (text: string) => {
  const set = new Set<number>([0]);
  for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) set.add(index + segment.length);
  return set;
};
const hasLoneSurrogate = (text: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe("cutAtGrapheme", () => {
  for (const [n, text] of SAMPLES.entries()) {
    it(`cuts sample ${n + 1} only on grapheme boundaries, at every length`, () => {
      const cuts = boundaries(text);
      for (let max = 0; max <= text.length + 2; max++) {
        const cut = cutAtGrapheme(text, max);
        expect(text.startsWith(cut)).toBe(true);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cuts.has(cut.length)).toBe(true);
        expect(hasLoneSurrogate(cut)).toBe(false);
        // The longest such prefix: the next boundary lies beyond max.
        const next = [...cuts].filter((b) => b > cut.length).sort((a, b) => a - b)[0];
        if (next !== undefined) expect(next).toBeGreaterThan(max);
      }
    });
  }
});

describe("truncate", () => {
  it("leaves text that fits alone", () => {
    expect(truncate("能源转型", 4)).toBe("能源转型");
  });

  it("adds an ellipsis within the limit, after a whole character", () => {
    for (const text of SAMPLES) {
      const cuts = boundaries(text);
      for (let max = 1; max < text.length; max++) {
        const out = truncate(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out.endsWith(ELLIPSIS)).toBe(true);
        const kept = out.slice(0, -1);
        expect(text.startsWith(kept)).toBe(true);
        expect(cuts.has(kept.length)).toBe(true);
        expect(hasLoneSurrogate(out)).toBe(false);
      }
    }
  });

  it("never splits a flag or a family", () => {
    expect(truncate("🇨🇳🇺🇸", 4)).toBe("…");
    expect(truncate("🇨🇳🇺🇸x", 5)).toBe("🇨🇳…");
    expect(truncate("👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 11)).toBe("…");
    expect(truncate("👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 12)).toBe("👩‍👩‍👧‍👦…");
  });
});

describe("sliceAtGraphemes", () => {
  it("moves both ends inwards to grapheme boundaries", () => {
    for (const text of SAMPLES) {
      const cuts = boundaries(text);
      for (let start = 0; start < text.length; start += 3) {
        for (const width of [5, 11, 30]) {
          const piece = sliceAtGraphemes(text, start, start + width);
          expect(cuts.has(piece.start)).toBe(true);
          if (piece.text === "") continue;
          expect(cuts.has(piece.end)).toBe(true);
          expect(piece.start).toBeGreaterThanOrEqual(start);
          expect(piece.end).toBeLessThanOrEqual(Math.min(text.length, start + width));
          expect(piece.text).toBe(text.slice(piece.start, piece.end));
          expect(hasLoneSurrogate(piece.text)).toBe(false);
        }
      }
    }
  });
});
