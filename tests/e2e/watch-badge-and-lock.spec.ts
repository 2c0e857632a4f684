/**
 * Issue #3's journey: member A watches a thread; member B replies, then mentions A; A's
 * notification badge counts up live on another page. Then, with A on the thread, a moderator
 * locks it and A's reply box turns into the locked notice without a reload.
 */
import { expect, fillReply, signIn, test, waitUntilLive } from "./support/fixtures";

test("a watcher's badge counts up live, and a lock replaces their reply box without a reload", async ({ browser, createMember, createThread }) => {
  const [alice, bob, moderator] = await Promise.all([
    createMember({ displayName: "Alice Watcher" }),
    createMember({ displayName: "Bob Replier" }),
    createMember({ displayName: "Mona Moderator", role: "moderator" }),
  ]);
  const threadId = await createThread("Watching and locking");
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  try {
    const [pageA, pageB, pageM] = await Promise.all(contexts.map((c) => c.newPage()));
    await Promise.all([signIn(pageA, alice), signIn(pageB, bob), signIn(pageM, moderator)]);

    // A watches the thread, then goes elsewhere.
    await pageA.goto(`/threads/${threadId}`);
    await waitUntilLive(pageA);
    const saved = pageA.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/threads/${threadId}`));
    await pageA.getByTestId("watch-level").selectOption("watching");
    await saved;
    await pageA.goto("/");
    await expect(pageA.getByTestId("notification-bell")).toBeVisible();
    await expect(pageA.getByTestId("notification-count")).toHaveCount(0);
    await pageA.evaluate(() => ((window as unknown as { __marker: string }).__marker = "no-reload"));

    // B replies: A's badge shows one unread notification, live.
    await pageB.goto(`/threads/${threadId}`);
    await waitUntilLive(pageB);
    await fillReply(pageB, "Gillette's community college retrained miners as wind technicians.");
    await pageB.getByRole("button", { name: "Post reply" }).click();
    await expect(pageB.getByTestId("reply")).toHaveCount(1);
    await expect(pageA.getByTestId("notification-count")).toHaveText("1", { timeout: 10_000 });

    // B mentions A: a second notification, so the badge counts up to 2.
    await expect(pageB.locator('[data-testid="reply-editor"][data-editor="rich"]')).toBeVisible();
    await pageB.locator("#reply-body").click();
    await pageB.keyboard.type("Thanks @Alice");
    await pageB.getByTestId("mention-list").getByText("Alice Watcher").click();
    await pageB.keyboard.type(" — what did Shanxi learn?");
    await pageB.getByRole("button", { name: "Post reply" }).click();
    await expect(pageB.getByTestId("reply")).toHaveCount(2);
    await expect(pageA.getByTestId("notification-count")).toHaveText("2", { timeout: 10_000 });
    expect(await pageA.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe("no-reload");

    // A opens the thread; the mention shows as a link to A's profile.
    await pageA.goto(`/threads/${threadId}`);
    await waitUntilLive(pageA);
    await expect(pageA.locator(`a.mention[href="/members/${alice.id}"]`)).toHaveText("@Alice Watcher");
    await expect(pageA.getByTestId("reply-form")).toBeVisible();
    await pageA.evaluate(() => ((window as unknown as { __marker: string }).__marker = "still-here"));

    // The moderator locks the thread: A's reply box is replaced by the locked notice, live.
    await pageM.goto(`/threads/${threadId}`);
    await waitUntilLive(pageM);
    await pageM.getByTestId("moderation-tools").locator("summary").click();
    await pageM.getByTestId("lock-thread").click();
    await expect(pageM.getByTestId("locked-notice")).toBeVisible();

    await expect(pageA.getByTestId("locked-notice")).toBeVisible({ timeout: 10_000 });
    await expect(pageA.getByTestId("reply-form")).toHaveCount(0);
    expect(await pageA.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe("still-here");
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
