/**
 * A reply posted through the plain HTML form is broadcast, after its transaction commits, to
 * the sockets in that thread's room and nowhere else; a refused reply stores and broadcasts
 * nothing.
 *
 * "Nothing else arrived" is checked without sleeping: after the event under test, a second
 * reply is sent as a barrier, and a socket receives its events in order, so anything that
 * should not have arrived would have arrived before the barrier.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPLY_MAX_LENGTH } from "~/utils/limits";
import { signIn, type SignedIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, openPrisma, threadOf, type TestMember } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, joinThread, record, type ClientSocket, type EventRecorder } from "../helpers/sockets";

/** Where a posted reply redirects: the thread's last page, at the new post. */
const POSTED = /^\/threads\/([^?]+)\?last=1#post-(\d+)$/;

describe("replies in real time", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let reader: TestMember;
  let writer: TestMember;
  let readerSession: SignedIn;
  let writerSession: SignedIn;
  let otherSession: SignedIn;
  let threadA: { id: string };
  let threadB: { id: string };
  let readerSocket: ClientSocket;
  let otherSocket: ClientSocket;
  let readerEvents: EventRecorder<"reply:created">;
  let otherEvents: EventRecorder<"reply:created">;

  /** Posts a reply through the HTML form as the writer; returns the new reply's id. */
  async function postReply(threadId: string, body: string): Promise<string> {
    const response = await postForm(server.url, `/threads/${threadId}`, { body }, { cookie: writerSession.cookie });
    expect(response.status, pageText(response.body).slice(0, 300)).toBe(302);
    const match = POSTED.exec(response.location ?? "");
    expect(match?.[1]).toBe(threadId);
    const reply = await db.reply.findUniqueOrThrow({ where: { threadId_postNumber: { threadId, postNumber: Number(match![2]) } } });
    expect(reply.authorId).toBe(writer.id);
    return reply.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    reader = await createMember(db, { region: "shanxi", displayName: "Reader 读者" });
    writer = await createMember(db, { region: "west-virginia", displayName: "Writer from West Virginia" });
    const other = await createMember(db);
    [readerSession, writerSession, otherSession] = await Promise.all([
      signIn(server.url, reader.email, reader.password),
      signIn(server.url, writer.email, writer.password),
      signIn(server.url, other.email, other.password),
    ]);
    threadA = await threadOf(db, "2024-09-23-economic-diversification");
    threadB = await threadOf(db, "2024-12-climate-finance");

    readerSocket = await connectSocket(server.url, { cookie: readerSession.cookie });
    otherSocket = await connectSocket(server.url, { cookie: otherSession.cookie });
    readerEvents = record(readerSocket, "reply:created");
    otherEvents = record(otherSocket, "reply:created");
    expect((await joinThread(readerSocket, threadA.id)).ok).toBe(true);
    expect((await joinThread(otherSocket, threadB.id)).ok).toBe(true);
  });

  afterAll(async () => {
    closeSockets(readerSocket, otherSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("reaches a socket in the thread's room with the rendered content, the author and the commit time", async () => {
    const firstLine = `Shanxi's diversification plan, first thoughts ${uniqueSuffix()}`;
    const body = `${firstLine}\r\n\r\n山西的经济多元化 — second paragraph.`;
    const before = Date.now();
    // Look the reply up the moment its event arrives: it must already be committed.
    const arrival = readerEvents.waitFor((e) => e.reply.text.startsWith("Shanxi's diversification plan")).then(async (event) => ({
      event,
      stored: await db.reply.findUnique({ where: { id: event.reply.id } }),
    }));
    const replyId = await postReply(threadA.id, body);
    const after = Date.now();
    const { event, stored } = await arrival;

    expect(stored).not.toBeNull();
    // The plain text of the no-JavaScript form becomes paragraphs, stored as ProseMirror JSON
    // and rendered to HTML on the server; the event carries the HTML and the plain text.
    expect(event.reply).toEqual({
      id: replyId,
      threadId: threadA.id,
      postNumber: stored!.postNumber,
      html: `<p>${firstLine}</p><p>山西的经济多元化 — second paragraph.</p>`,
      text: body.replace(/\r\n/g, "\n"),
      createdAt: stored!.createdAt.toISOString(),
      editedAt: null,
      hidden: null,
      replyTo: null,
      author: {
        id: writer.id,
        displayName: "Writer from West Virginia",
        region: { slug: "west-virginia", nameEn: "West Virginia", nameZh: "西弗吉尼亚州" },
        // On the record: no pseudonym, nothing held for staff.
        participant: null,
        staffOnly: false,
      },
      attribution: "on_record",
      // Its language as detected when it was written, and no translation yet.
      language: stored!.language,
      translations: [],
      translationRequested: false,
      // The thread's change number the reply was stamped with (pages catch up from it).
      changeSeq: stored!.changeSeq,
    });
    expect(stored!.changeSeq).toBe((await db.thread.findUniqueOrThrow({ where: { id: threadA.id } })).changeSeq);
    // committedAt is epoch ms taken after the commit: not before the row's own timestamp, and
    // inside the request (with a little slack for two clocks on one machine).
    expect(typeof event.committedAt).toBe("number");
    expect(event.committedAt).toBeGreaterThanOrEqual(stored!.createdAt.getTime() - 5_000);
    expect(event.committedAt).toBeGreaterThanOrEqual(before - 5_000);
    expect(event.committedAt).toBeLessThanOrEqual(after + 5_000);
    expect((await db.thread.findUniqueOrThrow({ where: { id: threadA.id } })).replyCount).toBe(1);
  });

  it("does not reach a socket joined to another thread's room", async () => {
    const inA = await postReply(threadA.id, `for thread A only ${uniqueSuffix()}`);
    await readerEvents.waitFor((e) => e.reply.id === inA);
    // Barriers: one reply in B for the other socket, one more in A for the reader.
    const inB = await postReply(threadB.id, `for thread B ${uniqueSuffix()}`);
    await otherEvents.waitFor((e) => e.reply.id === inB);
    const laterInA = await postReply(threadA.id, `later in thread A ${uniqueSuffix()}`);
    await readerEvents.waitFor((e) => e.reply.id === laterInA);

    expect(otherEvents.events.map((e) => e.reply.threadId)).toEqual([threadB.id]);
    expect(readerEvents.events.every((e) => e.reply.threadId === threadA.id)).toBe(true);
    expect(readerEvents.events.map((e) => e.reply.id)).not.toContain(inB);
  });

  it("stores and broadcasts nothing for an empty, an over-long or a signed-out reply", async () => {
    const countBefore = await db.reply.count({ where: { threadId: threadA.id } });
    const eventsBefore = readerEvents.events.length;

    for (const body of ["", "   \n\n  "]) {
      const response = await postForm(server.url, `/threads/${threadA.id}`, { body }, { cookie: writerSession.cookie });
      expect(response.status).toBe(400);
      expect(pageText(response.body)).toContain("Your reply is empty");
    }
    for (const body of ["x".repeat(REPLY_MAX_LENGTH + 1), "y".repeat(REPLY_MAX_LENGTH * 2 + 5)]) {
      const response = await postForm(server.url, `/threads/${threadA.id}`, { body }, { cookie: writerSession.cookie });
      expect(response.status).toBe(400);
      expect(pageText(response.body)).toContain("longer than 20,000 characters");
    }
    const signedOut = await postForm(server.url, `/threads/${threadA.id}`, { body: "who am I?" });
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe(`/signin?redirectTo=${encodeURIComponent(`/threads/${threadA.id}`)}`);
    const noSuchThread = await postForm(server.url, `/threads/no-such-thread`, { body: "lost" }, { cookie: writerSession.cookie });
    expect(noSuchThread.status).toBe(404);

    // The barrier is the longest reply allowed: exactly 20,000 characters.
    const barrier = await postReply(threadA.id, "z".repeat(REPLY_MAX_LENGTH));
    await readerEvents.waitFor((e) => e.reply.id === barrier);
    expect(readerEvents.events.slice(eventsBefore).map((e) => e.reply.id)).toEqual([barrier]);
    expect(await db.reply.count({ where: { threadId: threadA.id } })).toBe(countBefore + 1);
    expect((await db.thread.findUniqueOrThrow({ where: { id: threadA.id } })).replyCount).toBe(countBefore + 1);
  });

  it("sends a signed-out reader of a thread page to sign in", async () => {
    const response = await get(server.url, `/threads/${threadA.id}`);
    expect(response.status).toBe(302);
    expect(response.location).toBe(`/signin?redirectTo=${encodeURIComponent(`/threads/${threadA.id}`)}`);
  });

  it("refuses the same bad input over the socket's reply.create command", async () => {
    const eventsBefore = readerEvents.events.length;
    const countBefore = await db.reply.count({ where: { threadId: threadA.id } });
    const empty = await readerSocket.timeout(10_000).emitWithAck("reply.create", { threadId: threadA.id, body: "  " });
    expect(empty).toMatchObject({ ok: false, error: "reply_empty" });
    const long = await readerSocket.timeout(10_000).emitWithAck("reply.create", { threadId: threadA.id, body: "x".repeat(REPLY_MAX_LENGTH + 1) });
    expect(long).toMatchObject({ ok: false, error: "reply_too_long" });

    const ok = await readerSocket.timeout(10_000).emitWithAck("reply.create", { threadId: threadA.id, body: "over the socket" });
    expect(ok.ok).toBe(true);
    const sent = (ok as { result: { id: string } }).result.id;
    await readerEvents.waitFor((e) => e.reply.id === sent);
    expect(readerEvents.events.slice(eventsBefore).map((e) => e.reply.id)).toEqual([sent]);
    expect(await db.reply.count({ where: { threadId: threadA.id } })).toBe(countBefore + 1);
  });
});
