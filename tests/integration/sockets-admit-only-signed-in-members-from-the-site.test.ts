/**
 * The Socket.IO handshake checks the session cookie and the Origin, and joining a thread room
 * re-checks that the member may read that thread.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, insertThread, openPrisma, threadOf } from "../helpers/factories";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectError, connectSocket, EVENT_TIMEOUT_MS, joinThread, type ClientSocket } from "../helpers/sockets";

describe("socket connections", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let session: SignedIn;
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const member = await createMember(db);
    session = await signIn(server.url, member.email, member.password);
  });

  afterAll(async () => {
    closeSockets(socket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("are refused without a session cookie", async () => {
    expect((await connectError(server.url, {})).message).toBe("unauthenticated");
  });

  it("are refused with a malformed or unknown session cookie", async () => {
    for (const cookie of ["crn_session=garbage", "crn_session=abc.def", `crn_session=${session.sessionId}.wrongsecret`]) {
      expect((await connectError(server.url, { cookie })).message).toBe("unauthenticated");
    }
  });

  it("are refused from another origin, or without one, even with a valid cookie", async () => {
    for (const origin of ["http://evil.example", `http://localhost:${server.port + 1}`, null]) {
      const error = await connectError(server.url, { cookie: session.cookie, origin });
      expect(error).toBeInstanceOf(Error);
    }
  });

  it("are accepted for a signed-in member from the site", async () => {
    socket = await connectSocket(server.url, { cookie: session.cookie });
    expect(socket.connected).toBe(true);
  });

  it("may join a thread's room and learn how many are viewing", async () => {
    const thread = await threadOf(db, "2024-09-23-economic-diversification");
    expect(await joinThread(socket!, thread.id)).toMatchObject({ ok: true, viewers: 1 });
  });

  it("may not join the room of a thread that does not exist", async () => {
    const ack = await joinThread(socket!, "no-such-thread-id");
    expect(ack.ok).toBe(false);
    expect(["forbidden", "not_found"]).toContain((ack as { error: string }).error);
  });

  it("may not join with an invalid payload", async () => {
    for (const threadId of ["", 42, null, "x".repeat(41)]) {
      expect(await joinThread(socket!, threadId)).toEqual({ ok: false, error: "validation" });
    }
    const noObject = await socket!.timeout(EVENT_TIMEOUT_MS).emitWithAck("thread:join", "not an object" as never);
    expect(noObject).toEqual({ ok: false, error: "validation" });
    expect(socket!.connected).toBe(true);
  });

  // A deleted thread is readable by staff only: the one thread a member may not read today.
  it("may not join the room of a thread the member may not read (a deleted one)", async () => {
    const author = await createMember(db);
    const thread = await insertThread(db, { authorId: author.id, title: `Deleted ${Date.now()}` });
    await db.thread.update({ where: { id: thread.id }, data: { deletedAt: new Date() } });
    expect(await joinThread(socket!, thread.id)).toEqual({ ok: false, error: "forbidden" });
    expect(socket!.connected).toBe(true);
  });

  // 30 events a second per socket (server/sockets/router.ts). 100 events sent at once cannot
  // spread over the four one-second windows they would need to all pass.
  it("answers events beyond 30 a second on one socket with rate_limited, keeps the connection, and limits each socket on its own", async () => {
    const burst = await connectSocket(server.url, { cookie: session.cookie });
    try {
      const acks = (await Promise.all(
        Array.from({ length: 100 }, () => burst.timeout(EVENT_TIMEOUT_MS).emitWithAck("thread:leave", { threadId: "" })),
      )) as { ok: boolean; error?: string }[];
      const errors = acks.map((a) => a.error);
      expect(errors.filter((e) => e !== "validation" && e !== "rate_limited")).toEqual([]);
      expect(errors.filter((e) => e === "validation").length).toBeGreaterThanOrEqual(30);
      expect(errors.filter((e) => e === "rate_limited").length).toBeGreaterThan(0);
      expect(burst.connected).toBe(true);
      // Another socket of the same member is not held back by this one's burst.
      expect(await socket!.timeout(EVENT_TIMEOUT_MS).emitWithAck("thread:leave", { threadId: "" })).toEqual({ ok: false, error: "validation" });
    } finally {
      closeSockets(burst);
    }
  });
});
