/**
 * Settings → "Download my data" (GDPR Art. 15 and 20; PIPL Art. 45): `GET /settings/data.json`
 * is a JSON attachment, streamed, with the member's profile, sessions (no secrets), threads,
 * replies with their revisions, case studies with their versions, versions written for others,
 * comments, notes they own or edit, note comments, endorsements, watches, notifications,
 * participation requests, flags and uploads; never a password hash or a session token. A member
 * with 10,000 replies gets all of them. Admins export a member's data on request, logged with
 * the reason; others get 404.
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createStudy, ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, paragraphDoc, type TestMember } from "../helpers/factories";
import { get, postForm } from "../helpers/http";
import { newId } from "~/utils/ids.server";
import { startServer, type RunningServer } from "../helpers/server";

interface Export {
  format: string;
  profile: Record<string, unknown>;
  sessions: Record<string, unknown>[];
  threadsStarted: { id: string }[];
  replies: { id: string; text: string; revisions: { text: string }[] }[];
  caseStudies: { id: string; versions: { language: string; title: string; writtenByYou: boolean }[] }[];
  caseStudyVersionsForOthers: { caseStudyId: string; language: string }[];
  caseStudyComments: { text: string }[];
  notes: { id: string; role: string; title: string; markdown: string }[];
  noteComments: { body: string }[];
  replyTranslations: { replyId: string; language: string; text: string }[];
  commentTranslations: { text: string }[];
  endorsements: { caseStudyId: string }[];
  watches: { kind: string; level: string }[];
  notifications: { type: string }[];
  participationRequests: { message: string }[];
  flags: { reason: string }[];
  uploads: { id: string; url: string }[];
}

const MANY = 10_000;

describe("downloading one's own data", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let me: TestMember;
  let other: TestMember;
  let mine: SignedIn;
  let second: SignedIn;
  let theirs: SignedIn;
  let response: Response;
  let body: string;
  let data: Export;
  let ids: { thread: string; study: string; othersStudy: string; ownNote: string; editedNote: string; upload: string; editedReply: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    me = await createMember(db, { displayName: "Erin Export", region: "wyoming" });
    other = await createMember(db, { displayName: "Olu Other" });
    await db.user.update({ where: { id: me.id }, data: { nameChinese: "艾琳", bio: "Grid planner in Casper." } });
    mine = await signIn(server.url, me.email, me.password);
    second = await signIn(server.url, me.email, me.password);
    theirs = await signIn(server.url, other.email, other.password);

    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    const { threadId, replyId } = await ok<{ threadId: string; replyId: string }>(server.url, "thread.create", { dialogueId: dialogue.id, title: "Export thread", body: "First words" }, mine.cookie);
    await ok(server.url, "reply.edit", { replyId, body: "First words, revised" }, mine.cookie);
    await ok(server.url, "thread.watch", { threadId, level: "watching" }, mine.cookie);
    const { id: theirReply } = await ok<{ id: string }>(server.url, "reply.create", { threadId, content: paragraphDoc("Ping ", { id: me.id, displayName: me.displayName }) }, theirs.cookie);
    await ok(server.url, "reply.flag", { replyId: theirReply, reason: "off_topic" }, mine.cookie);
    await ok(server.url, "reply.translate", { replyId: theirReply, language: "zh", body: "我的译文" }, mine.cookie);

    const study = await createStudy(server.url, db, mine.cookie, { title: "Casper wind retraining", isPublic: true });
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: study, language: "zh", title: "卡斯珀风电再培训", body: "中文版本", translation: "original" }, mine.cookie);
    const othersStudy = await createStudy(server.url, db, theirs.cookie, { title: "Datong solar" });
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: othersStudy, language: "zh", title: "大同光伏", body: "我的翻译", translation: "human" }, mine.cookie);
    await ok(server.url, "caseStudyComment.create", { caseStudyId: othersStudy, body: "Great numbers" }, mine.cookie);
    await ok(server.url, "caseStudy.endorse", { caseStudyId: othersStudy }, mine.cookie);
    const theirComment = await ok<{ commentId: string }>(server.url, "caseStudyComment.create", { caseStudyId: othersStudy, body: "Their remark" }, theirs.cookie);
    await ok(server.url, "caseStudyComment.translate", { commentId: theirComment.commentId, language: "zh", body: "他们的评论" }, mine.cookie);

    const { noteId: ownNote } = await ok<{ noteId: string }>(server.url, "note.create", { title: "My private note" }, mine.cookie);
    const { noteId: editedNote } = await ok<{ noteId: string }>(server.url, "note.create", { title: "Their shared note" }, theirs.cookie);
    await ok(server.url, "noteMember.add", { noteId: editedNote, member: me.email, role: "editor" }, theirs.cookie);
    const { noteId: viewedNote } = await ok<{ noteId: string }>(server.url, "note.create", { title: "Only viewing this" }, theirs.cookie);
    await ok(server.url, "noteMember.add", { noteId: viewedNote, member: me.email, role: "viewer" }, theirs.cookie);
    const noteThread = await db.noteCommentThread.create({
      data: { id: newId(), noteId: editedNote, authorId: me.id, anchorStart: Buffer.from([0]), anchorEnd: Buffer.from([0]), quote: "a quote" },
    });
    await db.noteComment.create({ data: { id: newId(), threadId: noteThread.id, authorId: me.id, body: "My note comment" } });

    await db.participationRequest.create({ data: { id: newId(), dialogueId: dialogue.id, userId: me.id, name: "Erin Export", email: me.email, message: "May I join?" } });
    const upload = await db.upload.create({ data: { id: newId(), ownerId: me.id, contentType: "image/png", size: 10, originalName: "map.png" } });

    // Many replies, as years of taking part leave them.
    const bulk = await insertThread(db, { authorId: other.id, title: "Long thread" });
    const rows: Prisma.ReplyCreateManyInput[] = Array.from({ length: MANY }, (_, i) => ({
      id: newId(),
      threadId: bulk.id,
      authorId: me.id,
      postNumber: i + 1,
      content: paragraphDoc(`Bulk reply ${i}`) as Prisma.InputJsonValue,
      text: `Bulk reply ${i}`,
    }));
    for (let i = 0; i < rows.length; i += 2000) await db.reply.createMany({ data: rows.slice(i, i + 2000) });
    await db.thread.update({ where: { id: bulk.id }, data: { lastPostNumber: MANY, replyCount: MANY } });

    ids = { thread: threadId, study, othersStudy, ownNote, editedNote, upload: upload.id, editedReply: replyId };
    response = await fetch(new URL("/settings/data.json", server.url), { headers: { cookie: mine.cookie } });
    body = await response.text();
    data = JSON.parse(body) as Export;
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("is a JSON attachment, streamed (no Content-Length, chunked)", () => {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="coal-regions-network-my-data-\d{4}-\d{2}-\d{2}\.json"/);
    expect(response.headers.get("content-length")).toBeNull();
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("holds the profile and the sessions, with no password hash and no session token or id", async () => {
    expect(data.format).toBe("coal-regions-network/member-data/1");
    expect(data.profile).toMatchObject({ id: me.id, email: me.email, displayName: "Erin Export", nameChinese: "艾琳", bio: "Grid planner in Casper.", region: { slug: "wyoming" } });
    expect(data.sessions).toHaveLength(2);
    expect(Object.keys(data.sessions[0]!).sort()).toEqual(["createdAt", "expiresAt", "ipAddress", "lastSeenAt", "userAgent"]);
    const user = await db.user.findUniqueOrThrow({ where: { id: me.id } });
    const sessions = await db.session.findMany({ where: { userId: me.id } });
    expect(body).not.toContain(user.passwordHash);
    expect(body).not.toMatch(/passwordHash|password_hash|secretHash/);
    for (const session of [mine, second]) {
      expect(body).not.toContain(session.token);
      expect(body).not.toContain(session.secret);
      expect(body).not.toContain(session.sessionId);
    }
    for (const s of sessions) expect(body).not.toContain(Buffer.from(s.secretHash).toString("hex"));
  });

  it("holds every reply, with its revisions, even 10,000 of them", () => {
    expect(data.replies).toHaveLength(MANY + 1);
    const edited = data.replies.find((r) => r.id === ids.editedReply)!;
    expect(edited.text).toBe("First words, revised");
    expect(edited.revisions.map((r) => r.text)).toEqual(["First words"]);
    expect(new Set(data.replies.map((r) => r.text)).has(`Bulk reply ${MANY - 1}`)).toBe(true);
    expect(data.threadsStarted.map((t) => t.id)).toEqual([ids.thread]);
  });

  it("holds case studies with every version, versions for others, comments and endorsements", () => {
    expect(data.caseStudies).toHaveLength(1);
    expect(data.caseStudies[0]!.versions.map((v) => [v.language, v.title, v.writtenByYou])).toEqual([
      ["en", "Casper wind retraining", true],
      ["zh", "卡斯珀风电再培训", true],
    ]);
    expect(data.caseStudyVersionsForOthers.map((v) => [v.caseStudyId, v.language])).toEqual([[ids.othersStudy, "zh"]]);
    expect(data.caseStudyComments.map((c) => c.text)).toEqual(["Great numbers"]);
    expect(data.endorsements.map((e) => e.caseStudyId)).toEqual([ids.othersStudy]);
  });

  it("holds the notes they own or edit (not those they only view), as Markdown, and their note comments", () => {
    expect(data.notes.map((n) => [n.id, n.role]).sort()).toEqual([[ids.editedNote, "editor"], [ids.ownNote, "owner"]].sort());
    expect(data.notes.find((n) => n.id === ids.ownNote)!.markdown).toContain("# My private note");
    expect(data.noteComments.map((c) => c.body)).toEqual(["My note comment"]);
    expect(data.replyTranslations.map((t) => [t.language, t.text])).toEqual([["zh", "我的译文"]]);
    expect(data.commentTranslations.map((t) => t.text)).toEqual(["他们的评论"]);
  });

  it("holds watches, notifications, participation requests, flags and uploads", () => {
    expect(data.watches).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "thread", level: "watching" })]));
    expect(data.notifications.map((n) => n.type)).toContain("mention");
    expect(data.participationRequests.map((p) => p.message)).toEqual(["May I join?"]);
    expect(data.flags.map((f) => f.reason)).toEqual(["off_topic"]);
    expect(data.uploads).toEqual([expect.objectContaining({ id: ids.upload, url: `${server.url}/uploads/${ids.upload}` })]);
  });

  it("sends a signed-out reader to sign in", async () => {
    const res = await get(server.url, "/settings/data.json");
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/signin?redirectTo=${encodeURIComponent("/settings/data.json")}`);
  });

  describe("for an admin, on the member's request", () => {
    let admin: SignedIn;

    beforeAll(async () => {
      const a = await createMember(db, { role: "admin" });
      admin = await signIn(server.url, a.email, a.password);
    });

    it("is the same export, logged with the reason", async () => {
      const res = await postForm(server.url, `/admin/members/${other.id}/export.json`, { reason: "Emailed request of 6 Dec" }, { cookie: admin.cookie });
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as Export).profile).toMatchObject({ id: other.id, email: other.email });
      expect(await db.staffAction.count({ where: { action: "member.export", targetId: other.id, reason: "Emailed request of 6 Dec" } })).toBe(1);
    });

    it("needs a reason, and is 404 for anyone but an admin", async () => {
      const res = await postForm(server.url, `/admin/members/${other.id}/export.json`, { reason: "" }, { cookie: admin.cookie });
      expect(res.status).toBe(400);
      expect(res.body).toBe("This field is required.");
      expect((await postForm(server.url, `/admin/members/${me.id}/export.json`, { reason: "curious" }, { cookie: theirs.cookie })).status).toBe(404);
      expect(await db.staffAction.count({ where: { action: "member.export", targetId: me.id } })).toBe(0);
    });
  });
});
