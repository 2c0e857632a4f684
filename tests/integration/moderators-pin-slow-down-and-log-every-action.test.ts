/**
 * Moderation of threads: a thread pinned until a date sorts first in its dialogue's list until
 * then; slow mode refuses a member's second quick reply (`slow_mode`, 429, localised) but not
 * the staff's; members are limited to 10 replies a minute (`rate_limited`); and the staff
 * action log lists every moderator action with who, what, when and why, for staff only.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { staffLogRows, threadIdsInList, threadRow } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";

const DIALOGUE = "2021-dialogue-1-coal-economy-overview";
const HOUR = 60 * 60 * 1000;

describe("thread moderation", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let dialogue: { id: string };
  let moderator: TestMember;
  let moderatorSession: SignedIn;
  let memberSession: SignedIn;
  let otherSession: SignedIn;
  let startedAt: Date;

  const listOrder = async () => threadIdsInList((await get(server.url, `/dialogues/${DIALOGUE}`, { cookie: memberSession.cookie })).body);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    dialogue = await dialogueBySlug(db, DIALOGUE);
    moderator = await createMember(db, { role: "moderator", displayName: `Moderator ${uniqueSuffix()}` });
    const member = await createMember(db);
    const other = await createMember(db);
    [moderatorSession, memberSession, otherSession] = await Promise.all([moderator, member, other].map((m) => signIn(server.url, m.email, m.password)));
    startedAt = new Date();
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  describe("pinning until a date", () => {
    let oldest: { id: string };
    let recent: { id: string };
    let expired: { id: string };

    beforeAll(async () => {
      const author = await createMember(db);
      oldest = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: "Oldest thread", lastActivityAt: new Date(Date.now() - 72 * HOUR) });
      recent = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: "Recent thread", lastActivityAt: new Date(Date.now() - HOUR) });
      // Pinned once, until a date now past.
      expired = await insertThread(db, {
        authorId: author.id,
        dialogueId: dialogue.id,
        title: "Pin expired",
        lastActivityAt: new Date(Date.now() - 96 * HOUR),
        pinnedAt: new Date(Date.now() - 100 * HOUR),
        pinnedUntil: new Date(Date.now() - 24 * HOUR),
      });
    });

    it("lists threads by last activity before anything is pinned", async () => {
      const order = await listOrder();
      expect(order.indexOf(recent.id)).toBeLessThan(order.indexOf(oldest.id));
      expect(order.indexOf(oldest.id)).toBeLessThan(order.indexOf(expired.id));
    });

    it("puts a thread pinned until a future date first, with the pinned badge", async () => {
      const until = new Date(Date.now() + 3 * 24 * HOUR).toISOString().slice(0, 10);
      const response = await postForm(server.url, `/threads/${oldest.id}`, { intent: "thread.pin", until }, { cookie: moderatorSession.cookie });
      expect(response.status).toBe(302);
      expect((await db.thread.findUniqueOrThrow({ where: { id: oldest.id } })).pinnedUntil?.toISOString()).toBe(`${until}T00:00:00.000Z`);
      const page = (await get(server.url, `/dialogues/${DIALOGUE}`, { cookie: memberSession.cookie })).body;
      expect(threadIdsInList(page)[0]).toBe(oldest.id);
      expect(pageText(threadRow(page, oldest.id)!)).toContain("Pinned");
    });

    it("no longer puts a thread first once its pin's date has passed", async () => {
      const page = (await get(server.url, `/dialogues/${DIALOGUE}`, { cookie: memberSession.cookie })).body;
      const order = threadIdsInList(page);
      expect(order[order.length - 1]).toBe(expired.id);
      expect(pageText(threadRow(page, expired.id)!)).not.toContain("Pinned");
    });

    it("refuses a pin that would end in the past", async () => {
      const outcome = await apiCommand(server.url, "thread.pin", { threadId: recent.id, until: "2020-01-01" }, { cookie: moderatorSession.cookie });
      expect(outcome).toMatchObject({ code: "validation", status: 400, field: "until" });
      expect((await db.thread.findUniqueOrThrow({ where: { id: recent.id } })).pinnedAt).toBeNull();
    });

    it("puts an unpinned thread back in activity order", async () => {
      expect((await apiCommand(server.url, "thread.unpin", { threadId: oldest.id }, { cookie: moderatorSession.cookie })).code).toBe("ok");
      const order = await listOrder();
      expect(order.indexOf(recent.id)).toBeLessThan(order.indexOf(oldest.id));
    });
  });

  describe("slow mode", () => {
    let thread: { id: string };

    beforeAll(async () => {
      const author = await createMember(db);
      thread = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: "Slow thread" });
      await insertReplies(db, thread.id, [{ authorId: author.id }]);
      const response = await postForm(server.url, `/threads/${thread.id}`, { intent: "thread.slowMode", seconds: "120" }, { cookie: moderatorSession.cookie });
      expect(response.status).toBe(302);
    });

    it("lets a member reply once", async () => {
      const response = await postForm(server.url, `/threads/${thread.id}`, { intent: "reply.create", body: "First, and only for now." }, { cookie: memberSession.cookie });
      expect(response.status).toBe(302);
    });

    it("refuses the member's second quick reply with slow_mode, saying how long to wait, and stores nothing", async () => {
      const before = await db.reply.count({ where: { threadId: thread.id } });
      const form = await postForm(server.url, `/threads/${thread.id}`, { intent: "reply.create", body: "Too soon." }, { cookie: memberSession.cookie });
      expect(form.status).toBe(429);
      expect(pageText(form.body)).toMatch(/Slow mode is on: wait \d+ seconds before replying again\./);
      const api = await apiCommand(server.url, "reply.create", { threadId: thread.id, body: "Too soon, again." }, { cookie: memberSession.cookie });
      expect(api).toMatchObject({ code: "slow_mode", status: 429 });
      expect(api.message).toMatch(/^Slow mode is on: wait (\d+) seconds before replying again\.$/);
      expect(Number(/wait (\d+)/.exec(api.message!)![1])).toBeGreaterThan(0);
      expect(Number(/wait (\d+)/.exec(api.message!)![1])).toBeLessThanOrEqual(120);
      expect(await db.reply.count({ where: { threadId: thread.id } })).toBe(before);
    });

    it("says so in Chinese to a reader who chose Chinese", async () => {
      const api = await apiCommand(server.url, "reply.create", { threadId: thread.id, body: "太快了" }, { cookie: memberSession.cookie, lngCookie: await languageCookie(server.url, "zh") });
      expect(api.code).toBe("slow_mode");
      expect(api.message).toMatch(/^慢速模式已开启:请等待 \d+ 秒后再回复。$/);
    });

    it("does not hold back another member, or the staff", async () => {
      expect((await apiCommand(server.url, "reply.create", { threadId: thread.id, body: "Someone else" }, { cookie: otherSession.cookie })).code).toBe("ok");
      for (const body of ["Staff one", "Staff two"]) {
        expect((await apiCommand(server.url, "reply.create", { threadId: thread.id, body }, { cookie: moderatorSession.cookie })).code).toBe("ok");
      }
    });
  });

  describe("the posting rate limit", () => {
    it("refuses a member's eleventh reply within a minute with rate_limited, and stores nothing", async () => {
      const author = await createMember(db);
      const poster = await createMember(db);
      const posterSession = await signIn(server.url, poster.email, poster.password);
      const thread = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: "Busy thread" });
      for (let i = 1; i <= 10; i++) {
        expect((await apiCommand(server.url, "reply.create", { threadId: thread.id, body: `Reply ${i}` }, { cookie: posterSession.cookie })).code).toBe("ok");
      }
      const eleventh = await apiCommand(server.url, "reply.create", { threadId: thread.id, body: "Reply 11" }, { cookie: posterSession.cookie });
      expect(eleventh).toMatchObject({ code: "rate_limited", status: 429, message: "You're doing that too often. Please wait a moment and try again." });
      expect(await db.reply.count({ where: { threadId: thread.id } })).toBe(10);
    });
  });

  describe("the staff action log", () => {
    it("is not shown to members", async () => {
      expect((await get(server.url, "/moderation/log", { cookie: memberSession.cookie })).status).toBe(403);
    });

    it("lists every moderator action above with who, what, when and why, newest first", async () => {
      const lock = await insertThread(db, { authorId: moderator.id, dialogueId: dialogue.id, title: "Locked for a reason" });
      expect((await apiCommand(server.url, "thread.lock", { threadId: lock.id, reason: "Off the rails" }, { cookie: moderatorSession.cookie })).code).toBe("ok");

      const response = await get(server.url, "/moderation/log", { cookie: moderatorSession.cookie });
      expect(response.status).toBe(200);
      const rows = staffLogRows(response.body);
      expect(rows.map((r) => r.action)).toEqual(["thread.lock", "thread.slow_mode", "thread.unpin", "thread.pin"]);
      for (const row of rows) {
        expect(row.who).toBe(moderator.displayName);
        expect(new Date(row.when).getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 5_000);
        expect(new Date(row.when).getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
      }
      expect(rows[0]).toMatchObject({ what: "locked Locked for a reason", why: "Off the rails" });
      expect(rows[1].what).toBe("set slow mode on Slow thread");
      expect(rows[2].what).toBe("unpinned Oldest thread");
      expect(rows[3].what).toBe("pinned Oldest thread");
    });
  });
});
