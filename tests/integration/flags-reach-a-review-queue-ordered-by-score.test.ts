/**
 * Flags: members flag replies (off-topic, inappropriate, spam, or something else with a
 * note) through the page, the API or the socket; flagged replies wait in the moderators'
 * review queue, highest score first; agreeing hides the reply, disagreeing keeps it, and every
 * flagger is told the outcome. Flagging is rate-limited per member, with a localised message.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand, socketCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, type InsertedReply, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { notificationsOnPage, reviewItems, staffLogRows } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, record, type ClientSocket, type EventRecorder } from "../helpers/sockets";

describe("flags and the review queue", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let threadId: string;
  let offTopic: InsertedReply;
  let spam: InsertedReply;
  let heated: InsertedReply;
  let flaggers: TestMember[];
  let flaggerSessions: SignedIn[];
  let flaggerSocket: ClientSocket;
  let flaggerCounts: EventRecorder<"notifications:count">;
  let moderatorSession: SignedIn;

  const flagsOn = (replyId: string) => db.flag.findMany({ where: { replyId }, orderBy: { createdAt: "asc" } });
  const queue = async () => {
    const response = await get(server.url, "/moderation/review", { cookie: moderatorSession.cookie });
    expect(response.status).toBe(200);
    return reviewItems(response.body);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const dialogue = await dialogueBySlug(db, "2024-12-climate-finance");
    const author = await createMember(db);
    const moderator = await createMember(db, { role: "moderator" });
    flaggers = await Promise.all([1, 2, 3, 4].map((n) => createMember(db, { displayName: `Flagger ${n} ${uniqueSuffix()}` })));
    const thread = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: "Flagged thread" });
    threadId = thread.id;
    [offTopic, spam, heated] = await insertReplies(db, threadId, [
      { authorId: author.id, text: `Off-topic musing ${uniqueSuffix()}` },
      { authorId: author.id, text: `Buy cheap coal now ${uniqueSuffix()}` },
      { authorId: author.id, text: `Heated words ${uniqueSuffix()}` },
    ]);
    moderatorSession = await signIn(server.url, moderator.email, moderator.password);
    flaggerSessions = await Promise.all(flaggers.map((f) => signIn(server.url, f.email, f.password)));
    flaggerSocket = await connectSocket(server.url, { cookie: flaggerSessions[0].cookie });
    flaggerCounts = record(flaggerSocket, "notifications:count");
  });

  afterAll(async () => {
    closeSockets(flaggerSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("lets a member flag a reply through the thread page's form, and says it was sent", async () => {
    const response = await postForm(server.url, `/threads/${threadId}`, { intent: "reply.flag", replyId: offTopic.id, reason: "off_topic" }, { cookie: flaggerSessions[0].cookie });
    expect(response.status).toBe(200);
    expect(pageText(response.body)).toContain("Thank you. Moderators will look at this reply.");
    expect((await flagsOn(offTopic.id)).map((f) => [f.flaggerId, f.reason, f.status])).toEqual([[flaggers[0].id, "off_topic", "pending"]]);
  });

  it("lets members flag over the API and the socket", async () => {
    expect((await socketCommand(flaggerSocket, "reply.flag", { replyId: spam.id, reason: "spam" })).code).toBe("ok");
    expect((await apiCommand(server.url, "reply.flag", { replyId: spam.id, reason: "inappropriate" }, { cookie: flaggerSessions[1].cookie })).code).toBe("ok");
    expect((await apiCommand(server.url, "reply.flag", { replyId: heated.id, reason: "inappropriate" }, { cookie: flaggerSessions[2].cookie })).code).toBe("ok");
    expect((await flagsOn(spam.id)).map((f) => f.reason)).toEqual(["spam", "inappropriate"]);
  });

  it("wants a note when the reason is something else", async () => {
    const outcome = await apiCommand(server.url, "reply.flag", { replyId: heated.id, reason: "other" }, { cookie: flaggerSessions[3].cookie });
    expect(outcome).toMatchObject({ code: "validation", status: 400, field: "note" });
    const withNote = await apiCommand(server.url, "reply.flag", { replyId: heated.id, reason: "other", note: "Insults a delegation" }, { cookie: flaggerSessions[3].cookie });
    expect(withNote.code).toBe("ok");
    expect((await flagsOn(heated.id)).map((f) => [f.reason, f.note])).toEqual([
      ["inappropriate", ""],
      ["other", "Insults a delegation"],
    ]);
  });

  it("refuses a second flag by the same member on the same reply", async () => {
    const outcome = await apiCommand(server.url, "reply.flag", { replyId: spam.id, reason: "off_topic" }, { cookie: flaggerSessions[1].cookie });
    expect(outcome).toMatchObject({ code: "already_flagged", status: 409, message: "You have already flagged this reply." });
    expect(await flagsOn(spam.id)).toHaveLength(2);
  });

  it("is not shown to members", async () => {
    expect((await get(server.url, "/moderation/review", { cookie: flaggerSessions[0].cookie })).status).toBe(403);
  });

  it("lists flagged replies by score, highest first: spam + inappropriate, inappropriate + other, off-topic", async () => {
    const items = await queue();
    expect(items.map((i) => [i.excerpt, i.score, i.flags])).toEqual([
      [spam.text, 6, 2],
      [heated.text, 4, 2],
      [offTopic.text, 1, 1],
    ]);
  });

  it("hides the reply when a moderator agrees, and tells each flagger, live", async () => {
    flaggerCounts.events.length = 0;
    const response = await postForm(server.url, "/moderation/review", { replyId: spam.id, decision: "agree" }, { cookie: moderatorSession.cookie });
    expect(response.status).toBe(302);
    expect((await db.reply.findUniqueOrThrow({ where: { id: spam.id } })).hiddenAt).not.toBeNull();
    expect((await flagsOn(spam.id)).map((f) => f.status)).toEqual(["agreed", "agreed"]);
    await flaggerCounts.waitFor((c) => c.unread === 1);
    for (const session of flaggerSessions.slice(0, 2)) {
      const notes = notificationsOnPage((await get(server.url, "/notifications", { cookie: session.cookie })).body);
      expect(notes.map((n) => [n.type, n.unread])).toEqual([["flag_outcome", true]]);
      expect(pageText(notes[0].html)).toContain("Your flag was reviewed: a moderator agreed and hid the reply");
    }
  });

  it("keeps the reply when a moderator disagrees, and tells each flagger so", async () => {
    const response = await postForm(server.url, "/moderation/review", { replyId: heated.id, decision: "disagree" }, { cookie: moderatorSession.cookie });
    expect(response.status).toBe(302);
    expect((await db.reply.findUniqueOrThrow({ where: { id: heated.id } })).hiddenAt).toBeNull();
    for (const session of flaggerSessions.slice(2, 4)) {
      const notes = notificationsOnPage((await get(server.url, "/notifications", { cookie: session.cookie })).body);
      expect(notes.map((n) => n.type)).toEqual(["flag_outcome"]);
      expect(pageText(notes[0].html)).toContain("Your flag was reviewed: a moderator disagreed and kept the reply");
    }
  });

  it("leaves only the undecided reply in the queue", async () => {
    expect((await queue()).map((i) => i.excerpt)).toEqual([offTopic.text]);
  });

  it("records each decision in the staff action log, with the flags' reasons", async () => {
    const rows = staffLogRows((await get(server.url, "/moderation/log", { cookie: moderatorSession.cookie })).body);
    expect(rows.map((r) => [r.action, r.why])).toEqual([
      ["flag.disagree", "Flagged by members as Inappropriate and Something else"],
      ["flag.agree", "Flagged by members as Spam and Inappropriate"],
    ]);
    // Stored language-neutral, so a Chinese reader reads the same reasons in Chinese.
    const zh = await languageCookie(server.url, "zh");
    const rowsZh = staffLogRows((await get(server.url, "/moderation/log", { cookie: `${moderatorSession.cookie}; ${zh}` })).body);
    expect(rowsZh.map((r) => r.why)).toEqual(["被成员举报为不当内容和其他", "被成员举报为垃圾信息和不当内容"]);
  });

  describe("the flagging rate limit", () => {
    let rapid: SignedIn;
    let targets: InsertedReply[];

    beforeAll(async () => {
      const author = await createMember(db);
      const member = await createMember(db);
      rapid = await signIn(server.url, member.email, member.password);
      const thread = await insertThread(db, { authorId: author.id, title: "Many replies to flag" });
      targets = await insertReplies(db, thread.id, Array.from({ length: 12 }, () => ({ authorId: author.id })));
    });

    it("accepts ten flags from one member", async () => {
      for (const target of targets.slice(0, 10)) {
        expect((await apiCommand(server.url, "reply.flag", { replyId: target.id, reason: "spam" }, { cookie: rapid.cookie })).code).toBe("ok");
      }
    });

    it("refuses the eleventh with 429 rate_limited, in Chinese for a reader who chose Chinese, storing nothing", async () => {
      const outcome = await apiCommand(server.url, "reply.flag", { replyId: targets[10].id, reason: "spam" }, { cookie: rapid.cookie, lngCookie: await languageCookie(server.url, "zh") });
      expect(outcome).toMatchObject({ code: "rate_limited", status: 429, message: "操作过于频繁,请稍后再试。" });
      expect(await flagsOn(targets[10].id)).toEqual([]);
    });

    it("refuses the next in English for a reader who reads English", async () => {
      const outcome = await apiCommand(server.url, "reply.flag", { replyId: targets[11].id, reason: "spam" }, { cookie: rapid.cookie });
      expect(outcome).toMatchObject({ code: "rate_limited", status: 429, message: "You're doing that too often. Please wait a moment and try again." });
      expect(await flagsOn(targets[11].id)).toEqual([]);
    });
  });
});
