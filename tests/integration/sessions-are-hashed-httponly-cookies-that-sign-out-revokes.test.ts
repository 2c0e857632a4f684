/**
 * Sessions as Lucia's guide lays them out: the cookie carries `<id>.<secret>`, the database only
 * SHA-256(secret); HttpOnly, SameSite=Lax, Path=/; signing out (here or everywhere) deletes the
 * rows, so the old cookie stops working, on HTTP and on sockets.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, SESSION_COOKIE } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { findSetCookie, get, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectError, connectSocket, waitForDisconnect } from "../helpers/sockets";

const INCORRECT = "The email or password is incorrect.";

/** The text of the form's error message(s). */
const formErrors = (html: string) => [...html.matchAll(/<p class="field-error"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => pageText(m[1]).trim());

describe("sessions", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: TestMember;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    member = await createMember(db, { region: "shanxi" });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("signing in sets an HttpOnly, SameSite=Lax, Path=/ cookie that opens members' pages", async () => {
    const response = await postForm(server.url, "/signin", { email: member.email, password: member.password, redirectTo: "/settings" });
    expect(response.status).toBe(302);
    expect(response.location).toBe("/settings");
    const cookie = findSetCookie(response, SESSION_COOKIE)!;
    expect(cookie.value).toMatch(/^[a-z0-9]+\.[a-z0-9]+$/);
    expect(cookie.attributes.httponly).toBe(true);
    expect(String(cookie.attributes.samesite).toLowerCase()).toBe("lax");
    expect(cookie.attributes.path).toBe("/");
    expect(Number(cookie.attributes["max-age"])).toBeGreaterThan(29 * 24 * 60 * 60);
    expect(cookie.attributes.secure).toBeUndefined(); // plain http here; Secure + __Host- over https

    const settings = await get(server.url, "/settings", { cookie: cookie.pair });
    expect(settings.status).toBe(200);
    expect(pageText(settings.body)).toContain(member.email);

    const signedOut = await get(server.url, "/settings");
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe("/signin?redirectTo=%2Fsettings");
  });

  it("stores the session token only as SHA-256 of its secret", async () => {
    const session = await signIn(server.url, member.email, member.password);
    expect(session.secret.length).toBeGreaterThanOrEqual(50); // 32 random bytes in base32

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; secret_hash: Buffer; user_id: string }>(
        "SELECT id, secret_hash, user_id FROM sessions WHERE id = $1",
        [session.sessionId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].user_id).toBe(member.id);
      expect(Buffer.compare(rows[0].secret_hash, createHash("sha256").update(session.secret).digest())).toBe(0);

      // Neither the cookie value nor its secret appears anywhere in the table, in any encoding.
      const dump = (await client.query<{ row: string }>("SELECT row_to_json(s)::text AS row FROM sessions s")).rows
        .map((r) => r.row)
        .join("\n");
      const secretHex = Buffer.from(session.secret, "utf8").toString("hex");
      for (const needle of [session.token, session.secret, secretHex, Buffer.from(session.secret).toString("base64")]) {
        expect(dump.toLowerCase()).not.toContain(needle.toLowerCase());
      }
    } finally {
      await client.end();
    }
  });

  it("refuses a cookie whose secret is wrong, even with a real session id", async () => {
    const session = await signIn(server.url, member.email, member.password);
    const forged = `${SESSION_COOKIE}=${session.sessionId}.${"a".repeat(session.secret.length)}`;
    const response = await get(server.url, "/settings", { cookie: forged });
    expect(response.status).toBe(302);
    expect(response.location).toMatch(/^\/signin/);
    expect(findSetCookie(response, SESSION_COOKIE)?.attributes["max-age"]).toBe("0");
    expect(await db.session.count({ where: { id: session.sessionId } })).toBe(1);
  });

  it("signing out deletes the row and clears the cookie, and the old cookie stops working", async () => {
    const session = await signIn(server.url, member.email, member.password);
    expect(await db.session.count({ where: { id: session.sessionId } })).toBe(1);

    const response = await postForm(server.url, "/signout", {}, { cookie: session.cookie });
    expect(response.status).toBe(302);
    const cleared = findSetCookie(response, SESSION_COOKIE)!;
    expect(cleared.value).toBe("");
    expect(cleared.attributes["max-age"]).toBe("0");
    expect(cleared.attributes.httponly).toBe(true);
    expect(cleared.attributes.path).toBe("/");
    expect(await db.session.count({ where: { id: session.sessionId } })).toBe(0);

    const after = await get(server.url, "/settings", { cookie: session.cookie });
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/signin/);
    const socketError = await connectError(server.url, { cookie: session.cookie });
    expect(socketError.message).toBe("unauthenticated");
  });

  it("gives a wrong password and an unknown email the same status and message, and no session", async () => {
    const before = await db.session.count();
    const wrongPassword = await postForm(server.url, "/signin", { email: member.email, password: "not-the-password", redirectTo: "/" });
    const unknownEmail = await postForm(server.url, "/signin", { email: `nobody-${uniqueSuffix()}@test.example`, password: member.password, redirectTo: "/" });

    expect(wrongPassword.status).toBe(400);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(formErrors(wrongPassword.body)).toEqual([INCORRECT]);
    expect(formErrors(unknownEmail.body)).toEqual(formErrors(wrongPassword.body));
    expect(findSetCookie(wrongPassword, SESSION_COOKIE)).toBeUndefined();
    expect(findSetCookie(unknownEmail, SESSION_COOKIE)).toBeUndefined();
    expect(await db.session.count()).toBe(before);
  });

  it("'sign out everywhere' deletes all of the member's sessions and disconnects their sockets", async () => {
    const someone = await createMember(db);
    const laptop = await signIn(server.url, someone.email, someone.password);
    const phone = await signIn(server.url, someone.email, someone.password);
    const bystander = await signIn(server.url, member.email, member.password);
    const phoneSocket = await connectSocket(server.url, { cookie: phone.cookie });
    const bystanderSocket = await connectSocket(server.url, { cookie: bystander.cookie });
    try {
      expect(await db.session.count({ where: { userId: someone.id } })).toBe(2);
      const disconnected = waitForDisconnect(phoneSocket);

      const response = await postForm(server.url, "/settings", { intent: "sign-out-everywhere" }, { cookie: laptop.cookie });
      expect(response.status).toBe(302);
      expect(response.location).toBe("/signin");
      expect(findSetCookie(response, SESSION_COOKIE)?.attributes["max-age"]).toBe("0");

      expect(await db.session.count({ where: { userId: someone.id } })).toBe(0);
      for (const old of [laptop, phone]) {
        const page = await get(server.url, "/settings", { cookie: old.cookie });
        expect(page.status).toBe(302);
        expect(page.location).toMatch(/^\/signin/);
      }
      expect(await disconnected).toBe("io server disconnect");

      // Another member's session and socket are untouched.
      expect(await db.session.count({ where: { id: bystander.sessionId } })).toBe(1);
      expect((await get(server.url, "/settings", { cookie: bystander.cookie })).status).toBe(200);
      expect(bystanderSocket.connected).toBe(true);
    } finally {
      closeSockets(phoneSocket, bystanderSocket);
    }
  });
});
