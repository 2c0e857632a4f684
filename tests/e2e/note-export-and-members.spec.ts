/**
 * An owner adds a member through the picker (typing part of a name, choosing with the keyboard),
 * writes an English and a Chinese note, links them as translations, and downloads the HTML export,
 * which holds both languages side by side. Screenshots of the note page and of the exported page
 * go to the test's output folder (test-results/, not committed) for a person to look at.
 */
import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { expect, signIn, test } from "./support/fixtures";

test("the owner adds a member with the picker, links translations and downloads the side-by-side export", async ({ page, createMember }, testInfo) => {
  const tag = randomBytes(3).toString("hex");
  const [owner, member] = await Promise.all([createMember({ displayName: `Olivia Owner ${tag}` }), createMember({ displayName: `Wei Picker${tag}` })]);
  await signIn(page, owner);

  // The Chinese note first, so it can be linked from the English one.
  await page.goto("/notes/new");
  await page.getByLabel("Title").fill(`煤炭转型计划 ${tag}`);
  await page.getByLabel("Language").selectOption("zh");
  await page.getByRole("button", { name: "Create note" }).click();
  await expect(page.getByTestId("note-title")).toHaveText(`煤炭转型计划 ${tag}`);
  const zhEditor = page.getByTestId("note-editor");
  // Editable once the socket has joined the note and knows our role.
  await expect(zhEditor).toHaveAttribute("contenteditable", "true");
  await zhEditor.locator("p").last().click();
  await page.keyboard.type("山西的经验。", { delay: 10 });
  await expect(zhEditor).toContainText("山西的经验。");
  await expect(page.getByTestId("note-status")).toHaveAttribute("data-status", "saved");

  await page.goto("/notes/new");
  await page.getByLabel("Title").fill(`Coal transition plan ${tag}`);
  await expect(page.getByLabel("Language")).toHaveValue("en");
  await page.getByRole("button", { name: "Create note" }).click();
  await expect(page.getByTestId("note-title")).toHaveText(`Coal transition plan ${tag}`);
  const editor = page.getByTestId("note-editor");
  await expect(editor).toHaveAttribute("contenteditable", "true");
  await editor.locator("p").last().click();
  await page.keyboard.type("Lessons from Wyoming.", { delay: 10 });
  await expect(editor).toContainText("Lessons from Wyoming.");
  await expect(page.getByTestId("note-status")).toHaveAttribute("data-status", "saved");

  // The picker: part of a name, arrow down, Enter.
  const picker = page.getByRole("combobox", { name: "Add a member (name, e-mail address or id)" });
  await picker.pressSequentially(`Picker${tag.slice(0, 4)}`, { delay: 30 });
  const option = page.getByRole("option", { name: new RegExp(`Wei Picker${tag}`) });
  await expect(option).toBeVisible();
  await expect(picker).toHaveAttribute("aria-expanded", "true");
  await picker.press("ArrowDown");
  await expect(option).toHaveAttribute("aria-selected", "true");
  await page.getByTestId("note-add-member").screenshot({ path: testInfo.outputPath("member-picker.png") });
  await expect(picker).toHaveAttribute("aria-activedescendant", (await option.getAttribute("id"))!);
  await picker.press("Enter");
  await expect(picker).toHaveValue(`Wei Picker${tag}`);
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByTestId("member-picker-value")).toHaveValue(member.id);
  await page.getByTestId("note-add-member").getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  const added = page.getByTestId("note-members").locator(`li[data-member-id="${member.id}"]`);
  await expect(added).toContainText(`Wei Picker${tag}`);
  await expect(added).toContainText("— Viewer");
  await expect(picker).toHaveValue("");

  // Link the Chinese note as this one's translation.
  await page.getByLabel("Link a note in the other language").selectOption({ label: `煤炭转型计划 ${tag}` });
  await page.getByRole("button", { name: "Link", exact: true }).click();
  await expect(page.getByTestId("note-translation-link")).toHaveText(`中文版本: 煤炭转型计划 ${tag}`);
  await page.screenshot({ path: testInfo.outputPath("note-page.png"), fullPage: true });

  // Download the side-by-side HTML export.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("note-export-both").getByRole("link", { name: "Web page (.html)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`coal-transition-plan-${tag}.html`);
  const html = await readFile((await download.path())!, "utf8");
  expect(html).toMatch(/<html lang="en">/);
  expect(html).toMatch(new RegExp(`<section class="col col-en" lang="en" data-section="1"><h1>Coal transition plan ${tag}</h1><p>Lessons from Wyoming.</p></section>`));
  expect(html).toMatch(new RegExp(`<section class="col col-zh" lang="zh-CN" data-section="1"><h1>煤炭转型计划 ${tag}</h1><p>山西的经验。</p></section>`));

  // How the exported page looks in the browser.
  const viewer = await page.context().newPage();
  await viewer.setContent(html);
  await expect(viewer.locator("section.col-zh h1")).toHaveText(`煤炭转型计划 ${tag}`);
  await viewer.screenshot({ path: testInfo.outputPath("exported.png"), fullPage: true });
  await viewer.close();

  // The link leads to the Chinese note, which links back; in the Chinese interface too.
  await page.getByTestId("note-translation-link").getByRole("link").click();
  await expect(page.getByTestId("note-title")).toHaveText(`煤炭转型计划 ${tag}`);
  await expect(page.getByTestId("note-translation-link")).toHaveText(`English version: Coal transition plan ${tag}`);
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { name: "导出" })).toBeVisible();
  await expect(page.getByTestId("note-translation-link")).toHaveText(`English version: Coal transition plan ${tag}`);
  await page.screenshot({ path: testInfo.outputPath("note-page-zh.png"), fullPage: true });
});

test("without JavaScript the add-member field takes an e-mail address and the export links still download", async ({ browser, createMember }) => {
  const tag = randomBytes(3).toString("hex");
  const [owner, member] = await Promise.all([createMember({ displayName: `No Script Owner ${tag}` }), createMember({ displayName: `No Script Member ${tag}` })]);
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signIn(page, owner);
    await page.goto("/notes/new");
    await page.getByLabel("Title").fill(`Plain form note ${tag}`);
    await page.getByRole("button", { name: "Create note" }).click();
    await expect(page.getByTestId("note-title")).toHaveText(`Plain form note ${tag}`);
    // The note's text is there to read, as the server stores it.
    await expect(page.getByTestId("note-static").locator("h1")).toHaveText(`Plain form note ${tag}`);

    const field = page.getByRole("textbox", { name: "Add a member (name, e-mail address or id)" });
    await field.fill(member.email);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByTestId("note-members").locator(`li[data-member-id="${member.id}"]`)).toContainText(`No Script Member ${tag}`);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("note-export-single").getByRole("link", { name: "Markdown (.md)" }).click()]);
    expect(download.suggestedFilename()).toBe(`plain-form-note-${tag}.md`);
    expect(await readFile((await download.path())!, "utf8")).toBe(`# Plain form note ${tag}\n`);
  } finally {
    await context.close();
  }
});
