/**
 * Names come from the server (issue #11, item 7): the name, role label and colour shown for a
 * person in a note's list of people, on their caret, and among a thread's viewers come from
 * their session on the server. A client that writes another name, a staff role or a colour into
 * its awareness state is shown as itself anyway; it cannot speak for another member's caret;
 * the people of one note get distinct colours; and a person whose connection ends leaves the list
 * at once. Adding someone to a note notifies them, in
 * their language, with a link to the note.
 */
import type { PrismaClient } from "@prisma/client";
import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotePresence } from "~/realtime/events";
import { signIn, type SignedIn } from "../helpers/auth";
import { ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, insertThread, openPrisma, type TestMember } from "../helpers/factories";
import { get, pageText } from "../helpers/http";
import { openNoteClient, until, type NoteClient } from "../helpers/notes";
import { startServer, type RunningServer } from "../helpers/server";
import { connectSocket, joinThread, record, type ClientSocket } from "../helpers/sockets";

/** A y-protocols awareness update with the given states, as a (forging) client would send it. */
function awarenessUpdate(states: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, states.length);
  for (const { clientId, clock, state } of states) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

describe("people's names, roles and colours", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let alice: TestMember, moderator: TestMember, bob: TestMember, chen: TestMember;
  let aliceSession: SignedIn, moderatorSession: SignedIn, bobSession: SignedIn, chenSession: SignedIn;
  const clients: NoteClient[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    [alice, moderator, bob, chen] = await Promise.all([
      createMember(db, { displayName: "Alice Wyoming" }),
      createMember(db, { role: "moderator", displayName: "Maria Moderator" }),
      createMember(db, { displayName: "Bob Shanxi" }),
      createMember(db, { displayName: "陈晨", locale: "zh" }),
    ]);
    [aliceSession, moderatorSession, bobSession, chenSession] = await Promise.all(
      [alice, moderator, bob, chen].map((m) => signIn(server.url, m.email, m.password)),
    );
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const s of sockets) s.close();
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  async function client(session: SignedIn, noteId: string) {
    const c = await openNoteClient(server.url, session.cookie, noteId);
    clients.push(c);
    return c;
  }

  it("in a note: each person as their session says, in a colour of their own, whatever their client claims", async () => {
    const { noteId } = await ok<{ noteId: string }>(server.url, "note.create", { title: "Presence" }, aliceSession.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: moderator.email, role: "editor" }, aliceSession.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: bob.email, role: "viewer" }, aliceSession.cookie);

    const owner = await client(aliceSession, noteId);
    const mod = await client(moderatorSession, noteId);
    const viewer = await client(bobSession, noteId);
    const expected: Record<string, Omit<NotePresence, "color">> = {
      [alice.id]: { id: alice.id, name: "Alice Wyoming", role: "owner", staff: null },
      [moderator.id]: { id: moderator.id, name: "Maria Moderator", role: "editor", staff: "moderator" },
      [bob.id]: { id: bob.id, name: "Bob Shanxi", role: "viewer", staff: null },
    };
    for (const c of [owner, mod, viewer]) expect(c.provider.state.me).toMatchObject(expected[c.provider.state.me!.id]!);
    // Three people, three colours; joining again keeps each one's colour.
    const colours = [owner, mod, viewer].map((c) => c.provider.state.me!.color);
    expect(new Set(colours).size).toBe(3);
    const again = await connectSocket(server.url, { cookie: bobSession.cookie });
    sockets.push(again);
    expect(await again.emitWithAck("doc:join", { noteId })).toMatchObject({ ok: true, me: { color: viewer.provider.state.me!.color } });

    // Maria's presence reaches Alice as the server describes her, whatever her client wrote
    // (the editor's caret extension sets `user` from what the server told it; here a wrong one).
    mod.provider.awareness.setLocalStateField("user", { name: "Somebody else", color: "#123456" });
    mod.doc.getText("t").insert(0, "Maria writes"); // her client id now belongs to her
    await mod.provider.whenSaved();
    await until(() => owner.provider.awareness.getStates().get(mod.doc.clientID)?.user?.name === "Maria Moderator", "Maria's state at Alice");
    expect(owner.provider.awareness.getStates().get(mod.doc.clientID)!.user).toEqual({ ...expected[moderator.id], color: mod.provider.state.me!.color });

    // Bob's client claims to be an admin called "Admin", in black; and speaks for Maria's caret.
    const forged = awarenessUpdate([
      { clientId: viewer.doc.clientID, clock: 100, state: { user: { id: alice.id, name: "Admin", color: "#000000", role: "owner", staff: "admin" }, cursor: null } },
      { clientId: mod.doc.clientID, clock: 100, state: { user: { name: "Maria Moderator", color: "#000000" }, cursor: { anchor: 0, head: 0 } } },
    ]);
    viewer.socket.emit("doc:awareness", { noteId, update: forged });
    await until(() => owner.provider.awareness.getStates().get(viewer.doc.clientID)?.user?.name === "Bob Shanxi", "Bob's state at Alice");
    const bobAtAlice = owner.provider.awareness.getStates().get(viewer.doc.clientID)!.user as NotePresence;
    expect(bobAtAlice).toEqual({ ...expected[bob.id], color: viewer.provider.state.me!.color });
    // The state Bob sent for Maria's caret (in the same message) was dropped: Alice still has Maria's own.
    expect(owner.provider.awareness.getStates().get(mod.doc.clientID)!.user).toEqual({ ...expected[moderator.id], color: mod.provider.state.me!.color });
    expect(owner.provider.awareness.meta.get(mod.doc.clientID)!.clock).toBeLessThan(100);
    // The refusal is logged (the log reaches this process through a pipe of its own: wait for it).
    await until(() => server.output().includes('"event":"doc.awareness_refused"'), "the refusal in the log");

    // A connection that ends without a word (a closed tab) takes its caret with it at once.
    viewer.socket.disconnect();
    await until(() => !owner.provider.awareness.getStates().has(viewer.doc.clientID), "Bob's state to go when his connection ends");
  });

  it("in a thread: viewers are named with their role from their sessions", async () => {
    const thread = await insertThread(db, { authorId: alice.id, title: "Who is here" });
    const aliceSocket = await connectSocket(server.url, { cookie: aliceSession.cookie });
    const modSocket = await connectSocket(server.url, { cookie: moderatorSession.cookie });
    sockets.push(aliceSocket, modSocket);
    const presence = record(aliceSocket, "presence:update");
    expect((await joinThread(aliceSocket, thread.id)).ok).toBe(true);
    const joined = await joinThread(modSocket, thread.id);
    expect(joined).toMatchObject({
      ok: true,
      viewers: 2,
      people: [
        { id: alice.id, name: "Alice Wyoming", role: "member" },
        { id: moderator.id, name: "Maria Moderator", role: "moderator" },
      ],
    });
    const update = await presence.waitFor((p) => p.threadId === thread.id && p.viewers === 2);
    expect(update.people.map((p) => [p.name, p.role])).toEqual([
      ["Alice Wyoming", "member"],
      ["Maria Moderator", "moderator"],
    ]);
  });

  it("adding someone to a note notifies them, live and in their language, with a link to the note", async () => {
    const { noteId } = await ok<{ noteId: string }>(server.url, "note.create", { title: "煤炭转型计划" }, aliceSession.cookie);
    const chenSocket = await connectSocket(server.url, { cookie: chenSession.cookie });
    sockets.push(chenSocket);
    const badge = record(chenSocket, "notifications:count");
    await ok(server.url, "noteMember.add", { noteId, member: chen.email, role: "editor" }, aliceSession.cookie);
    await badge.waitFor((p) => p.unread === 1);

    const page = await get(server.url, "/notifications", { cookie: chenSession.cookie, headers: { "accept-language": "zh" } });
    expect(page.status).toBe(200);
    expect(pageText(page.body)).toContain("Alice Wyoming 将您添加为政策笔记的编辑者 · 煤炭转型计划");
    const notification = await db.notification.findFirstOrThrow({ where: { userId: chen.id, type: "note_shared" } });
    expect(page.body).toContain(`value="/notes/${noteId}"`);
    // Opening it marks it read and goes to the note.
    const open = await fetch(new URL("/notifications", server.url), {
      method: "POST",
      headers: { cookie: chenSession.cookie, origin: new URL(server.url).origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ notificationId: notification.id, go: `/notes/${noteId}` }),
      redirect: "manual",
    });
    expect(open.status).toBe(302);
    expect(open.headers.get("location")).toBe(`/notes/${noteId}`);
    await badge.waitFor((p) => p.unread === 0);
  });

  it("no one is notified twice or when adding fails", async () => {
    const { noteId } = await ok<{ noteId: string }>(server.url, "note.create", { title: "Once" }, aliceSession.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: bob.email, role: "viewer" }, aliceSession.cookie);
    const again = await fetch(new URL("/api/commands/noteMember.add", server.url), {
      method: "POST",
      headers: { cookie: aliceSession.cookie, origin: new URL(server.url).origin, "content-type": "application/json" },
      body: JSON.stringify({ noteId, member: bob.email, role: "editor" }),
    });
    expect(again.status).toBe(409);
    const shared = await db.notification.findMany({ where: { userId: bob.id, type: "note_shared" } });
    expect(shared.filter((n) => (n.data as { noteId?: string }).noteId === noteId)).toHaveLength(1);
  });
});
