/**
 * What a newcomer met in the browser: the header on a phone, a Chinese 404 page that hydrates
 * without errors, the flag menu that confirms and closes, and a day a moderator picks that is
 * shown back to them as the same day in their own time zone.
 */
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";

/** Errors the page itself reports (hydration mismatches are React errors #418/#423/#425). */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error" && /React|hydrat/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}

test("on a phone the header is one row and its menu opens, navigates and closes, in Chinese", async ({ browser, createMember }) => {
  const member = await createMember({ displayName: "Phone Reader", locale: "zh" });
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  try {
    const page = await context.newPage();
    await signIn(page, member);
    const header = page.locator(".site-header");
    const box = await header.boundingBox();
    expect(box!.height).toBeLessThan(80);
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeHidden();
    await page.getByTestId("site-menu").locator("summary").click();
    const nav = page.getByRole("navigation", { name: "主导航" });
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: "笔记" }).click();
    await expect(page).toHaveURL(/\/notes$/);
    await expect(nav).toBeHidden();
  } finally {
    await context.close();
  }
});

test("a 404 in Chinese is a page of the site, and hydrates without errors", async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto("/");
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const response = await page.goto("/this/page/does/not/exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "找不到页面" })).toBeVisible();
  await expect(page).toHaveTitle("找不到页面 · 煤炭地区网络");
  await expect(page.locator(".site-header")).toContainText("煤炭地区网络");
  await page.getByRole("link", { name: "搜索网络内容" }).click();
  await expect(page).toHaveURL(/\/search$/);
  expect(errors).toEqual([]);
});

test("flagging a reply confirms, closes the menu, and cannot be sent twice from the page", async ({ browser, createMember, createThread, db }) => {
  const [author, reader] = await Promise.all([createMember({ displayName: "Loud Poster" }), createMember({ displayName: "Careful Reader" })]);
  const threadId = await createThread("Flag me");
  await db.reply.create({
    data: { id: `r${Date.now().toString(36)}flag`, threadId, authorId: author.id, postNumber: 1, content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Buy cheap coal now!" }] }] }, text: "Buy cheap coal now!" },
  });
  await db.thread.update({ where: { id: threadId }, data: { lastPostNumber: 1, replyCount: 1 } });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, reader);
    await page.goto(`/threads/${threadId}`);
    const reply = page.getByTestId("reply").first();
    await reply.locator("summary", { hasText: "Flag" }).click();
    const form = reply.getByTestId("flag-form");
    await expect(form).toBeVisible();
    await form.getByLabel("Spam").check();
    await form.getByRole("button", { name: "Flag" }).click();
    await expect(reply.getByTestId("flag-done")).toHaveText("Thank you. Moderators will look at this reply.");
    await expect(form).toHaveCount(0);
    expect(await db.flag.count({ where: { flaggerId: reader.id, reason: "spam" } })).toBe(1);
  } finally {
    await context.close();
  }
});

for (const { zone, shown } of [
  { zone: "America/Chicago", shown: /Jan 15, 2027, 12:00\sAM/ },
  { zone: "Asia/Shanghai", shown: /Jan 15, 2027, 12:00\sAM/ },
]) {
  test(`a moderator in ${zone} suspends until 15 January and sees 15 January`, async ({ browser, createMember, db }) => {
    const [moderator, member] = await Promise.all([createMember({ role: "moderator" }), createMember({ displayName: `Suspended in ${zone}` })]);
    const context = await browser.newContext({ timezoneId: zone });
    try {
      const page = await context.newPage();
      await signIn(page, moderator);
      await page.goto(`/members/${member.id}`);
      const form = page.getByTestId("suspend-form");
      await form.locator('input[name="until"]').fill("2027-01-15");
      await form.locator('input[name="reason"]').fill("Cooling off");
      await form.getByRole("button", { name: "Suspend" }).click();
      await expect(page.getByTestId("suspended-notice")).toContainText(shown);
      const stored = (await db.user.findUniqueOrThrow({ where: { id: member.id } })).suspendedUntil!;
      expect(new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(stored)).toBe("2027-01-15");
    } finally {
      await context.close();
    }
  });
}
