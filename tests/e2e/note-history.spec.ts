/**
 * A member keeps a version of a policy note, writes on, opens the history, looks at the version
 * (its text with the changes since the previous version marked) and restores it: the editor shows
 * the old text again, and the restore is itself a version.
 */
import { expect, signIn, test } from "./support/fixtures";

test("save a named version, write on, open it from the history and restore it", async ({ page, browser, createMember }) => {
  const [alice, bo] = await Promise.all([createMember({ displayName: "Alice Wyoming" }), createMember({ displayName: "Bo Shanxi" })]);
  await signIn(page, alice);
  await page.goto("/notes/new");
  await page.getByLabel("Title").fill("Energy transition memo");
  await page.getByRole("button", { name: "Create note" }).click();
  await expect(page.getByTestId("note-title")).toHaveText("Energy transition memo");
  const noteUrl = page.url();
  await page.getByTestId("note-add-member").getByTestId("member-picker-input").fill(bo.email);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByTestId("note-members")).toContainText("Bo Shanxi");

  const editor = page.getByTestId("note-editor");
  const status = page.getByTestId("note-status");
  await editor.locator("p").last().click();
  await page.keyboard.type("First draft from Wyoming.", { delay: 10 });
  await expect(status).toHaveAttribute("data-status", "saved");

  // A second member adds a line, so the version shows two people's changes.
  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    await signIn(other, bo);
    await other.goto(noteUrl);
    const otherEditor = other.getByTestId("note-editor");
    await expect(otherEditor).toContainText("First draft from Wyoming.");
    await otherEditor.locator("p").last().click();
    await other.keyboard.press("End");
    await other.keyboard.press("Enter");
    await other.keyboard.type("山西的补充。", { delay: 10 });
    await expect(other.getByTestId("note-status")).toHaveAttribute("data-status", "saved");
  } finally {
    await context.close();
  }
  await expect(editor).toContainText("山西的补充。");

  const save = page.getByTestId("save-version");
  await save.getByLabel("Version name").fill("First draft");
  await save.getByRole("button", { name: "Save version" }).click();
  await expect(page.getByTestId("version-saved")).toBeVisible();

  await editor.locator("p").last().click();
  await page.keyboard.press("End");
  await page.keyboard.type(" Second thoughts.", { delay: 10 });
  await expect(status).toHaveAttribute("data-status", "saved");

  await page.getByTestId("note-history-link").click();
  const versions = page.getByTestId("version");
  await expect(versions).toHaveCount(2);
  await expect(versions.first().getByTestId("version-label")).toHaveText("First draft");
  await expect(versions.first().getByTestId("version-authors")).toContainText("Alice Wyoming");
  await expect(versions.first().getByTestId("version-authors")).toContainText("Bo Shanxi");
  await expect(versions.last().getByTestId("version-label")).toHaveText("Note created");
  await page.screenshot({ path: "test-results/note-history-list.png", fullPage: true });

  await versions.first().getByTestId("version-label").click();
  const content = page.getByTestId("version-content");
  await expect(content).toContainText("First draft from Wyoming.");
  await expect(content).not.toContainText("Second thoughts.");
  await expect(content.locator("ins[title='Alice Wyoming']")).toContainText("First draft from Wyoming.");
  await expect(content.locator("ins[title='Bo Shanxi']")).toContainText("山西的补充。");
  await page.screenshot({ path: "test-results/note-history-version.png", fullPage: true });

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Restore this version" }).click();
  await expect(page).toHaveURL(noteUrl);
  await expect(editor).toContainText("First draft from Wyoming.");
  await expect(editor).toContainText("山西的补充。");
  await expect(editor).not.toContainText("Second thoughts.");
  await page.screenshot({ path: "test-results/note-history-restored.png", fullPage: true });

  await page.getByTestId("note-history-link").click();
  await expect(versions).toHaveCount(3);
  await expect(versions.first().getByTestId("version-label")).toHaveText("Restored from “First draft”");

  // The same page in Chinese.
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("“Energy transition memo”的历史版本");
  await expect(versions.first().getByTestId("version-label")).toHaveText("从“First draft”恢复");
  await expect(versions.last().getByTestId("version-label")).toHaveText("笔记创建");
  await page.screenshot({ path: "test-results/note-history-zh.png", fullPage: true });
});
