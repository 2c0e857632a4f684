/**
 * Members administration at /admin/members (admins only; moderators and members get 404): the
 * list with search by name or email and filters by role, region and status; role changes (the
 * last active admin can be neither demoted nor deactivated, even by two admins at once);
 * deactivation (the member cannot sign in, every session ends and every open socket
 * disconnects at once, their content stays) and reactivation; revoking outstanding
 * invitations. Every change is in the staff log with its reason, and the /admin landing page
 * links the admin pages and the staff log.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, SESSION_COOKIE, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createInvitation, createMember, insertReplies, insertThread, openPrisma, type TestMember } from "../helpers/factories";
import { findSetCookie, get, languageCookie, pageText, postForm } from "../helpers/http";
import { staffLogRows } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectError, connectSocket, joinThread, waitForDisconnect, type ClientSocket } from "../helpers/sockets";

/** Generous: the disconnect is expected "at once", but this machine may be busy. */
const DISCONNECT_TIMEOUT_MS = 15_000;

/** Member ids listed on an /admin/members page. */
const listedIds = (html: string) => [...html.matchAll(/data-member-id="([^"]+)"/g)].map((m) => m[1]);

describe("members administration", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let admin: TestMember;
  let adminSession: SignedIn;
  let moderator: TestMember;
  let moderatorSession: SignedIn;
  let member: TestMember;
  let memberSession: SignedIn;
  let shanxi: TestMember;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    admin = await createMember(db, { role: "admin", displayName: "Avery Admin" });
    moderator = await createMember(db, { role: "moderator", displayName: "Morgan Moderator" });
    member = await createMember(db, { displayName: "Mel Member", region: "west-virginia" });
    shanxi = await createMember(db, { displayName: "Zhang Wei", email: `zhang.wei.${Date.now()}@shanxi.example`, region: "shanxi" });
    [adminSession, moderatorSession, memberSession] = await Promise.all([
      signIn(server.url, admin.email, admin.password),
      signIn(server.url, moderator.email, moderator.password),
      signIn(server.url, member.email, member.password),
    ]);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  describe("who may see it", () => {
    const pages = () => ["/admin", "/admin/members", `/admin/members/${member.id}`, "/admin/invitations", "/admin/topics"];

    it("is 404 for moderators and members, on every admin page", async () => {
      for (const path of pages()) {
        expect((await get(server.url, path, { cookie: moderatorSession.cookie })).status, `${path} as a moderator`).toBe(404);
        expect((await get(server.url, path, { cookie: memberSession.cookie })).status, `${path} as a member`).toBe(404);
      }
      const posted = await postForm(server.url, `/admin/members/${member.id}`, { intent: "member.setRole", role: "admin", reason: "let me in" }, { cookie: moderatorSession.cookie });
      expect(posted.status).toBe(404);
      expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("member");
    });

    it("sends a signed-out reader to sign in", async () => {
      const response = await get(server.url, "/admin/members");
      expect(response.status).toBe(302);
      expect(response.location).toBe(`/signin?redirectTo=${encodeURIComponent("/admin/members")}`);
    });

    it("refuses the admin commands to moderators and members on the API, changing nothing", async () => {
      for (const session of [moderatorSession, memberSession]) {
        for (const [name, input] of [
          ["member.setRole", { userId: member.id, role: "admin", reason: "x" }],
          ["member.deactivate", { userId: admin.id, reason: "x" }],
          ["member.reactivate", { userId: admin.id, reason: "x" }],
        ] as const) {
          expect(await apiCommand(server.url, name, input, { cookie: session.cookie })).toMatchObject({ code: "forbidden", status: 403 });
        }
      }
      expect(await db.staffAction.count()).toBe(0);
    });

    it("links members, invitations, topics and the staff log from the /admin landing page, and the header links /admin", async () => {
      const page = await get(server.url, "/admin", { cookie: adminSession.cookie });
      expect(page.status).toBe(200);
      for (const href of ["/admin/members", "/admin/invitations", "/admin/topics", "/moderation/log"]) expect(page.body).toContain(`href="${href}"`);
      expect(page.body).toContain('data-testid="nav-admin"');
      const chinese = await get(server.url, "/admin", { cookie: `${adminSession.cookie}; ${await languageCookie(server.url, "zh")}` });
      expect(pageText(chinese.body)).toContain("管理操作日志");
      // Moderators reach the staff log from the header.
      expect((await get(server.url, "/", { cookie: moderatorSession.cookie })).body).toContain('href="/moderation/log"');
    });
  });

  describe("the list", () => {
    it("lists everyone for an admin, with role, region and status", async () => {
      const page = await get(server.url, "/admin/members", { cookie: adminSession.cookie });
      expect(page.status).toBe(200);
      expect(listedIds(page.body)).toEqual(expect.arrayContaining([admin.id, moderator.id, member.id, shanxi.id]));
      expect(pageText(page.body)).toContain(shanxi.email);
    });

    it("searches by name and by email, case-insensitively", async () => {
      expect(listedIds((await get(server.url, "/admin/members?q=zhang", { cookie: adminSession.cookie })).body)).toEqual([shanxi.id]);
      expect(listedIds((await get(server.url, "/admin/members?q=SHANXI.EXAMPLE", { cookie: adminSession.cookie })).body)).toEqual([shanxi.id]);
    });

    it("filters by role, region and status, together", async () => {
      expect(listedIds((await get(server.url, "/admin/members?role=moderator", { cookie: adminSession.cookie })).body)).toEqual([moderator.id]);
      expect(listedIds((await get(server.url, "/admin/members?region=shanxi", { cookie: adminSession.cookie })).body)).toEqual([shanxi.id]);
      expect(listedIds((await get(server.url, "/admin/members?region=shanxi&role=admin", { cookie: adminSession.cookie })).body)).toEqual([]);
      expect(listedIds((await get(server.url, "/admin/members?status=deactivated", { cookie: adminSession.cookie })).body)).toEqual([]);
    });

    it("ignores filter values it does not know instead of failing", async () => {
      const page = await get(server.url, "/admin/members?role=emperor&status=%00x&region=nowhere-at-all&cursor=%%%", { cookie: adminSession.cookie });
      expect(page.status).toBeLessThan(500);
    });
  });

  describe("roles", () => {
    it("needs a reason, and says so in the reader's language", async () => {
      const response = await postForm(server.url, `/admin/members/${member.id}`, { intent: "member.setRole", role: "moderator", reason: "" }, { cookie: adminSession.cookie });
      expect(response.status).toBe(400);
      expect(pageText(response.body)).toContain("This field is required.");
      expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("member");
    });

    it("changes a member's role from the page, logged with its reason", async () => {
      const response = await postForm(server.url, `/admin/members/${member.id}`, { intent: "member.setRole", role: "moderator", reason: "Runs the Wyoming threads" }, { cookie: adminSession.cookie });
      expect(response.status).toBe(302);
      expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("moderator");
      const logged = await db.staffAction.findMany({ where: { action: "member.role", targetId: member.id } });
      expect(logged.map((a) => [a.actorId, a.reason, a.data])).toEqual([[admin.id, "Runs the Wyoming threads", { from: "member", to: "moderator" }]]);
      // The new role holds at once: the member's next request may open the review queue.
      expect((await get(server.url, "/moderation/review", { cookie: memberSession.cookie })).status).toBe(200);
    });

    it("refuses to demote the last active admin, with a clear message", async () => {
      const response = await postForm(server.url, `/admin/members/${admin.id}`, { intent: "member.setRole", role: "member", reason: "stepping down" }, { cookie: adminSession.cookie });
      expect(response.status).toBe(409);
      expect(pageText(response.body)).toContain("The network needs at least one active admin");
      const api = await apiCommand(server.url, "member.deactivate", { userId: admin.id, reason: "leaving" }, { cookie: adminSession.cookie, lngCookie: await languageCookie(server.url, "zh") });
      expect(api).toMatchObject({ code: "last_admin", status: 409, message: "网络至少需要一位正常的管理员:请先将另一位成员设为管理员。" });
      expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ role: "admin", deactivatedAt: null });
    });

    it("lets exactly one of two admins demoting each other at the same moment succeed", async () => {
      const second = await createMember(db, { role: "admin" });
      const secondSession = await signIn(server.url, second.email, second.password);
      const outcomes = await Promise.all([
        apiCommand(server.url, "member.setRole", { userId: second.id, role: "member", reason: "race" }, { cookie: adminSession.cookie }),
        apiCommand(server.url, "member.setRole", { userId: admin.id, role: "member", reason: "race" }, { cookie: secondSession.cookie }),
      ]);
      expect(outcomes.map((o) => o.code).sort()).toEqual(["last_admin", "ok"]);
      expect(await db.user.count({ where: { role: "admin", deactivatedAt: null } })).toBe(1);
      // Put the first admin back in charge for the tests that follow.
      const remaining = await db.user.findFirstOrThrow({ where: { role: "admin" } });
      if (remaining.id !== admin.id) {
        const session = remaining.id === second.id ? secondSession : adminSession;
        expect((await apiCommand(server.url, "member.setRole", { userId: admin.id, role: "admin", reason: "restore" }, { cookie: session.cookie })).code).toBe("ok");
        adminSession = await signIn(server.url, admin.email, admin.password);
      }
    });
  });

  describe("deactivation", () => {
    let target: TestMember;
    let sessions: SignedIn[];
    let sockets: ClientSocket[];
    let thread: { id: string };
    let disconnects: Promise<string[]>;

    beforeAll(async () => {
      target = await createMember(db, { displayName: "Dana Deactivated" });
      thread = await insertThread(db, { authorId: target.id, title: "Mine water heat" });
      await insertReplies(db, thread.id, [{ authorId: target.id, text: "Our pilot heats 200 homes." }]);
      sessions = [await signIn(server.url, target.email, target.password), await signIn(server.url, target.email, target.password)];
      sockets = await Promise.all(sessions.map((s) => connectSocket(server.url, { cookie: s.cookie })));
      for (const socket of sockets) expect((await joinThread(socket, thread.id)).ok).toBe(true);
    });

    afterAll(() => closeSockets(...(sockets ?? [])));

    it("is an admin command, logged with its reason", async () => {
      disconnects = Promise.all(sockets.map((s) => waitForDisconnect(s, DISCONNECT_TIMEOUT_MS)));
      const response = await postForm(server.url, `/admin/members/${target.id}`, { intent: "member.deactivate", reason: "Left the network" }, { cookie: adminSession.cookie });
      expect(response.status).toBe(302);
      expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).deactivatedAt).not.toBeNull();
      expect(await db.staffAction.count({ where: { action: "member.deactivate", targetId: target.id, reason: "Left the network" } })).toBe(1);
    });

    it("disconnects every open socket and ends every session at once", async () => {
      expect(await disconnects).toEqual(["io server disconnect", "io server disconnect"]);
      expect(await db.session.count({ where: { userId: target.id } })).toBe(0);
      const page = await get(server.url, `/threads/${thread.id}`, { cookie: sessions[0].cookie });
      expect(page.status).toBe(302);
      expect(findSetCookie(page, SESSION_COOKIE)?.attributes["max-age"]).toBe("0");
      expect((await connectError(server.url, { cookie: sessions[1].cookie })).message).toBe("unauthenticated");
    });

    it("refuses to sign the member in, in their language", async () => {
      const response = await postForm(server.url, "/signin", { email: target.email, password: target.password, redirectTo: "/" });
      expect(response.status).toBe(403);
      expect(pageText(response.body)).toContain("This account has been deactivated. Contact an administrator.");
      expect(findSetCookie(response, SESSION_COOKIE)).toBeUndefined();
      const chinese = await postForm(server.url, "/signin", { email: target.email, password: target.password, redirectTo: "/" }, { cookie: await languageCookie(server.url, "zh") });
      expect(pageText(chinese.body)).toContain("该账户已被停用。请联系管理员。");
    });

    it("keeps their content, under their name", async () => {
      const page = await get(server.url, `/threads/${thread.id}`, { cookie: adminSession.cookie });
      expect(pageText(page.body)).toContain("Our pilot heats 200 homes.");
      expect(pageText(page.body)).toContain("Dana Deactivated");
    });

    it("shows under the deactivated filter, and reactivation lets them sign in again", async () => {
      expect(listedIds((await get(server.url, "/admin/members?status=deactivated", { cookie: adminSession.cookie })).body)).toEqual([target.id]);
      const response = await postForm(server.url, `/admin/members/${target.id}`, { intent: "member.reactivate", reason: "Back for the 2026 series" }, { cookie: adminSession.cookie });
      expect(response.status).toBe(302);
      expect(await db.staffAction.count({ where: { action: "member.reactivate", targetId: target.id, reason: "Back for the 2026 series" } })).toBe(1);
      await signIn(server.url, target.email, target.password);
    });
  });

  describe("invitations", () => {
    it("revokes an outstanding invitation: logged, and its link admits nobody", async () => {
      const invitation = await createInvitation(db, { createdById: admin.id });
      const response = await postForm(server.url, "/admin/invitations", { intent: "invitation.revoke", invitationId: invitation.id, reason: "Sent to the wrong address" }, { cookie: adminSession.cookie });
      expect(response.status).toBe(302);
      expect((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).revokedAt).not.toBeNull();
      expect(await db.staffAction.count({ where: { action: "invitation.revoke", targetId: invitation.id, reason: "Sent to the wrong address" } })).toBe(1);
      const list = await get(server.url, "/admin/invitations", { cookie: adminSession.cookie });
      expect(pageText(list.body)).toContain("Revoked");
      const email = `late-${Date.now()}@test.example`;
      const signUp = await postForm(server.url, `/signup?invitation=${invitation.token}`, {
        invitation: invitation.token,
        email,
        password: "a-long-enough-password",
        displayName: "Too Late",
        organisation: "",
        regionId: "",
        locale: "en",
      });
      expect(signUp.status).toBe(400);
      expect(await db.user.count({ where: { email } })).toBe(0);
    });

    it("refuses to revoke one that is used or already revoked (409), and refuses non-admins", async () => {
      const used = await createInvitation(db, { createdById: admin.id, usedById: moderator.id });
      expect(await apiCommand(server.url, "invitation.revoke", { invitationId: used.id, reason: "x" }, { cookie: adminSession.cookie })).toMatchObject({ code: "invitation_not_open", status: 409 });
      const open = await createInvitation(db, { createdById: admin.id });
      expect(await apiCommand(server.url, "invitation.revoke", { invitationId: open.id, reason: "x" }, { cookie: moderatorSession.cookie })).toMatchObject({ code: "forbidden", status: 403 });
      expect((await db.invitation.findUniqueOrThrow({ where: { id: open.id } })).revokedAt).toBeNull();
    });
  });

  it("lists every change in the staff log with its reason", async () => {
    const rows = staffLogRows((await get(server.url, "/moderation/log", { cookie: adminSession.cookie })).body);
    const actions = rows.map((r) => r.action);
    for (const action of ["member.role", "member.deactivate", "member.reactivate", "invitation.revoke"]) expect(actions).toContain(action);
    expect(rows.find((r) => r.action === "member.deactivate")).toMatchObject({ who: "Avery Admin", why: "Left the network" });
    expect(rows.find((r) => r.action === "member.deactivate")!.what).toContain("deactivated Dana Deactivated");
    expect(rows.find((r) => r.action === "member.role" && r.why === "Runs the Wyoming threads")!.what).toContain("Mel Member (Member → Moderator)");
  });
});
