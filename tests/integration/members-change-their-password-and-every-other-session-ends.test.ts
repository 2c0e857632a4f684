/**
 * Settings → password: the current password is required; the new one follows the password
 * rules and differs from it; every other session of the member ends and its sockets disconnect
 * (the session the change came from stays signed in, on HTTP and on the socket alike); the old
 * password stops working; the member gets an in-app notice (the seam email will use).
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand, socketCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { notificationsOnPage } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, waitForDisconnect, type ClientSocket } from "../helpers/sockets";

const NEW_PASSWORD = "Shanxi-to-Wyoming-2027";

describe("changing one's password", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: TestMember;
  let here: SignedIn;
  let elsewhere: SignedIn;
  let hereSocket: ClientSocket;
  let elsewhereSocket: ClientSocket;

  const change = (fields: Record<string, string>, session = here) => postForm(server.url, "/settings", { intent: "password.change", ...fields }, { cookie: session.cookie });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    member = await createMember(db, { displayName: "Pat Password" });
    here = await signIn(server.url, member.email, member.password);
    elsewhere = await signIn(server.url, member.email, member.password);
    [hereSocket, elsewhereSocket] = await Promise.all([connectSocket(server.url, { cookie: here.cookie }), connectSocket(server.url, { cookie: elsewhere.cookie })]);
  });

  afterAll(async () => {
    closeSockets(hereSocket, elsewhereSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("shows the form in settings, in both languages", async () => {
    expect(pageText((await get(server.url, "/settings", { cookie: here.cookie })).body)).toContain("Current password");
    const zh = await get(server.url, "/settings", { cookie: `${here.cookie}; ${await languageCookie(server.url, "zh")}` });
    expect(pageText(zh.body)).toContain("当前密码");
  });

  it("needs the current password", async () => {
    const before = (await db.user.findUniqueOrThrow({ where: { id: member.id } })).passwordHash;
    const response = await change({ currentPassword: "not-my-password", newPassword: NEW_PASSWORD });
    expect(response.status).toBe(400);
    expect(pageText(response.body)).toContain("The current password is not correct.");
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).passwordHash).toBe(before);
    expect(await db.session.count({ where: { userId: member.id } })).toBe(2);
  });

  it("refuses a new password that breaks the rules or is the current one", async () => {
    const short = await change({ currentPassword: member.password, newPassword: "short" });
    expect(short.status).toBe(400);
    expect(pageText(short.body)).toContain("The password must be at least 10 characters long.");
    const common = await change({ currentPassword: member.password, newPassword: "password123" });
    expect(pageText(common.body)).toContain("This password is too common");
    const same = await change({ currentPassword: member.password, newPassword: member.password });
    expect(pageText(same.body)).toContain("Choose a new password that differs from the current one.");
    expect(await db.session.count({ where: { userId: member.id } })).toBe(2);
  });

  it("refuses a signed-out visitor", async () => {
    expect(await apiCommand(server.url, "password.change", { currentPassword: member.password, newPassword: NEW_PASSWORD })).toMatchObject({ code: "unauthenticated", status: 401 });
  });

  it("changes it, ends every other session and disconnects its sockets, and keeps this one", async () => {
    const disconnected = waitForDisconnect(elsewhereSocket, 15_000);
    const response = await change({ currentPassword: member.password, newPassword: NEW_PASSWORD });
    expect(response.status).toBe(302);
    expect(response.location).toBe("/settings?saved=password#password");
    expect(await disconnected).toBe("io server disconnect");
    expect(await db.session.findMany({ where: { userId: member.id }, select: { id: true } })).toEqual([{ id: here.sessionId }]);
    expect((await get(server.url, "/settings", { cookie: here.cookie })).status).toBe(200);
    expect((await get(server.url, "/settings", { cookie: elsewhere.cookie })).status).toBe(302);
    expect(hereSocket.connected).toBe(true);
  });

  it("makes the old password fail and the new one work", async () => {
    const old = await postForm(server.url, "/signin", { email: member.email, password: member.password, redirectTo: "/" });
    expect(old.status).toBe(400);
    await signIn(server.url, member.email, NEW_PASSWORD);
  });

  it("tells the member in-app, in their language", async () => {
    const page = await get(server.url, "/notifications", { cookie: here.cookie });
    const notices = notificationsOnPage(page.body).filter((n) => n.type === "password_changed");
    expect(notices).toHaveLength(1);
    expect(pageText(notices[0].html)).toContain("Your password was changed.");
    const zh = await get(server.url, "/notifications", { cookie: `${here.cookie}; ${await languageCookie(server.url, "zh")}` });
    expect(pageText(zh.body)).toContain("您的密码已更改。");
  });

  it("works over the socket too, keeping the socket's own session", async () => {
    const third = await signIn(server.url, member.email, NEW_PASSWORD);
    const outcome = await socketCommand(hereSocket, "password.change", { currentPassword: NEW_PASSWORD, newPassword: `${NEW_PASSWORD}-again` });
    expect(outcome.code).toBe("ok");
    expect(await db.session.findMany({ where: { userId: member.id }, select: { id: true } })).toEqual([{ id: here.sessionId }]);
    expect((await get(server.url, "/settings", { cookie: third.cookie })).status).toBe(302);
    expect(hereSocket.connected).toBe(true);
  });
});
