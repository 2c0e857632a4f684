/**
 * Issue 14, items 4 and 7. The embedded database's seed adds a marked demo conversation once
 * (replies in both languages, one in a Chatham House thread, a case study with its Chinese
 * version, a co-edited note, an approved participant). Admins set a dialogue's agenda and summary
 * from its admin page; readers see them in their language, with speakers' names withheld under
 * the Chatham House Rule (staff excepted); a speaker no member has is refused and nothing stored.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("the demo conversation", () => {
  it("is added once by the embedded database's seed, marked, in both languages", async () => {
    const { seedDatabase } = await import("../../prisma/seed");
    const demo = await createTestDatabase();
    const db = openPrisma(demo.url);
    try {
      await seedDatabase(db, { demoAccounts: true });
      const count = async () => ({ replies: await db.reply.count(), studies: await db.caseStudy.count(), notes: await db.note.count(), requests: await db.participationRequest.count() });
      const first = await count();
      await seedDatabase(db, { demoAccounts: true });
      expect(await count()).toEqual(first);

      const replies = await db.reply.findMany({ include: { author: true } });
      expect(replies.length).toBeGreaterThanOrEqual(12);
      expect(replies.every((r) => /^\[(Demo|示例)\]/.test(r.text))).toBe(true);
      expect(replies.some((r) => /\p{Script=Han}/u.test(r.text))).toBe(true);
      // Each reply knows its language (so the Chinese ones can be translated into English).
      for (const r of replies) expect(r.language, r.text.slice(0, 40)).toBe(/^\[示例\]/.test(r.text) ? "zh" : "en");
      expect(new Set(replies.map((r) => r.author.email)).size).toBeGreaterThanOrEqual(3);
      expect(replies.filter((r) => r.attributionLevel === "chatham_house").length).toBeGreaterThanOrEqual(1);
      const study = await db.caseStudy.findFirstOrThrow({ include: { versions: true } });
      expect(study.versions.map((v) => [v.language, v.translation]).sort()).toEqual([["en", "human"], ["zh", "original"]]);
      const note = await db.note.findFirstOrThrow({ include: { members: true, updates: true } });
      expect(note.members.length).toBeGreaterThanOrEqual(2);
      expect(new Set(note.updates.map((u) => u.userId)).size).toBe(2);
      expect(await db.participationRequest.count({ where: { status: "approved" } })).toBe(1);
    } finally {
      await db.$disconnect();
      await demo.drop();
    }
  });
});

describe("a dialogue's agenda and summary", () => {
  const SLUG = "2024-12-climate-finance";
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let admin: SignedIn;
  let member: SignedIn;
  let speaker: TestMember;
  let dialogueId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    dialogueId = (await dialogueBySlug(db, SLUG)).id;
    const [adminMember, reader] = await Promise.all([createMember(db, { role: "admin" }), createMember(db)]);
    speaker = await createMember(db, { displayName: `Speaker ${uniqueSuffix()}` });
    [admin, member] = await Promise.all([signIn(server.url, adminMember.email, adminMember.password), signIn(server.url, reader.email, reader.password)]);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("shows the agenda and summary set on the admin page, withholding speakers' names under the rule", async () => {
    const agenda = `09:00–10:30 | Opening: county budgets | 开幕:县级预算 | ${speaker.email}\n\n11:00 | Fund design | 基金设计 |`;
    expect((await postForm(server.url, `/admin/dialogues/${SLUG}`, { intent: "dialogue.setAgenda", items: agenda }, { cookie: admin.cookie })).status).toBe(302);
    expect((await postForm(server.url, `/admin/dialogues/${SLUG}`, { intent: "dialogue.setSummary", summaryEn: "We heard three options.", summaryZh: "我们听到了三个方案。", summaryNoteId: "" }, { cookie: admin.cookie })).status).toBe(302);

    let page = pageText((await get(server.url, `/dialogues/${SLUG}`, { cookie: member.cookie })).body);
    expect(page).toContain("Opening: county budgets");
    expect(page).toContain(speaker.displayName);
    expect(page).toContain("We heard three options.");
    const zh = pageText((await get(server.url, `/dialogues/${SLUG}`, { cookie: `${member.cookie}; ${await languageCookie(server.url, "zh")}` })).body);
    expect(zh).toContain("开幕:县级预算");
    expect(zh).toContain("我们听到了三个方案。");

    expect((await apiCommand(server.url, "dialogue.configure", { dialogueId, attributionLevel: "chatham_house" }, { cookie: admin.cookie })).code).toBe("ok");
    page = pageText((await get(server.url, `/dialogues/${SLUG}`, { cookie: member.cookie })).body);
    expect(page).toContain("Opening: county budgets");
    expect(page).not.toContain(speaker.displayName);
    expect(page).toContain("Speaker (name withheld under the rule)");
    expect(pageText((await get(server.url, `/dialogues/${SLUG}`, { cookie: admin.cookie })).body)).toContain(speaker.displayName);
  });

  it("refuses a speaker no member has, in the admin's language, and keeps the agenda as it was", async () => {
    const before = await db.dialogueAgendaItem.findMany({ where: { dialogueId }, orderBy: { position: "asc" } });
    const response = await postForm(server.url, `/admin/dialogues/${SLUG}`, { intent: "dialogue.setAgenda", items: "12:00 | Lunch | 午餐 | nobody@nowhere.example" }, { cookie: `${admin.cookie}; ${await languageCookie(server.url, "zh")}` });
    expect(response.status).toBe(400);
    expect(pageText(response.body)).toContain("没有使用该电子邮件地址或编号的成员。");
    expect(await db.dialogueAgendaItem.findMany({ where: { dialogueId }, orderBy: { position: "asc" } })).toEqual(before);
  });
});
