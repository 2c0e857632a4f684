/**
 * Acknowledge only what can be applied (issue #11, item 5): the relay acknowledges a note
 * update as saved only when it applies to the stored document without missing dependencies
 * (nothing Yjs would keep "pending"). Update 2 sent without update 1 is refused with
 * `update_incomplete`, not stored and not relayed; the server asks the sender to sync again
 * (sync step 1), and the answer (step 2, which carries both) is stored and acknowledged. The
 * app's NoteProvider answers that request by itself.
 */
import type { PrismaClient } from "@prisma/client";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { encodeUpdate, openNoteClient, until, type NoteClient } from "../helpers/notes";
import { startServer, type RunningServer } from "../helpers/server";
import { connectSocket, record, type ClientSocket } from "../helpers/sockets";

/** The note's stored text field `t`, read from PostgreSQL as the server would load it. */
async function storedText(db: PrismaClient, noteId: string): Promise<string> {
  const doc = new Y.Doc();
  const snapshots = await db.noteSnapshot.findMany({ where: { noteId, name: null } });
  const updates = await db.noteUpdate.findMany({ where: { noteId }, orderBy: { seq: "asc" } });
  for (const row of [...snapshots, ...updates]) Y.applyUpdate(doc, new Uint8Array(row.data));
  const text = doc.getText("t").toString();
  doc.destroy();
  return text;
}

/** Two updates by one client, the second continuing the first: update 2 cannot apply alone. */
function twoDependentUpdates(doc: Y.Doc) {
  const before = Y.encodeStateVector(doc);
  doc.getText("t").insert(0, "one ");
  const update1 = Y.encodeStateAsUpdate(doc, before);
  const middle = Y.encodeStateVector(doc);
  doc.getText("t").insert(4, "two");
  const update2 = Y.encodeStateAsUpdate(doc, middle);
  return { update1, update2 };
}

describe("a note update that depends on one the server never got", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let people: TestMember[];
  let owner: SignedIn, editor: SignedIn;
  const clients: NoteClient[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    people = await Promise.all([createMember(db), createMember(db)]);
    [owner, editor] = await Promise.all(people.map((p) => signIn(server.url, p.email, p.password)));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const s of sockets) s.close();
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  async function newNote() {
    const { noteId } = await ok<{ noteId: string }>(server.url, "note.create", { title: "Gaps" }, owner.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: people[1]!.email, role: "editor" }, owner.cookie);
    const observer = await openNoteClient(server.url, owner.cookie, noteId);
    clients.push(observer);
    return { noteId, observer };
  }

  it("is refused and not stored; the server asks for a resync, and the answer is stored and acknowledged", async () => {
    const { noteId, observer } = await newNote();
    const socket = await connectSocket(server.url, { cookie: editor.cookie });
    sockets.push(socket);
    expect(await socket.emitWithAck("doc:join", { noteId })).toMatchObject({ ok: true, role: "editor" });
    // The raw client loads the note (step 1 → step 2) like any editor.
    const doc = new Y.Doc();
    const first = encoding.createEncoder();
    syncProtocol.writeSyncStep1(first, doc);
    const loaded = await socket.emitWithAck("doc:sync", { noteId, message: encoding.toUint8Array(first) });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded));
    syncProtocol.readSyncMessage(decoding.createDecoder(new Uint8Array(loaded.replies[0] as unknown as ArrayBuffer)), encoding.createEncoder(), doc, null);
    const { update2 } = twoDependentUpdates(doc);
    const requests = record(socket, "doc:sync");
    const storedBefore = await db.noteUpdate.count({ where: { noteId } });

    const refused = await socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(update2) });
    expect(refused).toEqual({ ok: false, error: "update_incomplete" });
    expect(await db.noteUpdate.count({ where: { noteId } })).toBe(storedBefore);
    expect(await storedText(db, noteId)).toBe("");

    // The server asked this client for everything beyond what it holds: a sync step 1.
    const request = await requests.waitFor((p) => p.noteId === noteId);
    const decoder = decoding.createDecoder(new Uint8Array(request.message as unknown as ArrayBuffer));
    expect(decoding.readVarUint(decoder)).toBe(syncProtocol.messageYjsSyncStep1);
    const answer = encoding.createEncoder();
    syncProtocol.readSyncStep1(decoder, answer, doc);

    expect(await socket.emitWithAck("doc:sync", { noteId, message: encoding.toUint8Array(answer) })).toEqual({ ok: true, replies: [] });
    expect(await storedText(db, noteId)).toBe("one two");
    await until(() => observer.doc.getText("t").toString() === "one two", "the other editor to converge");
    // And once only: sending update 2 again now changes nothing.
    expect(await socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(update2) })).toEqual({ ok: true, replies: [] });
    expect(await storedText(db, noteId)).toBe("one two");
    doc.destroy();
  });

  it("updates that arrive together are stored together, each acknowledged, and one that cannot apply fails alone", async () => {
    const { noteId, observer } = await newNote();
    const socket = await connectSocket(server.url, { cookie: editor.cookie });
    sockets.push(socket);
    expect(await socket.emitWithAck("doc:join", { noteId })).toMatchObject({ ok: true, role: "editor" });
    // Eight changes that depend on nothing but the empty note (the socket's handlers may reach
    // storage in any order), each from its own client.
    const docs = Array.from({ length: 8 }, () => new Y.Doc());
    const updates = docs.map((doc, i) => {
      doc.getText("t").insert(0, String(i));
      return Y.encodeStateAsUpdate(doc);
    });
    // Another client's second change, whose first never arrives.
    const { update2: gap } = twoDependentUpdates(new Y.Doc());
    // Sent without waiting for acknowledgements: they queue behind one another on the server
    // and are stored in groups (app/models/note-docs.server.ts, appendNoteUpdate).
    const sent = [...updates.slice(0, 4), gap, ...updates.slice(4)];
    const storedBefore = await db.noteUpdate.count({ where: { noteId } });
    const acks = await Promise.all(sent.map((u) => socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(u) })));
    expect(acks[4]).toEqual({ ok: false, error: "update_incomplete" });
    expect(acks.filter((_, i) => i !== 4)).toEqual(Array.from({ length: 8 }, () => ({ ok: true, replies: [] })));
    const text = await storedText(db, noteId);
    expect([...text].sort().join("")).toBe("01234567");
    expect(await db.noteUpdate.count({ where: { noteId } })).toBe(storedBefore + 8);
    await until(() => observer.doc.getText("t").toString() === text, "the other editor to converge");
    for (const doc of docs) doc.destroy();
  });

  it("the app's provider answers the server's request by itself and the note is saved", async () => {
    const { noteId, observer } = await newNote();
    const client = await openNoteClient(server.url, editor.cookie, noteId);
    clients.push(client);
    // The provider's document holds two changes the server never got (applied as if remote,
    // so the provider does not send them itself); update 2 alone reaches the server.
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(client.doc));
    const { update1, update2 } = twoDependentUpdates(elsewhere);
    Y.applyUpdate(client.doc, update1, client.provider);
    Y.applyUpdate(client.doc, update2, client.provider);

    const refused = await client.socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(update2) });
    expect(refused).toEqual({ ok: false, error: "update_incomplete" });
    await until(() => observer.doc.getText("t").toString() === "one two", "the provider's answer to reach the other editor");
    expect(await storedText(db, noteId)).toBe("one two");
    await client.provider.whenSaved();
    expect(client.provider.state.status).toBe("saved");
    elsewhere.destroy();
  });
});
