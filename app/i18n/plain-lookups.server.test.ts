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

  it("keeps key prefixes apart", async () => {
    const i18n = await instance("en", true);
    const nav = i18n.getFixedT("en", null, "nav");
    const home = i18n.getFixedT("en", null, "home");
    expect(nav("switchLanguage")).toBe(i18n.getFixedT("en")("nav.switchLanguage"));
    expect(home("title")).toBe(i18n.getFixedT("en")("home.title"));
    expect(home("title")).not.toBe(nav("title"));
  });
});
