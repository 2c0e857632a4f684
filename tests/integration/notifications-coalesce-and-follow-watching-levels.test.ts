/**
 * Notifications and watching levels, as Discourse has them: watching a thread (or its
 * dialogue) notifies of every reply, and a burst of replies is one line with a count;
 * tracking shows an unread count but notifies of nothing; normal shows neither; muted gets
 * nothing at all. Posting in a thread sets tracking. Notifications are marked read one at a
 * time or all at once, and the live badge follows.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand, socketCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, paragraphDoc, type TestMember } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { badgeCount, notificationsOnPage, threadRow, unreadInRow } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, record, type ClientSocket, type EventRecorder } from "../helpers/sockets";

const DIALOGUE = "2024-12-climate-finance";
type Name = "poster" | "watcher" | "tracker" | "normal" | "muted" | "dialogueWatcher" | "moderator";

describe("notifications and watching levels", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let dialogue: { id: string };
  let thread: { id: string };
  const members = {} as Record<Name, TestMember>;
  const sessions = {} as Record<Name, SignedIn>;
  let watcherSocket: ClientSocket;
  let watcherCounts: EventRecorder<"notifications:count">;

  const run = (name: Name, command: Parameters<typeof apiCommand>[1], input: unknown) =>
    apiCommand(server.url, command, input, { cookie: sessions[name].cookie }).then((outcome) => {
      expect(outcome.code, `${command} as ${name}: ${outcome.message}`).toBe("ok");
      return outcome.result;
    });
  const unreadNotifications = (name: Name) => db.notification.findMany({ where: { userId: members[name].id, readAt: null }, orderBy: { createdAt: "asc" } });
  const notificationsPage = (name: Name) => get(server.url, "/notifications", { cookie: sessions[name].cookie }).then((r) => r.body);
  const levelOf = async (name: Name) =>
    (await db.threadWatch.findUnique({ where: { userId_threadId: { userId: members[name].id, threadId: thread.id } } }))?.level ?? "normal";
  const rowUnread = async (name: Name) => {
    const row = threadRow((await get(server.url, `/dialogues/${DIALOGUE}`, { cookie: sessions[name].cookie })).body, thread.id);
    expect(row).not.toBeNull();
    return { unread: unreadInRow(row!), muted: row!.includes("Muted") };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    dialogue = await dialogueBySlug(db, DIALOGUE);
    for (const name of ["poster", "watcher", "tracker", "normal", "muted", "dialogueWatcher", "moderator"] as Name[]) {
      members[name] = await createMember(db, { displayName: `${name} ${uniqueSuffix()}`, role: name === "moderator" ? "moderator" : "member" });
      sessions[name] = await signIn(server.url, members[name].email, members[name].password);
    }
    thread = await insertThread(db, { authorId: members.poster.id, dialogueId: dialogue.id, title: `Watched thread ${uniqueSuffix()}` });
    await insertReplies(db, thread.id, [{ authorId: members.poster.id }]);
    await run("watcher", "thread.watch", { threadId: thread.id, level: "watching" });
    await run("muted", "thread.watch", { threadId: thread.id, level: "muted" });
    await run("dialogueWatcher", "category.watch", { categoryKey: `dialogue:${dialogue.id}`, level: "watching" });
    for (const name of ["watcher", "normal", "muted", "dialogueWatcher"] as Name[]) await run(name, "thread.markRead", { threadId: thread.id, postNumber: 1 });
    watcherSocket = await connectSocket(server.url, { cookie: sessions.watcher.cookie });
    watcherCounts = record(watcherSocket, "notifications:count");
  });

  afterAll(async () => {
    closeSockets(watcherSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("sets a member who posts in a thread to tracking", async () => {
    expect(await levelOf("tracker")).toBe("normal");
    const response = await postForm(server.url, `/threads/${thread.id}`, { intent: "reply.create", body: "Following this." }, { cookie: sessions.tracker.cookie });
    expect(response.status).toBe(302);
    expect(await levelOf("tracker")).toBe("tracking");
  });

  it("keeps a watcher who posts at watching", async () => {
    await run("watcher", "reply.create", { threadId: thread.id, body: "Watching, and saying so." });
    expect(await levelOf("watcher")).toBe("watching");
  });

  it("coalesces three replies in a watched thread into one unread notification with a count of 3", async () => {
    // Everyone catches up first: the thread read to its end, every notification read.
    const { lastPostNumber } = await db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    for (const name of Object.keys(members) as Name[]) {
      await run(name, "thread.markRead", { threadId: thread.id, postNumber: lastPostNumber });
      await run(name, "notifications.markRead", {});
    }
    await watcherCounts.waitFor((c) => c.unread === 0);
    watcherCounts.events.length = 0;
    for (let i = 1; i <= 3; i++) await run("poster", "reply.create", { threadId: thread.id, body: `Burst reply ${i} ${uniqueSuffix()}` });
    await watcherCounts.waitFor((c) => c.unread === 1);
    const unread = await unreadNotifications("watcher");
    expect(unread.map((n) => [n.type, n.count, n.threadId])).toEqual([["reply", 3, thread.id]]);
    // Every update of the badge during the burst said 1: one line, not three.
    expect(watcherCounts.events.every((c) => c.unread === 1)).toBe(true);
  });

  it("shows the burst as one line saying 3 new replies, with a badge of 1", async () => {
    const page = await notificationsPage("watcher");
    expect(badgeCount(page)).toBe(1);
    const lines = notificationsOnPage(page).filter((n) => n.unread);
    expect(lines).toHaveLength(1);
    expect(pageText(lines[0].html)).toContain("3 new replies in a thread you watch");
  });

  it("notifies a member watching the thread's dialogue, coalesced the same way", async () => {
    expect((await unreadNotifications("dialogueWatcher")).map((n) => [n.type, n.count])).toEqual([["reply", 3]]);
  });

  it("shows a tracking member the unread count but sends no notification", async () => {
    expect(await unreadNotifications("tracker")).toEqual([]);
    expect(await rowUnread("tracker")).toEqual({ unread: 3, muted: false });
  });

  it("shows a normal-level member neither a notification nor an unread count", async () => {
    expect(await unreadNotifications("normal")).toEqual([]);
    expect(await rowUnread("normal")).toEqual({ unread: 0, muted: false });
  });

  it("gives a muted member nothing, not even a mention", async () => {
    await run("poster", "reply.create", { threadId: thread.id, content: paragraphDoc("Over to ", members.muted, " then") });
    expect(await db.notification.count({ where: { userId: members.muted.id } })).toBe(0);
    expect(await rowUnread("muted")).toEqual({ unread: 0, muted: true });
  });

  it("starts a new line once the coalesced one has been read", async () => {
    const [line] = await unreadNotifications("watcher");
    expect(line.count).toBe(4);
    await postForm(server.url, "/notifications", { notificationId: line.id }, { cookie: sessions.watcher.cookie });
    await run("poster", "reply.create", { threadId: thread.id, body: `After reading ${uniqueSuffix()}` });
    expect((await unreadNotifications("watcher")).map((n) => n.count)).toEqual([1]);
  });

  it("marks one notification read through the page's form, and the badge drops by one, live", async () => {
    // A mention in another thread gives the watcher a second unread line.
    const other = await insertThread(db, { authorId: members.poster.id, dialogueId: dialogue.id });
    await insertReplies(db, other.id, [{ authorId: members.poster.id }]);
    await run("poster", "reply.create", { threadId: other.id, content: paragraphDoc("Asking ", members.watcher) });
    await watcherCounts.waitFor((c) => c.unread === 2);
    const [first, second] = await unreadNotifications("watcher");
    expect(badgeCount(await notificationsPage("watcher"))).toBe(2);

    watcherCounts.events.length = 0;
    const response = await postForm(server.url, "/notifications", { notificationId: second.id }, { cookie: sessions.watcher.cookie });
    expect(response.status).toBe(302);
    expect(response.location).toBe("/notifications");
    await watcherCounts.waitFor((c) => c.unread === 1);
    expect((await unreadNotifications("watcher")).map((n) => n.id)).toEqual([first.id]);
    expect(badgeCount(await notificationsPage("watcher"))).toBe(1);
  });

  it("cannot mark another member's notification read", async () => {
    const [mine] = await unreadNotifications("watcher");
    expect((await run("poster", "notifications.markRead", { notificationId: mine.id })) as { marked: number }).toEqual({ marked: 0 });
    expect((await unreadNotifications("watcher")).map((n) => n.id)).toEqual([mine.id]);
  });

  it("marks all notifications read at once, over the socket too, and the badge goes to zero", async () => {
    // Two unread lines: the watched thread's replies and a second mention elsewhere.
    const { threadId: elsewhere } = (await run("poster", "thread.create", {
      dialogueId: dialogue.id,
      title: `Elsewhere ${uniqueSuffix()}`,
      content: paragraphDoc("Asking ", members.watcher, " again"),
    })) as { threadId: string };
    expect(elsewhere).toBeTruthy();
    await watcherCounts.waitFor((c) => c.unread === 2);
    watcherCounts.events.length = 0;
    const ack = await socketCommand(watcherSocket, "notifications.markRead", {});
    expect(ack).toMatchObject({ code: "ok", result: { marked: 2 } });
    await watcherCounts.waitFor((c) => c.unread === 0);
    expect(await unreadNotifications("watcher")).toEqual([]);
    expect(badgeCount(await notificationsPage("watcher"))).toBe(0);
  });

  describe("a coalesced line when replies in it are hidden or deleted", () => {
    let burst: { replyId: string; text: string }[];
    const watcherLine = async () => {
      const lines = notificationsOnPage(await notificationsPage("watcher")).filter((n) => n.unread && n.type === "reply");
      return lines.map((l) => pageText(l.html));
    };

    beforeAll(async () => {
      await run("watcher", "notifications.markRead", {});
      burst = [];
      for (let i = 1; i <= 3; i++) {
        const text = `Coalesced ${i} ${uniqueSuffix()}`;
        const reply = (await run("poster", "reply.create", { threadId: thread.id, body: text })) as { id: string };
        burst.push({ replyId: reply.id, text });
      }
      const [line] = await watcherLine();
      expect(line).toContain("3 new replies in a thread you watch");
      expect(line).toContain(burst[2]!.text);
    });

    it("counts one fewer when an earlier reply in it is deleted, and still shows the latest", async () => {
      await run("poster", "reply.delete", { replyId: burst[0]!.replyId });
      const [line] = await watcherLine();
      expect(line).toContain("2 new replies in a thread you watch");
      expect(line).toContain(burst[2]!.text);
    });

    it("keeps the line, one fewer, pointing at the reply before, when its latest reply is hidden", async () => {
      await run("moderator", "reply.hide", { replyId: burst[2]!.replyId, reason: "Off topic" });
      const lines = await watcherLine();
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain("new replies");
      expect(lines[0]).toContain(burst[1]!.text);
      expect(lines[0]).not.toContain(burst[2]!.text);
      expect(badgeCount(await notificationsPage("watcher"))).toBe(1);
    });

    it("takes the line away once every reply in it is gone", async () => {
      await run("poster", "reply.delete", { replyId: burst[1]!.replyId });
      expect(await watcherLine()).toEqual([]);
      expect(badgeCount(await notificationsPage("watcher"))).toBe(0);
    });
  });
});
