/**
 * A member who reads both languages opens the translation queue in Chinese, translates an English
 * reply where it is listed, and it leaves the queue. With E2E_SCREENSHOTS=<dir>, the queue is also
 * photographed on a 375 px phone in both languages, for a person to look at.
 */
import path from "node:path";
import type { Prisma } from "@prisma/client";
import { newId } from "~/utils/ids.server";
import { expect, signIn, test } from "./support/fixtures";

test("a bilingual member translates a reply from the queue, in Chinese, and it leaves the queue", async ({ page, db, createMember, createThread }) => {
  const member = await createMember({ displayName: "Wang Li", locale: "zh" });
  await db.user.update({ where: { id: member.id }, data: { languages: ["zh", "en"] } });
  const author = await createMember({ displayName: "Sarah Hollow" });
  const threadId = await createThread(`Mine water for heating ${Date.now()}`);
  const text = `Our county heats the school with mine water, ${Date.now()}.`;
  const replyId = newId();
  await db.reply.create({
    data: {
      id: replyId,
      threadId,
      authorId: author.id,
      postNumber: 1,
      changeSeq: 1,
      content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] } as Prisma.InputJsonValue,
      text,
      language: "en",
    },
  });
  await db.thread.update({ where: { id: threadId }, data: { lastPostNumber: 1, changeSeq: 1, replyCount: 1 } });

  await signIn(page, member);
  // The header's link shows how many items wait.
  await expect(page.getByTestId("nav-translations").first()).toBeAttached();
  await page.goto("/translations");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("翻译");

  const item = page.locator(`li[data-testid="queue-item"][data-item-id="${replyId}"]`);
  await expect(item).toContainText(text);
  await expect(item).toContainText("英文 → 中文");
  await expect(item).toContainText("Sarah Hollow");

  if (process.env.E2E_SCREENSHOTS) {
    const dir = process.env.E2E_SCREENSHOTS;
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: path.join(dir, "translations-375-zh.png"), fullPage: false });
    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.screenshot({ path: path.join(dir, "translations-375-en.png"), fullPage: false });
    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  }

  await item.getByText("在此翻译").click();
  await item.getByLabel("您的中文译文").fill("我们县用矿井水为学校供暖。");
  await item.getByRole("button", { name: "保存译文" }).click();

  await expect(page.getByTestId("translation-saved")).toContainText("谢谢");
  await expect(page.locator(`li[data-testid="queue-item"][data-item-id="${replyId}"]`)).toHaveCount(0);
  const stored = await db.replyTranslation.findUniqueOrThrow({ where: { replyId_language: { replyId, language: "zh" } } });
  expect(stored).toMatchObject({ kind: "human", translatorId: member.id, text: "我们县用矿井水为学校供暖。" });
});
