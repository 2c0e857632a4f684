/**
 * Invitations, password resets, the "password changed" notice and the test email, received over
 * real SMTP by a sink and read with mailparser: subject, text and HTML parts in the right
 * language, links absolute to PUBLIC_URL that work when followed over HTTP, no List-Unsubscribe
 * on these essential emails. The reset token is single use, expires, and a newer request
 * replaces it; an unknown address gets the same page and no email.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { findSetCookie, get, pageText, postForm } from "../helpers/http";
import { linkTo, startMailSink, type MailSink } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

describe("invitations and password resets by email", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let sink: MailSink;
  let admin: TestMember;
  let adminCookie: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    sink = await startMailSink();
    server = await startServer({ databaseUrl: database.url, env: { SMTP_URL: sink.url, EMAIL_DELAY_SECONDS: "1" } });
    admin = await createMember(db, { role: "admin", displayName: "Sarah Admin" });
    adminCookie = (await signIn(server.url, admin.email, admin.password)).cookie;
  });

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("invites each address of a list by email, reports every other line on its own, and the email's link signs a person up", async () => {
    const existing = await createMember(db, { email: "already.here@test.example" });
    const form = {
      intent: "invitation.send",
      emails: ["li.wei@test.example", "not an address", "LI.WEI@test.example", existing.email, "sam@test.example"].join("\n"),
      role: "member",
      expiresInDays: "7",
      message: "Looking forward to the Shanxi dialogue.",
      locale: "zh",
    };
    const response = await postForm(server.url, "/admin/invitations", form, { cookie: adminCookie });
    expect(response.status).toBe(200);
    const text = pageText(response.body);
    expect(text).toMatch(/li\.wei@test\.example — invitation sent/);
    expect(text).toMatch(/not an address — not a valid email address/);
    expect(text).toMatch(/LI\.WEI@test\.example — already in the list above/);
    expect(text).toMatch(/already\.here@test\.example — already a member/);
    expect(text).toMatch(/sam@test\.example — invitation sent/);

    const mail = await sink.waitFor((m) => m.to.includes("li.wei@test.example"));
    // Both languages, the inviter's choice (Chinese) first.
    expect(mail.subject).toBe("Sarah Admin 邀请您加入煤炭地区网络 / Sarah Admin invites you to the Coal Regions Network");
    expect(mail.text.indexOf("您受邀加入煤炭地区网络")).toBeGreaterThan(-1);
    expect(mail.text.indexOf("您受邀加入煤炭地区网络")).toBeLessThan(mail.text.indexOf("You are invited to the Coal Regions Network"));
    expect(mail.text).toContain("Looking forward to the Shanxi dialogue.");
    expect(mail.html).toContain("Looking forward to the Shanxi dialogue.");
    expect(mail.html).toMatch(/<html[^>]*lang="en"/);
    expect(mail.html).not.toMatch(/<img/i);
    expect(mail.header("list-unsubscribe")).toBe("");
    expect(mail.header("message-id")).toMatch(/^<[a-z0-9]+@localhost>$/);

    const link = linkTo(mail, "/signup");
    expect(link.startsWith(server.url)).toBe(true);
    const page = await get(server.url, new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(200);
    expect(page.body).toContain('value="li.wei@test.example"');
    const token = new URL(link).searchParams.get("invitation")!;
    const signup = await postForm(server.url, "/signup", { invitation: token, email: "li.wei@test.example", password: "Coal-and-wind-2026", displayName: "Li Wei", locale: "zh" });
    expect(signup.status).toBe(302);
    expect(findSetCookie(signup, "crn_session")).toBeDefined();
    expect(await sink.waitFor((m) => m.to.includes("sam@test.example"))).toBeDefined();

    // The admin page shows each invitation's state.
    const list = pageText((await get(server.url, "/admin/invitations", { cookie: adminCookie })).body);
    expect(list).toMatch(/li\.wei@test\.example Member .*Accepted/);
  });

  it("sends an invitation again with a fresh link, and the earlier link stops working", async () => {
    await postForm(server.url, "/admin/invitations", { intent: "invitation.send", emails: "resend.me@test.example", role: "member", expiresInDays: "14", locale: "en" }, { cookie: adminCookie });
    const first = await sink.waitFor((m) => m.to.includes("resend.me@test.example"));
    const invitation = await db.invitation.findFirstOrThrow({ where: { email: "resend.me@test.example" } });
    const resent = await postForm(server.url, "/admin/invitations", { intent: "invitation.resend", invitationId: invitation.id }, { cookie: adminCookie });
    expect(resent.status).toBe(302);
    const [, second] = await sink.waitForCount((m) => m.to.includes("resend.me@test.example"), 2);
    expect(first.subject).toMatch(/^Sarah Admin invites you to the Coal Regions Network \/ /);
    const oldLink = linkTo(first, "/signup");
    const newLink = linkTo(second, "/signup");
    expect(newLink).not.toBe(oldLink);
    expect(pageText((await get(server.url, new URL(oldLink).pathname + new URL(oldLink).search)).body)).toMatch(/not valid|invalid/i);
    expect((await get(server.url, new URL(newLink).pathname + new URL(newLink).search)).body).toContain('name="password"');
  });

  it("resets a forgotten password from a Chinese email, once, ending every session and sending the notice", async () => {
    const member = await createMember(db, { locale: "zh", displayName: "李伟", region: "shanxi" });
    const otherSession = await signIn(server.url, member.email, member.password);

    const unknown = await postForm(server.url, "/forgot-password", { email: "nobody@test.example" });
    const known = await postForm(server.url, "/forgot-password", { email: member.email.toUpperCase() });
    // The same answer for both.
    expect([unknown.status, unknown.location]).toEqual([302, "/forgot-password?sent=1"]);
    expect([known.status, known.location]).toEqual([302, "/forgot-password?sent=1"]);

    const mail = await sink.waitFor((m) => m.to.includes(member.email) && /重置/.test(m.subject));
    expect(mail.subject).toBe("重置您的密码");
    expect(mail.text).toContain("李伟,您好");
    expect(mail.html).toContain("设置新密码");
    expect(mail.header("list-unsubscribe")).toBe("");
    const link = linkTo(mail, "/reset-password");
    const path = new URL(link).pathname + new URL(link).search;
    expect((await get(server.url, path)).body).toContain('name="password"');
    const token = new URL(link).searchParams.get("token")!;
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    // Only the hash is stored.
    expect(await db.passwordResetToken.count({ where: { tokenHash: token } })).toBe(0);

    const reset = await postForm(server.url, "/reset-password", { token, password: "A-new-password-for-Li" });
    expect(reset.status).toBe(302);
    expect(findSetCookie(reset, "crn_session")).toBeDefined();
    // The other session ended.
    expect((await get(server.url, "/settings", { cookie: otherSession.cookie })).status).toBe(302);
    await signIn(server.url, member.email, "A-new-password-for-Li");
    // Single use.
    const again = await postForm(server.url, "/reset-password", { token, password: "Yet-another-password-9" });
    expect(again.status).toBe(400);
    expect(pageText(again.body)).toContain("This password reset link is not valid");

    const notice = await sink.waitFor((m) => m.to.includes(member.email) && m.subject === "您的密码已更改");
    expect(notice.text).toContain("其他所有设备上的登录均已退出");
    expect(linkTo(notice, "/forgot-password").startsWith(server.url)).toBe(true);
    // The unknown address got nothing.
    expect(sink.messages.some((m) => m.to.includes("nobody@test.example"))).toBe(false);
  });

  it("lets a reset link work for one hour only, and only the newest of several", async () => {
    const member = await createMember(db, { locale: "en" });
    await postForm(server.url, "/forgot-password", { email: member.email });
    const first = await sink.waitFor((m) => m.to.includes(member.email) && m.subject === "Reset your password");
    await postForm(server.url, "/forgot-password", { email: member.email });
    const [, second] = await sink.waitForCount((m) => m.to.includes(member.email) && m.subject === "Reset your password", 2);
    const tokenOf = (mail: typeof first) => new URL(linkTo(mail, "/reset-password")).searchParams.get("token")!;
    // The newer request replaced the older link.
    const replaced = await postForm(server.url, "/reset-password", { token: tokenOf(first), password: "Replaced-link-password-1" });
    expect(replaced.status).toBe(400);
    // An hour later the newest one is no good either.
    await db.passwordResetToken.updateMany({ where: { userId: member.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await get(server.url, `/reset-password?token=${tokenOf(second)}`);
    expect(pageText(expired.body)).toMatch(/not valid: it was used, it expired/);
    const refused = await postForm(server.url, "/reset-password", { token: tokenOf(second), password: "Expired-link-password-1" });
    expect(refused.status).toBe(400);
  });

  it("gives a deactivated account no reset email, and an admin's test email arrives", async () => {
    const member = await createMember(db);
    const after = await createMember(db);
    await db.user.update({ where: { id: member.id }, data: { deactivatedAt: new Date() } });
    await postForm(server.url, "/forgot-password", { email: member.email });
    // One worker takes "forgot password" requests in order: once the later one's email is here,
    // the deactivated member's request has been handled.
    await postForm(server.url, "/forgot-password", { email: after.email });
    await sink.waitFor((m) => m.to.includes(after.email));
    expect(await db.passwordResetToken.count({ where: { userId: member.id } })).toBe(0);
    expect(sink.messages.some((m) => m.to.includes(member.email))).toBe(false);

    const test = await postForm(server.url, "/admin/email", { intent: "email.sendTest", to: "" }, { cookie: adminCookie });
    expect(test.status).toBe(302);
    const mail = await sink.waitFor((m) => m.to.includes(admin.email) && m.subject === "Test email from the Coal Regions Network");
    expect(mail.text).toContain("Email delivery works");
    const page = pageText((await get(server.url, "/admin/email", { cookie: adminCookie })).body);
    expect(page).toMatch(/Test email from the Coal Regions Network/);
  });
});
