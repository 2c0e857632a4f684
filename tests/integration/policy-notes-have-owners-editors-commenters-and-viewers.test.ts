/**
 * Policy notes: a member creates a note (with its first content written once, on the server),
 * adds members by e-mail with a role, changes roles and removes members; only the owner manages
 * members; non-members cannot see the note; lists show "my notes" and "shared with me".
 */
import type { PrismaClient } from "@prisma/client";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { command, ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("policy notes and their roles", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let people: TestMember[];
  let owner: SignedIn, editor: SignedIn, viewer: SignedIn, outsider: SignedIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    people = await Promise.all([0, 1, 2, 3].map(() => createMember(db)));
    [owner, editor, viewer, outsider] = await Promise.all(people.map((p) => signIn(server.url, p.email, p.password)));
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("creates a note whose first content is stored once, by the server, and manages its members", async () => {
    const region = await db.region.findFirstOrThrow();
    const created = await postForm(server.url, "/notes/new", { title: "Just transition fund", regionIds: region.id }, { cookie: owner.cookie });
    expect(created.status).toBe(302);
    const note = await db.note.findFirstOrThrow({ where: { title: "Just transition fund" }, include: { members: true, regions: true, updates: true } });
    expect(note.ownerId).toBe(people[0]!.id);
    expect(note.members).toEqual([expect.objectContaining({ userId: people[0]!.id, role: "owner" })]);
    expect(note.regions.map((r) => r.regionId)).toEqual([region.id]);
    expect(note.updates).toHaveLength(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(note.updates[0]!.data));
    expect(doc.getXmlFragment("default").toString()).toBe('<heading level="1">Just transition fund</heading><paragraph></paragraph>');

    // Non-members see nothing; only the owner manages members.
    expect((await get(server.url, `/notes/${note.id}`, { cookie: outsider.cookie })).status).toBe(404);
    expect((await command(server.url, "noteMember.add", { noteId: note.id, member: people[3]!.email, role: "editor" }, outsider.cookie)).status).toBe(404);

    await ok(server.url, "noteMember.add", { noteId: note.id, member: people[1]!.email.toUpperCase(), role: "editor" }, owner.cookie);
    const added = await postForm(server.url, `/notes/${note.id}`, { intent: "noteMember.add", member: people[2]!.email, role: "viewer" }, { cookie: owner.cookie });
    expect(added.status).toBe(302);
    const unknown = await command(server.url, "noteMember.add", { noteId: note.id, member: "nobody@example.org", role: "viewer" }, owner.cookie);
    expect(unknown.status).toBe(400);
    expect(unknown.error?.code).toBe("member_unknown");
    // Adding someone already there (the owner too) changes nothing and says so.
    for (const [member, role] of [[people[2]!.email, "editor"], [people[0]!.email, "viewer"]] as const) {
      const again = await command(server.url, "noteMember.add", { noteId: note.id, member, role }, owner.cookie);
      expect(again.status).toBe(409);
      expect(again.error).toMatchObject({ code: "note_member_exists", field: "member", message: "This person is already a member of the note. Change their role in the list instead." });
    }
    expect((await db.noteMember.findMany({ where: { noteId: note.id }, orderBy: { createdAt: "asc" } })).map((m) => m.role)).toEqual(["owner", "editor", "viewer"]);

    // Editors write but do not manage; the owner's role is fixed.
    await ok(server.url, "note.rename", { noteId: note.id, title: "Just transition fund (draft)" }, editor.cookie);
    expect((await command(server.url, "note.rename", { noteId: note.id, title: "Viewer's title" }, viewer.cookie)).status).toBe(403);
    expect((await command(server.url, "noteMember.remove", { noteId: note.id, userId: people[2]!.id }, editor.cookie)).status).toBe(403);
    expect((await command(server.url, "noteMember.setRole", { noteId: note.id, userId: people[0]!.id, role: "viewer" }, owner.cookie)).status).toBe(409);

    const viewerPage = await get(server.url, `/notes/${note.id}`, { cookie: viewer.cookie });
    expect(viewerPage.status).toBe(200);
    expect(pageText(viewerPage.body)).toMatch(/Your role:\s*Viewer/);
    // The note's stored text is in the page itself (read before the editor loads, or without JavaScript).
    expect(viewerPage.body).toMatch(/data-testid="note-static"[^>]*><h1>Just transition fund<\/h1>/);
    expect(viewerPage.body).not.toContain(people[1]!.email);

    const sharedList = pageText((await get(server.url, "/notes", { cookie: editor.cookie })).body);
    expect(sharedList).toContain("Just transition fund (draft)");
    const ownList = await get(server.url, "/notes", { cookie: owner.cookie });
    expect(ownList.body).toMatch(/data-testid="my-notes"[\s\S]*Just transition fund \(draft\)[\s\S]*data-testid="shared-notes"/);

    // Changing a role and removing a member take effect on the next request.
    await ok(server.url, "noteMember.setRole", { noteId: note.id, userId: people[1]!.id, role: "commenter" }, owner.cookie);
    expect((await command(server.url, "note.rename", { noteId: note.id, title: "Again" }, editor.cookie)).status).toBe(403);
    await ok(server.url, "noteMember.remove", { noteId: note.id, userId: people[2]!.id }, owner.cookie);
    expect((await get(server.url, `/notes/${note.id}`, { cookie: viewer.cookie })).status).toBe(404);
    expect(pageText((await get(server.url, "/notes", { cookie: viewer.cookie })).body)).not.toContain("Just transition fund");

    await db.user.update({ where: { id: people[0]!.id }, data: { locale: "zh" } });
    expect(pageText((await get(server.url, "/notes", { cookie: owner.cookie })).body)).toContain("政策笔记");
  });
});
