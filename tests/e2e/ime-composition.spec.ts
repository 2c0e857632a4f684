/**
 * Input methods (issue #11, item 4), driven through Chromium's own IME entry points
 * (CDP `Input.imeSetComposition` for each state of a pinyin composition, `Input.insertText` to
 * commit it): while Alice composes in a shared note, nothing of the uncommitted composition is
 * sent (every WebSocket frame her page sends is checked), stored, or shown to Bo on the other
 * page; the committed text goes out once and reaches Bo. In a reply, the uncommitted
 * composition is never saved as a draft; the committed text is.
 */
import type { Page } from "@playwright/test";
import { expect, signIn, test, waitUntilLive, type Member } from "./support/fixtures";

const COMPOSITION = ["z", "zh", "zho", "zhon", "zhong", "zhongw", "zhongwe", "zhongwen"];
const bytes = (text: string) => Buffer.from(text, "utf8");

/**
 * Every binary frame the page sends over its WebSockets from now on: Socket.IO sends the
 * Yjs updates and awareness states, the only place document text travels, as binary
 * attachments (text frames carry event names and ids).
 */
function recordSentFrames(page: Page): Buffer[] {
  const frames: Buffer[] = [];
  page.on("websocket", (ws) => ws.on("framesent", ({ payload }) => typeof payload !== "string" && frames.push(payload)));
  return frames;
}

/** The note's text on the page, without the other people's caret labels. */
function noteText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const copy = document.querySelector('[data-testid="note-editor"]')!.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll(".collaboration-carets__caret")) caret.remove();
    return copy.textContent ?? "";
  });
}

/** Types `states` as an IME composition at the caret, then commits `committed`. */
async function compose(page: Page, states: string[], committed: string, midway?: () => Promise<void>) {
  const cdp = await page.context().newCDPSession(page);
  for (const text of states) await cdp.send("Input.imeSetComposition", { text, selectionStart: text.length, selectionEnd: text.length });
  await midway?.();
  await cdp.send("Input.insertText", { text: committed });
  await cdp.detach();
}

test("an IME composition in a shared note goes out only when committed, once", async ({ browser, createMember, db }) => {
  const [alice, bo]: Member[] = await Promise.all([createMember({ displayName: "Alice Pinyin" }), createMember({ displayName: "Bo Reader" })]);
  const [contextA, contextB] = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [pageA, pageB] = await Promise.all([contextA.newPage(), contextB.newPage()]);
    await Promise.all([signIn(pageA, alice), signIn(pageB, bo)]);
    await pageA.goto("/notes/new");
    await pageA.getByLabel("Title").fill("Energy transition 能源转型");
    await pageA.getByRole("button", { name: "Create note" }).click();
    await expect(pageA.getByTestId("note-title")).toHaveText("Energy transition 能源转型");
    const noteUrl = pageA.url();
    const noteId = noteUrl.split("/").pop()!;
    await pageA.getByTestId("note-add-member").getByTestId("member-picker-input").fill(bo.email);
    await pageA.getByRole("button", { name: "Add", exact: true }).click();
    await expect(pageA.getByTestId("note-members")).toContainText("Bo Reader");

    await pageB.goto(noteUrl);
    const editorA = pageA.getByTestId("note-editor");
    const editorB = pageB.getByTestId("note-editor");
    await expect(editorB).toContainText("Energy transition");
    // Everything Bo's page ever shows of the note's text, from now on.
    await pageB.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      const target = document.querySelector('[data-testid="note-editor"]')!;
      new MutationObserver(() => seen.push(target.textContent ?? "")).observe(target, { subtree: true, childList: true, characterData: true });
    });

    await editorA.locator("p").last().click();
    await pageA.keyboard.type("Plan: ");
    await expect(editorB).toContainText("Plan:");
    await expect(pageA.getByTestId("note-status")).toHaveAttribute("data-status", "saved");
    const frames = recordSentFrames(pageA);
    // Frames are recorded for sockets opened after this point: reload A so its socket is one.
    await pageA.reload();
    await expect(editorA).toContainText("Plan:");
    await expect(pageA.getByTestId("note-status")).toHaveAttribute("data-status", "saved");
    await editorA.locator("p").last().click();
    await pageA.keyboard.press("End");

    await compose(pageA, COMPOSITION, "中文", async () => {
      // Mid-composition: Alice sees her composition, which is not saved, and nothing of it left.
      await expect(editorA).toContainText("zhongwen");
      await expect(pageA.getByTestId("note-status")).toHaveAttribute("data-status", "saving");
      expect(frames.filter((f) => f.includes(bytes("zho")))).toEqual([]);
      const stored = await db.noteUpdate.findMany({ where: { noteId }, select: { data: true } });
      expect(stored.filter((u) => Buffer.from(u.data).includes(bytes("zho")))).toEqual([]);
    });

    // Committed: it reaches Bo and is saved.
    await expect.poll(() => noteText(pageA)).toContain("Plan: 中文");
    await expect.poll(() => noteText(pageB)).toContain("Plan: 中文");
    await expect(pageA.getByTestId("note-status")).toHaveAttribute("data-status", "saved");
    // The committed text went out once, and no frame ever carried the uncommitted letters.
    expect(frames.filter((f) => f.includes(bytes("中文")))).toHaveLength(1);
    for (const state of ["zho", "zhong", "ngwen"]) expect(frames.filter((f) => f.includes(bytes(state))), state).toEqual([]);
    const stored = await db.noteUpdate.findMany({ where: { noteId }, select: { data: true } });
    expect(stored.filter((u) => Buffer.from(u.data).includes(bytes("zho")))).toEqual([]);
    expect(stored.filter((u) => Buffer.from(u.data).includes(bytes("中文")))).toHaveLength(1);
    await pageB.screenshot({ path: "test-results/e2e/ime-composition-note.png" });
    const seen = await pageB.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    expect(seen.some((text) => text.includes("中文"))).toBe(true);
    expect(seen.filter((text) => /zh|zho|wen/.test(text))).toEqual([]);

    // After both reload, the note holds the committed text only.
    await Promise.all([pageA.reload(), pageB.reload()]);
    for (const page of [pageA, pageB]) {
      await expect(page.getByTestId("note-editor")).toContainText("中文");
      expect(await noteText(page)).toContain("Plan: 中文");
      expect(await noteText(page)).not.toContain("zho");
    }
  } finally {
    await Promise.all([contextA.close(), contextB.close()]);
  }
});

test("an IME composition in a reply is kept as a draft only once committed", async ({ page, createMember, createThread }) => {
  const member = await createMember({ displayName: "Chen Drafts", locale: "zh" });
  const threadId = await createThread("Drafts and input methods");
  await signIn(page, member);
  await page.goto(`/threads/${threadId}`);
  await waitUntilLive(page);
  await expect(page.locator('[data-testid="reply-editor"][data-editor="rich"]')).toBeVisible();
  const editor = page.locator("#reply-body.ProseMirror");
  await editor.click();
  const drafts = () => page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.startsWith("crn:draft:")).map(([, value]) => value).join("\n"));

  await compose(page, ["mei", "meitan"], "煤炭", async () => {
    await expect(editor).toContainText("meitan");
    expect(await drafts()).not.toContain("mei");
  });
  await expect(editor).toContainText("煤炭");
  await expect.poll(drafts).toContain("煤炭");
  expect(await drafts()).not.toContain("mei");

  // The draft survives a reload, committed text only.
  await page.reload();
  await expect(editor).toContainText("煤炭");
  await expect(editor).not.toContainText("meitan");
});
