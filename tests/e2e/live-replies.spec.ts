/**
 * Two members, two browsers, one thread: a reply posted by B appears on A's page over the
 * socket, without A's page reloading or navigating, and A sees two viewers.
 */
import { expect, fillReply, signIn, test, waitUntilLive } from "./support/fixtures";

test("a reply posted by one member appears live for another, without a reload", async ({ browser, createMember, createThread }) => {
  const [alice, bob] = await Promise.all([
    createMember({ displayName: "Alice Appalachia" }),
    createMember({ displayName: "Bo Shanxi" }),
  ]);
  const threadId = await createThread("Live replies");

  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  try {
    const pageA = await contextA.newPage();
    const pageB = await contextB.newPage();
    await signIn(pageA, alice);
    await signIn(pageB, bob);

    await pageA.goto(`/threads/${threadId}`);
    await pageB.goto(`/threads/${threadId}`);
    await Promise.all([waitUntilLive(pageA), waitUntilLive(pageB)]);

    // Both members are in the room; A's count updates through presence.
    await expect(pageA.getByTestId("viewer-count")).toHaveAttribute("data-count", "2");
    await expect(pageB.getByTestId("viewer-count")).toHaveAttribute("data-count", "2");
    await expect(pageA.getByTestId("reply")).toHaveCount(0);

    // Anything that reloads or navigates A's page would lose this marker or change the URL.
    const urlA = pageA.url();
    await pageA.evaluate(() => {
      (window as unknown as { __e2eMarker?: string }).__e2eMarker = "still-here";
    });
    let navigationsA = 0;
    pageA.on("framenavigated", (frame) => {
      if (frame === pageA.mainFrame()) navigationsA++;
    });
    let documentRequestsA = 0;
    pageA.on("request", (request) => {
      if (request.resourceType() === "document" || request.url().includes(".data") || request.url().includes("_data=")) documentRequestsA++;
    });

    const body = `Wyoming's experience with carbon capture, posted at ${Date.now()}`;
    await fillReply(pageB, body);
    await pageB.getByRole("button", { name: "Post reply" }).click();
    // B's own page shows the reply (after its form action's redirect) …
    await expect(pageB.getByTestId("reply").filter({ hasText: body })).toHaveCount(1);

    // … and A's page receives it over the socket.
    const liveReply = pageA.locator('ol[data-testid="replies"] > li[data-testid="reply"]').filter({ hasText: body });
    await expect(liveReply).toHaveCount(1, { timeout: 10_000 });
    await expect(liveReply).toContainText("Bo Shanxi");

    expect(await pageA.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe("still-here");
    expect(pageA.url()).toBe(urlA);
    expect(navigationsA).toBe(0);
    expect(documentRequestsA).toBe(0);
    await expect(pageA.getByTestId("live-status")).toHaveAttribute("data-status", "live");
    await expect(pageA.getByTestId("viewer-count")).toHaveAttribute("data-count", "2");
    await expect(pageA.getByTestId("viewer-count")).toContainText("2");

    // The reply is shown once on each page (no duplicate from the live event).
    await expect(pageA.getByTestId("reply")).toHaveCount(1);
    await expect(pageB.getByTestId("reply")).toHaveCount(1);
  } finally {
    await contextA.close();
    await contextB.close();
  }
});
