/**
 * A member reading in Chinese proposes an outcome from a thread; a moderator reading in English
 * completes its English title and takes it into the register, where the public reads it. A
 * reader in Berlin sees a dialogue's time in their own zone beside U.S. and China time, and
 * downloads its calendar file.
 */
import { expect, signIn, test } from "./support/fixtures";

test("an outcome proposed in Chinese from a thread enters the register after a moderator completes it", async ({ browser, createMember, createThread }) => {
  const [member, moderator] = await Promise.all([createMember({ displayName: "王明", locale: "zh" }), createMember({ displayName: "Mod Erator", role: "moderator" })]);
  const threadId = await createThread("Transition finance");
  const stamp = Date.now().toString(36);
  const [memberContext, staffContext, publicContext] = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  try {
    const [page, staff, reader] = await Promise.all([memberContext.newPage(), staffContext.newPage(), publicContext.newPage()]);
    await Promise.all([signIn(page, member), signIn(staff, moderator)]);

    await page.goto(`/threads/${threadId}`);
    await page.getByTestId("propose-outcome-from-thread").click();
    await expect(page.getByTestId("outcome-origin")).toContainText("讨论");
    await page.getByTestId("outcome-title-zh").fill(`煤炭县转型基金 ${stamp}`);
    await page.getByTestId("outcome-type-field").selectOption("policy_idea");
    await page.getByRole("button", { name: "提交提议" }).click();
    await expect(page.getByTestId("awaiting-review")).toHaveText("待审核");
    const url = page.url();

    // Not in the register yet.
    await reader.goto("/outcomes");
    await expect(reader.getByText(`煤炭县转型基金 ${stamp}`)).toHaveCount(0);

    await staff.goto(url);
    await staff.getByText("Edit the outcome").click();
    await staff.getByTestId("outcome-title-en").fill(`A transition fund for coal counties ${stamp}`);
    await staff.getByTestId("outcome-edit").getByRole("button", { name: "Save" }).click();
    await staff.getByTestId("accept-outcome").click();
    await expect(staff.getByTestId("awaiting-review")).toHaveCount(0);

    await reader.goto("/outcomes");
    const card = reader.getByTestId("outcome-card").filter({ hasText: stamp });
    await expect(card).toContainText(`A transition fund for coal counties ${stamp}`);
    await expect(card.getByTestId("outcome-status")).toHaveText("Proposed");
  } finally {
    await Promise.all([memberContext.close(), staffContext.close(), publicContext.close()]);
  }
});

test("a dialogue's time shows in the reader's own zone, and its calendar file downloads", async ({ browser, db }) => {
  const dialogue = await db.dialogue.findFirstOrThrow({ orderBy: { position: "asc" } });
  const original = { startsAt: dialogue.startsAt, startsOn: dialogue.startsOn, status: dialogue.status };
  await db.dialogue.update({ where: { id: dialogue.id }, data: { startsAt: new Date("2027-02-10T14:00:00Z"), startsOn: null, status: "scheduled" } });
  const context = await browser.newContext({ timezoneId: "Europe/Berlin" });
  try {
    const page = await context.newPage();
    await page.goto(`/dialogues/${dialogue.slug}`);
    await expect(page.getByTestId("time-us")).toContainText("9:00");
    await expect(page.getByTestId("time-us-mountain")).toContainText("7:00");
    await expect(page.getByTestId("time-cn")).toContainText("10:00");
    await expect(page.getByTestId("time-reader")).toContainText("3:00");
    await expect(page.getByText("Your time (Europe/Berlin)")).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("add-to-calendar").click()]);
    expect(download.suggestedFilename()).toBe(`${dialogue.slug}.ics`);
  } finally {
    await context.close();
    // Other journeys read the programme as seeded.
    await db.dialogue.update({ where: { id: dialogue.id }, data: original });
  }
});
