/**
 * A reply posted and then deleted by its author leaves the thread unread for nobody: the
 * dialogue page's thread list shows no unread count for a member tracking the thread, one
 * watching it, the thread's author or the poster, the post count is back where it was, and
 * the watcher's notification badge goes back to zero.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma } from "../helpers/factories";
import { get, postForm } from "../helpers/http";
import { badgeCount, notificationsOnPage, replyCountInRow, threadRow, unreadInRow } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, record, type ClientSocket } from "../helpers/sockets";

const DIALOGUE = "2024-12-climate-finance";

describe("a reply deleted by its author", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let thread: { id: string };
  let readers: Record<"author" | "tracker" | "watcher" | "poster", SignedIn>;
  let watcherSocket: ClientSocket;

  /** The thread's row on the dialogue page, as one reader sees it. */
  async function rowFor(session: SignedIn): Promise<{ unread: number; posts: number }> {
    const page = await get(server.url, `/dialogues/${DIALOGUE}`, { cookie: session.cookie });
    expect(page.status).toBe(200);
    const row = threadRow(page.body, thread.id);
    expect(row, "the thread is in the dialogue's list").not.toBeNull();
    return { unread: unreadInRow(row!), posts: replyCountInRow(row!) };
  }

  async function badge(session: SignedIn): Promise<number> {
    return badgeCount((await get(server.url, "/notifications", { cookie: session.cookie })).body);
  }

  /** Posts through the page's form; returns the new reply's id. */
  async function postReply(session: SignedIn, body: string): Promise<string> {
    const response = await postForm(server.url, `/threads/${thread.id}`, { intent: "reply.create", body }, { cookie: session.cookie });
    expect(response.status).toBe(302);
    const postNumber = Number(/#post-(\d+)$/.exec(response.location ?? "")![1]);
    return (await db.reply.findUniqueOrThrow({ where: { threadId_postNumber: { threadId: thread.id, postNumber } } })).id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const dialogue = await dialogueBySlug(db, DIALOGUE);
    const [author, tracker, watcher, poster] = await Promise.all(["Author", "Tracker", "Watcher", "Poster"].map((name) => createMember(db, { displayName: `${name} ${uniqueSuffix()}` })));
    thread = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: `Finance thread ${uniqueSuffix()}` });
    await insertReplies(db, thread.id, [{ authorId: author.id }]);
    const sessions = await Promise.all([author, tracker, watcher, poster].map((m) => signIn(server.url, m.email, m.password)));
    readers = { author: sessions[0], tracker: sessions[1], watcher: sessions[2], poster: sessions[3] };

    // The author watches their thread; the tracker tracks it by posting in it (and has read
    // up to their own post); the watcher watches it and has read everything so far.
    expect((await apiCommand(server.url, "thread.watch", { threadId: thread.id, level: "watching" }, { cookie: readers.author.cookie })).code).toBe("ok");
    await postReply(readers.tracker, "Tracking this one.");
    expect((await db.threadWatch.findUniqueOrThrow({ where: { userId_threadId: { userId: tracker.id, threadId: thread.id } } })).level).toBe("tracking");
    expect((await apiCommand(server.url, "thread.watch", { threadId: thread.id, level: "watching" }, { cookie: readers.watcher.cookie })).code).toBe("ok");
    expect((await apiCommand(server.url, "thread.markRead", { threadId: thread.id, postNumber: 2 }, { cookie: readers.watcher.cookie })).code).toBe("ok");
    expect((await apiCommand(server.url, "thread.markRead", { threadId: thread.id, postNumber: 2 }, { cookie: readers.author.cookie })).code).toBe("ok");
    watcherSocket = await connectSocket(server.url, { cookie: readers.watcher.cookie });
  });

  afterAll(async () => {
    closeSockets(watcherSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("starts with the thread read by everyone", async () => {
    for (const reader of Object.values(readers)) expect(await rowFor(reader)).toEqual({ unread: 0, posts: 2 });
    expect(await badge(readers.watcher)).toBe(0);
  });

  it("is unread for the tracker, the watcher and the author while it stands", async () => {
    const counts = record(watcherSocket, "notifications:count");
    const replyId = await postReply(readers.poster, `Posted by mistake ${uniqueSuffix()}`);
    await counts.waitFor((c) => c.unread === 1);
    for (const name of ["tracker", "watcher", "author"] as const) expect(await rowFor(readers[name]), name).toEqual({ unread: 1, posts: 3 });
    expect(await rowFor(readers.poster)).toEqual({ unread: 0, posts: 3 });
    expect(await badge(readers.watcher)).toBe(1);

    // Its author deletes it through the page's form.
    const deleted = await postForm(server.url, `/threads/${thread.id}`, { intent: "reply.delete", replyId }, { cookie: readers.poster.cookie });
    expect(deleted.status).toBe(302);
    expect((await db.reply.findUniqueOrThrow({ where: { id: replyId } })).deletedAt).not.toBeNull();
    // The watcher's live badge drops back.
    await counts.waitFor((c) => c.unread === 0);
  });

  it("leaves the thread unread for no one once deleted", async () => {
    for (const [name, reader] of Object.entries(readers)) expect(await rowFor(reader), name).toEqual({ unread: 0, posts: 2 });
  });

  it("leaves no notification behind for the watcher", async () => {
    const page = await get(server.url, "/notifications", { cookie: readers.watcher.cookie });
    expect(badgeCount(page.body)).toBe(0);
    expect(notificationsOnPage(page.body).filter((n) => n.unread)).toEqual([]);
  });

  it("does not count towards the unread replies of a later reply", async () => {
    await postReply(readers.poster, `A real reply ${uniqueSuffix()}`);
    for (const name of ["tracker", "watcher", "author"] as const) expect(await rowFor(readers[name]), name).toEqual({ unread: 1, posts: 3 });
    expect(await badge(readers.watcher)).toBe(1);
  });
});
