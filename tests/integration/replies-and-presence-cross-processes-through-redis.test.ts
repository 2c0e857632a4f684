/**
 * Scale-out: two app processes on one database and one Redis (the Socket.IO Redis adapter).
 * A reply posted through one process reaches sockets on the other, and the viewer count of a
 * thread counts distinct members across both.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { testRedisUrl, uniqueSuffix } from "../helpers/env";
import { createMember, openPrisma, threadOf, type TestMember } from "../helpers/factories";
import { postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, joinThread, record, type ClientSocket } from "../helpers/sockets";

describe("two app processes sharing Redis", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let first: RunningServer;
  let second: RunningServer;
  let alice: TestMember;
  let bob: TestMember;
  let aliceSession: SignedIn;
  let bobSession: SignedIn;
  const sockets: ClientSocket[] = [];

  async function connect(server: RunningServer, session: SignedIn): Promise<ClientSocket> {
    const socket = await connectSocket(server.url, { cookie: session.cookie });
    sockets.push(socket);
    return socket;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    // One after the other: the first migrates and seeds, the second finds it done.
    first = await startServer({ databaseUrl: database.url, redisUrl: testRedisUrl });
    second = await startServer({ databaseUrl: database.url, redisUrl: testRedisUrl });
    alice = await createMember(db, { region: "wyoming", displayName: "Alice" });
    bob = await createMember(db, { region: "inner-mongolia", displayName: "Bob" });
    aliceSession = await signIn(first.url, alice.email, alice.password);
    bobSession = await signIn(second.url, bob.email, bob.password);
  });

  afterAll(async () => {
    closeSockets(...sockets);
    await Promise.all([first?.stop(), second?.stop()]);
    await db?.$disconnect();
    await database?.drop();
  });

  it("deliver a reply posted through process 1 to a socket connected to process 2", async () => {
    const thread = await threadOf(db, "2024-09-23-economic-diversification");
    const onSecond = await connect(second, aliceSession);
    const events = record(onSecond, "reply:created");
    expect((await joinThread(onSecond, thread.id)).ok).toBe(true);

    const body = `Posted on process 1 ${uniqueSuffix()}`;
    const response = await postForm(first.url, `/threads/${thread.id}`, { body }, { cookie: bobSession.cookie });
    expect(response.status).toBe(302);
    const postNumber = Number(/^\/threads\/[^?]+\?last=1#post-(\d+)$/.exec(response.location ?? "")?.[1]);
    const reply = await db.reply.findUniqueOrThrow({ where: { threadId_postNumber: { threadId: thread.id, postNumber } } });

    const event = await events.waitFor((e) => e.reply.id === reply.id);
    expect(event.reply).toMatchObject({ threadId: thread.id, postNumber, text: body, html: `<p>${body}</p>`, author: { id: bob.id, displayName: "Bob" } });
    expect(typeof event.committedAt).toBe("number");
  });

  it("count distinct members viewing a thread across both processes", async () => {
    const thread = await threadOf(db, "2024-12-climate-finance");

    const aliceOnFirst = await connect(first, aliceSession);
    const presence = record(aliceOnFirst, "presence:update");
    expect(await joinThread(aliceOnFirst, thread.id)).toMatchObject({ ok: true, viewers: 1, people: [{ id: alice.id, name: "Alice", role: "member" }] });

    const bobOnSecond = await connect(second, bobSession);
    expect(await joinThread(bobOnSecond, thread.id)).toMatchObject({ ok: true, viewers: 2, people: [{ name: "Alice" }, { name: "Bob" }] });
    // Process 2's update reaches Alice on process 1.
    await presence.waitFor((p) => p.threadId === thread.id && p.viewers === 2);

    // Alice opening the thread a second time, on the other process, is still two members.
    const aliceOnSecond = await connect(second, aliceSession);
    expect(await joinThread(aliceOnSecond, thread.id)).toMatchObject({ ok: true, viewers: 2 });

    // Bob leaves: one member (Alice, with two tabs) is left.
    bobOnSecond.close();
    await presence.waitFor((p) => p.threadId === thread.id && p.viewers === 1);
  });
});
