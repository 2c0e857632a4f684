/**
 * Issue 15 in the browser. Li Wei writes in Chinese; Wang Li, a bilingual member, translates her
 * reply into English from the thread page; Sarah, reading in English with the thread open, sees
 * the translation arrive, labelled "Translated from 中文 by Wang Li", and toggles to the original
 * and back with the keyboard, without a reload. A Chinese reader sees the original, and the page
 * at phone width in both languages is screenshotted for a person to look at.
 */
import { expect, signIn, test, waitUntilLive } from "./support/fixtures";
import { newId } from "../../app/utils/ids.server";

test("an English reader sees a Chinese reply translated, labelled, and the original one click away", async ({ browser, db, createMember }) => {
  const stamp = Date.now().toString(36).replace(/[^a-z]/g, "");
  const [liWei, wangLi, sarah] = await Promise.all([
    createMember({ displayName: `李伟 ${stamp}`, locale: "zh" }),
    createMember({ displayName: `Wang Li ${stamp}` }),
    createMember({ displayName: `Sarah ${stamp}` }),
  ]);
  const dialogue = await db.dialogue.findUniqueOrThrow({ where: { slug: "2024-12-climate-finance" } });
  expect(dialogue.attributionLevel).toBe("on_record");
  const threadId = newId();
  const replyId = newId();
  const original = `我们县关闭了两座煤矿，大多数工人接受了再培训 ${stamp}。`;
  await db.thread.create({ data: { id: threadId, dialogueId: dialogue.id, titleEn: `煤矿工人的再就业与培训 ${stamp}`, titleLanguage: "zh", authorId: liWei.id, replyCount: 1, lastPostNumber: 1, changeSeq: 1 } });
  await db.reply.create({
    data: { id: replyId, threadId, authorId: liWei.id, postNumber: 1, changeSeq: 1, language: "zh", text: original, content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: original }] }] } },
  });

  const contexts = await Promise.all([browser.newContext(), browser.newContext({ viewport: { width: 375, height: 800 } }), browser.newContext({ viewport: { width: 375, height: 800 } })]);
  try {
    const [translator, reader, chineseReader] = await Promise.all(contexts.map((c) => c.newPage()));
    // The server's HTML and the browser's first render agree (no hydration errors).
    const hydration: string[] = [];
    for (const page of [translator, reader, chineseReader]) page.on("console", (m) => { if (m.type() === "error" && /#41[89]|#423|hydrat/i.test(m.text())) hydration.push(m.text()); });
    await Promise.all([signIn(translator, wangLi), signIn(reader, sarah), signIn(chineseReader, liWei)]);

    // Sarah has the thread open before anyone translates: she reads the original for now.
    await reader.goto(`/threads/${threadId}`);
    await waitUntilLive(reader);
    const sarahsReply = reader.getByTestId("reply").first();
    await expect(sarahsReply).toContainText(original);
    await reader.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // Wang Li translates it from the thread page.
    await translator.goto(`/threads/${threadId}`);
    await translator.getByTestId("translate-open").click();
    await translator.getByLabel("Your translation into English").fill(`Our county closed two coal mines, and most workers retrained ${stamp}.`);
    await translator.getByRole("button", { name: "Save translation" }).click();
    await expect(translator.getByTestId("translation-label")).toContainText(`Translated from 中文 by Wang Li ${stamp}`);
    // Saved: the form folds away instead of covering the page.
    await expect(translator.getByTestId("translate-form")).toBeHidden();

    // It reaches Sarah's open page live, labelled, in English.
    await expect(sarahsReply.getByTestId("reply-translated")).toContainText(`most workers retrained ${stamp}`);
    await expect(sarahsReply.getByTestId("translation-label")).toHaveText(`Translated from 中文 by Wang Li ${stamp}`);
    // "Show original" with the keyboard, and back, without a reload.
    const toggle = sarahsReply.getByTestId("toggle-original");
    await expect(toggle).toHaveText("Show original");
    await toggle.focus();
    await reader.keyboard.press("Enter");
    await expect(sarahsReply.getByTestId("reply-original")).toHaveText(original);
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    await expect(toggle).toHaveText("Show translation");
    await reader.keyboard.press("Enter");
    await expect(sarahsReply.getByTestId("reply-translated")).toBeVisible();
    expect(await reader.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await reader.screenshot({ path: "test-results/translations-en-375.png", fullPage: true });

    // Li Wei reads in Chinese: her own words, no translation in the way, and a way to improve the English.
    await chineseReader.goto(`/threads/${threadId}`);
    const herReply = chineseReader.getByTestId("reply").first();
    await expect(herReply.locator(".reply-body")).toHaveText(original);
    await expect(herReply.getByTestId("toggle-original")).toHaveCount(0);
    await expect(herReply.getByTestId("translate-open")).toHaveText("改进英文译文");
    // At phone width the form opens within the screen.
    await herReply.getByTestId("translate-open").click();
    const box = await herReply.getByTestId("translate-form").boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
    expect(await chineseReader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await chineseReader.screenshot({ path: "test-results/translations-zh-375.png", fullPage: true });

    // Li Wei edits her reply: Sarah is told the English is of an earlier version.
    const origin = new URL(chineseReader.url()).origin;
    const edited = await chineseReader.request.post(`/api/commands/reply.edit`, { data: { replyId, body: `我们县关闭了三座煤矿 ${stamp}。` }, headers: { origin } });
    expect(edited.status()).toBe(200);
    await expect(sarahsReply.getByTestId("translation-outdated")).toContainText("translation of an earlier version");
    expect(hydration).toEqual([]);
    await reader.reload();
    await expect(reader.getByTestId("translation-outdated")).toContainText("translation of an earlier version");
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
