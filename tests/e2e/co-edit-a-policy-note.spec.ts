/**
 * Two members, two browsers, one policy note: each types, each sees the other's text and named
 * caret, the status comes to "saved", and after both reload the text is still there.
 */
import { expect, signIn, test } from "./support/fixtures";

test("two members co-edit a note and see each other's text and caret", async ({ browser, createMember }) => {
  const [alice, bo] = await Promise.all([createMember({ displayName: "Alice Wyoming" }), createMember({ displayName: "Bo Shanxi" })]);
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  try {
    const pageA = await contextA.newPage();
    const pageB = await contextB.newPage();
    await signIn(pageA, alice);
    await signIn(pageB, bo);

    await pageA.goto("/notes/new");
    await pageA.getByLabel("Title").fill("Coal transition plan");
    await pageA.getByRole("button", { name: "Create note" }).click();
    await expect(pageA.getByTestId("note-title")).toHaveText("Coal transition plan");
    const noteUrl = pageA.url();
    await pageA.getByTestId("note-add-member").getByTestId("member-picker-input").fill(bo.email);
    await pageA.getByRole("button", { name: "Add", exact: true }).click();
    await expect(pageA.getByTestId("note-members")).toContainText("Bo Shanxi");

    await pageB.goto(noteUrl);
    const editorA = pageA.getByTestId("note-editor");
    const editorB = pageB.getByTestId("note-editor");
    await expect(editorA).toContainText("Coal transition plan");
    await expect(editorB).toContainText("Coal transition plan");
    // The initial content is there once, though both opened the new note.
    await expect(editorB.locator("h1")).toHaveCount(1);

    await editorA.locator("p").last().click();
    await pageA.keyboard.type("Wyoming writes here. ", { delay: 20 });
    await expect(editorB).toContainText("Wyoming writes here.");
    await editorB.locator("p").last().click();
    await pageB.keyboard.press("End");
    await pageB.keyboard.type("山西在这里写。", { delay: 20 });
    await expect(editorA).toContainText("山西在这里写。");
    // Typed where each clicked: the title heading is untouched.
    await expect(editorA.locator("h1")).toHaveText("Coal transition plan");
    await expect(editorB.locator("h1")).toHaveText("Coal transition plan");

    // Each sees the other's named caret, and both in the list of people.
    await expect(pageA.locator(".collaboration-carets__label", { hasText: "Bo Shanxi" })).toBeVisible();
    await expect(pageB.locator(".collaboration-carets__label", { hasText: "Alice Wyoming" })).toBeVisible();
    await expect(pageA.getByTestId("note-people")).toContainText("Bo Shanxi");

    await expect(pageA.getByTestId("note-status")).toHaveAttribute("data-status", "saved");
    await expect(pageB.getByTestId("note-status")).toHaveAttribute("data-status", "saved");

    // Losing the network says "offline" at once; what is typed meanwhile arrives once back.
    await contextA.setOffline(true);
    await expect(pageA.getByTestId("note-status")).toHaveAttribute("data-status", "offline");
    await pageA.keyboard.type(" Offline line.");
    await expect(pageA.getByTestId("note-status")).toHaveAttribute("data-status", "offline");
    await contextA.setOffline(false);
    await expect(editorB).toContainText("Offline line.");
    await expect(pageA.getByTestId("note-status")).toHaveAttribute("data-status", "saved");

    await Promise.all([pageA.reload(), pageB.reload()]);
    for (const page of [pageA, pageB]) {
      const editor = page.getByTestId("note-editor");
      await expect(editor).toContainText("Wyoming writes here.");
      await expect(editor).toContainText("山西在这里写。");
      await expect(editor).toContainText("Offline line.");
      await expect(editor.locator("h1")).toHaveCount(1);
    }
  } finally {
    await Promise.all([contextA.close(), contextB.close()]);
  }
});
