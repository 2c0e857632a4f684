/**
 * Issue 14, participation: members ask to take part from the dialogue page (staff are told in the
 * app); staff approve, wait-list or decline on /moderation/requests with a role and a message; a
 * dialogue with a capacity wait-lists approvals beyond it and promotes the waiting list in order
 * when a participant gives up their place; each requester sees where their request stands when
 * they reload the dialogue page, and is told in the app and by email. Members may not decide;
 * participants are named on the record and counted by role under the Chatham House Rule; staff
 * download the list as CSV that Excel reads in Chinese.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, openPrisma, type TestMember } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

const DIALOGUE = "2025-dialogue-3";

describe("participation in a dialogue", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let dialogueId: string;
  let admin: SignedIn;
  let moderator: SignedIn;
  let moderatorMember: TestMember;
  const people: { member: TestMember; session: SignedIn }[] = [];

  const dialoguePage = (who: SignedIn) => get(server.url, `/dialogues/${DIALOGUE}`, { cookie: who.cookie }).then((r) => pageText(r.body));
  const requestOf = (member: TestMember) => db.participationRequest.findFirstOrThrow({ where: { userId: member.id, dialogueId }, orderBy: { createdAt: "desc" } });
  const decide = async (member: TestMember, decision: string, extra: Record<string, string> = {}) => {
    const request = await requestOf(member);
    const response = await postForm(server.url, `/moderation/requests?dialogue=${DIALOGUE}`, { intent: "participation.decide", requestId: request.id, decision, role: "participant", note: "", ...extra }, { cookie: moderator.cookie });
    expect(response.status, response.body.slice(0, 300)).toBe(302);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    dialogueId = (await dialogueBySlug(db, DIALOGUE)).id;
    const adminMember = await createMember(db, { role: "admin" });
    moderatorMember = await createMember(db, { role: "moderator" });
    [admin, moderator] = await Promise.all([signIn(server.url, adminMember.email, adminMember.password), signIn(server.url, moderatorMember.email, moderatorMember.password)]);
    for (const name of ["Ada Requester", "王芳", "Carl Waiting", "Dee Declined"]) {
      const member = await createMember(db, { displayName: `${name} ${uniqueSuffix()}` });
      people.push({ member, session: await signIn(server.url, member.email, member.password) });
    }
    expect((await apiCommand(server.url, "dialogue.configure", { dialogueId, attributionLevel: "on_record", capacity: 2 }, { cookie: admin.cookie })).code).toBe("ok");
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("runs a request from the form to a place, the waiting list and a promotion, telling everyone", async () => {
    const [ada, fang, carl, dee] = people;
    for (const { member, session } of people) {
      const response = await postForm(server.url, `/dialogues/${DIALOGUE}`, { name: member.displayName, email: member.email, organisation: "Test Org", message: "I would like to join." }, { cookie: session.cookie });
      expect(response.status).toBe(302);
    }
    // Staff were told of each request, in the app.
    expect(await db.notification.count({ where: { userId: moderatorMember.id, type: "participation_requested" } })).toBe(4);
    expect(pageText((await get(server.url, "/notifications", { cookie: moderator.cookie })).body)).toContain(`${carl!.member.displayName} asked to take part in`);
    // A requester who reloads sees their request waiting, not an empty form.
    expect(await dialoguePage(ada!.session)).toContain("Your request is waiting for the organisers’ decision.");

    await decide(ada!.member, "approved", { role: "speaker", note: "Welcome" });
    await decide(fang!.member, "approved");
    await decide(carl!.member, "approved"); // full: the waiting list
    await decide(dee!.member, "declined");
    expect((await requestOf(carl!.member)).status).toBe("waitlisted");
    expect(await dialoguePage(ada!.session)).toContain("You are a participant (Speaker).");
    expect(await dialoguePage(carl!.session)).toContain("You are on the waiting list");
    expect(await dialoguePage(dee!.session)).toContain("Your request was declined.");
    expect(await db.notification.count({ where: { userId: ada!.member.id, type: "participation_decided" } })).toBe(1);
    expect(await db.emailMessage.count({ where: { kind: "participation_decided", userId: carl!.member.id } })).toBe(1);
    // Members see who takes part (the dialogue is on the record) and the count of places.
    const listed = await dialoguePage(dee!.session);
    expect(listed).toContain(ada!.member.displayName);
    expect(listed).toContain(fang!.member.displayName);
    expect(listed).not.toContain(carl!.member.displayName);
    expect(listed).toContain("2 of 2 places taken");

    // Ada gives up her place: Carl, first on the waiting list, gets it and is told.
    const mine = await requestOf(ada!.member);
    expect((await postForm(server.url, `/dialogues/${DIALOGUE}`, { intent: "participation.cancel", requestId: mine.id }, { cookie: ada!.session.cookie })).status).toBe(302);
    expect((await requestOf(ada!.member)).status).toBe("cancelled");
    expect((await requestOf(carl!.member)).status).toBe("approved");
    expect(await db.notification.count({ where: { userId: carl!.member.id, type: "participation_decided" } })).toBe(2);
    expect(await dialoguePage(carl!.session)).toContain("You are a participant (Participant).");
    expect(await dialoguePage(ada!.session)).toContain("You withdrew from this dialogue.");
  });

  it("refuses decisions by members and leaves the request as it was", async () => {
    const outsider = people[3]!;
    const pending = await db.participationRequest.create({ data: { id: `req${uniqueSuffix().replace(/\W/g, "")}`.slice(0, 30), dialogueId, name: "Someone", email: "someone@test.example" } });
    const refused = await apiCommand(server.url, "participation.decide", { requestId: pending.id, decision: "approved" }, { cookie: outsider.session.cookie });
    expect(refused.code).toBe("forbidden");
    expect(refused.status).toBe(403);
    expect((await postForm(server.url, "/moderation/requests", { intent: "participation.decide", requestId: pending.id, decision: "approved" }, { cookie: outsider.session.cookie })).status).toBe(403);
    expect((await apiCommand(server.url, "participation.cancel", { requestId: pending.id }, { cookie: outsider.session.cookie })).code).toBe("not_found");
    expect((await db.participationRequest.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("pending");
    expect((await get(server.url, `/moderation/requests.csv?dialogue=${DIALOGUE}`, { cookie: outsider.session.cookie })).status).toBe(403);
  });

  it("refuses a capacity below the places already given, and keeps the one it had", async () => {
    const refused = await apiCommand(server.url, "dialogue.configure", { dialogueId, attributionLevel: "on_record", capacity: 1 }, { cookie: admin.cookie });
    expect(refused.code).toBe("capacity_below_participants");
    expect(refused.status).toBe(409);
    expect(refused.message).toContain("2 participants already have a place");
    expect((await db.dialogue.findUniqueOrThrow({ where: { id: dialogueId } })).capacity).toBe(2);
  });

  it("counts participants by role under the Chatham House Rule, naming them to staff only", async () => {
    expect((await apiCommand(server.url, "dialogue.configure", { dialogueId, attributionLevel: "chatham_house", capacity: 2 }, { cookie: admin.cookie })).code).toBe("ok");
    const fang = people[1]!;
    const memberView = await dialoguePage(people[3]!.session);
    expect(memberView).not.toContain(fang.member.displayName);
    expect(memberView).toContain("Names are not shown");
    const staffView = await dialoguePage(moderator);
    expect(staffView).toContain(fang.member.displayName);
    expect(staffView).toContain("Names visible to staff only");
  });

  it("gives staff the list as CSV with a byte-order mark, Chinese intact and formulas defused", async () => {
    await db.participationRequest.create({ data: { id: `req${uniqueSuffix().replace(/\W/g, "")}`.slice(0, 30), dialogueId, name: "=HYPERLINK(\"x\")", email: "formula@test.example" } });
    const response = await fetch(new URL(`/moderation/requests.csv?dialogue=${DIALOGUE}`, server.url), { headers: { cookie: moderator.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe("name,email,organisation,role,status,requested_at,decided_at,decision_note");
    expect(text).toContain(people[1]!.member.displayName); // 王芳 …
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines.length).toBeGreaterThanOrEqual(6);
  });
});
