/**
 * What a newcomer found and what now holds: error pages are pages of the site (header, footer,
 * the reader's language, a title) for unknown paths and unknown objects alike; a search result
 * carries the language badges of its text, not both; the moderation tools say what each action
 * does and deleting a thread from the page needs its confirmation; a day staff pick (pin until,
 * suspend until) is that day in the picker's time zone.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, insertThread, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("pages a newcomer meets", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: TestMember;
  let memberSession: SignedIn;
  let moderatorSession: SignedIn;
  let zh: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const [m, mod] = await Promise.all([createMember(db, { displayName: "Dana Newcomer" }), createMember(db, { role: "moderator" })]);
    member = m;
    [memberSession, moderatorSession] = await Promise.all([signIn(server.url, m.email, m.password), signIn(server.url, mod.email, mod.password)]);
    zh = await languageCookie(server.url, "zh");
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  describe("error pages", () => {
    it("answer an unknown path with a 404 page inside the layout, in Chinese for a Chinese reader", async () => {
      const page = await get(server.url, "/no-such-page", { cookie: zh });
      expect(page.status).toBe(404);
      expect(page.body).toContain('<html lang="zh-CN"');
      expect(page.body).toMatch(/<title>找不到页面 · 煤炭地区网络<\/title>/);
      const text = pageText(page.body);
      expect(text).toContain("找不到页面");
      expect(text).toContain("返回对话项目");
      expect(page.body).toContain('class="site-header"');
      expect(page.body).toContain('class="site-footer"');
      expect(text).not.toContain("We could not find that page");
    });

    it("keep the signed-in member's header and English for an English reader", async () => {
      const page = await get(server.url, "/no/such/page", { cookie: memberSession.cookie });
      expect(page.status).toBe(404);
      expect(page.body).toContain('<html lang="en"');
      expect(page.body).toMatch(/<title>Page not found · Coal Regions Network<\/title>/);
      expect(pageText(page.body)).toContain("Dana Newcomer");
    });

    it("answer an unknown thread the same way, in the reader's language", async () => {
      const page = await get(server.url, "/threads/doesnotexist000000000000", { cookie: `${memberSession.cookie}; ${zh}` });
      expect(page.status).toBe(404);
      expect(page.body).toContain('<html lang="zh-CN"');
      expect(pageText(page.body)).toContain("找不到该页面。");
    });
  });

  it("badges a search result with the languages its text is written in", async () => {
    const word = `ccus${uniqueSuffix().toLowerCase().replace(/[^a-z]/g, "")}`;
    const thread = await insertThread(db, { authorId: member.id, title: `Thread ${word}` });
    for (const body of [`我们讨论了${word}技术在山西和内蒙古的应用前景与挑战。`, `The ${word} pilot retrained two hundred miners in Gillette.`]) {
      expect((await apiCommand(server.url, "reply.create", { threadId: thread.id, body }, { cookie: memberSession.cookie })).code).toBe("ok");
    }
    const page = await get(server.url, `/search?q=${word}&type=reply`, { cookie: memberSession.cookie });
    const hits = [...page.body.matchAll(/<li[^>]*data-testid="search-hit"[\s\S]*?<\/li>/g)].map((m) => m[0]);
    expect(hits).toHaveLength(2);
    const badges = hits.map((hit) => [...hit.matchAll(/data-language="(en|zh)"/g)].map((m) => m[1]));
    expect(badges.sort()).toEqual([["en"], ["zh"]]);
  });

  describe("moderation tools", () => {
    it("explain each action and where its reason goes, in both languages", async () => {
      const thread = await insertThread(db, { authorId: member.id });
      const en = pageText((await get(server.url, `/threads/${thread.id}`, { cookie: moderatorSession.cookie })).body);
      expect(en).toContain("No one can reply until the thread is unlocked");
      expect(en).toContain("Reason (sent to the thread's author and kept in the staff log)");
      expect(en).toContain("I understand that this deletes the thread and all its replies for everyone.");
      const chinese = pageText((await get(server.url, `/threads/${thread.id}`, { cookie: `${moderatorSession.cookie}; ${zh}` })).body);
      expect(chinese).toContain("解锁之前任何人都不能回复");
      expect(chinese).toContain("原因(发送给主题作者并记入管理日志)");
    });

    it("refuse to delete a thread from the page without the confirmation, and delete it with", async () => {
      const thread = await insertThread(db, { authorId: member.id });
      const refused = await postForm(server.url, `/threads/${thread.id}`, { intent: "thread.delete", reason: "spam" }, { cookie: moderatorSession.cookie });
      expect(refused.status).toBe(400);
      expect(pageText(refused.body)).toContain("Tick the box to confirm.");
      expect((await db.thread.findUniqueOrThrow({ where: { id: thread.id } })).deletedAt).toBeNull();

      const deleted = await postForm(server.url, `/threads/${thread.id}`, { intent: "thread.delete", reason: "spam", confirm: "yes", returnTo: "/network" }, { cookie: moderatorSession.cookie });
      expect(deleted.status).toBe(302);
      expect((await db.thread.findUniqueOrThrow({ where: { id: thread.id } })).deletedAt).not.toBeNull();
    });
  });

  describe("a day staff pick", () => {
    const cases = [
      { zone: "America/Chicago", day: "2027-01-15", instant: "2027-01-15T06:00:00.000Z" },
      { zone: "Asia/Shanghai", day: "2027-01-15", instant: "2027-01-14T16:00:00.000Z" },
      // Chicago's clocks go forward at 02:00 on 14 March 2027: midnight is still CST (UTC−6).
      { zone: "America/Chicago", day: "2027-03-14", instant: "2027-03-14T06:00:00.000Z" },
      // …and midnight the day after is CDT (UTC−5).
      { zone: "America/Chicago", day: "2027-03-15", instant: "2027-03-15T05:00:00.000Z" },
    ];

    for (const { zone, day, instant } of cases) {
      it(`pins until ${day} in ${zone}: the start of that day there`, async () => {
        const thread = await insertThread(db, { authorId: member.id });
        const response = await postForm(server.url, `/threads/${thread.id}`, { intent: "thread.pin", until: day, timeZone: zone }, { cookie: moderatorSession.cookie });
        expect(response.status).toBe(302);
        expect((await db.thread.findUniqueOrThrow({ where: { id: thread.id } })).pinnedUntil?.toISOString()).toBe(instant);
      });
    }

    it("suspends until a day in Asia/Shanghai from the member's page", async () => {
      const target = await createMember(db);
      const response = await postForm(server.url, `/members/${target.id}`, { intent: "member.suspend", until: "2027-02-01", timeZone: "Asia/Shanghai", reason: "cooling off" }, { cookie: moderatorSession.cookie });
      expect(response.status).toBe(302);
      expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).suspendedUntil?.toISOString()).toBe("2027-01-31T16:00:00.000Z");
    });

    it("takes a day with no or an unknown zone as UTC, and refuses a day that does not exist", async () => {
      const thread = await insertThread(db, { authorId: member.id });
      await postForm(server.url, `/threads/${thread.id}`, { intent: "thread.pin", until: "2027-01-15", timeZone: "Mars/Olympus_Mons" }, { cookie: moderatorSession.cookie });
      expect((await db.thread.findUniqueOrThrow({ where: { id: thread.id } })).pinnedUntil?.toISOString()).toBe("2027-01-15T00:00:00.000Z");
      const other = await insertThread(db, { authorId: member.id });
      const refused = await apiCommand(server.url, "thread.pin", { threadId: other.id, until: "2027-02-30", timeZone: "Asia/Shanghai" }, { cookie: moderatorSession.cookie });
      expect(refused.status).toBe(400);
      expect((await db.thread.findUniqueOrThrow({ where: { id: other.id } })).pinnedAt).toBeNull();
    });
  });
});
