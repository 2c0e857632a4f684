/**
 * Joining is by invitation only: the sign-up form refuses a missing, bogus, expired or used
 * invitation with a 400 and creates no member; a valid invitation works exactly once.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createInvitation, createMember, openPrisma } from "../helpers/factories";
import { findSetCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

const INVALID_INVITATION = "This invitation link is invalid, expired or already used.";

describe("signing up", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  const newEmail = () => `joiner-${uniqueSuffix()}@test.example`;
  const signUpForm = (invitation: string | undefined, email: string, extra: Record<string, string> = {}) => ({
    ...(invitation === undefined ? {} : { invitation }),
    email,
    password: "a-long-enough-password",
    displayName: "Jordan Joiner",
    organisation: "Wyoming Energy Authority",
    regionId: "",
    locale: "en",
    ...extra,
  });
  const signUp = (invitation: string | undefined, email: string, extra?: Record<string, string>) =>
    postForm(server.url, `/signup${invitation ? `?invitation=${encodeURIComponent(invitation)}` : ""}`, signUpForm(invitation, email, extra));

  async function expectRefused(response: Awaited<ReturnType<typeof signUp>>, email: string, message: string | null) {
    expect(response.status).toBe(400);
    expect(findSetCookie(response, "crn_session")).toBeUndefined();
    if (message) expect(pageText(response.body)).toContain(message);
    expect(await db.user.count({ where: { email } })).toBe(0);
  }

  it("is refused without an invitation", async () => {
    const email = newEmail();
    await expectRefused(await signUp(undefined, email), email, null);
    await expectRefused(await signUp("", email), email, null);
  });

  it("is refused with a made-up invitation token", async () => {
    const email = newEmail();
    await expectRefused(await signUp("not-a-real-invitation-token-at-all", email), email, INVALID_INVITATION);
  });

  it("is refused with an expired invitation, which stays unused", async () => {
    const invitation = await createInvitation(db, { expiresAt: new Date(Date.now() - 60_000) });
    const email = newEmail();
    await expectRefused(await signUp(invitation.token, email), email, INVALID_INVITATION);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).usedAt).toBeNull();
  });

  it("is refused with an invitation someone already used", async () => {
    const earlier = await createMember(db);
    const invitation = await createInvitation(db, { usedById: earlier.id });
    const email = newEmail();
    await expectRefused(await signUp(invitation.token, email), email, INVALID_INVITATION);
  });

  it("works once with a valid invitation, giving the invited role, and not a second time", async () => {
    const wyoming = await db.region.findUniqueOrThrow({ where: { slug: "wyoming" } });
    const invitation = await createInvitation(db, { role: "moderator" });
    const email = newEmail();

    const response = await signUp(invitation.token, email, { regionId: wyoming.id, locale: "zh" });
    expect(response.status).toBe(302);
    expect(response.location).toBe("/");
    expect(findSetCookie(response, "crn_session")?.value).toMatch(/^[a-z0-9]+\.[a-z0-9]+$/);

    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ role: "moderator", regionId: wyoming.id, locale: "zh", displayName: "Jordan Joiner" });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    const used = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(used.usedById).toBe(user.id);
    expect(used.usedAt).toBeInstanceOf(Date);

    const again = newEmail();
    await expectRefused(await signUp(invitation.token, again), again, INVALID_INVITATION);
  });

  it("keeps a valid invitation unused when the form is otherwise invalid (password too short)", async () => {
    const invitation = await createInvitation(db);
    const email = newEmail();
    await expectRefused(await signUp(invitation.token, email, { password: "short" }), email, null);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).usedAt).toBeNull();
  });
});
