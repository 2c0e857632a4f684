/**
 * Journeys that go through a mailbox, in Chromium: forgot password → the reset email (read from
 * the SMTP sink) → a new password → signed in, in English and in 中文; and an invitation email
 * → sign-up → signed in. Set E2E_SCREENSHOTS=<dir> to keep screenshots.
 */
import path from "node:path";
import { expect, signIn, test } from "./support/fixtures";
import { linkIn, waitForEmail } from "./support/mail";

const shots = process.env.E2E_SCREENSHOTS;

test("a member who forgot their password gets an email, sets a new password and is signed in", async ({ page, createMember }) => {
  const member = await createMember({ displayName: `Sam Forgetful ${Date.now()}` });
  await page.goto("/signin");
  await page.getByTestId("forgot-password").click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.locator('input[name="email"]').fill(member.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("reset-requested")).toBeVisible();
  if (shots) await page.screenshot({ path: path.join(shots, "forgot-password-en.png"), fullPage: true });

  const email = await waitForEmail(member.email, /^Reset your password$/);
  await page.goto(linkIn(email, "/reset-password"));
  await page.locator('input[name="password"]').fill("Brand-new-password-2026");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(member.displayName);
  await waitForEmail(member.email, /^Your password was changed$/);

  // Signed out, the new password signs in.
  await page.context().clearCookies();
  await signIn(page, { ...member, password: "Brand-new-password-2026" });
});

test("李伟 resets her password from a Chinese email in the Chinese interface", async ({ page, createMember }) => {
  const member = await createMember({ displayName: `李伟 ${Date.now()}`, locale: "zh" });
  await page.goto("/signin");
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByTestId("forgot-password").click();
  await expect(page.getByRole("heading", { name: "忘记密码了吗?" })).toBeVisible();
  await page.locator('input[name="email"]').fill(member.email);
  await page.getByRole("button", { name: "发送链接" }).click();
  await expect(page.getByTestId("reset-requested")).toContainText("一小时内有效");
  const email = await waitForEmail(member.email, /^重置您的密码$/);
  expect(email.text).toContain("您好");
  await page.goto(linkIn(email, "/reset-password"));
  await page.locator('input[name="password"]').fill("新的密码-Shanxi-2026");
  await page.getByRole("button", { name: "设置新密码" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(member.displayName);
  if (shots) await page.screenshot({ path: path.join(shots, "reset-done-zh.png"), fullPage: true });
});

test("an invited person follows the invitation email, signs up and is signed in", async ({ page, createMember }) => {
  const admin = await createMember({ role: "admin", displayName: `Admin Inviter ${Date.now()}` });
  await signIn(page, admin);
  const invitee = `invitee-${Date.now()}@example.org`;
  await page.goto("/admin/invitations");
  const form = page.getByTestId("invite-by-email");
  await form.locator('textarea[name="emails"]').fill(`${invitee}\nnot-an-address`);
  await form.locator('textarea[name="message"]').fill("Welcome to the network!");
  await form.getByRole("button", { name: "Send invitations" }).click();
  const results = page.getByTestId("invitation-results");
  await expect(results.locator('[data-outcome="sent"]')).toContainText(invitee);
  await expect(results.locator('[data-outcome="invalid"]')).toContainText("not-an-address");
  if (shots) await page.screenshot({ path: path.join(shots, "invitations-by-email-en.png"), fullPage: true });

  const email = await waitForEmail(invitee, /invites you to the Coal Regions Network/);
  expect(email.text).toContain("Welcome to the network!");
  expect(email.text).toContain("您受邀加入煤炭地区网络");
  await page.context().clearCookies();
  await page.goto(linkIn(email, "/signup"));
  await expect(page.locator('input[name="email"]')).toHaveValue(invitee);
  await page.locator('input[name="password"]').fill("Invited-and-joined-2026");
  await page.locator('input[name="displayName"]').fill("Nadia Newcomer");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("Nadia Newcomer");
});
