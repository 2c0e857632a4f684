/**
 * A reply a moderator hides leaves every place other members would meet it: the thread list's
 * post and unread counts, the thread page, their notifications (a mention of them disappears
 * and the badge drops, live too) and the /latest feed. Its author and the staff still see it
 * on the thread page, with the hidden notice; its author is told why.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, paragraphDoc, type TestMember } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { badgeCount, feedReplyIds, notificationsOnPage, repliesOnPage, replyCountInRow, threadRow, unreadInRow } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, record, type ClientSocket, type EventRecorder } from "../helpers/sockets";

const DIALOGUE = "2024-09-23-economic-diversification";
const REASON = "Personal attack";

describe("a hidden reply", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let mentioned: TestMember;
  let poster: TestMember;
  let mentionedSession: SignedIn;
  let posterSession: SignedIn;
  let moderatorSession: SignedIn;
  let watcherSession: SignedIn;
  let mentionedSocket: ClientSocket;
  let mentionedCounts: EventRecorder<"notifications:count">;
  let thread: { id: string };
  let hiddenId: string;
  let keptId: string;

  const threadPage = (session: SignedIn) => get(server.url, `/threads/${thread.id}?last=1`, { cookie: session.cookie }).then((r) => r.body);
  const dialogueRow = async (session: SignedIn) => {
    const row = threadRow((await get(server.url, `/dialogues/${DIALOGUE}`, { cookie: session.cookie })).body, thread.id);
    expect(row).not.toBeNull();
    return { posts: replyCountInRow(row!), unread: unreadInRow(row!) };
  };
  const feed = (session: SignedIn) => get(server.url, "/latest", { cookie: session.cookie }).then((r) => feedReplyIds(r.body));
  const notifications = (session: SignedIn) => get(server.url, "/notifications", { cookie: session.cookie }).then((r) => r.body);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const dialogue = await dialogueBySlug(db, DIALOGUE);
    const author = await createMember(db);
    mentioned = await createMember(db, { displayName: `Mentioned ${uniqueSuffix()}` });
    poster = await createMember(db, { displayName: `Poster ${uniqueSuffix()}` });
    const watcher = await createMember(db);
    const moderator = await createMember(db, { role: "moderator" });
    thread = await insertThread(db, { authorId: author.id, dialogueId: dialogue.id, title: `Hidden reply thread ${uniqueSuffix()}` });
    await insertReplies(db, thread.id, [{ authorId: author.id }]);
    [mentionedSession, posterSession, moderatorSession, watcherSession] = await Promise.all(
      [mentioned, poster, moderator, watcher].map((m) => signIn(server.url, m.email, m.password)),
    );
    // The mentioned member tracks the thread (read up to post 1); the watcher watches it.
    expect((await apiCommand(server.url, "thread.watch", { threadId: thread.id, level: "tracking" }, { cookie: mentionedSession.cookie })).code).toBe("ok");
    expect((await apiCommand(server.url, "thread.markRead", { threadId: thread.id, postNumber: 1 }, { cookie: mentionedSession.cookie })).code).toBe("ok");
    expect((await apiCommand(server.url, "thread.watch", { threadId: thread.id, level: "watching" }, { cookie: watcherSession.cookie })).code).toBe("ok");
    mentionedSocket = await connectSocket(server.url, { cookie: mentionedSession.cookie });
    mentionedCounts = record(mentionedSocket, "notifications:count");

    const posted = await apiCommand(
      server.url,
      "reply.create",
      { threadId: thread.id, content: paragraphDoc("Ask ", { id: mentioned.id, displayName: mentioned.displayName }, ` about it ${uniqueSuffix()}`) },
      { cookie: posterSession.cookie },
    );
    expect(posted.code).toBe("ok");
    hiddenId = (posted.result as { id: string }).id;
    await mentionedCounts.waitFor((c) => c.unread === 1);
  });

  afterAll(async () => {
    closeSockets(mentionedSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("is everywhere before it is hidden (the control case)", async () => {
    expect(await dialogueRow(mentionedSession)).toEqual({ posts: 2, unread: 1 });
    expect(repliesOnPage(await threadPage(mentionedSession)).map((r) => r.id)).toContain(hiddenId);
    const page = await notifications(mentionedSession);
    expect(badgeCount(page)).toBe(1);
    expect(notificationsOnPage(page).map((n) => n.type)).toEqual(["mention"]);
    expect(notificationsOnPage(await notifications(watcherSession)).map((n) => n.type)).toEqual(["reply"]);
    expect((await feed(mentionedSession))[0]).toBe(hiddenId);
  });

  it("is hidden by a moderator through the thread page's form, and the mentioned member's badge drops live", async () => {
    const response = await postForm(server.url, `/threads/${thread.id}`, { intent: "reply.hide", replyId: hiddenId, reason: REASON }, { cookie: moderatorSession.cookie });
    expect(response.status).toBe(302);
    expect(await db.reply.findUniqueOrThrow({ where: { id: hiddenId } })).toMatchObject({ hiddenReason: REASON });
    await mentionedCounts.waitFor((c) => c.unread === 0);
  });

  it("is left out of the thread list's post count and the tracker's unread count", async () => {
    expect(await dialogueRow(mentionedSession)).toEqual({ posts: 1, unread: 0 });
    expect((await db.thread.findUniqueOrThrow({ where: { id: thread.id } })).replyCount).toBe(1);
  });

  it("is absent from the thread page for other members", async () => {
    const html = await threadPage(mentionedSession);
    expect(repliesOnPage(html).map((r) => r.postNumber)).toEqual([1]);
    expect(html).not.toContain(hiddenId);
  });

  it("stays on the thread page for its author and the moderators, with the hidden notice", async () => {
    for (const session of [posterSession, moderatorSession]) {
      const html = await threadPage(session);
      expect(repliesOnPage(html).map((r) => [r.postNumber, r.hiddenNotice])).toEqual([
        [1, false],
        [2, true],
      ]);
      expect(pageText(html)).toContain(`A moderator hid this reply: ${REASON}. Only you and the moderators can see it.`);
    }
  });

  it("takes the mention notification away and the badge to zero", async () => {
    const page = await notifications(mentionedSession);
    expect(badgeCount(page)).toBe(0);
    expect(notificationsOnPage(page)).toEqual([]);
    expect(page).not.toContain(hiddenId);
    // The watcher's "new reply" notification about it goes too.
    const watcherPage = await notifications(watcherSession);
    expect(badgeCount(watcherPage)).toBe(0);
    expect(notificationsOnPage(watcherPage)).toEqual([]);
  });

  it("tells its author it was hidden, and why", async () => {
    const page = await notifications(posterSession);
    const notices = notificationsOnPage(page);
    expect(notices.map((n) => n.type)).toEqual(["reply_hidden"]);
    expect(pageText(notices[0].html)).toContain(REASON);
  });

  it("is absent from the /latest feed, for members and moderators alike", async () => {
    const kept = await apiCommand(server.url, "reply.create", { threadId: thread.id, body: `A visible reply ${uniqueSuffix()}` }, { cookie: posterSession.cookie });
    keptId = (kept.result as { id: string }).id;
    for (const session of [mentionedSession, moderatorSession, posterSession]) {
      const ids = await feed(session);
      expect(ids[0]).toBe(keptId);
      expect(ids).not.toContain(hiddenId);
    }
  });

  it("comes back everywhere when a moderator unhides it", async () => {
    expect((await apiCommand(server.url, "reply.unhide", { replyId: hiddenId }, { cookie: moderatorSession.cookie })).code).toBe("ok");
    expect(repliesOnPage(await threadPage(mentionedSession)).map((r) => r.id)).toEqual(expect.arrayContaining([hiddenId, keptId]));
    expect(await feed(mentionedSession)).toContain(hiddenId);
    expect(notificationsOnPage(await notifications(mentionedSession)).map((n) => n.type)).toEqual(["mention"]);
    expect((await dialogueRow(mentionedSession)).posts).toBe(3);
  });
});
