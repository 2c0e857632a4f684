/**
 * Reply pages are keyset-paginated over the replies the reader may see: a thread of 41
 * replies with 4 deleted, 20 to a page, has exactly two full pages (20 + 17), whether read
 * from the start by following "newer replies" or from the end by following "older replies",
 * and neither way leads to an empty or short third page.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, type InsertedReply } from "../helpers/factories";
import { get } from "../helpers/http";
import { pagerLinks, repliesOnPage } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { findReplyPage } from "~/models/reply-page.server";
import { findThreadWithDialogue } from "~/models/thread-row.server";
import { replyInclude } from "~/models/reply-rows.server";

/** Deleted post numbers: around both page boundaries and inside a page. */
const DELETED = [5, 20, 21, 38];

describe("a thread of 41 replies with 4 deleted", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let reader: SignedIn;
  let threadId: string;
  let replies: InsertedReply[];
  let visibleNumbers: number[];

  interface Page {
    path: string;
    postNumbers: number[];
    newer: string | null;
    older: string | null;
  }

  async function open(path: string): Promise<Page> {
    const response = await get(server.url, path, { cookie: reader.cookie });
    expect(response.status, path).toBe(200);
    const links = pagerLinks(response.body);
    return { path, postNumbers: repliesOnPage(response.body).map((r) => r.postNumber), ...links };
  }

  /** Follows one kind of pager link from `start` until a page has none. */
  async function follow(start: string, direction: "newer" | "older"): Promise<Page[]> {
    const pages = [await open(start)];
    while (pages[pages.length - 1][direction] && pages.length < 5) pages.push(await open(pages[pages.length - 1][direction]!));
    return pages;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const dialogue = await dialogueBySlug(db, "2024-12-climate-finance");
    const [author, other, member] = await Promise.all([createMember(db), createMember(db), createMember(db)]);
    const thread = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: "Forty-one replies" });
    threadId = thread.id;
    replies = await insertReplies(
      db,
      threadId,
      Array.from({ length: 41 }, (_, i) => ({ authorId: i % 2 ? other.id : author.id, deleted: DELETED.includes(i + 1) })),
    );
    visibleNumbers = replies.map((r) => r.postNumber).filter((n) => !DELETED.includes(n));
    reader = await signIn(server.url, member.email, member.password);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("has 37 visible replies and a reply count of 37", async () => {
    expect(visibleNumbers).toHaveLength(37);
    expect((await db.thread.findUniqueOrThrow({ where: { id: threadId } })).replyCount).toBe(37);
  });

  it("read from the start, is two full pages of 20 and 17 replies, with no third page", async () => {
    const pages = await follow(`/threads/${threadId}`, "newer");
    expect(pages.map((p) => p.postNumbers.length)).toEqual([20, 17]);
    expect(pages.flatMap((p) => p.postNumbers)).toEqual(visibleNumbers);
    // The first page links only forward, the second only back: no link to an empty page.
    expect(pages[0].older).toBeNull();
    expect(pages[0].newer).toBe(`/threads/${threadId}?after=${visibleNumbers[19]}`);
    expect(pages[1].newer).toBeNull();
    expect(pages[1].older).toBe(`/threads/${threadId}?before=${visibleNumbers[20]}`);
  });

  it("read from the last page backwards, is two full pages of 20 and 17 replies, with no third page", async () => {
    const pages = await follow(`/threads/${threadId}?last=1`, "older");
    expect(pages.map((p) => p.postNumbers.length)).toEqual([20, 17]);
    expect(pages.reverse().flatMap((p) => p.postNumbers)).toEqual(visibleNumbers);
    expect(pages[0].older).toBeNull();
    expect(pages[1].newer).toBeNull();
  });

  it("never shows a deleted reply on any page", async () => {
    const seen = [...(await follow(`/threads/${threadId}`, "newer")), ...(await follow(`/threads/${threadId}?last=1`, "older"))].flatMap((p) => p.postNumbers);
    for (const deleted of DELETED) expect(seen).not.toContain(deleted);
  });

  it("past the last visible reply is empty and links to nothing newer", async () => {
    const after = await get(server.url, `/threads/${threadId}?after=${visibleNumbers[36]}`, { cookie: reader.cookie });
    expect(after.status).toBe(200);
    expect(repliesOnPage(after.body)).toEqual([]);
    expect(pagerLinks(after.body).newer).toBeNull();
  });

  it("returns what Prisma's findMany with replyInclude returns, for staff, a hidden reply's author and another member", async () => {
    const dialogue = await dialogueBySlug(db, "2024-12-climate-finance");
    // One author with a region, one without.
    const [author, other, member] = await Promise.all([createMember(db, { region: "wyoming" }), createMember(db), createMember(db)]);
    const thread = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: "Same rows either way" });
    const rows = await insertReplies(
      db,
      thread.id,
      Array.from({ length: 12 }, (_, i) => ({ authorId: i % 2 ? other.id : author.id, deleted: i === 3, hidden: i === 5 || i === 8 ? "off topic" : undefined })),
    );
    // Answers: to a standing reply, to a hidden one and to a deleted one.
    await db.reply.update({ where: { id: rows[6]!.id }, data: { replyToId: rows[0]!.id, editedAt: new Date(), editCount: 1 } });
    await db.reply.update({ where: { id: rows[9]!.id }, data: { replyToId: rows[5]!.id } });
    await db.reply.update({ where: { id: rows[10]!.id }, data: { replyToId: rows[3]!.id, idempotencyKey: "k-1" } });
    // Translations (a person's and a machine's, one by a deleted account) and a request.
    const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
    await db.replyTranslation.create({ data: { id: `tr-${thread.id}-1`, replyId: rows[0]!.id, language: "zh", content: doc("译文"), text: "译文", kind: "human", translatorId: member.id, sourceRevision: 0, participantNumber: 2 } });
    await db.replyTranslation.create({ data: { id: `tr-${thread.id}-2`, replyId: rows[6]!.id, language: "zh", content: doc("机器"), text: "机器", kind: "machine", translatorId: null, sourceRevision: 0 } });
    await db.reply.update({ where: { id: rows[7]!.id }, data: { language: "zh", translationRequestedAt: new Date(), translationRequestedById: member.id } });
    const readers = [
      { id: member.id, role: "moderator" as const },
      { id: other.id, role: "member" as const },
      { id: member.id, role: "member" as const },
    ];
    const windows = [
      { descending: false, take: 5 },
      { descending: false, after: 4, take: 5 },
      { descending: true, take: 21 },
      { descending: true, before: 10, take: 4 },
      { descending: false, after: 2, before: 11, take: 21 },
    ];
    for (const actor of readers) {
      for (const w of windows) {
        const staff = actor.role === "moderator";
        const expected = await db.reply.findMany({
          where: {
            threadId: thread.id,
            deletedAt: null,
            ...(staff ? {} : { OR: [{ hiddenAt: null }, { authorId: actor.id }] }),
            ...(w.after != null ? { postNumber: { gt: w.after } } : {}),
            ...(w.before != null ? { postNumber: { lt: w.before } } : {}),
          },
          orderBy: { postNumber: w.descending ? "desc" : "asc" },
          take: w.take,
          include: replyInclude,
        });
        expect(expected.length, JSON.stringify(w)).toBeGreaterThan(0);
        expect(await findReplyPage(actor, thread.id, w, db), `${actor.role} ${actor.id === other.id ? "author" : "reader"} ${JSON.stringify(w)}`).toEqual(expected);
      }
    }
  });

  it("reads a thread row in one statement exactly as Prisma's findUnique with its dialogue does", async () => {
    const dialogue = await dialogueBySlug(db, "2024-12-climate-finance");
    const author = await createMember(db);
    const plain = await insertThread(db, { authorId: author.id, title: "No dialogue" });
    const full = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: "Everything set", lockedAt: new Date(), pinnedAt: new Date(), pinnedUntil: new Date(Date.now() + 86_400_000), slowModeSeconds: 30 });
    await db.thread.update({
      where: { id: full.id },
      data: { titleZh: "全部设置", attributionLevel: "chatham_house", titleLanguage: "zh", titleTranslationRequestedAt: new Date(), deletedAt: new Date(), replyCount: 3, lastPostNumber: 4, changeSeq: 7 },
    });
    await db.dialogue.update({ where: { id: dialogue.id }, data: { allowMachineTranslation: true } });
    const include = { dialogue: { select: { id: true, slug: true, titleEn: true, titleZh: true, attributionLevel: true, allowMachineTranslation: true } } } as const;
    for (const id of [plain.id, full.id, threadId]) {
      const expected = await db.thread.findUnique({ where: { id }, include });
      expect(expected).not.toBeNull();
      expect(await findThreadWithDialogue(id, db), id).toEqual(expected);
    }
    expect(await findThreadWithDialogue("no-such-thread", db)).toBeNull();
    await db.dialogue.update({ where: { id: dialogue.id }, data: { allowMachineTranslation: false } });
  });
});
