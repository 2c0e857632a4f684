/**
 * Sign-in behind proxies. With TRUST_PROXY=<hops> the server believes exactly that many hops of
 * X-Forwarded-For and X-Forwarded-Proto, counted from the right (what the proxies appended),
 * for HTTP and for the Socket.IO handshake alike; anything further left is the client's own
 * claim. Failed sign-ins are limited per account whatever the address: rotating
 * X-Forwarded-For does not reset the count, and the refusal says, in the reader's language,
 * how many minutes to wait. An unknown address is limited exactly like a known one.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn as signInForm } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { findSetCookie, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectError, connectSocket, type ClientSocket } from "../helpers/sockets";

/** The session row made by a sign-in with these forwarding headers. */
async function signInVia(server: RunningServer, db: PrismaClient, member: TestMember, headers: Record<string, string>, origin?: string) {
  const response = await postForm(server.url, "/signin", { email: member.email, password: member.password, redirectTo: "/" }, { headers, origin });
  expect(response.status, pageText(response.body).slice(0, 200)).toBe(302);
  const cookie = response.setCookies.map((c) => c.split(";")[0]).find((c) => c.includes("crn_session="))!;
  const sessionId = cookie.split("=")[1].split(".")[0];
  const row = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
  return { response, cookie, row };
}

describe("proxies and sign-in limits", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let oneHop: RunningServer;
  let twoHops: RunningServer;
  let noProxy: RunningServer;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    [oneHop, twoHops, noProxy] = await Promise.all([
      startServer({ databaseUrl: database.url, env: { TRUST_PROXY: "1" } }),
      startServer({ databaseUrl: database.url, env: { TRUST_PROXY: "2" } }),
      startServer({ databaseUrl: database.url }),
    ]);
  });

  afterAll(async () => {
    closeSockets(...sockets);
    await Promise.all([oneHop?.stop(), twoHops?.stop(), noProxy?.stop()]);
    await db?.$disconnect();
    await database?.drop();
  });

  describe("X-Forwarded-For", () => {
    const chain = { "x-forwarded-for": "203.0.113.9, 198.51.100.7" };

    it("with one trusted hop, is the address the proxy appended, not the client's claim before it", async () => {
      const member = await createMember(db);
      expect((await signInVia(oneHop, db, member, chain)).row.ipAddress).toBe("198.51.100.7");
    });

    it("with two trusted hops, is the address the outer proxy appended", async () => {
      const member = await createMember(db);
      expect((await signInVia(twoHops, db, member, chain)).row.ipAddress).toBe("203.0.113.9");
    });

    it("without TRUST_PROXY, is ignored: the socket's own address counts", async () => {
      const member = await createMember(db);
      expect((await signInVia(noProxy, db, member, chain)).row.ipAddress).toMatch(/127\.0\.0\.1|::1/);
    });
  });

  describe("X-Forwarded-Proto", () => {
    it("https from the trusted proxy makes the session cookie Secure with the __Host- prefix", async () => {
      const member = await createMember(db);
      const { response } = await signInVia(oneHop, db, member, { "x-forwarded-proto": "https" }, new URL(oneHop.url).origin.replace("http:", "https:"));
      const cookie = findSetCookie(response, "__Host-crn_session");
      expect(cookie?.attributes.secure).toBe(true);
    });

    it("a client's own 'https' left of the proxy's 'http' is not believed", async () => {
      const member = await createMember(db);
      const { response } = await signInVia(oneHop, db, member, { "x-forwarded-proto": "https, http" });
      expect(findSetCookie(response, "crn_session")).toBeDefined();
      expect(findSetCookie(response, "__Host-crn_session")).toBeUndefined();
    });

    it("is read the same way by the socket handshake: one hop of https admits the __Host- cookie", async () => {
      const member = await createMember(db);
      const httpsOrigin = new URL(oneHop.url).origin.replace("http:", "https:");
      const { cookie } = await signInVia(oneHop, db, member, { "x-forwarded-proto": "https" }, httpsOrigin);
      const socket = await connectSocket(oneHop.url, { cookie, origin: httpsOrigin, headers: { "x-forwarded-proto": "https" } });
      sockets.push(socket);
      expect(socket.connected).toBe(true);
      // The client's own "https" before the proxy's "http": the handshake is not secure, so the
      // https Origin is another site's and the __Host- cookie is not this site's cookie.
      expect((await connectError(oneHop.url, { cookie, origin: httpsOrigin, headers: { "x-forwarded-proto": "https, http" } })).message).toBeTruthy();
    });
  });

  describe("failed sign-ins per account", () => {
    let target: TestMember;

    beforeAll(async () => {
      target = await createMember(db, { email: `locked-${Date.now()}@test.example` });
    });

    it("are counted whatever the address: ten wrong passwords from ten addresses lock the account", async () => {
      for (let i = 1; i <= 10; i++) {
        const response = await postForm(
          oneHop.url,
          "/signin",
          { email: target.email, password: `wrong-password-${i}`, redirectTo: "/" },
          { headers: { "x-forwarded-for": `192.0.2.${i}` } },
        );
        expect(response.status, `attempt ${i}`).toBe(400);
        expect(pageText(response.body)).toContain("The email or password is incorrect.");
      }
      const locked = await postForm(oneHop.url, "/signin", { email: target.email, password: target.password, redirectTo: "/" }, { headers: { "x-forwarded-for": "192.0.2.200" } });
      expect(locked.status).toBe(429);
      expect(pageText(locked.body)).toMatch(/Too many sign-in attempts\. Try again in 1[45] minutes\./);
      expect(findSetCookie(locked, "crn_session")).toBeUndefined();
    });

    it("say how long to wait in Chinese to a reader who chose Chinese", async () => {
      const response = await postForm(
        oneHop.url,
        "/signin",
        { email: target.email, password: target.password, redirectTo: "/" },
        { headers: { "x-forwarded-for": "192.0.2.201" }, cookie: await languageCookie(oneHop.url, "zh") },
      );
      expect(response.status).toBe(429);
      expect(pageText(response.body)).toMatch(/登录尝试次数过多,请在 1[45] 分钟后再试。/);
    });

    it("count the address whatever its letter case", async () => {
      const response = await postForm(oneHop.url, "/signin", { email: target.email.toUpperCase(), password: target.password, redirectTo: "/" }, { headers: { "x-forwarded-for": "198.51.100.99" } });
      expect(response.status).toBe(429);
    });

    it("lock an unknown address exactly like a known one, so the lock reveals nothing", async () => {
      const unknown = `nobody-${Date.now()}@test.example`;
      for (let i = 1; i <= 10; i++) {
        const response = await postForm(oneHop.url, "/signin", { email: unknown, password: `guess-${i}`, redirectTo: "/" }, { headers: { "x-forwarded-for": `198.51.100.${i}` } });
        expect(response.status).toBe(400);
        expect(pageText(response.body)).toContain("The email or password is incorrect.");
      }
      const locked = await postForm(oneHop.url, "/signin", { email: unknown, password: "guess-11", redirectTo: "/" }, { headers: { "x-forwarded-for": "198.51.100.11" } });
      expect(locked.status).toBe(429);
      expect(pageText(locked.body)).toMatch(/Try again in 1[45] minutes\./);
    });

    it("leave other accounts free to sign in from the same addresses", async () => {
      const other = await createMember(db);
      const response = await postForm(oneHop.url, "/signin", { email: other.email, password: other.password, redirectTo: "/" }, { headers: { "x-forwarded-for": "192.0.2.1" } });
      expect(response.status).toBe(302);
      await signInForm(noProxy.url, other.email, other.password);
    });
  });
});
