/**
 * Co-editing over the tab's socket (server/sockets/docs.ts, app/realtime/note-provider.ts): the
 * test clients are the app's own provider around a Y.Doc, on socket.io-client with the session
 * cookie and the site's Origin, as a browser connects.
 */
import type { PrismaClient } from "@prisma/client";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { testRedisUrl } from "../helpers/env";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { encodeUpdate, openNoteClient, until, type NoteClient } from "../helpers/notes";
import { startServer, type RunningServer } from "../helpers/server";




describe("co-editing policy notes", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let people: TestMember[];
  let owner: SignedIn, editor: SignedIn, viewer: SignedIn;
  const clients: NoteClient[] = [];

  async function newNote(title: string) {
    const { noteId } = await ok<{ noteId: string }>(server.url, "note.create", { title }, owner.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: people[1]!.email, role: "editor" }, owner.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: people[2]!.email, role: "viewer" }, owner.cookie);
    return noteId;
  }
  async function client(who: SignedIn, noteId: string, on = server) {
    const c = await openNoteClient(on.url, who.cookie, noteId);
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    people = await Promise.all([0, 1, 2].map(() => createMember(db)));
    [owner, editor, viewer] = await Promise.all(people.map((p) => signIn(server.url, p.email, p.password)));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("two clients opening a new note at once see its initial content once, and concurrent edits converge", async () => {
    const noteId = await newNote("Mine closures");
    const [a, b] = await Promise.all([client(owner, noteId), client(editor, noteId)]);
    const expected = '<heading level="1">Mine closures</heading><paragraph></paragraph>';
    expect(a.doc.getXmlFragment("default").toString()).toBe(expected);
    expect(b.doc.getXmlFragment("default").toString()).toBe(expected);
    expect(a.provider.state.role).toBe("owner");
    expect(b.provider.state.role).toBe("editor");

    const ta = a.doc.getText("t");
    const tb = b.doc.getText("t");
    for (let i = 0; i < 20; i += 1) {
      ta.insert(0, `a${i} `);
      tb.insert(tb.length, `b${i} `);
    }
    await Promise.all([a.provider.whenSaved(), b.provider.whenSaved()]);
    await until(() => ta.toString() === tb.toString() && ta.length === tb.length && /b19/.test(ta.toString()) && /a19/.test(tb.toString()), "convergence");
    const stored = new Y.Doc();
    Y.applyUpdate(stored, Y.mergeUpdates((await db.noteUpdate.findMany({ where: { noteId } })).map((u) => new Uint8Array(u.data))));
    expect(stored.getText("t").toString()).toBe(ta.toString());
    expect(stored.getXmlFragment("default").toString()).toBe(expected);
  });

  it("drops a viewer's forged update without storing it, and stops a demoted editor's next update", async () => {
    const noteId = await newNote("Roles");
    const e = await client(editor, noteId);
    const v = await client(viewer, noteId);
    expect(v.provider.state.role).toBe("viewer");
    const before = await db.noteUpdate.count({ where: { noteId } });
    v.doc.getText("t").insert(0, "forged by a viewer");
    await until(() => v.provider.state.status === "error" || v.provider.state.status === "saved", "viewer ack");
    expect(await db.noteUpdate.count({ where: { noteId } })).toBe(before);

    // A forged update sent by hand is refused too.
    const forged = new Y.Doc();
    forged.getText("t").insert(0, "forged again");
    const answer = await v.socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(Y.encodeStateAsUpdate(forged)) });
    expect(answer).toMatchObject({ ok: false, error: "forbidden" });
    expect(await db.noteUpdate.count({ where: { noteId } })).toBe(before);
    expect(e.doc.getText("t").toString()).toBe("");

    e.doc.getText("t").insert(0, "editor text");
    await e.provider.whenSaved();
    expect(await db.noteUpdate.count({ where: { noteId } })).toBe(before + 1);

    await ok(server.url, "noteMember.setRole", { noteId, userId: people[1]!.id, role: "commenter" }, owner.cookie);
    await until(() => e.provider.state.role === "commenter", "role event");
    const next = await e.socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(Y.encodeStateAsUpdate(forged)) });
    expect(next).toMatchObject({ ok: false, error: "forbidden" });
    expect(await db.noteUpdate.count({ where: { noteId } })).toBe(before + 1);
  });

  it("undo by one editor leaves the other editor's text in place", async () => {
    const noteId = await newNote("Undo");
    const [a, b] = await Promise.all([client(owner, noteId), client(editor, noteId)]);
    const ta = a.doc.getText("t");
    const undo = new Y.UndoManager(ta, { trackedOrigins: new Set([null]), captureTimeout: 0 });
    ta.insert(0, "mine ");
    await a.provider.whenSaved();
    await until(() => b.doc.getText("t").toString() === "mine ", "a's text at b");
    b.doc.getText("t").insert(5, "theirs");
    await b.provider.whenSaved();
    await until(() => ta.toString() === "mine theirs", "b's text at a");
    undo.undo();
    await a.provider.whenSaved();
    await until(() => b.doc.getText("t").toString() === "theirs", "undo at b");
    expect(ta.toString()).toBe("theirs");
  });

  it("takes fast typing (a keystroke every 2 ms, with carets moving) without tripping the socket's rate limit", async () => {
    const noteId = await newNote("Fast typing");
    const [a, b] = await Promise.all([client(owner, noteId), client(editor, noteId)]);
    const statuses = new Set<string>();
    a.provider.subscribe((state) => statuses.add(state.status));
    const text = a.doc.getText("t");
    const typed = "Wyoming and Shanxi agree on a retraining fund. ".repeat(6);
    for (const [i, ch] of [...typed].entries()) {
      text.insert(i, ch);
      a.provider.awareness.setLocalStateField("cursor", { index: i });
      await new Promise((r) => setTimeout(r, 2));
    }
    await a.provider.whenSaved();
    await until(() => b.doc.getText("t").toString() === typed, "the typed text at b");
    expect(statuses.has("error")).toBe(false);
    expect(a.provider.state.error).toBeNull();
    // Every keystroke is stored, in far fewer messages than keystrokes.
    const [snapshots, updates] = await Promise.all([db.noteSnapshot.findMany({ where: { noteId, name: null } }), db.noteUpdate.findMany({ where: { noteId } })]);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, Y.mergeUpdates([...snapshots, ...updates].map((row) => new Uint8Array(row.data))));
    expect(stored.getText("t").toString()).toBe(typed);
    expect(updates.length).toBeLessThan(typed.length / 3);
  });

  it("keeps every acknowledged edit when the server is killed and restarted", async () => {
    const noteId = await newNote("Crash");
    const a = await client(owner, noteId);
    const t = a.doc.getText("t");
    for (let i = 0; i < 30; i += 1) t.insert(t.length, `${i},`);
    await a.provider.whenSaved();
    const acknowledged = t.toString();
    server.process.kill("SIGKILL");
    await server.exited;
    server = await startServer({ databaseUrl: database.url });
    owner = await signIn(server.url, people[0]!.email, people[0]!.password);
    const again = await client(owner, noteId);
    expect(again.doc.getText("t").toString()).toBe(acknowledged);
  });

  it("compacts stored updates into a snapshot without losing any", async () => {
    const noteId = await newNote("Compaction");
    const a = await client(owner, noteId);
    const t = a.doc.getText("t");
    for (let i = 0; i < 120; i += 1) {
      t.insert(t.length, "x");
      await a.provider.whenSaved(); // one stored update each
    }
    await a.provider.whenSaved();
    const b = await client(owner, noteId);
    expect(b.doc.getText("t").toString()).toBe("x".repeat(120));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await db.noteSnapshot.count({ where: { noteId } })) === 0) await new Promise((r) => setTimeout(r, 50));
    expect(await db.noteSnapshot.count({ where: { noteId } })).toBe(1);
    expect(await db.noteUpdate.count({ where: { noteId } })).toBeLessThan(100);
  });

  it("takes a 2 MB paste and refuses a change above the 4 MB limit with a reason", async () => {
    const noteId = await newNote("Paste");
    const [a, b] = await Promise.all([client(owner, noteId), client(editor, noteId)]);
    const big = "煤".repeat(700_000); // ≈ 2.1 MB in UTF-8
    a.doc.getText("t").insert(0, big);
    await a.provider.whenSaved();
    await until(() => b.doc.getText("t").length === big.length, "the paste at b");
    const huge = new Y.Doc();
    huge.getText("t").insert(0, "x".repeat(4 * 1024 * 1024 + 10));
    const answer = await a.socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(Y.encodeStateAsUpdate(huge)) });
    expect(answer).toMatchObject({ ok: false, error: "update_too_large" });
  });

  it("converges for editors on two app processes sharing Redis", async () => {
    const noteId = await newNote("Two processes");
    const first = await startServer({ databaseUrl: database.url, redisUrl: testRedisUrl });
    const second = await startServer({ databaseUrl: database.url, redisUrl: testRedisUrl });
    try {
      const [o, e] = await Promise.all([signIn(first.url, people[0]!.email, people[0]!.password), signIn(second.url, people[1]!.email, people[1]!.password)]);
      const [a, b] = await Promise.all([client(o, noteId, first), client(e, noteId, second)]);
      a.doc.getText("t").insert(0, "from Wyoming ");
      b.doc.getText("t").insert(0, "来自山西 ");
      await Promise.all([a.provider.whenSaved(), b.provider.whenSaved()]);
      await until(() => a.doc.getText("t").toString() === b.doc.getText("t").toString() && a.doc.getText("t").length === 18, "convergence across processes");
      a.close();
      b.close();
      clients.splice(clients.indexOf(a), 1);
      clients.splice(clients.indexOf(b), 1);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
