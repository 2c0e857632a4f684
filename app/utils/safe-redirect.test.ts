import { describe, expect, it } from "vitest";
import { HOSTILE_REDIRECTS } from "../../tests/helpers/hostile-redirects";
import { safeRedirectPath } from "./safe-redirect";


describe("safeRedirectPath", () => {
  it.each(HOSTILE_REDIRECTS.map((value) => [JSON.stringify(value).slice(0, 60), value]))("refuses %s", (_label, value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });

  it("has at least 30 hostile forms in its table", () => {
    expect(HOSTILE_REDIRECTS.length).toBeGreaterThanOrEqual(30);
  });

  it.each([
    ["/", "/"],
    ["/threads/abc", "/threads/abc"],
    ["/threads/abc?after=3#post-4", "/threads/abc?after=3#post-4"],
    ["/search?q=%E8%83%BD%E6%BA%90", "/search?q=%E8%83%BD%E6%BA%90"],
    ["/search?q=能源", "/search?q=%E8%83%BD%E6%BA%90"],
    ["/search?q=1%2F2", "/search?q=1%2F2"],
    ["/notes/x/../y", "/notes/y"],
    ["/members?region=shanxi&country=CN", "/members?region=shanxi&country=CN"],
  ])("keeps the same-site path %s", (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
  });

  it("refuses what is not a string and uses the given fallback", () => {
    expect(safeRedirectPath(null)).toBe("/");
    expect(safeRedirectPath(undefined)).toBe("/");
    expect(safeRedirectPath(42)).toBe("/");
    expect(safeRedirectPath(["/a"])).toBe("/");
    expect(safeRedirectPath("//evil.example", "/settings")).toBe("/settings");
  });
});
