/**
 * CSRF defence: every non-GET request must carry the site's own Origin. Without one, or from
 * anywhere else, it gets 403 and changes nothing, even with a valid session cookie.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createInvitation, createMember, openPrisma, threadOf, type TestMember } from "../helpers/factories";
import { findSetCookie, get, postForm, request } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("a non-GET request from another origin", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: TestMember;
  let session: SignedIn;
  let foreignOrigins: (string | null)[];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    member = await createMember(db);
    session = await signIn(server.url, member.email, member.password);
    foreignOrigins = [
      null, // no Origin header at all
      "null",
      "http://evil.example",
      `https://localhost:${server.port}`, // other scheme
      `http://localhost:${server.port + 1}`, // other port
      `http://127.0.0.1:${server.port}`, // same server, other host name than the Host header
      `http://localhost:${server.port}.evil.example`,
    ];
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  function expectForbidden(response: { status: number; body: string; setCookies: string[] }) {
    expect(response.status).toBe(403);
    expect(response.body).toMatch(/cross-origin request refused/);
    expect(response.setCookies.filter((c) => c.startsWith("crn_session="))).toEqual([]);
  }

  it("cannot sign in", async () => {
    for (const origin of foreignOrigins) {
      const before = await db.session.count({ where: { userId: member.id } });
      const response = await postForm(server.url, "/signin", { email: member.email, password: member.password, redirectTo: "/" }, { origin });
      expectForbidden(response);
      expect(await db.session.count({ where: { userId: member.id } })).toBe(before);
    }
  });

  it("cannot post a reply, even with a valid session cookie", async () => {
    const thread = await threadOf(db, "2024-12-climate-finance");
    for (const origin of foreignOrigins) {
      const response = await postForm(server.url, `/threads/${thread.id}`, { body: `forged reply ${uniqueSuffix()}` }, { cookie: session.cookie, origin });
      expectForbidden(response);
    }
    expect(await db.reply.count({ where: { threadId: thread.id } })).toBe(0);
    expect((await db.thread.findUniqueOrThrow({ where: { id: thread.id } })).replyCount).toBe(0);
  });

  it("cannot sign the member out, here or everywhere", async () => {
    for (const origin of foreignOrigins) {
      expectForbidden(await postForm(server.url, "/signout", {}, { cookie: session.cookie, origin }));
      expectForbidden(await postForm(server.url, "/settings", { intent: "sign-out-everywhere" }, { cookie: session.cookie, origin }));
    }
    expect(await db.session.count({ where: { id: session.sessionId } })).toBe(1);
    expect((await get(server.url, "/settings", { cookie: session.cookie })).status).toBe(200);
  });

  it("cannot use an invitation", async () => {
    const invitation = await createInvitation(db);
    const email = `csrf-${uniqueSuffix()}@test.example`;
    const form = { invitation: invitation.token, email, password: "a-long-enough-password", displayName: "Forged", locale: "en" };
    for (const origin of foreignOrigins) {
      expectForbidden(await postForm(server.url, `/signup?invitation=${invitation.token}`, form, { origin }));
    }
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).usedAt).toBeNull();
  });

  it("cannot change the language, with other methods too", async () => {
    expectForbidden(await postForm(server.url, "/locale", { locale: "zh", redirectTo: "/" }, { origin: "http://evil.example" }));
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expectForbidden(await request(server.url, "/signout", { method, cookie: session.cookie, origin: "http://evil.example" }));
    }
    expect(await db.session.count({ where: { id: session.sessionId } })).toBe(1);
  });

  it("is accepted from the site's own origin (the control case)", async () => {
    const response = await postForm(server.url, "/locale", { locale: "zh", redirectTo: "/" });
    expect(response.status).toBe(302);
    expect(findSetCookie(response, "lng")).toBeDefined();
  });
});
