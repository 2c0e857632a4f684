/**
 * An admin finds a member at /admin/members (reached from the header's Admin link) and changes
 * their role, with a reason, in English and then in 中文; the list and the member's page follow,
 * and the staff log records both changes. Set E2E_SCREENSHOTS=<dir> to keep screenshots.
 */
import path from "node:path";
import { expect, signIn, test } from "./support/fixtures";

const shots = process.env.E2E_SCREENSHOTS;

test("an admin changes a member's role, in English and in Chinese", async ({ page, createMember, db }) => {
  const admin = await createMember({ role: "admin", displayName: "Avery Admin" });
  const member = await createMember({ displayName: `Robin Rolechange ${Date.now()}` });
  await signIn(page, admin);

  await page.getByTestId("nav-admin").click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Administration" })).toBeVisible();
  const sections = page.getByTestId("admin-sections");
  for (const name of ["Members", "Invitations", "Case-study topics", "Staff log"]) await expect(sections.getByRole("link", { name, exact: true })).toBeVisible();
  await sections.getByRole("link", { name: "Members", exact: true }).click();

  const filters = page.getByTestId("admin-member-filters");
  await filters.getByLabel("Name or email").fill("Rolechange");
  await filters.getByRole("button", { name: "Show members" }).click();
  await expect(page.getByTestId("admin-member")).toHaveCount(1);
  if (shots) await page.screenshot({ path: path.join(shots, "admin-members-en.png"), fullPage: true });
  await page.getByRole("link", { name: member.displayName }).click();

  const roleForm = page.getByTestId("role-form");
  await roleForm.getByLabel("New role").selectOption("moderator");
  await roleForm.getByLabel("Reason (recorded in the staff log)").fill("Moderates the Shanxi threads");
  await roleForm.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByTestId("admin-member-saved")).toHaveText("The role was changed.");
  await expect(page.getByTestId("admin-member-current-role")).toHaveText("Moderator");
  if (shots) await page.screenshot({ path: path.join(shots, "admin-member-en.png"), fullPage: true });
  expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("moderator");

  // 中文: the same page, and the change back.
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const zhForm = page.getByTestId("role-form");
  await expect(page.getByTestId("admin-member-current-role")).toHaveText("版主");
  await zhForm.getByLabel("新角色").selectOption("member");
  await zhForm.getByLabel("原因(记入管理操作日志)").fill("任期结束");
  await zhForm.getByRole("button", { name: "更改角色" }).click();
  await expect(page.getByTestId("admin-member-saved")).toHaveText("角色已更改。");
  await expect(page.getByTestId("admin-member-current-role")).toHaveText("成员");
  if (shots) await page.screenshot({ path: path.join(shots, "admin-member-zh.png"), fullPage: true });

  // A reason is required: the browser says so before anything is sent.
  await zhForm.getByRole("button", { name: "更改角色" }).click();
  expect(await zhForm.getByLabel("原因(记入管理操作日志)").evaluate((input: HTMLInputElement) => input.validity.valueMissing)).toBe(true);
  await expect(page.getByTestId("admin-member-current-role")).toHaveText("成员");

  // The staff log, linked from /admin, has both changes with their reasons.
  await page.goto("/admin");
  await page.getByTestId("admin-sections").getByRole("link", { name: "管理操作日志" }).click();
  const rows = page.getByTestId("staff-action").filter({ hasText: member.displayName });
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("任期结束");
  await expect(rows.last()).toContainText("Moderates the Shanxi threads");
});
