/**
 * Settings → "Delete my account" (GDPR Art. 17; PIPL Art. 47), confirmed with the password:
 * every session ends and every socket disconnects (their caret leaves open notes at once); the
 * account is gone; replies and comments stay as "Deleted member" / "已删除的成员"; the name is
 * removed everywhere it appeared — thread page, reply history, member directory, mention
 * search, search results, notifications, note page, note history and exports, case-study
 * pages, the latest feed — including mentions and quotes written by others; private notes and
 * drafts are deleted; a note shared with an editor passes to the longest-standing editor;
 * uploads nothing else uses are removed. An admin can do the same on request, logged.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "~/utils/ids.server";
import { signIn, SESSION_COOKIE, type SignedIn } from "../helpers/auth";
import { createStudy, ok } from "../helpers/case-studies";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, dialogueBySlug, openPrisma, paragraphDoc, type TestMember } from "../helpers/factories";
import { findSetCookie, get, languageCookie, pageText, postForm } from "../helpers/http";
import { openNoteClient, paragraph, until, type NoteClient } from "../helpers/notes";
import { staffLogRows } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { waitForDisconnect } from "../helpers/sockets";

const NAME = "Dana Quillfeather";
const SURNAME = "Quillfeather";
const CHINESE = "奎丹娜";

describe("deleting one's account", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let uploadsDir: string;
  let dana: TestMember;
  let olu: TestMember;
  let pia: TestMember;
  let danaSession: SignedIn;
  let oluSession: SignedIn;
  let piaSession: SignedIn;
  let zh: string;
  let danaNote: NoteClient;
  let oluNote: NoteClient;
  const ids = {} as {
    thread: string;
    danaReply: string;
    oluReply: string;
    piaReply: string;
    study: string;
    draft: string;
    oluStudy: string;
    sharedNote: string;
    privateNote: string;
    oluNote: string;
    usedUpload: string;
    unusedUpload: string;
  };

  /** Every page, JSON and file a reader could meet the name on, as Olu and as Pia, in both languages. */
  async function everywhere(): Promise<{ where: string; body: string }[]> {
    const pages = [
      `/threads/${ids.thread}`,
      `/threads/${ids.thread}?after=0`,
      `/replies/${ids.oluReply}/history`,
      `/replies/${ids.danaReply}/history`,
      "/members",
      `/members?q=${encodeURIComponent("Dana")}`,
      `/api/members/search?q=${encodeURIComponent("Dana")}`,
      `/api/members/search?q=${encodeURIComponent(CHINESE)}`,
      `/search?q=${SURNAME}`,
      `/search?q=${encodeURIComponent(CHINESE)}`,
      `/search?q=${encodeURIComponent("mine water")}`,
      "/notifications",
      `/notes/${ids.sharedNote}`,
      `/notes/${ids.sharedNote}/history`,
      `/notes/${ids.sharedNote}/export.md`,
      `/notes/${ids.sharedNote}/export.html`,
      `/notes/${ids.sharedNote}/comments`,
      `/notes/${ids.oluNote}`,
      `/notes/${ids.oluNote}/history`,
      `/notes/${ids.oluNote}/comments`,
      "/notes",
      `/case-studies/${ids.study}`,
      `/case-studies/${ids.oluStudy}`,
      "/case-studies",
      "/latest",
      "/network",
    ];
    const out: { where: string; body: string }[] = [];
    for (const session of [oluSession, piaSession]) {
      for (const lang of ["", zh]) {
        for (const p of pages) {
          const response = await get(server.url, p, { cookie: [session.cookie, lang].filter(Boolean).join("; ") });
          // A search page repeats the query: only its results count.
          const body = p.startsWith("/search") ? (/<ol[^>]*data-testid="search-results"[\s\S]*?<\/ol>/.exec(response.body)?.[0] ?? "") : response.body;
          out.push({ where: `${p} (${session === oluSession ? "Olu" : "Pia"}${lang ? ", zh" : ""}) → ${response.status}`, body });
        }
      }
    }
    return out;
  }

  beforeAll(async () => {
    uploadsDir = await mkdtemp(path.join(os.tmpdir(), "crn-delete-uploads-"));
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url, env: { UPLOADS_DIR: uploadsDir } });
    zh = await languageCookie(server.url, "zh");
    dana = await createMember(db, { displayName: NAME, region: "shanxi" });
    await db.user.update({ where: { id: dana.id }, data: { nameLatin: NAME, nameChinese: CHINESE } });
    olu = await createMember(db, { displayName: "Olu Okafor" });
    pia = await createMember(db, { displayName: "Pia Park" });
    [danaSession, oluSession, piaSession] = await Promise.all([dana, olu, pia].map((m) => signIn(server.url, m.email, m.password)));

    // A thread Dana started, a quote of her and a mention of her by Olu, thanks by name from Pia.
    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    const started = await ok<{ threadId: string; replyId: string }>(server.url, "thread.create", { dialogueId: dialogue.id, title: "Mine water heat pumps", body: "Our pilot heats 200 homes." }, danaSession.cookie);
    ids.thread = started.threadId;
    ids.danaReply = started.replyId;
    await ok(server.url, "reply.edit", { replyId: ids.danaReply, body: "Our pilot heats 240 homes." }, danaSession.cookie);
    const quote = {
      type: "doc",
      content: [
        { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: NAME, marks: [{ type: "bold" }] }, { type: "text", text: " wrote:" }] }, { type: "paragraph", content: [{ type: "text", text: "Our pilot heats 240 homes." }] }] },
        ...paragraphDoc("Thanks ", { id: dana.id, displayName: NAME }, ", which aquifer?").content!,
      ],
    };
    ids.oluReply = (await ok<{ id: string }>(server.url, "reply.create", { threadId: ids.thread, replyToId: ids.danaReply, content: quote }, oluSession.cookie)).id;
    await ok(server.url, "reply.edit", { replyId: ids.oluReply, content: { ...quote, content: [...quote.content, ...paragraphDoc("(edited)").content!] } }, oluSession.cookie);
    ids.piaReply = (await ok<{ id: string }>(server.url, "reply.create", { threadId: ids.thread, body: `Thank you ${NAME} and 谢谢${CHINESE}!` }, piaSession.cookie)).id;
    await ok(server.url, "reply.create", { threadId: ids.thread, content: paragraphDoc("Olu, see ", { id: olu.id, displayName: olu.displayName }) }, danaSession.cookie);

    // Case studies: one published (with a picture), one draft; a comment and an endorsement on Olu's.
    ids.usedUpload = newId();
    ids.unusedUpload = newId();
    await mkdir(uploadsDir, { recursive: true });
    for (const id of [ids.usedUpload, ids.unusedUpload]) {
      await db.upload.create({ data: { id, ownerId: dana.id, contentType: "image/png", size: 4, originalName: "x.png" } });
      await writeFile(path.join(uploadsDir, `${id}.png`), "png!");
    }
    const withImage = {
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "Pumps under the old shaft." }] },
        { type: "image", attrs: { src: `/uploads/${ids.usedUpload}`, alt: "shaft", width: 10, height: 10 } },
      ],
    };
    ids.study = await createStudy(server.url, db, danaSession.cookie, { title: "Datong mine water heat", content: withImage, isPublic: true });
    ids.draft = await createStudy(server.url, db, danaSession.cookie, { title: "Unfinished draft", publish: false });
    ids.oluStudy = await createStudy(server.url, db, oluSession.cookie, { title: `Lessons with ${NAME}`, summary: `Co-written with ${NAME}.`, isPublic: true });
    await ok(server.url, "caseStudyComment.create", { caseStudyId: ids.oluStudy, body: "Happy to help." }, danaSession.cookie);
    await ok(server.url, "caseStudyComment.create", { caseStudyId: ids.study, content: paragraphDoc("Great work ", { id: dana.id, displayName: NAME }) }, oluSession.cookie);
    await ok(server.url, "caseStudy.endorse", { caseStudyId: ids.oluStudy }, danaSession.cookie);

    // Notes: one shared with Olu as editor, one private; Dana edits Olu's note and comments on it.
    ids.sharedNote = (await ok<{ noteId: string }>(server.url, "note.create", { title: "Shared transition note" }, danaSession.cookie)).noteId;
    await ok(server.url, "noteMember.add", { noteId: ids.sharedNote, member: pia.email, role: "viewer" }, danaSession.cookie);
    await ok(server.url, "noteMember.add", { noteId: ids.sharedNote, member: olu.email, role: "editor" }, danaSession.cookie);
    ids.privateNote = (await ok<{ noteId: string }>(server.url, "note.create", { title: "Private thoughts" }, danaSession.cookie)).noteId;
    ids.oluNote = (await ok<{ noteId: string }>(server.url, "note.create", { title: "Olu's note" }, oluSession.cookie)).noteId;
    await ok(server.url, "noteMember.add", { noteId: ids.oluNote, member: dana.email, role: "editor" }, oluSession.cookie);
    await ok(server.url, "noteMember.add", { noteId: ids.oluNote, member: pia.email, role: "viewer" }, oluSession.cookie);
    danaNote = await openNoteClient(server.url, danaSession.cookie, ids.oluNote);
    oluNote = await openNoteClient(server.url, oluSession.cookie, ids.oluNote);
    danaNote.fragment.insert(danaNote.fragment.length, [paragraph("Dana's paragraph about aquifers.")]);
    await until(() => oluNote.fragment.toString().includes("aquifers"), "Dana's edit reaching Olu");
    await ok(server.url, "noteVersion.create", { noteId: ids.oluNote, name: "After the aquifer section" }, danaSession.cookie);
    danaNote.provider.awareness.setLocalStateField("user", { name: NAME, color: "#123456" });
    await until(() => [...oluNote.provider.awareness.getStates().values()].some((s) => s.user?.name === NAME), "Dana's caret reaching Olu");
    const noteThread = await db.noteCommentThread.create({
      data: { id: newId(), noteId: ids.oluNote, authorId: dana.id, anchorStart: Buffer.from([0]), anchorEnd: Buffer.from([0]), quote: "aquifers" },
    });
    await db.noteComment.create({ data: { id: newId(), threadId: noteThread.id, authorId: dana.id, body: "Check the 2019 survey." } });
    await db.noteComment.create({ data: { id: newId(), threadId: noteThread.id, authorId: olu.id, body: `Good point ${NAME}.` } });

    await db.participationRequest.create({ data: { id: newId(), dialogueId: dialogue.id, userId: dana.id, name: NAME, email: dana.email, message: "Count me in" } });
  }, 240_000);

  afterAll(async () => {
    danaNote?.close();
    oluNote?.close();
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
    if (uploadsDir) await rm(uploadsDir, { recursive: true, force: true });
  });

  it("shows the name before the deletion (so the scan below can fail)", async () => {
    const seen = (await everywhere()).filter((r) => r.body.includes(SURNAME) || r.body.includes(CHINESE));
    const places = seen.map((r) => r.where.split(" (")[0]);
    for (const p of [`/threads/${ids.thread}`, "/members", `/search?q=${SURNAME}`, "/notifications", `/notes/${ids.oluNote}/history`, `/case-studies/${ids.study}`]) expect(places).toContain(p);
  });

  it("needs the password: a wrong one deletes nothing", async () => {
    const response = await postForm(server.url, "/settings", { intent: "account.delete", password: "not-the-password" }, { cookie: danaSession.cookie });
    expect(response.status).toBe(400);
    expect(pageText(response.body)).toContain("The current password is not correct.");
    expect(await db.user.count({ where: { id: dana.id } })).toBe(1);
  });

  it("deletes the account, ends the session and its sockets, and signs the browser out", async () => {
    const disconnected = waitForDisconnect(danaNote.socket, 15_000);
    const response = await postForm(server.url, "/settings", { intent: "account.delete", password: dana.password }, { cookie: danaSession.cookie });
    expect(response.status).toBe(302);
    expect(response.location).toBe("/account-deleted");
    expect(findSetCookie(response, SESSION_COOKIE)?.attributes["max-age"]).toBe("0");
    expect(await disconnected).toBe("io server disconnect");
    expect(await db.user.count({ where: { id: dana.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: dana.id } })).toBe(0);
    expect((await postForm(server.url, "/signin", { email: dana.email, password: dana.password, redirectTo: "/" })).status).toBe(400);
    const landing = await get(server.url, "/account-deleted");
    expect(pageText(landing.body)).toContain("Your account was deleted");
  });

  it("takes the caret and name out of open notes at once", async () => {
    await until(() => ![...oluNote.provider.awareness.getStates().values()].some((s) => s.user?.name === NAME), "Dana's caret leaving Olu's editor");
  });

  it("leaves no trace of the name on any page, search result, notification, note, export or case study", async () => {
    const results = await everywhere();
    for (const r of results) {
      expect(r.where).not.toMatch(/→ 5\d\d/);
      expect(r.body.includes(SURNAME) || r.body.includes(CHINESE) || r.body.includes(dana.email), `the name is still on ${r.where}`).toBe(false);
    }
  });

  it("keeps the replies and comments, shown as Deleted member / 已删除的成员", async () => {
    const en = pageText((await get(server.url, `/threads/${ids.thread}?after=0`, { cookie: oluSession.cookie })).body);
    expect(en).toContain("Our pilot heats 240 homes.");
    expect(en).toContain("Deleted member");
    // Olu's quote and mention, and Pia's thanks, now name nobody.
    expect(en).toContain("Deleted member wrote:");
    expect(en).toContain("Thanks @Deleted member, which aquifer?");
    expect(en).toContain("Thank you Deleted member and 谢谢已删除的成员!");
    const chinese = pageText((await get(server.url, `/threads/${ids.thread}?after=0`, { cookie: `${oluSession.cookie}; ${zh}` })).body);
    expect(chinese).toContain("已删除的成员");
    const study = pageText((await get(server.url, `/case-studies/${ids.oluStudy}`, { cookie: oluSession.cookie })).body);
    expect(study).toContain("Happy to help.");
    expect(study).toContain("Lessons with Deleted member");
    expect(await db.reply.count({ where: { authorId: "deleted-member" } })).toBe(2);
  });

  it("passes the shared note to its editor and deletes the private note and the draft", async () => {
    expect((await db.note.findUniqueOrThrow({ where: { id: ids.sharedNote } })).ownerId).toBe(olu.id);
    expect((await db.noteMember.findUniqueOrThrow({ where: { noteId_userId: { noteId: ids.sharedNote, userId: olu.id } } })).role).toBe("owner");
    expect(await db.note.count({ where: { id: ids.privateNote } })).toBe(0);
    expect(await db.caseStudy.count({ where: { id: ids.draft } })).toBe(0);
    expect((await get(server.url, `/notes/${ids.sharedNote}`, { cookie: oluSession.cookie })).status).toBe(200);
  });

  it("removes uploads nothing else uses, and keeps those a remaining case study shows", async () => {
    expect(await db.upload.count({ where: { id: ids.unusedUpload } })).toBe(0);
    expect(existsSync(path.join(uploadsDir, `${ids.unusedUpload}.png`))).toBe(false);
    expect((await db.upload.findUniqueOrThrow({ where: { id: ids.usedUpload } })).ownerId).toBe("deleted-member");
    expect(existsSync(path.join(uploadsDir, `${ids.usedUpload}.png`))).toBe(true);
  });

  it("removes their endorsements and participation requests, and no one can act as the placeholder", async () => {
    expect((await db.caseStudy.findUniqueOrThrow({ where: { id: ids.oluStudy } })).endorsementCount).toBe(0);
    expect(await db.participationRequest.count({ where: { email: dana.email } })).toBe(0);
    expect((await get(server.url, "/members/deleted-member", { cookie: oluSession.cookie })).status).toBe(404);
    expect((await postForm(server.url, "/signin", { email: "deleted-member@deleted.invalid", password: "!", redirectTo: "/" })).status).toBe(400);
    expect(
      await apiCommand(server.url, "reply.create", { threadId: ids.thread, content: paragraphDoc("hi ", { id: "deleted-member", displayName: "x" }) }, { cookie: oluSession.cookie }),
    ).toMatchObject({ code: "mention_unknown" });
    // The placeholder is nobody's row in the directory, and cannot be deleted itself.
    const admin = await createMember(db, { role: "admin" });
    const adminSession = await signIn(server.url, admin.email, admin.password);
    expect((await apiCommand(server.url, "member.delete", { userId: "deleted-member", reason: "x" }, { cookie: adminSession.cookie })).code).toBe("not_found");
  });

  describe("by an admin, on the member's request", () => {
    let admin: SignedIn;
    let erin: TestMember;

    beforeAll(async () => {
      const a = await createMember(db, { role: "admin", displayName: "Ada Admin" });
      admin = await signIn(server.url, a.email, a.password);
      erin = await createMember(db, { displayName: "Erin Vanderbilt-Ng" });
      await ok(server.url, "reply.create", { threadId: ids.thread, body: "Erin's reply" }, (await signIn(server.url, erin.email, erin.password)).cookie);
    });

    it("is 404 for others and refused on the API", async () => {
      expect((await postForm(server.url, `/admin/members/${erin.id}`, { intent: "member.delete", reason: "x" }, { cookie: piaSession.cookie })).status).toBe(404);
      expect(await apiCommand(server.url, "member.delete", { userId: erin.id, reason: "x" }, { cookie: piaSession.cookie })).toMatchObject({ code: "forbidden" });
      expect(await db.user.count({ where: { id: erin.id } })).toBe(1);
    });

    it("deletes the account, logged with the reason, and the staff log does not name them", async () => {
      const response = await postForm(server.url, `/admin/members/${erin.id}`, { intent: "member.delete", reason: "Requested by email on 6 Dec" }, { cookie: admin.cookie });
      expect(response.status).toBe(302);
      expect(await db.user.count({ where: { id: erin.id } })).toBe(0);
      const log = await get(server.url, "/moderation/log", { cookie: admin.cookie });
      const row = staffLogRows(log.body).find((r) => r.action === "member.delete")!;
      expect(row).toMatchObject({ who: "Ada Admin", why: "Requested by email on 6 Dec" });
      expect(log.body).not.toContain("Vanderbilt");
      expect(pageText((await get(server.url, `/threads/${ids.thread}`, { cookie: oluSession.cookie })).body)).not.toContain("Vanderbilt");
    });
  });

  it("keeps Yjs documents loadable after ownership changes", () => {
    // The shared note's document still decodes for its new owner (no orphaned history rows).
    expect(Y.encodeStateVector(oluNote.doc).byteLength).toBeGreaterThan(0);
  });
});
