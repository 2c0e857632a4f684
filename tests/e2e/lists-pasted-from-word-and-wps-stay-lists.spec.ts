/**
 * Lists and nested lists pasted from Microsoft Word and WPS Office stay lists: in a reply (and
 * the posted reply shows them), and in a policy note, where the co-editor sees them too.
 */
import type { Locator } from "@playwright/test";
import { WORD, WPS } from "../fixtures/office-clipboard";
import { expect, fillReply, signIn, test, waitUntilLive } from "./support/fixtures";

/** Pastes `html` into the focused editor as a person's Ctrl+V of Office content would. */
async function paste(editor: Locator, html: string): Promise<void> {
  await editor.focus();
  await editor.evaluate((element, clipboardHtml) => {
    const data = new DataTransfer();
    data.setData("text/html", clipboardHtml);
    data.setData("text/plain", (new DOMParser().parseFromString(clipboardHtml, "text/html").body.textContent ?? "").trim());
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, html);
}

test("a Word list with a nested level pastes into a reply as lists, and posts as lists", async ({ page, createMember, createThread }) => {
  const member = await createMember({ displayName: "Word User" });
  const threadId = await createThread("Pasting from Word");
  await signIn(page, member);
  await page.goto(`/threads/${threadId}`);
  await waitUntilLive(page);
  await fillReply(page, "");
  const editor = page.locator("#reply-body");
  await paste(editor, WORD);

  await expect(editor.locator("ul > li > ul > li")).toHaveText(["Wind turbine maintenance", "Solar installation"]);
  await expect(editor.locator("ol > li")).toHaveText(["Survey the workforce", "Fund the college"]);
  await expect(editor).not.toContainText("·");

  await page.getByRole("button", { name: "Post reply" }).click();
  const posted = page.getByTestId("reply").last().locator(".reply-body");
  await expect(posted.locator("ul > li > ul > li")).toHaveText(["Wind turbine maintenance", "Solar installation"]);
  await expect(posted.locator("ol > li")).toHaveCount(2);
});

test("a WPS numbered list with a bulleted sub-list pastes into a note as lists, for both editors", async ({ browser, createMember }) => {
  const [owner, editor2] = await Promise.all([createMember({ displayName: "WPS User", locale: "zh" }), createMember({ displayName: "Co Editor" })]);
  const [contextA, contextB] = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [pageA, pageB] = await Promise.all([contextA.newPage(), contextB.newPage()]);
    await Promise.all([signIn(pageA, owner), signIn(pageB, editor2)]);
    await pageA.goto("/notes/new");
    await pageA.locator('input[name="title"]').fill("职业转型方案");
    await pageA.locator("main form button[type=submit]").click();
    await expect(pageA.getByTestId("note-title")).toHaveText("职业转型方案");
    await pageA.getByTestId("note-add-member").getByTestId("member-picker-input").fill(editor2.email);
    await pageA.getByTestId("note-add-member").locator('select[name="role"]').selectOption("editor");
    await pageA.getByTestId("note-add-member").locator('button[type="submit"]').click();
    await expect(pageA.getByTestId("note-members")).toContainText("Co Editor");
    await pageB.goto(pageA.url());

    const editorA = pageA.getByTestId("note-editor");
    await expect(editorA).toContainText("职业转型方案");
    await editorA.locator("h1").click();
    await pageA.keyboard.press("End");
    await pageA.keyboard.press("Enter");
    await paste(editorA, WPS);

    for (const editor of [editorA, pageB.getByTestId("note-editor")]) {
      await expect(editor.locator("ol > li > ul > li")).toHaveText(["风电运维"]);
      // (The co-editor sees the other caret, with its name, inside the last item.)
      await expect(editor.locator("ol > li > p")).toHaveText([/^开展职业培训/, /^吸引新产业/]);
      await expect(editor).not.toContainText("一、");
    }
  } finally {
    await Promise.all([contextA.close(), contextB.close()]);
  }
});
