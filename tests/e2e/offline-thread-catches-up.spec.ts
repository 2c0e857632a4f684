/**
 * Catch-up after a reconnect, in the browser (issue #11, item 1): a thread page that loses the
 * network says so (in Chinese here), and when the network is back it shows every reply, edit,
 * hide and delete made meanwhile, in order and once each, without a reload; its notification
 * badge counts the mention made meanwhile. A case study's comments catch up likewise.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, signIn, test, waitUntilLive } from "./support/fixtures";

/** Runs a command through the JSON API as the page's member (the page's cookies, the site's Origin). */
async function command(request: APIRequestContext, baseURL: string, name: string, input: object) {
  const response = await request.post(`/api/commands/${name}`, { data: input, headers: { origin: new URL(baseURL).origin } });
  const body = (await response.json()) as { ok: boolean; result: { id?: string } };
  expect(body.ok, JSON.stringify(body)).toBe(true);
  return body.result;
}

/** The replies the page shows, as [post number, text]. */
async function shownReplies(page: Page) {
  return page.getByTestId("reply").evaluateAll((items) =>
    items.map((item) => [item.querySelector(".post-number")?.textContent ?? "", item.querySelector(".reply-body")?.textContent ?? ""]),
  );
}

test("a thread page offline, then online, shows everything that happened meanwhile without a reload", async ({ browser, baseURL, createMember, createThread }) => {
  const [reader, writer, moderator] = await Promise.all([
    createMember({ displayName: "陈读者", locale: "zh" }),
    createMember({ displayName: "Wanda Writer" }),
    createMember({ displayName: "Mona Moderator", role: "moderator" }),
  ]);
  const threadId = await createThread("Offline and back");
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  try {
    const [pageR, pageW, pageM] = await Promise.all(contexts.map((c) => c.newPage()));
    // The reader's saved language is Chinese: their pages are in Chinese once signed in.
    await Promise.all([signIn(pageR, reader), signIn(pageW, writer), signIn(pageM, moderator)]);
    const post = (text: string) => command(pageW.request, baseURL!, "reply.create", { threadId, body: text });
    const before = [await post("Before the outage, kept"), await post("Before the outage, to be edited")];

    await pageR.goto(`/threads/${threadId}`);
    await waitUntilLive(pageR);
    await expect(pageR.getByTestId("reply")).toHaveCount(2);
    await pageR.evaluate(() => ((window as unknown as { __marker: string }).__marker = "no-reload"));

    await contexts[0]!.setOffline(true);
    await expect(pageR.getByTestId("live-status")).toHaveAttribute("data-status", "offline");
    await expect(pageR.getByTestId("live-status")).toHaveText("已离线:恢复连接后将自动同步");

    const kept = await post("Posted while the reader was offline");
    // A mention of the reader, posted in another thread: only the badge can show it.
    const elsewhere = await createThread("Elsewhere");
    await command(pageW.request, baseURL!, "reply.create", {
      threadId: elsewhere,
      content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "mention", attrs: { id: reader.id, label: reader.displayName } }, { type: "text", text: " what do you think?" }] }] },
    });
    const hidden = await post("Posted while offline, then hidden");
    const deleted = await post("Posted while offline, then deleted");
    await command(pageW.request, baseURL!, "reply.edit", { replyId: before[1]!.id, body: "Before the outage, edited while offline" });
    await command(pageM.request, baseURL!, "reply.hide", { replyId: hidden.id, reason: "Off topic" });
    await command(pageW.request, baseURL!, "reply.delete", { replyId: deleted.id });
    expect(kept.id).toBeTruthy();

    await expect(pageR.getByTestId("notification-count")).toHaveCount(0);
    await contexts[0]!.setOffline(false);
    await waitUntilLive(pageR);
    await expect(pageR.getByTestId("reply")).toHaveCount(3);
    await expect(pageR.getByTestId("notification-count")).toHaveText("1");
    expect(await shownReplies(pageR)).toEqual([
      ["#1", "Before the outage, kept"],
      ["#2", "Before the outage, edited while offline"],
      ["#3", "Posted while the reader was offline"],
    ]);
    expect(await pageR.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe("no-reload");
    await pageR.screenshot({ path: "test-results/e2e/offline-thread-caught-up.png", fullPage: true });

    // And it is live again: the next reply arrives as it is posted.
    await post("After the reader came back");
    await expect(pageR.getByTestId("reply")).toHaveCount(4);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

test("a case study's comments catch up after the network comes back", async ({ browser, baseURL, createMember, db }) => {
  const [reader, commenter] = await Promise.all([createMember({ displayName: "Rita Reader" }), createMember({ displayName: "Colin Commenter" })]);
  const caseStudyId = `cs-${Date.now().toString(36)}`;
  await db.caseStudy.create({
    data: {
      id: caseStudyId,
      authorId: commenter.id,
      status: "published",
      publishedAt: new Date(),
      versions: {
        create: {
          id: `${caseStudyId}-en`,
          language: "en",
          title: "Retraining miners in Gillette",
          content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Wind technicians." }] }] },
          text: "Wind technicians.",
          authorId: commenter.id,
        },
      },
    },
  });
  const [contextR, contextC] = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [pageR, pageC] = await Promise.all([contextR.newPage(), contextC.newPage()]);
    await Promise.all([signIn(pageR, reader), signIn(pageC, commenter)]);
    await pageR.goto(`/case-studies/${caseStudyId}`);
    // The page follows the case study's comments once its socket has joined their room.
    await expect(pageR.getByTestId("case-study-comments")).toHaveAttribute("data-live", "true");
    await pageR.evaluate(() => ((window as unknown as { __marker: string }).__marker = "no-reload"));

    // Live: a comment shows without a reload.
    await command(pageC.request, baseURL!, "caseStudyComment.create", { caseStudyId, body: "First, while you watch." });
    await expect(pageR.getByTestId("comment")).toHaveCount(1);

    await contextR.setOffline(true);
    await expect(pageR.getByTestId("case-study-comments")).toHaveAttribute("data-live", "false");
    await command(pageC.request, baseURL!, "caseStudyComment.create", { caseStudyId, body: "Second, while you were offline." });
    await contextR.setOffline(false);
    await expect(pageR.getByTestId("comment")).toHaveCount(2);
    await expect(pageR.getByTestId("comment").last()).toContainText("Second, while you were offline.");
    expect(await pageR.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe("no-reload");
  } finally {
    await Promise.all([contextR.close(), contextC.close()]);
  }
});
