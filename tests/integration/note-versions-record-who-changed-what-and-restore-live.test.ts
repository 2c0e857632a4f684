/**
 * Version history of policy notes (app/models/note-history.server.ts): named and automatic
 * versions, who changed what since the previous version (rendered with <ins>/<del> per member),
 * and restoring a version as a live change every open editor receives. Clients are the app's own
 * NoteProvider on socket.io-client, as in the co-editing test; commands go over HTTP.
 */
import type { PrismaClient } from "@prisma/client";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { command, ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { encodeUpdate, openNoteClient, paragraph, until, type NoteClient } from "../helpers/notes";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";




/** The rows of the history list, newest first: id, kind, label and the ids of who changed it. */
function historyRows(html: string) {
  const rows = html.match(/<li[^>]*data-testid="version"[\s\S]*?<\/li>/g) ?? [];
  return rows.map((row) => ({
    id: /data-version-id="([^"]+)"/.exec(row)![1]!,
    kind: /data-kind="([^"]+)"/.exec(row)![1]!,
    label: pageText(/data-testid="version-label"[^>]*>([\s\S]*?)<\/a>/.exec(row)![1]!),
    authors: [...row.matchAll(/class="version-author" data-user-id="([^"]+)"/g)].map((m) => m[1]!).sort(),
  }));
}

/** The rendered content of a version page. */
function versionContent(html: string): string {
  return /data-testid="version-content"[^>]*>([\s\S]*?)<\/div><\/section>/.exec(html)![1]!;
}

/** The text of every `<ins>` or `<del>` made by the member, joined. */
function changesBy(content: string, tag: "ins" | "del", userId: string): string {
  const re = new RegExp(`<${tag}[^>]*data-user-id="${userId}"[^>]*>([\\s\\S]*?)</${tag}>`, "g");
  return [...content.matchAll(re)].map((m) => pageText(m[1]!).trim()).join("|");
}

describe("note version history", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let people: TestMember[];
  let owner: SignedIn, editor: SignedIn, viewer: SignedIn, commenter: SignedIn, outsider: SignedIn;
  const clients: NoteClient[] = [];

  async function newNote(title: string) {
    const { noteId } = await ok<{ noteId: string }>(server.url, "note.create", { title }, owner.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: people[1]!.email, role: "editor" }, owner.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: people[2]!.email, role: "viewer" }, owner.cookie);
    await ok(server.url, "noteMember.add", { noteId, member: people[3]!.email, role: "commenter" }, owner.cookie);
    return noteId;
  }
  async function client(who: SignedIn, noteId: string): Promise<NoteClient> {
    const c = await openNoteClient(server.url, who.cookie, noteId);
    clients.push(c);
    return c;
  }


  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    people = await Promise.all(["Olivia Owner", "Edward Editor", "Violet Viewer", "Colin Commenter", "Oscar Outsider"].map((displayName) => createMember(db, { displayName })));
    [owner, editor, viewer, commenter, outsider] = await Promise.all(people.map((p) => signIn(server.url, p.email, p.password)));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("lists named versions with their authors and shows each version's text with the changes attributed to who made them", async () => {
    const noteId = await newNote("Shanxi diversification");
    const [a, b] = await Promise.all([client(owner, noteId), client(editor, noteId)]);
    const [ownerId, editorId] = [people[0]!.id, people[1]!.id];

    (a.fragment.get(1) as Y.XmlElement).insert(0, [new Y.XmlText("Owner wrote this.")]);
    await a.provider.whenSaved();
    await until(() => b.fragment.toString().includes("Owner wrote this."), "the owner's text at b");
    b.fragment.insert(2, [paragraph("Editor added this.")]);
    await b.provider.whenSaved();
    await until(() => a.fragment.toString().includes("Editor added this."), "the editor's text at a");
    const first = await ok<{ versionId: string }>(server.url, "noteVersion.create", { noteId, name: "  Draft one  " }, owner.cookie);

    // More edits: the editor deletes a word of the owner's, the owner adds to the editor's line.
    ((b.fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 6);
    await b.provider.whenSaved();
    await until(() => a.fragment.toString().includes("<paragraph>wrote this.</paragraph>"), "the deletion at a");
    const line = (a.fragment.get(2) as Y.XmlElement).get(0) as Y.XmlText;
    line.insert(line.length, " Final");
    await a.provider.whenSaved();
    const second = await ok<{ versionId: string }>(server.url, "noteVersion.create", { noteId, name: "Draft two" }, editor.cookie);

    const history = await get(server.url, `/notes/${noteId}/history`, { cookie: viewer.cookie });
    expect(history.status).toBe(200);
    const rows = historyRows(history.body);
    expect(rows.map((r) => [r.id, r.kind, r.label])).toEqual([
      [second.versionId, "named", "Draft two"],
      [first.versionId, "named", "Draft one"],
      [expect.any(String), "created", "Note created"],
    ]);
    expect(rows[0]!.authors).toEqual([ownerId, editorId].sort());
    expect(rows[1]!.authors).toEqual([ownerId, editorId].sort());
    expect(rows[2]!.authors).toEqual([ownerId]);
    expect(pageText(history.body)).toContain("Edward Editor");

    // Draft one: the old text; both lines are new since the note was created, each by its writer.
    const one = await get(server.url, `/notes/${noteId}/history/${first.versionId}`, { cookie: commenter.cookie });
    expect(one.status).toBe(200);
    const oneContent = versionContent(one.body);
    expect(pageText(oneContent)).toContain("Owner wrote this.");
    expect(pageText(oneContent)).toContain("Editor added this.");
    expect(oneContent).not.toContain("Final");
    expect(oneContent).toMatch(/<h1>Shanxi diversification<\/h1>/);
    expect(changesBy(oneContent, "ins", ownerId)).toBe("Owner wrote this.");
    expect(oneContent).toMatch(new RegExp(`<p[^>]*data-change="added"[^>]*data-user-id="${editorId}"[^>]*title="Edward Editor"`));
    expect(changesBy(oneContent, "ins", editorId)).toBe("Editor added this.");
    expect(oneContent).not.toContain("<del");

    // Draft two: the editor struck "Owner ", the owner added " Final"; the rest is unchanged.
    const two = await get(server.url, `/notes/${noteId}/history/${second.versionId}`, { cookie: viewer.cookie });
    const twoContent = versionContent(two.body);
    expect(changesBy(twoContent, "del", editorId)).toBe("Owner");
    expect(twoContent).toMatch(new RegExp(`<del[^>]*data-user-id="${editorId}"[^>]*title="Edward Editor"[^>]*>Owner </del>wrote this.`));
    expect(changesBy(twoContent, "ins", ownerId)).toBe("Final");
    expect(twoContent).toContain("Editor added this.<ins");
    expect(changesBy(twoContent, "del", ownerId)).toBe("");
    expect(pageText(two.body)).toContain("Changes since the previous version (Draft one)");
    // Readers see no restore form.
    expect(two.body).not.toContain('data-testid="restore-version"');

    // An editor can name any version, automatic or not.
    await ok(server.url, "noteVersion.rename", { noteId, versionId: rows[2]!.id, name: "Blank page" }, editor.cookie);
    expect(historyRows((await get(server.url, `/notes/${noteId}/history`, { cookie: owner.cookie })).body)[2]!.label).toBe("Blank page");
  });

  it("restores an old version as a live change that other editors receive, records it as a version, and keeps relaying edits", async () => {
    const noteId = await newNote("Wyoming workforce");
    const [a, b] = await Promise.all([client(owner, noteId), client(editor, noteId)]);
    (a.fragment.get(1) as Y.XmlElement).insert(0, [new Y.XmlText("Keep this plan.")]);
    await a.provider.whenSaved();
    const saved = await ok<{ versionId: string }>(server.url, "noteVersion.create", { noteId, name: "Before the rewrite" }, owner.cookie);
    await until(() => b.fragment.toString().includes("Keep this plan."), "a's text at b");
    const old = a.fragment.toString();

    // The editor rewrites the note.
    b.doc.transact(() => {
      b.fragment.delete(1, b.fragment.length - 1);
      b.fragment.insert(1, [paragraph("Completely different text."), paragraph("And more.")]);
    });
    await b.provider.whenSaved();
    await until(() => a.fragment.toString().includes("Completely different text."), "the rewrite at a");

    const heading = (a.fragment.get(0) as Y.XmlElement)._item!.id;
    const restored = await ok<{ versionId: string; restoredFromId: string }>(server.url, "noteVersion.restore", { noteId, versionId: saved.versionId }, owner.cookie);
    expect(restored.restoredFromId).toBe(saved.versionId);
    await until(() => b.fragment.toString() === old, "the restore at b");
    await until(() => a.fragment.toString() === old, "the restore at a");
    // What the version shares with the note (its title heading) is left as it was, not rewritten.
    expect((a.fragment.get(0) as Y.XmlElement)._item!.id).toEqual(heading);

    // The restore is stored (a fresh client loads it) and is a version of its own, by the owner.
    const fresh = await client(viewer, noteId);
    expect(fresh.fragment.toString()).toBe(old);
    const rows = historyRows((await get(server.url, `/notes/${noteId}/history`, { cookie: owner.cookie })).body);
    // Since "Before the rewrite": the editor's rewrite and the owner's restore.
    expect(rows[0]).toMatchObject({ id: restored.versionId, kind: "restored", label: "Restored from “Before the rewrite”", authors: [people[0]!.id, people[1]!.id].sort() });
    const view = versionContent((await get(server.url, `/notes/${noteId}/history/${restored.versionId}`, { cookie: owner.cookie })).body);
    // Net changes: the editor struck the old line, the owner's restore put it back; the rewrite
    // made and removed in between is not shown.
    expect(changesBy(view, "del", people[1]!.id)).toBe("Keep this plan.");
    // (The restore is a text diff: the final "." of the rewritten line is kept, still the editor's.)
    expect(changesBy(view, "ins", people[0]!.id)).toBe("Keep this plan");
    expect(view).not.toContain("Completely different text.");
    expect(await db.noteUpdate.count({ where: { noteId, userId: people[0]!.id } })).toBeGreaterThan(1);

    // The relay still works: a further edit converges everywhere.
    const text = (b.fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, " Agreed.");
    await b.provider.whenSaved();
    await until(() => a.fragment.toString().includes("Keep this plan. Agreed.") && fresh.fragment.toString().includes("Keep this plan. Agreed."), "the edit after the restore");
    expect(a.fragment.toString()).toBe(b.fragment.toString());

    // Two restores at once give the old text once, not twice.
    await Promise.all([
      ok(server.url, "noteVersion.restore", { noteId, versionId: saved.versionId }, owner.cookie),
      ok(server.url, "noteVersion.restore", { noteId, versionId: saved.versionId }, editor.cookie),
    ]);
    await until(() => a.fragment.toString() === old && b.fragment.toString() === old, "both restores at a and b");
    const late = await client(viewer, noteId);
    expect(late.fragment.toString()).toBe(old);
  });

  it("refuses an update that carries another member's Yjs client id, so nobody can write in someone else's name", async () => {
    const noteId = await newNote("Forged authorship");
    const [a, e] = await Promise.all([client(owner, noteId), client(editor, noteId)]);
    (a.fragment.get(1) as Y.XmlElement).insert(0, [new Y.XmlText("The owner's words.")]);
    await a.provider.whenSaved();
    const stored = await db.noteUpdate.count({ where: { noteId } });

    // An honest step 2 may carry the owner's structs again (relayed while the server loaded):
    // accepted, nothing new stored for them, and still credited to the owner.
    const resent = await e.socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(Y.encodeStateAsUpdate(a.doc)) });
    expect(resent).toMatchObject({ ok: true });
    const all = await db.noteUpdate.findMany({ where: { noteId }, orderBy: { seq: "asc" } });
    const echoed = all.slice(stored);
    expect(echoed.every((u) => Y.decodeUpdate(new Uint8Array(u.data)).structs.length === 0)).toBe(true);
    const storedNow = all.length;

    // New content under the owner's client id (past what the server holds from them) is a forgery.
    const forged = new Y.Doc();
    forged.clientID = a.doc.clientID;
    forged.getXmlFragment("default").insert(0, [paragraph(`Words put in the owner's mouth. ${"Really. ".repeat(20)}`)]);
    const answer = await e.socket.emitWithAck("doc:sync", { noteId, message: encodeUpdate(Y.encodeStateAsUpdate(forged)) });
    expect(answer).toMatchObject({ ok: false, error: "forbidden" });
    expect(await db.noteUpdate.count({ where: { noteId } })).toBe(storedNow);
    expect(await db.noteClient.findUniqueOrThrow({ where: { noteId_clientId: { noteId, clientId: BigInt(a.doc.clientID) } } })).toMatchObject({ userId: people[0]!.id });

    // The editor's own edits still go through.
    (e.fragment.get(1) as Y.XmlElement).insert(0, [new Y.XmlText("Mine. ")]);
    await e.provider.whenSaved();
    await until(() => a.fragment.toString().includes("Mine. "), "the editor's edit at a");
  });

  it("records an automatic version when an edit comes more than 10 minutes after the latest version", async () => {
    const noteId = await newNote("Inner Mongolia grid");
    const e = await client(editor, noteId);
    const versions = () => db.noteVersion.findMany({ where: { noteId }, orderBy: { createdAt: "desc" } });
    expect((await versions()).map((v) => v.kind)).toEqual(["created"]);

    // Within 10 minutes of the latest version: no automatic version.
    (e.fragment.get(1) as Y.XmlElement).insert(0, [new Y.XmlText("Early edit.")]);
    await e.provider.whenSaved();
    expect(await versions()).toHaveLength(1);

    await db.$executeRaw`UPDATE note_versions SET created_at = created_at - interval '11 minutes' WHERE note_id = ${noteId}`;
    const text = (e.fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, " Later edit.");
    await e.provider.whenSaved();
    const after = await versions();
    expect(after.map((v) => [v.kind, v.authorId])).toEqual([["auto", people[1]!.id], ["created", people[0]!.id]]);

    // The automatic version holds the edit that made it; the next edit makes none.
    text.insert(text.length, " Next.");
    await e.provider.whenSaved();
    expect(await versions()).toHaveLength(2);
    const rows = historyRows((await get(server.url, `/notes/${noteId}/history`, { cookie: viewer.cookie })).body);
    expect(rows[0]).toMatchObject({ kind: "auto", label: "Automatic version", authors: [people[1]!.id] });
    const view = versionContent((await get(server.url, `/notes/${noteId}/history/${rows[0]!.id}`, { cookie: viewer.cookie })).body);
    expect(pageText(view)).toContain("Early edit. Later edit.");
    expect(view).not.toContain("Next.");

    // Restoring an unnamed version names it by its kind.
    await ok(server.url, "noteVersion.restore", { noteId, versionId: rows[1]!.id }, editor.cookie);
    const restored = historyRows((await get(server.url, `/notes/${noteId}/history`, { cookie: viewer.cookie })).body);
    expect(restored[0]).toMatchObject({ kind: "restored", label: "Restored from “Note created”" });
    await until(() => e.fragment.toString() === '<heading level="1">Inner Mongolia grid</heading><paragraph></paragraph>', "the restore at e");
  });

  it("saving a version with no change names the latest version instead of listing a copy, and says so when it has a name", async () => {
    const noteId = await newNote("Nothing new");
    const [created] = await db.noteVersion.findMany({ where: { noteId } });
    const first = await ok<{ versionId: string }>(server.url, "noteVersion.create", { noteId, name: "As created" }, owner.cookie);
    expect(first.versionId).toBe(created!.id);
    expect(await db.noteVersion.findMany({ where: { noteId }, select: { kind: true, name: true } })).toEqual([{ kind: "created", name: "As created" }]);
    const again = await command(server.url, "noteVersion.create", { noteId, name: "Again" }, owner.cookie);
    expect(again).toMatchObject({ status: 409, error: { code: "version_unchanged", message: "Nothing has changed since the version “As created”.", field: "name" } });
    expect(await db.noteVersion.count({ where: { noteId } })).toBe(1);

    // After a change, a new version.
    const a = await client(owner, noteId);
    (a.fragment.get(1) as Y.XmlElement).insert(0, [new Y.XmlText("Something new.")]);
    await a.provider.whenSaved();
    const second = await ok<{ versionId: string }>(server.url, "noteVersion.create", { noteId, name: "Again" }, owner.cookie);
    expect(second.versionId).not.toBe(created!.id);
    expect(await db.noteVersion.count({ where: { noteId } })).toBe(2);
  });

  it("lets viewers and commenters read the history but not save, name or restore; hides it from non-members; refuses bad input with a localised 4xx", async () => {
    const noteId = await newNote("Permissions");
    const other = await newNote("Another note");
    const [version] = await db.noteVersion.findMany({ where: { noteId } });
    const [otherVersion] = await db.noteVersion.findMany({ where: { noteId: other } });
    const countAll = async () => [await db.noteVersion.count(), await db.noteUpdate.count()];
    const before = await countAll();

    for (const reader of [viewer, commenter]) {
      expect((await command(server.url, "noteVersion.create", { noteId, name: "Mine" }, reader.cookie)).status).toBe(403);
      expect((await command(server.url, "noteVersion.rename", { noteId, versionId: version!.id, name: "Mine" }, reader.cookie)).status).toBe(403);
      expect((await command(server.url, "noteVersion.restore", { noteId, versionId: version!.id }, reader.cookie)).status).toBe(403);
      expect((await get(server.url, `/notes/${noteId}/history`, { cookie: reader.cookie })).status).toBe(200);
      expect((await get(server.url, `/notes/${noteId}/history/${version!.id}`, { cookie: reader.cookie })).status).toBe(200);
    }
    expect((await postForm(server.url, `/notes/${noteId}/history/${version!.id}`, { intent: "noteVersion.restore" }, { cookie: viewer.cookie })).status).toBe(403);

    expect((await get(server.url, `/notes/${noteId}/history`, { cookie: outsider.cookie })).status).toBe(404);
    expect((await get(server.url, `/notes/${noteId}/history/${version!.id}`, { cookie: outsider.cookie })).status).toBe(404);
    expect((await command(server.url, "noteVersion.create", { noteId, name: "Mine" }, outsider.cookie)).status).toBe(404);
    expect((await command(server.url, "noteVersion.restore", { noteId, versionId: version!.id }, outsider.cookie)).status).toBe(404);

    // Unknown versions and versions of another note are not found, on every path.
    expect((await command(server.url, "noteVersion.restore", { noteId, versionId: "nope" }, owner.cookie)).status).toBe(404);
    expect((await command(server.url, "noteVersion.restore", { noteId, versionId: otherVersion!.id }, owner.cookie)).status).toBe(404);
    expect((await command(server.url, "noteVersion.rename", { noteId, versionId: otherVersion!.id, name: "Stolen" }, owner.cookie)).status).toBe(404);
    expect((await get(server.url, `/notes/${noteId}/history/${otherVersion!.id}`, { cookie: owner.cookie })).status).toBe(404);

    // Names: required, at most 100 characters; the message is in the reader's language.
    const empty = await command(server.url, "noteVersion.create", { noteId, name: "   " }, owner.cookie);
    expect(empty).toMatchObject({ status: 400, error: { code: "version_name_required", message: "Give the version a name.", field: "name" } });
    const zh = await languageCookie(server.url, "zh");
    const missing = await command(server.url, "noteVersion.create", { noteId }, `${owner.cookie}; ${zh}`);
    expect(missing).toMatchObject({ status: 400, error: { code: "version_name_required", message: "请为版本命名。" } });
    const long = await command(server.url, "noteVersion.rename", { noteId, versionId: version!.id, name: "x".repeat(101) }, `${editor.cookie}; ${zh}`);
    expect(long).toMatchObject({ status: 400, error: { code: "version_name_too_long", message: "版本名称最多 100 个字符。" } });
    const form = await postForm(server.url, `/notes/${noteId}/history`, { intent: "noteVersion.create", name: "" }, { cookie: owner.cookie });
    expect(form.status).toBe(400);
    expect(pageText(form.body)).toContain("Give the version a name.");
    expect(await countAll()).toEqual(before);
    expect((await db.noteVersion.findUniqueOrThrow({ where: { id: otherVersion!.id } })).name).toBeNull();

    // A member's form post saves a version and shows it.
    const saved = await postForm(server.url, `/notes/${noteId}/history`, { intent: "noteVersion.create", name: "From the form" }, { cookie: editor.cookie });
    expect(saved.status).toBe(200);
    expect(pageText(saved.body)).toContain("Version saved.");
    expect(historyRows(saved.body)[0]!.label).toBe("From the form");
    const renamed = await postForm(server.url, `/notes/${noteId}/history/${version!.id}`, { intent: "noteVersion.rename", name: "Renamed by form" }, { cookie: editor.cookie });
    expect(renamed.status).toBe(200);
    expect(pageText(renamed.body)).toContain("Name saved.");
    expect(renamed.body).toMatch(/data-testid="version-title"[^>]*>Renamed by form</);
    const tooLong = await postForm(server.url, `/notes/${noteId}/history/${version!.id}`, { intent: "noteVersion.rename", name: "x".repeat(101) }, { cookie: editor.cookie });
    expect(tooLong.status).toBe(400);
    expect(pageText(tooLong.body)).toContain("A version name can have at most 100 characters.");
  });
});
