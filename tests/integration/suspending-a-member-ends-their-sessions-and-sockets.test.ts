/**
 * Suspending a member (the moderator's `member.suspend` command) ends all their sessions and
 * disconnects their open sockets at once: the sockets get a server disconnect, the next page
 * request is sent to sign in, the next API command is refused as signed out, a new socket is
 * refused, and signing in again is refused as suspended (403) until a moderator lifts it.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, SESSION_COOKIE, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, threadOf, type TestMember } from "../helpers/factories";
import { findSetCookie, get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectError, connectSocket, joinThread, waitForDisconnect, type ClientSocket } from "../helpers/sockets";

/** Generous: the disconnect is expected "at once", but this machine may be busy. */
const DISCONNECT_TIMEOUT_MS = 15_000;

describe("suspending a member", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: TestMember;
  let moderatorSession: SignedIn;
  let sessions: SignedIn[];
  let sockets: ClientSocket[];
  let bystanderSocket: ClientSocket;
  let thread: { id: string };
  let disconnects: Promise<string[]>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    member = await createMember(db, { displayName: "About to be suspended" });
    const moderator = await createMember(db, { role: "moderator" });
    const bystander = await createMember(db);
    thread = await threadOf(db, "2024-09-23-economic-diversification");
    moderatorSession = await signIn(server.url, moderator.email, moderator.password);
    // Two browsers, each with a tab open on a thread.
    sessions = [await signIn(server.url, member.email, member.password), await signIn(server.url, member.email, member.password)];
    sockets = await Promise.all(sessions.map((s) => connectSocket(server.url, { cookie: s.cookie })));
    for (const socket of sockets) expect((await joinThread(socket, thread.id)).ok).toBe(true);
    bystanderSocket = await connectSocket(server.url, { cookie: (await signIn(server.url, bystander.email, bystander.password)).cookie });
  });

  afterAll(async () => {
    closeSockets(...(sockets ?? []), bystanderSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("is a moderator command that records who, until when and why", async () => {
    disconnects = Promise.all(sockets.map((s) => waitForDisconnect(s, DISCONNECT_TIMEOUT_MS)));
    const until = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
    const outcome = await apiCommand(server.url, "member.suspend", { userId: member.id, until: until.toISOString(), reason: "Repeated spam" }, { cookie: moderatorSession.cookie });
    expect(outcome).toMatchObject({ code: "ok", status: 200 });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).suspendedUntil?.toISOString()).toBe(until.toISOString());
    expect(await db.staffAction.count({ where: { action: "member.suspend", targetId: member.id, reason: "Repeated spam" } })).toBe(1);
  });

  it("disconnects every open socket of the member, from the server's side", async () => {
    expect(await disconnects).toEqual(["io server disconnect", "io server disconnect"]);
    expect(sockets.every((s) => s.disconnected)).toBe(true);
  });

  it("leaves other members' sockets connected", () => {
    expect(bystanderSocket.connected).toBe(true);
  });

  it("deletes all of the member's sessions", async () => {
    expect(await db.session.count({ where: { userId: member.id } })).toBe(0);
  });

  it("sends the member's next page request to sign in, clearing the cookie", async () => {
    const response = await get(server.url, `/threads/${thread.id}`, { cookie: sessions[0].cookie });
    expect(response.status).toBe(302);
    expect(response.location).toBe(`/signin?redirectTo=${encodeURIComponent(`/threads/${thread.id}`)}`);
    expect(findSetCookie(response, SESSION_COOKIE)?.attributes["max-age"]).toBe("0");
  });

  it("refuses the member's next API command as signed out", async () => {
    const outcome = await apiCommand(server.url, "reply.create", { threadId: thread.id, body: "Still here?" }, { cookie: sessions[1].cookie });
    expect(outcome).toMatchObject({ code: "unauthenticated", status: 401 });
    expect(await db.reply.count({ where: { authorId: member.id } })).toBe(0);
  });

  it("refuses a new socket with an old session", async () => {
    expect((await connectError(server.url, { cookie: sessions[0].cookie })).message).toBe("unauthenticated");
  });

  it("refuses to sign the member in again: 403 suspended, and no session", async () => {
    const response = await postForm(server.url, "/signin", { email: member.email, password: member.password, redirectTo: "/" });
    expect(response.status).toBe(403);
    expect(findSetCookie(response, SESSION_COOKIE)).toBeUndefined();
    // The message says until when (UTC on the sign-in page, which knows no time zone yet).
    expect(pageText(response.body)).toMatch(/This account is suspended until \w{3}, \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC\./);
    expect(await db.session.count({ where: { userId: member.id } })).toBe(0);
  });

  it("says so in Chinese to a reader who chose Chinese", async () => {
    const response = await postForm(server.url, "/signin", { email: member.email, password: member.password, redirectTo: "/" }, { cookie: await languageCookie(server.url, "zh") });
    expect(response.status).toBe(403);
    expect(pageText(response.body)).toMatch(/该账户已被暂停,至 \d{4}年\d{1,2}月\d{1,2}日/);
  });

  it("lets the member sign in again once a moderator lifts the suspension", async () => {
    expect((await apiCommand(server.url, "member.unsuspend", { userId: member.id }, { cookie: moderatorSession.cookie })).code).toBe("ok");
    const session = await signIn(server.url, member.email, member.password);
    expect((await get(server.url, `/threads/${thread.id}`, { cookie: session.cookie })).status).toBe(200);
  });
});
