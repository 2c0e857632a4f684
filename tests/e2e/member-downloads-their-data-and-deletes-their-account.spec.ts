/**
 * A member downloads their data from settings (a JSON file with their profile and replies) and
 * then, in 中文, deletes their account with their password: they are signed out, cannot sign
 * in again, and their reply stays in its thread as "Deleted member" / "已删除的成员".
 * Set E2E_SCREENSHOTS=<dir> to keep screenshots.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, fillReply, signIn, test, waitUntilLive } from "./support/fixtures";

const shots = process.env.E2E_SCREENSHOTS;

test("a member downloads their data and deletes their account", async ({ page, createMember, createThread, db }) => {
  const member = await createMember({ displayName: `Jordan Leaving ${Date.now()}` });
  const threadId = await createThread("Farewell thread");
  await signIn(page, member);

  // A reply to find in the export and, later, under "Deleted member".
  await page.goto(`/threads/${threadId}`);
  await waitUntilLive(page);
  await fillReply(page, "My last words on mine water.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.locator(".reply").filter({ hasText: "My last words on mine water." })).toBeVisible();

  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Your data" })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-data").click()]);
  expect(download.suggestedFilename()).toMatch(/^coal-regions-network-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(await readFile((await download.path())!, "utf8")) as { profile: { email: string }; replies: { text: string }[] };
  expect(data.profile.email).toBe(member.email);
  expect(data.replies.map((r) => r.text)).toContain("My last words on mine water.");
  if (shots) await page.screenshot({ path: path.join(shots, "settings-data-en.png"), fullPage: true });

  // In Chinese: a wrong password first, then the right one.
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const form = page.getByTestId("delete-account-form");
  await form.getByLabel("请输入密码以确认").fill("not-my-password");
  await form.getByRole("button", { name: "删除我的账户" }).click();
  await expect(form).toContainText("当前密码不正确。");
  await form.getByLabel("请输入密码以确认").fill(member.password);
  if (shots) await page.screenshot({ path: path.join(shots, "settings-delete-zh.png"), fullPage: true });
  await form.getByRole("button", { name: "删除我的账户" }).click();
  await expect(page.getByTestId("account-deleted")).toContainText("您的账户已删除");
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
  expect(await db.user.count({ where: { id: member.id } })).toBe(0);

  // Signing in again is refused.
  await page.goto("/signin");
  await page.locator('input[name="email"]').fill(member.email);
  await page.locator('input[name="password"]').fill(member.password);
  await page.locator("main").getByRole("button", { name: "登录" }).click();
  await expect(page.locator(".field-error")).toBeVisible();

  // The reply stays, under "Deleted member", for another member reading in English.
  const reader = await createMember({ displayName: "Reader Ray" });
  await page.getByTestId("language-switch").click();
  await signIn(page, reader);
  await page.goto(`/threads/${threadId}`);
  const reply = page.locator(".reply").filter({ hasText: "My last words on mine water." });
  await expect(reply).toContainText("Deleted member");
  await expect(page.locator("main")).not.toContainText(member.displayName);
  if (shots) await page.screenshot({ path: path.join(shots, "thread-deleted-member-en.png"), fullPage: true });
});
