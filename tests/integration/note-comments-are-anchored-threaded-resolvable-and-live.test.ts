/**
 * Comments anchored to a range of a policy note (app/models/note-comments.server.ts): the
 * anchors are made exactly as the browser makes them, from a ProseMirror range of the note as a
 * real client (the app's NoteProvider over a socket) has it, with y-tiptap's
 * `absolutePositionToRelativePosition`; commands go over HTTP; live events are received on the
 * members' own sockets.
 */
import type { PrismaClient } from "@prisma/client";
import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorsFromRange, NOTE_FIELD, noteSchema, resolveAnchorsInDoc } from "~/editor/note-anchors";
import type { NoteThreadView } from "~/models/note-comments.server";
import { signIn, type SignedIn } from "../helpers/auth";
import { ok } from "../helpers/case-studies";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie } from "../helpers/http";
import { openNoteClient, paragraph, until, type NoteClient } from "../helpers/notes";
import { startServer, type RunningServer } from "../helpers/server";
import { AllEvents, connectSocket } from "../helpers/sockets";

interface Client extends NoteClient {
  events: AllEvents;
}


/** The ProseMirror range of the first occurrence of `text` in the client's note. */
function rangeOf(doc: Y.Doc, text: string) {
  const fragment = doc.getXmlFragment(NOTE_FIELD);
  const { doc: pmDoc, mapping } = initProseMirrorDoc(fragment, noteSchema());
  let from = -1;
  pmDoc.descendants((node, pos) => {
    if (from >= 0 || !node.isText) return from < 0;
    const at = node.text!.indexOf(text);
    if (at >= 0) from = pos + at;
    return false;
  });
  if (from < 0) throw new Error(`"${text}" is not in the note`);
  return { fragment, mapping, from, to: from + text.length };
}

/** Anchors for `text` as the browser makes them from a selection. */
function anchorsFor(doc: Y.Doc, text: string) {
  const { fragment, mapping, from, to } = rangeOf(doc, text);
  return anchorsFromRange(fragment, mapping, from, to);
}

/** The paragraph's Y.XmlText in which the editor writes. */
const paragraphText = (doc: Y.Doc, index = 1) => (doc.getXmlFragment(NOTE_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;

describe("comments anchored to a range of a policy note", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let people: TestMember[];
  let owner: SignedIn, editor: SignedIn, commenter: SignedIn, commenter2: SignedIn, viewer: SignedIn, outsider: SignedIn;
  const clients: Client[] = [];

  async function open(who: SignedIn, noteId: string): Promise<Client> {
    const socket = await connectSocket(server.url, { cookie: who.cookie });
    const events = new AllEvents(socket);
    const client = { ...(await openNoteClient(server.url, who.cookie, noteId, { socket })), events };
    clients.push(client);
    return client;
  }


  /** A note with text written by the editor, and every role among its members. */
  async function newNote(title: string, text: string) {
    const { noteId } = await ok<{ noteId: string }>(server.url, "note.create", { title }, owner.cookie);
    const roles = ["editor", "commenter", "commenter", "viewer"] as const;
    for (const [i, role] of roles.entries()) {
      await ok(server.url, "noteMember.add", { noteId, member: people[i + 1]!.email, role }, owner.cookie);
    }
    const e = await open(editor, noteId);
    const paragraph = e.doc.getXmlFragment(NOTE_FIELD).get(1) as Y.XmlElement;
    paragraph.insert(0, [new Y.XmlText(text)]);
    await e.provider.whenSaved();
    return { noteId, e };
  }

  async function threads(who: SignedIn, noteId: string) {
    const response = await get(server.url, `/notes/${noteId}/comments`, { cookie: who.cookie });
    return { status: response.status, body: JSON.parse(response.body) as { threads: NoteThreadView[]; canComment: boolean; error?: string } };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    people = await Promise.all([0, 1, 2, 3, 4, 5].map(() => createMember(db)));
    [owner, editor, commenter, commenter2, viewer, outsider] = await Promise.all(people.map((p) => signIn(server.url, p.email, p.password)));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("a commenter comments on a range, an editor replies, and the range follows text inserted before it by another client", async () => {
    const { noteId, e } = await newNote("Closures", "Coal plants close in 2030 across the basin.");
    const c = await open(commenter, noteId);
    const v = await open(viewer, noteId);
    await until(() => paragraphText(c.doc).toString().includes("2030"), "the commenter's copy");
    expect(c.provider.state.role).toBe("commenter");

    const anchors = anchorsFor(c.doc, "close in 2030");
    const { threadId } = await ok<{ threadId: string }>(
      server.url,
      "noteComment.create",
      { noteId, ...anchors, quote: "close in 2030", body: "Which plants exactly?" },
      commenter.cookie,
    );
    // Every other open tab of the note hears of it at once.
    const changed = (client: Client) => client.events.waitFor((event, p) => event === "noteComment:changed" && (p as { threadId: string }).threadId === threadId);
    await Promise.all([changed(e), changed(v)]);

    e.events.clear();
    v.events.clear();
    await ok(server.url, "noteComment.reply", { threadId, body: "Boxelder and Naughton, per the utility's plan." }, editor.cookie);
    await Promise.all([changed(e), changed(v), changed(c)]);

    // Another client inserts text before the range: in the same paragraph, and a new paragraph.
    paragraphText(e.doc).insert(0, "Under the current plan, ");
    const heading = e.doc.getXmlFragment(NOTE_FIELD);
    const before = new Y.XmlElement("paragraph");
    before.insert(0, [new Y.XmlText("A new first paragraph.")]);
    heading.insert(1, [before]);
    await e.provider.whenSaved();
    await until(() => c.doc.getXmlFragment(NOTE_FIELD).toString() === e.doc.getXmlFragment(NOTE_FIELD).toString(), "convergence");

    // Resolved against the converged copy in this test, and against the stored note by the server.
    const [here] = resolveAnchorsInDoc(c.doc, [{ start: anchors.anchorStart, end: anchors.anchorEnd }]);
    expect(here?.text).toBe("close in 2030");
    expect(here!.from).toBeGreaterThan(rangeOf(e.doc, "Under the current plan").from);
    const { status, body } = await threads(viewer, noteId);
    expect(status).toBe(200);
    expect(body.canComment).toBe(false);
    expect(body.threads).toHaveLength(1);
    const [thread] = body.threads;
    expect(thread).toMatchObject({ id: threadId, quote: "close in 2030", text: "close in 2030", orphaned: false, resolved: null, canReply: false });
    expect(thread!.comments.map((x) => [x.author.id, x.body])).toEqual([
      [people[2]!.id, "Which plants exactly?"],
      [people[1]!.id, "Boxelder and Naughton, per the utility's plan."],
    ]);
  });

  it("the owner, editors and the thread's opener resolve and reopen; other commenters and viewers cannot", async () => {
    const { noteId } = await newNote("Resolving", "Retraining funds for miners.");
    const c = await open(commenter, noteId);
    await until(() => paragraphText(c.doc).toString().includes("miners"), "sync");
    const { threadId } = await ok<{ threadId: string }>(
      server.url,
      "noteComment.create",
      { noteId, ...anchorsFor(c.doc, "Retraining funds"), quote: "Retraining funds", body: "How much?" },
      commenter.cookie,
    );
    for (const who of [commenter2, viewer]) {
      const refused = await apiCommand(server.url, "noteComment.resolve", { threadId }, { cookie: who.cookie });
      expect(refused).toMatchObject({ code: "forbidden", status: 403 });
    }
    expect((await apiCommand(server.url, "noteComment.resolve", { threadId }, { cookie: outsider.cookie })).status).toBe(404);
    expect((await db.noteCommentThread.findUniqueOrThrow({ where: { id: threadId } })).resolvedAt).toBeNull();

    await ok(server.url, "noteComment.resolve", { threadId }, commenter.cookie);
    let [thread] = (await threads(owner, noteId)).body.threads;
    expect(thread!.resolved?.by?.id).toBe(people[2]!.id);
    await ok(server.url, "noteComment.reopen", { threadId }, editor.cookie);
    [thread] = (await threads(owner, noteId)).body.threads;
    expect(thread!.resolved).toBeNull();
    await ok(server.url, "noteComment.resolve", { threadId }, owner.cookie);
    [thread] = (await threads(commenter, noteId)).body.threads;
    expect(thread!.resolved?.by?.id).toBe(people[0]!.id);
    expect(thread!.canResolve).toBe(true);
  });

  it("viewers read comments but cannot comment or reply; non-members get 404 for everything", async () => {
    const { noteId, e } = await newNote("Roles", "Water rights in the Powder River Basin.");
    const anchors = anchorsFor(e.doc, "Water rights");
    const input = { noteId, ...anchors, quote: "Water rights", body: "A viewer's comment" };
    expect(await apiCommand(server.url, "noteComment.create", input, { cookie: viewer.cookie })).toMatchObject({ code: "forbidden", status: 403 });
    expect(await apiCommand(server.url, "noteComment.create", input, { cookie: outsider.cookie })).toMatchObject({ code: "not_found", status: 404 });
    expect(await db.noteCommentThread.count({ where: { noteId } })).toBe(0);

    const { threadId } = await ok<{ threadId: string }>(server.url, "noteComment.create", { ...input, body: "The editor's comment" }, editor.cookie);
    expect(await apiCommand(server.url, "noteComment.reply", { threadId, body: "viewer reply" }, { cookie: viewer.cookie })).toMatchObject({ status: 403 });
    expect(await apiCommand(server.url, "noteComment.reply", { threadId, body: "outsider reply" }, { cookie: outsider.cookie })).toMatchObject({ status: 404 });
    expect((await threads(outsider, noteId)).status).toBe(404);
    expect((await get(server.url, "/notes/%00/comments", { cookie: viewer.cookie })).status).toBe(404);
    expect((await get(server.url, "/notes/no-such-note/comments", { cookie: viewer.cookie })).status).toBe(404);
    expect((await get(server.url, `/notes/${noteId}/comments`)).status).toBe(401);
    const read = await threads(viewer, noteId);
    expect(read.status).toBe(200);
    expect(read.body.threads[0]!.comments.map((x) => x.body)).toEqual(["The editor's comment"]);
    expect(await db.noteComment.count({ where: { threadId } })).toBe(1);
    // An outsider's socket does not get into the room, so hears nothing either.
    const socket = await connectSocket(server.url, { cookie: outsider.cookie });
    expect(await socket.emitWithAck("doc:join", { noteId })).toMatchObject({ ok: false, error: "not_found" });
    socket.close();
  });

  it("refuses bad anchors and empty or overlong bodies with a localised 400 and writes nothing", async () => {
    const { noteId, e } = await newNote("Validation", "Methane capture at closed mines.");
    const good = anchorsFor(e.doc, "Methane capture");
    const valid = { noteId, ...good, quote: "Methane capture", body: "fine" };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, anchorStart: "not base64!" }, "anchor_invalid"],
      [{ ...valid, anchorEnd: Buffer.from([9, 9, 9]).toString("base64") }, "anchor_invalid"],
      [{ ...valid, anchorStart: Buffer.from([2, 3, 97, 98, 99, 0]).toString("base64") }, "anchor_invalid"],
      [{ ...valid, anchorStart: Buffer.alloc(300, 1).toString("base64") }, "anchor_invalid"],
      [{ ...valid, anchorEnd: undefined }, "anchor_invalid"],
      [{ ...valid, body: "   " }, "comment_empty"],
      [{ ...valid, body: undefined }, "comment_empty"],
      [{ ...valid, body: "x".repeat(5001) }, "comment_too_long"],
      [{ ...valid, body: "a\u0000b" }, "validation"],
      [{ ...valid, quote: "Methane\u202Ecapture" }, "validation"],
    ];
    // Well-formed anchors that are not a range of this note's text.
    const other = await newNote("Another note", "Methane capture elsewhere.");
    cases.push([{ ...valid, ...anchorsFor(other.e.doc, "Methane capture") }, "anchor_invalid"]);
    cases.push([{ ...valid, anchorStart: good.anchorEnd, anchorEnd: good.anchorStart }, "anchor_invalid"]);
    const elsewhere = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(e.doc.getText("t"), 0));
    cases.push([{ ...valid, anchorStart: Buffer.from(elsewhere).toString("base64") }, "anchor_invalid"]);
    for (const [input, code] of cases) {
      const outcome = await apiCommand(server.url, "noteComment.create", input, { cookie: commenter.cookie });
      expect(outcome, JSON.stringify(input).slice(0, 200)).toMatchObject({ code, status: 400 });
    }
    expect(await db.noteCommentThread.count({ where: { noteId } })).toBe(0);
    expect(await db.noteComment.count({ where: { thread: { noteId } } })).toBe(0);

    const en = await apiCommand(server.url, "noteComment.create", { ...valid, body: "" }, { cookie: commenter.cookie });
    expect(en.message).toBe("Write a comment first.");
    const zh = await apiCommand(server.url, "noteComment.create", { ...valid, anchorStart: "%%%" }, {
      cookie: commenter.cookie,
      lngCookie: await languageCookie(server.url, "zh"),
      headers: { "accept-language": "zh" },
    });
    expect(zh).toMatchObject({ code: "anchor_invalid", status: 400 });
    expect(zh.message).toBe("找不到所评论的文字。请重新选择文字后再试。");

    const { threadId } = await ok<{ threadId: string }>(server.url, "noteComment.create", valid, commenter.cookie);
    expect(await apiCommand(server.url, "noteComment.reply", { threadId, body: "" }, { cookie: editor.cookie })).toMatchObject({ code: "comment_empty", status: 400 });
    expect(await db.noteComment.count({ where: { threadId } })).toBe(1);
  });

  it("authors edit and delete their own comments, the owner deletes any, and others cannot", async () => {
    const { noteId, e } = await newNote("Edits", "Broadband for rural counties.");
    const { threadId, commentId } = await ok<{ threadId: string; commentId: string }>(
      server.url,
      "noteComment.create",
      { noteId, ...anchorsFor(e.doc, "Broadband"), quote: "Broadband", body: "first" },
      commenter.cookie,
    );
    const { commentId: replyId } = await ok<{ commentId: string }>(server.url, "noteComment.reply", { threadId, body: "a reply" }, editor.cookie);
    expect(await apiCommand(server.url, "noteComment.edit", { commentId, body: "hijack" }, { cookie: editor.cookie })).toMatchObject({ status: 403 });
    expect(await apiCommand(server.url, "noteComment.delete", { commentId }, { cookie: commenter2.cookie })).toMatchObject({ status: 403 });
    await ok(server.url, "noteComment.edit", { commentId, body: "first, edited" }, commenter.cookie);
    await ok(server.url, "noteComment.delete", { commentId: replyId }, owner.cookie);
    const [thread] = (await threads(commenter, noteId)).body.threads;
    expect(thread!.comments.map((x) => [x.body, x.deleted, x.editedAt !== null])).toEqual([
      ["first, edited", false, true],
      [null, true, false],
    ]);
    expect(thread!.comments[0]!.canEdit).toBe(true);
    expect(await apiCommand(server.url, "noteComment.delete", { commentId: replyId }, { cookie: owner.cookie })).toMatchObject({ status: 404 });
    await ok(server.url, "noteComment.delete", { commentId }, commenter.cookie);
    expect((await threads(commenter, noteId)).body.threads).toHaveLength(0);
  });

  it("a thread whose text was deleted stays readable, as orphaned, with its quote", async () => {
    const { noteId, e } = await newNote("Orphans", "Keep this. Delete this sentence. Keep that.");
    const { threadId } = await ok<{ threadId: string }>(
      server.url,
      "noteComment.create",
      { noteId, ...anchorsFor(e.doc, "Delete this sentence."), quote: "Delete this sentence.", body: "Too vague" },
      commenter.cookie,
    );
    const text = paragraphText(e.doc);
    const at = text.toString().indexOf("Delete this sentence.");
    text.delete(at, "Delete this sentence. ".length);
    await e.provider.whenSaved();
    const { status, body } = await threads(commenter, noteId);
    expect(status).toBe(200);
    expect(body.threads[0]).toMatchObject({ id: threadId, orphaned: true, text: null, quote: "Delete this sentence." });
    expect(body.threads[0]!.comments[0]!.body).toBe("Too vague");
    // It can still be replied to and resolved.
    await ok(server.url, "noteComment.reply", { threadId, body: "Agreed, removed." }, editor.cookie);
    await ok(server.url, "noteComment.resolve", { threadId }, editor.cookie);
  });
  it("a comment on text that a version restore leaves as it was stays anchored to it", async () => {
    const { noteId, e } = await newNote("Restores", "Funding stays with the counties.");
    const { threadId } = await ok<{ threadId: string }>(
      server.url,
      "noteComment.create",
      { noteId, ...anchorsFor(e.doc, "stays with the counties"), quote: "stays with the counties", body: "Which counties?" },
      commenter.cookie,
    );
    const { versionId } = await ok<{ versionId: string }>(server.url, "noteVersion.create", { noteId, name: "One paragraph" }, editor.cookie);
    e.doc.getXmlFragment(NOTE_FIELD).push([paragraph("A paragraph added after the version.")]);
    await e.provider.whenSaved();

    await ok(server.url, "noteVersion.restore", { noteId, versionId }, owner.cookie);
    await until(() => !e.doc.getXmlFragment(NOTE_FIELD).toString().includes("added after the version"), "the restore at the editor");
    const { body } = await threads(commenter, noteId);
    expect(body.threads.find((t) => t.id === threadId)).toMatchObject({ orphaned: false, text: "stays with the counties" });
  });
});
