/**
 * A redirect target (after sign-in, after the language switch) is followed only when it is a
 * path on this site in every form a browser reads it in; every hostile form in the table
 * (tests/helpers/hostile-redirects.ts) sends the reader to the home page instead, and no value
 * ever yields a 5xx: through the sign-in form (POST, and GET /signin?redirectTo= when already
 * signed in) and the language switch (POST /locale). (A URL carrying %00 is answered 404 before
 * any route, as everywhere on the site.)
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn as signInForm, SESSION_COOKIE } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { HOSTILE_REDIRECTS } from "../helpers/hostile-redirects";
import { findSetCookie, get, postForm, request } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

/** A readable label for a test name (control characters shown as escapes). */
const label = (value: string) => JSON.stringify(value).slice(0, 50);

describe("redirect targets", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: TestMember;
  let session: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    member = await createMember(db);
    session = (await signInForm(server.url, member.email, member.password)).cookie;
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  describe("after signing in with the form", () => {
    for (const value of HOSTILE_REDIRECTS) {
      it(`sends ${label(value)} to the home page, signed in`, async () => {
        const response = await postForm(server.url, "/signin", { email: member.email, password: member.password, redirectTo: value });
        expect(response.status).toBe(302);
        expect(response.location).toBe("/");
        expect(findSetCookie(response, SESSION_COOKIE)?.value).toBeTruthy();
      });
    }

    it("follows a same-site path, with its query and fragment", async () => {
      const response = await postForm(server.url, "/signin", { email: member.email, password: member.password, redirectTo: "/members?country=CN#list" });
      expect(response.location).toBe("/members?country=CN#list");
    });
  });

  describe("on the sign-in page when already signed in", () => {
    for (const value of HOSTILE_REDIRECTS) {
      it(`sends ?redirectTo=${label(value)} to the home page`, async () => {
        const response = await get(server.url, `/signin?redirectTo=${encodeURIComponent(value)}`, { cookie: session });
        // A URL with %00 names no page at all (server/app.ts answers 404 before any route).
        if (value.includes("\u0000")) return expect(response.status).toBe(404);
        expect(response.status).toBe(302);
        expect(response.location).toBe("/");
      });
    }

    it("answers the raw, unencoded hostile forms with a redirect home, never a 5xx", async () => {
      for (const raw of ["//evil.example", "/\\evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "https:evil.example", "/%E0%A4%A", "%"]) {
        const response = await get(server.url, `/signin?redirectTo=${raw}`, { cookie: session });
        expect(response.status, raw).toBeLessThan(500);
        if (response.status === 302) expect(response.location).toBe("/");
      }
    });

    it("shows the form to a signed-out reader whatever the value, without a 5xx", async () => {
      for (const value of HOSTILE_REDIRECTS) {
        const response = await get(server.url, `/signin?redirectTo=${encodeURIComponent(value)}`);
        expect(response.status, label(value)).toBe(value.includes("\u0000") ? 404 : 200);
      }
    });
  });

  describe("after the language switch", () => {
    for (const value of HOSTILE_REDIRECTS) {
      it(`sends ${label(value)} to the home page`, async () => {
        const response = await postForm(server.url, "/locale", { locale: "zh", redirectTo: value });
        expect(response.status).toBe(302);
        expect(response.location).toBe("/");
      });
    }

    it("follows a same-site path", async () => {
      const response = await postForm(server.url, "/locale", { locale: "en", redirectTo: "/case-studies?topic=water" });
      expect(response.location).toBe("/case-studies?topic=water");
    });

    it("answers a body that is not a form with a 4xx, not a 5xx", async () => {
      const response = await request(server.url, "/locale", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    });
  });
});
