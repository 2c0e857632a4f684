/**
 * Optimistic concurrency: two people (or two tabs) editing the same reply, case-study language
 * version or profile. The later save, made from what the earlier one replaced, is refused with
 * 409 `edit_conflict`; its page shows what is saved now beside what was typed (kept, even
 * without JavaScript) and the next save is a deliberate choice. Racing saves from the same
 * state: exactly one wins.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createStudy, ok } from "../helpers/case-studies";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, insertReplies, insertThread, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("a later save never silently overwrites an earlier one", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let author: TestMember;
  let tabA: SignedIn;
  let tabB: SignedIn;
  let moderator: SignedIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const [a, mod] = await Promise.all([createMember(db, { displayName: "Two Tabs" }), createMember(db, { role: "moderator" })]);
    author = a;
    // Two sessions of one member: two tabs, or a laptop and a phone.
    [tabA, tabB, moderator] = await Promise.all([signIn(server.url, a.email, a.password), signIn(server.url, a.email, a.password), signIn(server.url, mod.email, mod.password)]);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  describe("a reply", () => {
    it("refuses the second of two edits from the same revision, shows both, and saves it when chosen", async () => {
      const thread = await insertThread(db, { authorId: author.id });
      const [reply] = await insertReplies(db, thread.id, [{ authorId: author.id, text: "First draft of the proposal" }]);
      // Both tabs opened the edit page at revision 0.
      for (const tab of [tabA, tabB]) expect((await get(server.url, `/replies/${reply.id}/edit`, { cookie: tab.cookie })).body).toContain('name="baseRevision" value="0"');

      expect((await postForm(server.url, `/replies/${reply.id}/edit`, { body: "Edited in tab A", baseRevision: "0" }, { cookie: tabA.cookie })).status).toBe(302);
      const refused = await postForm(server.url, `/replies/${reply.id}/edit`, { body: "Edited in tab B", baseRevision: "0" }, { cookie: tabB.cookie });
      expect(refused.status).toBe(409);
      const text = pageText(refused.body);
      expect(text).toContain("Someone else saved a change while you were editing.");
      expect(refused.body).toMatch(/data-testid="conflict-theirs"[^>]*>.*Edited in tab A/);
      // What tab B typed is still in its form (the textarea without JavaScript), ready to keep.
      expect(refused.body).toMatch(/<textarea[^>]*>Edited in tab B<\/textarea>/);
      expect(refused.body).toContain('name="baseRevision" value="1"');
      expect((await db.reply.findUniqueOrThrow({ where: { id: reply.id } })).text).toBe("Edited in tab A");

      // Tab B chooses to keep its version.
      expect((await postForm(server.url, `/replies/${reply.id}/edit`, { body: "Edited in tab B", baseRevision: "1" }, { cookie: tabB.cookie })).status).toBe(302);
      const stored = await db.reply.findUniqueOrThrow({ where: { id: reply.id }, include: { revisions: { orderBy: { revision: "asc" } } } });
      expect(stored.text).toBe("Edited in tab B");
      expect(stored.revisions.map((r) => r.text)).toEqual(["First draft of the proposal", "Edited in tab A"]);
    });

    it("says so in Chinese to a Chinese reader", async () => {
      const thread = await insertThread(db, { authorId: author.id });
      const [reply] = await insertReplies(db, thread.id, [{ authorId: author.id, text: "原稿" }]);
      const zh = await languageCookie(server.url, "zh");
      await postForm(server.url, `/replies/${reply.id}/edit`, { body: "甲的修改", baseRevision: "0" }, { cookie: tabA.cookie });
      const refused = await postForm(server.url, `/replies/${reply.id}/edit`, { body: "乙的修改", baseRevision: "0" }, { cookie: `${tabB.cookie}; ${zh}` });
      expect(refused.status).toBe(409);
      expect(pageText(refused.body)).toContain("在您编辑期间,其他人保存了修改");
      expect(pageText(refused.body)).toContain("用我的版本覆盖对方的版本");
    });

    it("lets exactly one of two racing API edits from the same revision through", async () => {
      const thread = await insertThread(db, { authorId: author.id });
      const [reply] = await insertReplies(db, thread.id, [{ authorId: author.id, text: "Race start" }]);
      const outcomes = await Promise.all(
        [tabA, tabB, moderator].map((tab, i) => apiCommand(server.url, "reply.edit", { replyId: reply.id, body: `Racer ${i}`, baseRevision: 0 }, { cookie: tab.cookie })),
      );
      expect(outcomes.map((o) => o.code).sort()).toEqual(["edit_conflict", "edit_conflict", "ok"]);
      expect(outcomes.filter((o) => o.code === "edit_conflict").every((o) => o.status === 409)).toBe(true);
      const stored = await db.reply.findUniqueOrThrow({ where: { id: reply.id }, include: { revisions: true } });
      expect(stored.editCount).toBe(1);
      expect(stored.revisions).toHaveLength(1);
    });
  });

  describe("a case-study language version", () => {
    it("refuses a save from an older version, keeps what was typed, and saves it when chosen", async () => {
      const caseStudyId = await createStudy(server.url, db, tabA.cookie, { title: "Mine water reuse", body: "Original body." });
      const version = await db.caseStudyVersion.findFirstOrThrow({ where: { caseStudyId, language: "en" } });
      const base = version.updatedAt.toISOString();
      expect((await get(server.url, `/case-studies/${caseStudyId}/versions/en`, { cookie: tabB.cookie })).body).toContain(`name="baseVersion" value="${base}"`);

      const first = await postForm(server.url, `/case-studies/${caseStudyId}/versions/en`, { title: "Mine water reuse", body: "Body from tab A.", translation: "original", baseVersion: base }, { cookie: tabA.cookie });
      expect(first.status).toBe(302);
      const refused = await postForm(server.url, `/case-studies/${caseStudyId}/versions/en`, { title: "Mine water reuse in Shanxi", body: "Body from tab B.", translation: "original", baseVersion: base }, { cookie: tabB.cookie });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatch(/data-testid="conflict-theirs"[^>]*>.*Body from tab A\./);
      expect(refused.body).toMatch(/<textarea[^>]*name="body"[^>]*>Body from tab B\.<\/textarea>/);
      expect(refused.body).toContain('value="Mine water reuse in Shanxi"');
      expect((await db.caseStudyVersion.findUniqueOrThrow({ where: { id: version.id } })).text).toBe("Body from tab A.");

      const now = (await db.caseStudyVersion.findUniqueOrThrow({ where: { id: version.id } })).updatedAt.toISOString();
      expect(refused.body).toContain(`name="baseVersion" value="${now}"`);
      const kept = await postForm(server.url, `/case-studies/${caseStudyId}/versions/en`, { title: "Mine water reuse in Shanxi", body: "Body from tab B.", translation: "original", baseVersion: now }, { cookie: tabB.cookie });
      expect(kept.status).toBe(302);
      expect((await db.caseStudyVersion.findUniqueOrThrow({ where: { id: version.id } })).text).toBe("Body from tab B.");
    });

    it("refuses a second new version of the same language opened as new", async () => {
      const caseStudyId = await createStudy(server.url, db, tabA.cookie, { title: "Solar on spoil heaps", body: "English body." });
      await ok(server.url, "caseStudyVersion.save", { caseStudyId, language: "zh", title: "排土场光伏", body: "中文正文。", translation: "human", baseVersion: "new" }, moderator.cookie);
      const second = await apiCommand(server.url, "caseStudyVersion.save", { caseStudyId, language: "zh", title: "排土场光伏", body: "另一份中文。", translation: "human", baseVersion: "new" }, { cookie: tabA.cookie });
      expect(second.code).toBe("edit_conflict");
      expect((await db.caseStudyVersion.findFirstOrThrow({ where: { caseStudyId, language: "zh" } })).text).toBe("中文正文。");
    });
  });

  describe("a profile", () => {
    const form = (bio: string, baseRevision: string) => ({
      intent: "profile",
      displayName: "Two Tabs",
      nameLatin: "",
      nameChinese: "",
      organisation: "Campbell County",
      title: "",
      regionId: "",
      bio,
      locale: "en",
      baseRevision,
    });

    it("refuses the second of two saves from the same revision and shows what differs", async () => {
      const revision = String((await db.user.findUniqueOrThrow({ where: { id: author.id } })).profileRevision);
      expect((await get(server.url, "/settings", { cookie: tabA.cookie })).body).toContain(`name="baseRevision" value="${revision}"`);
      expect((await postForm(server.url, "/settings", form("Bio from the laptop", revision), { cookie: tabA.cookie })).status).toBe(302);
      const refused = await postForm(server.url, "/settings", form("Bio from the phone", revision), { cookie: tabB.cookie });
      expect(refused.status).toBe(409);
      const conflict = /data-testid="edit-conflict"[\s\S]*?<\/table>/.exec(refused.body)?.[0] ?? "";
      expect(pageText(conflict)).toContain("Bio from the laptop");
      expect(pageText(conflict)).toContain("Bio from the phone");
      expect(pageText(conflict)).not.toContain("Campbell County");
      expect((await db.user.findUniqueOrThrow({ where: { id: author.id } })).bio).toBe("Bio from the laptop");
    });

    it("is not bumped by switching the interface language, which never conflicts", async () => {
      const before = (await db.user.findUniqueOrThrow({ where: { id: author.id } })).profileRevision;
      expect((await apiCommand(server.url, "profile.update", { locale: "zh" }, { cookie: tabA.cookie })).code).toBe("ok");
      expect((await db.user.findUniqueOrThrow({ where: { id: author.id } })).profileRevision).toBe(before);
      expect((await postForm(server.url, "/settings", form("Bio after the switch", String(before)), { cookie: tabB.cookie })).status).toBe(302);
    });
  });
});
