/**
 * Characters no page or form has a use for are refused cleanly: a NUL byte in an address is a
 * 404 (not a 500), and NUL or a bidirectional override in a text field is a 400 with a
 * localised message and nothing written.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { get, request } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("control characters", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: TestMember;
  let session: SignedIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    member = await createMember(db);
    session = await signIn(server.url, member.email, member.password);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("answers 404, not 500, for an address with a NUL byte, signed out and signed in", async () => {
    for (const path of ["/dialogues/%00", "/regions/%00", "/series/a%00b", "/case-studies/%00"]) {
      expect((await get(server.url, path)).status, path).toBe(404);
    }
    for (const path of ["/members/%00", "/threads/%00", "/search?q=a%00b"]) {
      expect((await get(server.url, path, { cookie: session.cookie })).status, path).toBe(404);
    }
  });

  it("refuses a right-to-left override in a display name with a localised 400 and keeps the old name", async () => {
    const before = await db.user.findUniqueOrThrow({ where: { id: member.id } });
    const outcome = await apiCommand(server.url, "profile.update", { displayName: "Dana Miller\u202Eevil", locale: "en" }, { cookie: session.cookie });
    expect(outcome.status).toBe(400);
    const after = await db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(after.displayName).toBe(before.displayName);
  });

  it("refuses a NUL in a participation request with the field's message, storing nothing", async () => {
    const dialogue = await db.dialogue.findFirstOrThrow({ select: { slug: true, id: true } });
    const response = await request(server.url, `/dialogues/${dialogue.slug}`, {
      form: { name: "QA", email: "qa@example.org", organisation: "QA\u0000Org", message: "" },
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain("This contains characters that cannot be stored.");
    expect(await db.participationRequest.count({ where: { dialogueId: dialogue.id } })).toBe(0);
  });
  it("refuses other control characters (BEL, backspace, DEL, C1) in titles and names, but keeps tabs and line breaks in text", async () => {
    for (const title of ["Plan\u0007", "\u0001\u0002ctrl title", "Back\u0008space", "Del\u007F", "C1\u0085 next line"]) {
      const outcome = await apiCommand(server.url, "note.create", { title }, { cookie: session.cookie });
      expect(outcome, JSON.stringify(title)).toMatchObject({ status: 400, field: "title", message: "This contains characters that cannot be stored." });
    }
    expect(await db.note.count({ where: { ownerId: member.id } })).toBe(0);
    const bio = "Line one\n\tindented line two\r\nline three";
    expect(await apiCommand(server.url, "profile.update", { bio }, { cookie: session.cookie })).toMatchObject({ code: "ok" });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).bio).toBe("Line one\n\tindented line two\nline three");
  });
});
