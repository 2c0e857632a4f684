/**
 * The language switch (English ⇄ 简体中文): the programme's own Chinese titles, `<html lang>`,
 * the choice remembered across page loads, and localised form errors.
 */
import { expect, signIn, test, waitUntilLive, fillReply } from "./support/fixtures";

const EN_TITLES = {
  climateFinance: "Climate Finance and Subnational Approaches",
  diversification: "Just Transition and Economic Diversification Strategies for Coal-Producing Regions in the U.S. and China",
  business: "The Role of Business in the Energy Transition",
};
const ZH_TITLES = {
  climateFinance: "美国和中国的气候融资与煤炭产区",
  diversification: "推进美国和中国煤炭生产区域的公正转型与经济多样化",
  business: "企业在能源转型中的作用",
};

test("switching to 中文 shows the Chinese programme, is remembered, and switching back restores English", async ({ page, context }) => {
  await page.goto("/");
  const html = page.locator("html");
  const titles = page.getByTestId("dialogue-title");
  const main = page.locator("main");
  await expect(html).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("language-switch")).toHaveText("中文");
  await expect(titles.filter({ hasText: EN_TITLES.climateFinance }).first()).toBeVisible();
  await expect(titles.filter({ hasText: EN_TITLES.diversification }).first()).toBeVisible();
  await expect(main).toContainText(EN_TITLES.business);
  await expect(main).not.toContainText(ZH_TITLES.climateFinance);

  // Switch: a form POST to /locale, then a full reload of the same page.
  await page.getByTestId("language-switch").click();
  await expect(html).toHaveAttribute("lang", "zh-CN");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("language-switch")).toHaveText("English");
  await expect(titles.filter({ hasText: ZH_TITLES.climateFinance }).first()).toBeVisible();
  await expect(titles.filter({ hasText: ZH_TITLES.diversification }).first()).toBeVisible();
  await expect(main).toContainText(ZH_TITLES.business);
  await expect(main).not.toContainText(EN_TITLES.climateFinance);
  await expect(main).not.toContainText(EN_TITLES.business);

  // The Chinese pages are well-formed UTF-8 without NUL bytes (React 18's streaming renderer
  // used to pad 2 KB buffers with NULs around multi-byte characters; see app/entry.server.tsx).
  const paths = new Set(["/", "/regions"]);
  for (const href of await page.locator('main a[href^="/dialogues/"], main a[href^="/series/"], main a[href^="/regions/"]').evaluateAll((links) => links.map((a) => a.getAttribute("href")!)))
    paths.add(href);
  for (const path of paths) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(200);
    const bytes = await response.body();
    expect(bytes.includes(0), `NUL byte in ${path}`).toBe(false);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    expect(text, path).toContain('<html lang="zh-CN">');
  }

  // Remembered on a fresh page load, in a new tab of the same browser.
  const again = await context.newPage();
  await again.goto("/");
  await expect(again.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(again.getByTestId("dialogue-title").filter({ hasText: ZH_TITLES.diversification }).first()).toBeVisible();
  await expect(again.locator("main")).toContainText(ZH_TITLES.business);

  // A client-side navigation after hydration stays in Chinese.
  await again.getByTestId("dialogue-title").filter({ hasText: ZH_TITLES.climateFinance }).first().click();
  await expect(again.getByTestId("dialogue-heading")).toHaveText(ZH_TITLES.climateFinance);
  await expect(again.locator("html")).toHaveAttribute("lang", "zh-CN");
  await again.close();

  // And back to English.
  await page.reload();
  await expect(html).toHaveAttribute("lang", "zh-CN");
  await page.getByTestId("language-switch").click();
  await expect(html).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("language-switch")).toHaveText("中文");
  await expect(titles.filter({ hasText: EN_TITLES.climateFinance }).first()).toBeVisible();
  await expect(main).toContainText(EN_TITLES.business);
  await expect(main).not.toContainText(ZH_TITLES.climateFinance);
  await page.goto("/");
  await expect(html).toHaveAttribute("lang", "en");
});

test("an empty reply shows a localised error and posts nothing", async ({ page, createMember, createThread, db }) => {
  const member = await createMember({ displayName: "Empty Replier" });
  const threadId = await createThread("Empty replies");
  await signIn(page, member);
  await page.goto(`/threads/${threadId}`);
  await waitUntilLive(page); // hydrated: the form submits through Remix

  const error = page.locator("#reply-error");
  const replies = page.getByTestId("reply");
  /** Clicks the submit button and waits for the action's answer, which must be a 400. */
  const submit = async (label: string) => {
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/threads/${threadId}`));
    await page.getByRole("button", { name: label }).click();
    const response = await answer;
    expect(response.status()).toBe(400);
  };

  // Nothing at all (refused by the form schema) …
  await submit("Post reply");
  await expect(error).toHaveText("Your reply is empty. Write something before posting.");
  await expect(replies).toHaveCount(0);

  // … and only whitespace (refused by the model).
  await fillReply(page, "   \n\n   ");
  await submit("Post reply");
  await expect(error).toHaveText("Your reply is empty. Write something before posting.");
  await expect(replies).toHaveCount(0);

  // In Chinese: the switch reloads the same thread page.
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page).toHaveURL(new RegExp(`/threads/${threadId}`));
  await waitUntilLive(page);
  await expect(error).toHaveCount(0);
  await submit("发表回复");
  await expect(error).toHaveText("回复内容为空。请先写点内容再发表。");
  await fillReply(page, " \u3000 ");
  await submit("发表回复");
  await expect(error).toHaveText("回复内容为空。请先写点内容再发表。");
  await expect(replies).toHaveCount(0);
  await expect(page.getByTestId("no-replies")).toBeVisible();

  // Nothing was written.
  expect(await db.reply.count({ where: { threadId } })).toBe(0);
  expect((await db.thread.findUniqueOrThrow({ where: { id: threadId } })).replyCount).toBe(0);
});

test("a reply being written survives the language switch as a draft, and posting it forgets the draft", async ({ page, createMember, createThread, db }) => {
  const member = await createMember({ displayName: "Draft Writer" });
  const threadId = await createThread("Drafts survive");
  await signIn(page, member);
  await page.goto(`/threads/${threadId}`);
  await waitUntilLive(page);
  await fillReply(page, "Half-written thoughts on the Shanxi fund");
  await expect(page.getByTestId("draft-restored")).toHaveCount(0);

  // The switch reloads the page: the text comes back, and says it is a restored draft.
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await waitUntilLive(page);
  await expect(page.locator("#reply-body")).toContainText("Half-written thoughts on the Shanxi fund");
  await expect(page.getByTestId("draft-restored")).toContainText("已恢复您上次未发送的草稿");

  // Posting it: the reply is there, and a reload brings back no draft.
  await page.getByRole("button", { name: "发表回复" }).click();
  await expect(page.getByTestId("reply").filter({ hasText: "Half-written thoughts on the Shanxi fund" })).toHaveCount(1);
  await expect(page.getByTestId("draft-restored")).toHaveCount(0);
  await page.reload();
  await waitUntilLive(page);
  await expect(page.locator("#reply-body")).not.toContainText("Half-written");
  await expect(page.getByTestId("draft-restored")).toHaveCount(0);
  expect(await db.reply.count({ where: { threadId } })).toBe(1);

  // A draft can be thrown away.
  await fillReply(page, "Something I will not send");
  await page.reload();
  await waitUntilLive(page);
  await expect(page.locator("#reply-body")).toContainText("Something I will not send");
  await page.getByTestId("draft-restored").getByRole("button").click();
  await expect(page.locator("#reply-body")).not.toContainText("Something I will not send");
  await page.reload();
  await waitUntilLive(page);
  await expect(page.getByTestId("draft-restored")).toHaveCount(0);
});
