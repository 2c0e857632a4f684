/**
 * A locked thread accepts no reply, whatever the channel: the page's HTML form, the JSON API
 * and a raw socket event are all refused with `thread_locked`, store nothing and broadcast
 * nothing to the sockets watching the thread. Unlocking opens it again (the control case).
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand, eventsBeforeBarrier, socketCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, paragraphDoc, type InsertedReply, type TestMember } from "../helpers/factories";
import { fingerprint } from "../helpers/fingerprint";
import { get, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { AllEvents, closeSockets, connectSocket, joinThread, type ClientSocket } from "../helpers/sockets";

describe("a locked thread", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: TestMember;
  let memberSession: SignedIn;
  let memberSocket: ClientSocket;
  let moderatorSession: SignedIn;
  let moderatorSocket: ClientSocket;
  let watcherSocket: ClientSocket;
  let watcherEvents: AllEvents;
  let thread: { id: string };
  let ownReply: InsertedReply;

  /** Asserts that nothing was stored and nothing reached the watcher since `before`. */
  async function expectNothingStoredOrBroadcast(before: Awaited<ReturnType<typeof fingerprint>>) {
    expect(await fingerprint(db)).toEqual(before);
    expect(await eventsBeforeBarrier(server.url, moderatorSession.cookie, thread.id, watcherEvents)).toEqual([]);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    member = await createMember(db);
    const watcher = await createMember(db);
    const moderator = await createMember(db, { role: "moderator" });
    thread = await insertThread(db, { authorId: watcher.id, dialogueId: dialogue.id, title: `Heated thread ${uniqueSuffix()}` });
    [, ownReply] = await insertReplies(db, thread.id, [{ authorId: watcher.id }, { authorId: member.id, text: "My earlier reply" }]);
    let watcherSession: SignedIn;
    [memberSession, moderatorSession, watcherSession] = await Promise.all([
      signIn(server.url, member.email, member.password),
      signIn(server.url, moderator.email, moderator.password),
      signIn(server.url, watcher.email, watcher.password),
    ]);
    [memberSocket, moderatorSocket, watcherSocket] = await Promise.all([
      connectSocket(server.url, { cookie: memberSession.cookie }),
      connectSocket(server.url, { cookie: moderatorSession.cookie }),
      connectSocket(server.url, { cookie: watcherSession.cookie }),
    ]);
    // The watcher watches the thread (notified of every reply) and has its page open.
    expect((await apiCommand(server.url, "thread.watch", { threadId: thread.id, level: "watching" }, { cookie: watcherSession.cookie })).code).toBe("ok");
    watcherEvents = new AllEvents(watcherSocket);
    expect((await joinThread(watcherSocket, thread.id)).ok).toBe(true);

    const locked = await apiCommand(server.url, "thread.lock", { threadId: thread.id, reason: "cooling off" }, { cookie: moderatorSession.cookie });
    expect(locked).toMatchObject({ code: "ok", result: { locked: true } });
    await watcherEvents.waitFor((event, payload) => event === "thread:updated" && (payload as { locked: boolean }).locked);
  });

  afterAll(async () => {
    closeSockets(memberSocket, moderatorSocket, watcherSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("shows the locked notice instead of the reply form", async () => {
    const page = await get(server.url, `/threads/${thread.id}`, { cookie: memberSession.cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-testid="locked-notice"');
    expect(page.body).not.toContain('data-testid="reply-form"');
    expect(pageText(page.body)).toContain("This thread is locked: no new replies can be posted.");
  });

  it("refuses a member's reply through the page's HTML form, storing and broadcasting nothing", async () => {
    watcherEvents.clear();
    const before = await fingerprint(db);
    const forms: Record<string, string>[] = [
      { intent: "reply.create", body: `Plain text while locked ${uniqueSuffix()}` },
      { intent: "reply.create", content: JSON.stringify(paragraphDoc(`Rich text while locked ${uniqueSuffix()}`)) },
    ];
    for (const form of forms) {
      const response = await postForm(server.url, `/threads/${thread.id}`, form, { cookie: memberSession.cookie });
      expect(response.status).toBe(403);
      expect(pageText(response.body)).toContain("This thread is locked");
    }
    await expectNothingStoredOrBroadcast(before);
  });

  it("refuses a member's raw socket reply.create event, storing and broadcasting nothing", async () => {
    watcherEvents.clear();
    const before = await fingerprint(db);
    const ack = await socketCommand(memberSocket, "reply.create", { threadId: thread.id, body: `Over the socket while locked ${uniqueSuffix()}` });
    expect(ack.code).toBe("thread_locked");
    const quoting = await socketCommand(memberSocket, "reply.create", {
      threadId: thread.id,
      replyToId: ownReply.id,
      content: paragraphDoc(`Answering while locked ${uniqueSuffix()}`),
    });
    expect(quoting.code).toBe("thread_locked");
    await expectNothingStoredOrBroadcast(before);
  });

  it("refuses a member's reply through the JSON API with 403, storing and broadcasting nothing", async () => {
    watcherEvents.clear();
    const before = await fingerprint(db);
    const response = await apiCommand(server.url, "reply.create", { threadId: thread.id, body: `Over the API while locked ${uniqueSuffix()}` }, { cookie: memberSession.cookie });
    expect(response).toMatchObject({ code: "thread_locked", status: 403, message: "This thread is locked: replies are closed." });
    await expectNothingStoredOrBroadcast(before);
  });

  it("refuses a moderator's reply too: a locked thread accepts no reply from anyone", async () => {
    watcherEvents.clear();
    const before = await fingerprint(db);
    expect((await socketCommand(moderatorSocket, "reply.create", { threadId: thread.id, body: "Staff reply while locked" })).code).toBe("thread_locked");
    expect((await apiCommand(server.url, "reply.create", { threadId: thread.id, body: "Staff reply while locked" }, { cookie: moderatorSession.cookie })).code).toBe(
      "thread_locked",
    );
    await expectNothingStoredOrBroadcast(before);
  });

  it("refuses an edit of one's own earlier reply while locked", async () => {
    watcherEvents.clear();
    const before = await fingerprint(db);
    expect((await socketCommand(memberSocket, "reply.edit", { replyId: ownReply.id, body: "Rewritten while locked" })).code).toBe("thread_locked");
    await expectNothingStoredOrBroadcast(before);
  });

  it("accepts the member's reply again once a moderator unlocks the thread", async () => {
    expect((await apiCommand(server.url, "thread.unlock", { threadId: thread.id }, { cookie: moderatorSession.cookie })).code).toBe("ok");
    watcherEvents.clear();
    const body = `After the unlock ${uniqueSuffix()}`;
    const response = await postForm(server.url, `/threads/${thread.id}`, { intent: "reply.create", body }, { cookie: memberSession.cookie });
    expect(response.status).toBe(302);
    expect(response.location).toBe(`/threads/${thread.id}?last=1#post-3`);
    await watcherEvents.waitFor((event, payload) => event === "reply:created" && (payload as { reply: { text: string } }).reply.text === body);
    expect(await db.reply.count({ where: { threadId: thread.id } })).toBe(3);
  });
});
