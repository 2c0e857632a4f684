/**
 * Not a check: full-page screenshots of the main pages for a person to look at, taken only when
 * E2E_SCREENSHOTS names a directory, e.g. `E2E_SCREENSHOTS=/tmp/shots npx playwright test screenshots`.
 */
import path from "node:path";
import type { Page } from "@playwright/test";
import { textToDoc } from "~/editor/plain-text";
import { expect, signIn, test, waitUntilLive } from "./support/fixtures";

const dir = process.env.E2E_SCREENSHOTS;

test.skip(!dir, "set E2E_SCREENSHOTS=<directory> to take screenshots");

/** A full-page screenshot; a tall narrow page is also cut into viewport-sized parts, easier to read. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(dir!, `${name}.png`), fullPage: true });
  const viewport = page.viewportSize()!;
  if (viewport.width >= 800) return;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0, part = 1; y < height; y += viewport.height, part++) {
    const clip = { x: 0, y, width: viewport.width, height: Math.min(viewport.height, height - y) };
    await page.screenshot({ path: path.join(dir!, "parts", `${name}-${part}.png`), fullPage: true, clip });
  }
}

for (const viewport of [
  { name: "desktop", width: 1280, height: 900 },
  { name: "mobile", width: 390, height: 844 },
]) {
  test(`main pages, ${viewport.name}`, async ({ browser, createMember, createThread, db }) => {
    const context = await browser.newContext({ viewport, locale: "en-US", timezoneId: "America/New_York" });
    const page = await context.newPage();
    const suffix = viewport.name === "desktop" ? "" : `-${viewport.name}`;

    await page.goto("/signin");
    await shot(page, `signin${suffix}`);

    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await shot(page, `home-en${suffix}`);

    await page.getByTestId("dialogue-title").first().click();
    await expect(page.getByTestId("dialogue-heading")).toBeVisible();
    await shot(page, `dialogue-en${suffix}`);

    const member = await createMember({ displayName: "Li Wei 李伟" });
    const other = await createMember({ displayName: "Jordan Casper" });
    const threadId = await createThread("Screenshots: workforce transition in Gillette and Datong");
    const now = Date.now();
    const bodies = [
      [other.id, "Campbell County's community college retrained 300 miners as wind technicians last year.\n\nThe hard part was keeping wages comparable."],
      [member.id, "大同的经验是先把矿区土地用于光伏，再配套职业培训。\n\n地方财政压力仍然很大。"],
      [other.id, "A very long unbroken token to check wrapping: https://example.org/reports/just-transition/2024/wyoming-shanxi-exchange/appendix-b-workforce-retraining-outcomes-and-wage-comparisons.pdf"],
    ] as const;
    for (const [i, [authorId, body]] of bodies.entries()) {
      await db.reply.create({
        data: { id: `shot${now}${i}`, threadId, authorId, postNumber: i + 1, content: textToDoc(body), text: body, createdAt: new Date(now - (bodies.length - i) * 60_000) },
      });
    }
    await db.thread.update({ where: { id: threadId }, data: { replyCount: bodies.length, lastPostNumber: bodies.length } });

    await signIn(page, member);
    await page.goto(`/threads/${threadId}`);
    await waitUntilLive(page);
    await shot(page, `thread-en${suffix}`);
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.locator("#reply-error")).toBeVisible();
    await shot(page, `thread-error-en${suffix}`);

    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await waitUntilLive(page);
    await shot(page, `thread-zh${suffix}`);
    await page.goto("/");
    await shot(page, `home-zh${suffix}`);
    await page.getByTestId("dialogue-title").first().click();
    await expect(page.getByTestId("dialogue-heading")).toBeVisible();
    await shot(page, `dialogue-zh${suffix}`);
    await context.close();
  });
}
