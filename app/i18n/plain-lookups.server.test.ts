import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";
import { i18nConfig, resources } from "./config";
import { memoisePlainLookups } from "./plain-lookups.server";

async function instance(lng: "en" | "zh", memoised: boolean) {
  const i18n = createInstance();
  await i18n.init({ ...i18nConfig, resources, lng });
  if (memoised) memoisePlainLookups(i18n);
  return i18n;
}

describe("memoisePlainLookups", () => {
  for (const lng of ["en", "zh"] as const) {
    it(`gives what i18next gives, in ${lng}, for plain lookups and lookups with options`, async () => {
      const plain = (await instance(lng, false)).getFixedT(lng);
      const i18n = await instance(lng, true);
      const t = i18n.getFixedT(lng);
      for (const key of ["nav.switchLanguage", "thread.lockedNotice", "home.title", "no.such.key"]) {
        expect(t(key)).toBe(plain(key));
        // The second lookup comes from the memo and is still the same string.
        expect(i18n.getFixedT(lng)(key)).toBe(plain(key));
      }
      expect(t("home.title")).toBe(lng === "en" ? "U.S.-China: Coal Regions and the Energy Transition" : plain("home.title"));
      // Options are never memoised: each lookup with options is its own.
      expect(t("home.title", { defaultValue: "x" })).toBe(plain("home.title", { defaultValue: "x" }));
      expect(t("no.such.key", { defaultValue: "first" })).toBe("first");
      expect(t("no.such.key", { defaultValue: "second" })).toBe("second");
      expect((t as unknown as { lng: string }).lng).toBe(lng);
    });
  }

  for (const lng of ["en", "zh"] as const) {
    it(`remembers lookups with plain options (interpolation, plurals) without mixing them up, in ${lng}`, async () => {
      const plain = (await instance(lng, false)).getFixedT(lng);
      const t = (await instance(lng, true)).getFixedT(lng);
      for (let round = 0; round < 2; round++) {
        for (const count of [1, 2, 7]) expect(t("thread.replyCount", { count })).toBe(plain("thread.replyCount", { count }));
        for (const language of ["English", "中文"]) expect(t("translation.translate", { language })).toBe(plain("translation.translate", { language }));
        // A number and the same digits as a string are different options.
        expect(t("attribution.participant", { number: 3 })).toBe(plain("attribution.participant", { number: 3 }));
        expect(t("attribution.participant", { number: "3" })).toBe(plain("attribution.participant", { number: "3" }));
        expect(t("reply.replyingTo", { name: "A & B", number: 4 })).toBe(plain("reply.replyingTo", { name: "A & B", number: 4 }));
      }
      expect(t("thread.replyCount", { count: 1 })).not.toBe(t("thread.replyCount", { count: 2 }));
      // Options that are not plain values go through i18next every time, and give what it gives.
      const name = { toString: () => "Wang Li" };
      expect(t("caseStudies.by", { name })).toBe(plain("caseStudies.by", { name }));
      expect(t("caseStudies.by", "fallback")).toBe(plain("caseStudies.by", "fallback"));
    });
  }

  it("keeps key prefixes apart", async () => {
    const i18n = await instance("en", true);
    const nav = i18n.getFixedT("en", null, "nav");
    const home = i18n.getFixedT("en", null, "home");
    expect(nav("switchLanguage")).toBe(i18n.getFixedT("en")("nav.switchLanguage"));
    expect(home("title")).toBe(i18n.getFixedT("en")("home.title"));
    expect(home("title")).not.toBe(nav("title"));
  });
});
