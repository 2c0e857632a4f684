/**
 * The rest of the email kinds, over real SMTP: the daily and weekly digests at 08:00 in the
 * member's zone (Asia/Shanghai from Shanxi, America/Denver from Wyoming) with the dialogues of
 * the next two weeks in U.S. and Beijing time, and none when nothing is new; the reminder the day
 * before a dialogue; changing one's address (a link to the new one, a notice to the old one,
 * nothing changes until it is followed); a participation decision. And without SMTP_URL: the
 * server says where emails go, each one is kept rendered at /admin/email, and its link works.
 */
import type { PrismaClient } from "@prisma/client";
import { TZDate } from "@date-fns/tz";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { linkTo, startMailSink, type MailSink } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

const HOUR = 60 * 60 * 1000;

/** The latest Monday 08:00 in `zone` that is not in the future. */
function lastMondayEight(zone: string): Date {
  const now = new TZDate(Date.now(), zone);
  let slot = new TZDate(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7), 8, 0, 0, zone);
  if (slot.getTime() > now.getTime()) slot = new TZDate(slot.getFullYear(), slot.getMonth(), slot.getDate() - 7, 8, 0, 0, zone);
  return new Date(slot.getTime());
}

/** The latest 08:00 in Shanghai (00:00 UTC) that is not in the future. */
function lastShanghaiEight(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

describe("digests, reminders, address changes, decisions", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let sink: MailSink;

  const backdatedThread = async (authorId: string, dialogueSlug: string, title: string, at: Date, replies: number) => {
    const dialogue = await dialogueBySlug(db, dialogueSlug);
    const thread = await insertThread(db, { authorId, dialogueId: dialogue.id, title, lastActivityAt: at });
    await insertReplies(db, thread.id, Array.from({ length: replies }, (_, i) => ({ authorId, text: `${title} post ${i + 1}` })));
    await db.reply.updateMany({ where: { threadId: thread.id }, data: { createdAt: new Date(at.getTime() + 60_000) } });
    return thread;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    sink = await startMailSink();
    server = await startServer({ databaseUrl: database.url, env: { SMTP_URL: sink.url, EMAIL_TICK_SECONDS: "2", EMAIL_DELAY_SECONDS: "1" } });
    const dailySlot = lastShanghaiEight();
    const weeklySlot = lastMondayEight("America/Denver");
    // New members are not due (they joined after the last slot) until backdated, last of all.
    const writer = await createMember(db, { displayName: "Writer" });
    const li = await createMember(db, { email: "li.digest@test.example", displayName: "李伟", locale: "zh", region: "shanxi" });
    const sarah = await createMember(db, { email: "sarah.digest@test.example", displayName: "Sarah", region: "wyoming" });
    const tom = await createMember(db, { email: "tom.digest@test.example", displayName: "Tom", region: "shaanxi" });
    await backdatedThread(writer.id, "2024-09-23-economic-diversification", "Shanxi hydrogen corridor", new Date(dailySlot.getTime() - 6 * HOUR), 3);
    await backdatedThread(writer.id, "just-transition-study", "Wyoming carbon capture jobs", new Date(weeklySlot.getTime() - 24 * HOUR), 2);
    // A dialogue in five days, for the digest's "next two weeks".
    await db.dialogue.update({ where: { slug: "2025-dialogue-3" }, data: { startsAt: new Date(Date.now() + 5 * 24 * HOUR), status: "scheduled" } });
    await db.user.update({ where: { id: li.id }, data: { digestFrequency: "daily", createdAt: new Date(dailySlot.getTime() - 3 * 24 * HOUR) } });
    await db.user.update({ where: { id: sarah.id }, data: { createdAt: new Date(weeklySlot.getTime() - 30 * 24 * HOUR) } });
    // Tom (Shaanxi: Asia/Shanghai) joined an hour before his Monday 08:00: nothing happened since.
    await db.user.update({ where: { id: tom.id }, data: { createdAt: new Date(lastMondayEight("Asia/Shanghai").getTime() - HOUR) } });
  });

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("sends a daily Chinese digest at 08:00 Beijing time and a weekly English one at Monday 08:00 Denver time, and none when nothing is new", async () => {
    const li = await sink.waitFor((m) => m.to.includes("li.digest@test.example"));
    expect(li.subject).toMatch(/^您的每日摘要:/);
    expect(li.text).toContain("您所在地区的新讨论");
    expect(li.text).toContain("Shanxi hydrogen corridor");
    expect(li.text).not.toContain("Wyoming carbon capture jobs");
    expect(li.text).toContain("未来两周的对话");
    expect(li.text).toMatch(/美国时间:.*北京时间:/s);
    expect(li.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const open = linkTo(li, "/threads/");
    expect(open.startsWith(server.url)).toBe(true);

    const sarah = await sink.waitFor((m) => m.to.includes("sarah.digest@test.example"));
    expect(sarah.subject).toMatch(/^Your weekly digest: /);
    expect(sarah.text).toContain("Wyoming carbon capture jobs");
    expect(sarah.text).not.toContain("Shanxi hydrogen corridor");
    expect(sarah.text).toMatch(/U\.S\.: .*Beijing: .*Your time: .*MST|Your time: .*MDT/s);

    // Tom's digest came due too, found nothing new, and moved on without an email.
    await expect.poll(async () => (await db.user.findUniqueOrThrow({ where: { email: "tom.digest@test.example" } })).lastDigestAt, { timeout: 30_000 }).not.toBeNull();
    expect(sink.messages.some((m) => m.to.includes("tom.digest@test.example"))).toBe(false);
    // Each member got exactly one: the next slot is in the future.
    expect(sink.messages.filter((m) => m.to.includes("li.digest@test.example"))).toHaveLength(1);
  });

  it("reminds a member following a dialogue the day before it starts", async () => {
    const member = await createMember(db, { email: "reminded@test.example", locale: "zh" });
    const dialogue = await db.dialogue.update({ where: { slug: "2024-12-climate-finance" }, data: { startsAt: new Date(Date.now() + 20 * HOUR), status: "scheduled", remindedAt: null } });
    const cookie = (await signIn(server.url, member.email, member.password)).cookie;
    expect((await apiCommand(server.url, "category.watch", { categoryKey: `dialogue:${dialogue.id}`, level: "watching" }, { cookie })).code).toBe("ok");
    // The reminder goes when the dialogue is claimed; it was just moved, so it is claimed now.
    await db.dialogue.update({ where: { id: dialogue.id }, data: { remindedAt: null } });
    const mail = await sink.waitFor((m) => m.to.includes("reminded@test.example"));
    expect(mail.subject).toBe(`明天:${dialogue.titleZh}`);
    expect(mail.text).toMatch(/美国时间:.*北京时间:/s);
    expect(linkTo(mail, `/dialogues/${dialogue.slug}`).startsWith(server.url)).toBe(true);
  });

  it("changes an address only once the link sent to the new one is followed, and tells the old one", async () => {
    const member = await createMember(db, { email: "old.address@test.example", displayName: "Mover" });
    const cookie = (await signIn(server.url, member.email, member.password)).cookie;
    const wrong = await postForm(server.url, "/settings", { intent: "email.change", newEmail: "new.address@test.example", password: "not-my-password" }, { cookie });
    expect(wrong.status).toBe(400);
    const asked = await postForm(server.url, "/settings", { intent: "email.change", newEmail: "New.Address@test.example", password: member.password }, { cookie });
    expect(asked.status).toBe(302);
    const confirm = await sink.waitFor((m) => m.to.includes("new.address@test.example"));
    const notice = await sink.waitFor((m) => m.to.includes("old.address@test.example"));
    expect(confirm.subject).toBe("Confirm your new email address");
    expect(notice.subject).toBe("A change of your email address was requested");
    expect(notice.text).toContain("new.address@test.example");
    expect(confirm.header("list-unsubscribe")).toBe("");
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).email).toBe("old.address@test.example");
    const link = new URL(linkTo(confirm, "/email/confirm"));
    expect(pageText((await get(server.url, link.pathname + link.search)).body)).toContain("Use new.address@test.example as the address of your account");
    const done = await postForm(server.url, "/email/confirm", { token: link.searchParams.get("token")! });
    expect(done.status).toBe(302);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).email).toBe("new.address@test.example");
    await signIn(server.url, "new.address@test.example", member.password);
    // Single use.
    expect((await postForm(server.url, "/email/confirm", { token: link.searchParams.get("token")! })).status).toBe(400);
  });

  it("emails a requester, in the language they asked in, when a moderator accepts their request", async () => {
    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    const zh = await languageCookie(server.url, "zh");
    const asked = await postForm(server.url, `/dialogues/${dialogue.slug}`, { name: "赵敏", email: "zhao.min@test.example", organisation: "山西大学", message: "希望参加。" }, { cookie: zh });
    expect(asked.status).toBeLessThan(400);
    const request = await db.participationRequest.findFirstOrThrow({ where: { email: "zhao.min@test.example" } });
    expect(request.locale).toBe("zh");
    const moderator = await createMember(db, { role: "moderator" });
    const cookie = (await signIn(server.url, moderator.email, moderator.password)).cookie;
    const decided = await postForm(server.url, "/moderation/requests", { requestId: request.id, decision: "approved", note: "欢迎!会议链接稍后发送。" }, { cookie });
    expect(decided.status).toBe(302);
    const mail = await sink.waitFor((m) => m.to.includes("zhao.min@test.example"));
    const { titleZh } = await db.dialogue.findUniqueOrThrow({ where: { id: dialogue.id } });
    expect(mail.subject).toBe(`关于您参加“${titleZh}”的申请`);
    expect(mail.text).toContain("已获接受");
    expect(mail.text).toContain("欢迎!会议链接稍后发送。");
    const again = await postForm(server.url, "/moderation/requests", { requestId: request.id, decision: "declined" }, { cookie });
    expect(again.status).toBe(409);
  });
});

describe("without SMTP", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url, env: { SMTP_URL: undefined } });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("says so once at start, keeps every email rendered at /admin/email, and its link works", async () => {
    expect(server.output().match(/Email is not being delivered/g)).toHaveLength(1);
    expect(server.output()).toContain("/admin/email");
    const admin = await createMember(db, { role: "admin" });
    const cookie = (await signIn(server.url, admin.email, admin.password)).cookie;
    await postForm(server.url, "/admin/invitations", { intent: "invitation.send", emails: "trial@test.example", role: "member", expiresInDays: "7", locale: "en" }, { cookie });
    await expect.poll(async () => (await db.emailMessage.findFirst({ where: { toAddress: "trial@test.example" } }))?.status, { timeout: 30_000 }).toBe("held");
    const row = await db.emailMessage.findFirstOrThrow({ where: { toAddress: "trial@test.example" } });
    const list = pageText((await get(server.url, "/admin/email?state=held", { cookie })).body);
    expect(list).toContain("Email is not being delivered: SMTP_URL is not set");
    expect(list).toContain("trial@test.example");
    const page = await get(server.url, `/admin/email/${row.id}`, { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-testid="email-html"');
    const link = /href="(http:\/\/localhost:\d+\/signup\?invitation=[^"]+)"/.exec(page.body)?.[1];
    expect(link).toBeTruthy();
    const signup = await get(server.url, new URL(link!).pathname + new URL(link!).search);
    expect(signup.body).toContain('value="trial@test.example"');
  });
});
