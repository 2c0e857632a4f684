/**
 * Issue 14 in the browser. A thread held under the Chatham House Rule: a member reading in
 * Chinese sees the speaker as 参与者 1 (live too), never their name; a moderator reading in
 * English sees the name, marked as visible to staff only. A member asks to take part in a
 * dialogue from its page in Chinese, sees the request waiting when they come back, a moderator
 * accepts it, and the member's dialogue page then says they take part.
 */
import { expect, fillReply, signIn, test, waitUntilLive } from "./support/fixtures";
import { newId } from "../../app/utils/ids.server";

test("a Chatham House thread shows pseudonyms to a member and names to a moderator", async ({ browser, db, createMember }) => {
  const stamp = Date.now().toString(36);
  const [speaker, reader, moderator] = await Promise.all([
    createMember({ displayName: `Speaker ${stamp}` }),
    createMember({ displayName: `读者 ${stamp}`, locale: "zh" }),
    createMember({ displayName: `Mod ${stamp}`, role: "moderator" }),
  ]);
  const dialogue = await db.dialogue.findUniqueOrThrow({ where: { slug: "2021-dialogue-1-coal-economy-overview" } });
  expect(dialogue.attributionLevel).toBe("chatham_house");
  const threadId = newId();
  await db.thread.create({ data: { id: threadId, dialogueId: dialogue.id, titleEn: `Track 2 session ${stamp}`, titleZh: `第二轨会议 ${stamp}` } });
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  try {
    const [speakerPage, readerPage, staffPage] = await Promise.all(contexts.map((c) => c.newPage()));
    await Promise.all([signIn(speakerPage, speaker), signIn(readerPage, reader), signIn(staffPage, moderator)]);
    await readerPage.goto(`/threads/${threadId}`);
    await waitUntilLive(readerPage);
    await expect(readerPage.getByTestId("attribution-banner").first()).toContainText("查塔姆研究所规则");

    await speakerPage.goto(`/threads/${threadId}`);
    await fillReply(speakerPage, `Our county budget depends on coal ${stamp}`);
    await speakerPage.getByRole("button", { name: "Post reply" }).click();
    await expect(speakerPage.getByTestId("own-pseudonym")).toContainText("Participant 1");

    // Live, on the reader's open page: the pseudonym, in Chinese, and no name.
    const live = readerPage.getByTestId("reply").filter({ hasText: stamp });
    await expect(live.getByTestId("pseudonym")).toHaveText("参与者 1");
    await readerPage.reload();
    await expect(readerPage.getByTestId("reply").filter({ hasText: stamp }).getByTestId("pseudonym")).toHaveText("参与者 1");
    await expect(readerPage.getByText(speaker.displayName)).toHaveCount(0);
    expect(await readerPage.content()).not.toContain(speaker.displayName);

    await staffPage.goto(`/threads/${threadId}`);
    const named = staffPage.getByTestId("reply").filter({ hasText: stamp });
    await expect(named).toContainText(speaker.displayName);
    await expect(named.getByTestId("staff-only-name")).toHaveText("Participant 1 · name visible to staff only");
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

test("a request to take part, approved by staff, shows on the requester's dialogue page", async ({ browser, createMember }) => {
  const stamp = Date.now().toString(36);
  const [requester, moderator] = await Promise.all([createMember({ displayName: `申请人 ${stamp}`, locale: "zh" }), createMember({ displayName: `Staff ${stamp}`, role: "moderator" })]);
  const contexts = await Promise.all([browser.newContext({ viewport: { width: 375, height: 800 } }), browser.newContext()]);
  try {
    const [page, staff] = await Promise.all(contexts.map((c) => c.newPage()));
    await Promise.all([signIn(page, requester), signIn(staff, moderator)]);
    await page.goto("/dialogues/2025-dialogue-3");
    const form = page.locator("#participate");
    await form.locator('input[name="organisation"]').fill("山西省能源研究院");
    await form.locator('textarea[name="message"]').fill("希望参加本次对话。");
    await form.getByRole("button").click();
    await expect(page.getByTestId("my-participation")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("my-participation")).toHaveAttribute("data-status", "pending");
    await expect(page.getByTestId("my-participation")).toContainText("您的申请正在等待组织者决定");

    await staff.goto("/moderation/requests");
    const card = staff.locator("li.card").filter({ hasText: requester.displayName });
    await card.locator('select[name="role"]').selectOption("speaker");
    await card.getByRole("button", { name: "Accept" }).click();
    await expect(staff.locator("li.card").filter({ hasText: requester.displayName }).getByTestId("request-status")).toContainText("Accepted");

    await page.reload();
    await expect(page.getByTestId("my-participation")).toHaveAttribute("data-status", "approved");
    await expect(page.getByTestId("my-participation")).toContainText("您已获准参加(发言人)");
    await expect(page.getByTestId("participants")).toContainText(requester.displayName);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
