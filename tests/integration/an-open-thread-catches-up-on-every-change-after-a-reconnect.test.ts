/**
 * Catch-up after a reconnect (issue #11, item 1): an open thread page — the app's own ThreadFeed
 * on a socket.io-client socket, as the page runs it — shows every reply, edit, hide and delete
 * made while its connection was away, in order and once each, without a reload:
 * - after a forced engine close on one process (Socket.IO connection state recovery replays
 *   the missed events), and after a server restart (nothing to recover: the catch-up read);
 * - across two processes sharing Redis, behind a proxy that sends the reconnect to the other
 *   process: recovered through Redis, or caught up from the database when the session is gone.
 */
import type { PrismaClient } from "@prisma/client";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReplyView, ThreadChange } from "~/realtime/events";
import { ThreadFeed } from "~/realtime/thread-feed";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { testRedisUrl, uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, type TestMember } from "../helpers/factories";
import { until } from "../helpers/notes";
import { startProxy, type TcpProxy } from "../helpers/proxy";
import { startServer, type RunningServer } from "../helpers/server";
import { connectSocket, waitForConnect, waitForDisconnect, type ClientSocket } from "../helpers/sockets";

/** A thread page: its replies as first loaded, then every change the feed hands it. */
interface Page {
  socket: ClientSocket;
  feed: ThreadFeed;
  /** Every change the page was given, in the order given. */
  changes: ThreadChange[];
  /** What the page shows: reply id → view. */
  shown: Map<string, ReplyView | { id: string; text: string; changeSeq: number }>;
  close(): void;
}

const seqOf = (c: ThreadChange) => (c.kind === "upsert" ? c.reply.changeSeq : c.changeSeq);
const idOf = (c: ThreadChange) => (c.kind === "upsert" ? c.reply.id : c.replyId);

describe("an open thread page after a reconnect", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let reader: TestMember, writer: TestMember, moderator: TestMember;
  const pages: Page[] = [];
  const servers: RunningServer[] = [];
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    // The first server migrates and seeds the database the others share.
    servers.push(await startServer({ databaseUrl: database.url }));
    [reader, writer, moderator] = await Promise.all([
      createMember(db, { displayName: "Reader" }),
      createMember(db, { displayName: "Writer" }),
      createMember(db, { role: "moderator", displayName: "Moderator" }),
    ]);
  });

  afterEach(() => {
    for (const page of pages.splice(0)) page.close();
  });

  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await Promise.all(servers.map((s) => s.stop()));
    await db?.$disconnect();
    await database?.drop();
  });

  async function sessions(url: string) {
    const [r, w, m] = await Promise.all([reader, writer, moderator].map((p) => signIn(url, p.email, p.password)));
    return { reader: r!, writer: w!, moderator: m! };
  }

  /** A thread with two replies by the writer, and the reader's page open on it at `url`. */
  async function openPage(url: string, readerSession: SignedIn) {
    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    const thread = await insertThread(db, { authorId: writer.id, dialogueId: dialogue.id, title: `Catch-up ${uniqueSuffix()}` });
    const initial = await insertReplies(db, thread.id, [{ authorId: writer.id, text: "First, before the gap" }, { authorId: writer.id, text: "Second, before the gap" }]);
    const { changeSeq } = await db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    const socket = await connectSocket(url, { cookie: readerSession.cookie });
    const changes: ThreadChange[] = [];
    const shown: Page["shown"] = new Map(initial.map((r) => [r.id, { id: r.id, text: r.text, changeSeq: 0 }]));
    const feed = new ThreadFeed(socket, thread.id, {
      since: changeSeq,
      onChanges(list) {
        for (const change of list) {
          changes.push(change);
          if (change.kind === "removed") shown.delete(change.replyId);
          else shown.set(change.reply.id, change.reply);
        }
      },
    });
    await until(() => feed.state.status === "live", "the page to be live");
    const page: Page = { socket, feed, changes, shown, close: () => (feed.destroy(), socket.close()) };
    pages.push(page);
    return { thread, initial, page };
  }

  /**
   * While the page is away: three replies, an edit of one of them and of a reply from before,
   * one hidden by a moderator and one deleted by its author. Returns the ids.
   */
  async function changeWhileAway(url: string, s: { writer: SignedIn; moderator: SignedIn }, threadId: string, initialId: string) {
    const post = async (text: string) => {
      const outcome = await apiCommand(url, "reply.create", { threadId, body: text }, { cookie: s.writer.cookie });
      expect(outcome.code, JSON.stringify(outcome)).toBe("ok");
      return (outcome.result as ReplyView).id;
    };
    const kept = await post("Posted in the gap, then edited");
    const hidden = await post("Posted in the gap, then hidden");
    const deleted = await post("Posted in the gap, then deleted");
    const ok = async (name: Parameters<typeof apiCommand>[1], input: object, cookie: string) =>
      expect((await apiCommand(url, name, input, { cookie })).code).toBe("ok");
    await ok("reply.edit", { replyId: kept, body: "Posted in the gap, edited in the gap" }, s.writer.cookie);
    await ok("reply.hide", { replyId: hidden, reason: "Off topic" }, s.moderator.cookie);
    await ok("reply.delete", { replyId: deleted }, s.writer.cookie);
    await ok("reply.edit", { replyId: initialId, body: "First, edited in the gap" }, s.writer.cookie);
    return { kept, hidden, deleted };
  }

  /** The page shows exactly the replies a member sees after a reload, with their current text. */
  async function expectCaughtUp(page: Page, threadId: string, since: number) {
    const visible = await db.reply.findMany({ where: { threadId, deletedAt: null, hiddenAt: null }, orderBy: { postNumber: "asc" } });
    const { changeSeq } = await db.thread.findUniqueOrThrow({ where: { id: threadId } });
    await until(() => page.feed.changeSeq >= changeSeq, `the page to reach change ${changeSeq}`);
    expect([...page.shown.values()].map((r) => [r.id, r.text]).sort()).toEqual(visible.map((r) => [r.id, r.text]).sort());
    // Each change reached the page once, in order.
    const seqs = page.changes.map(seqOf);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.every((n) => n > since)).toBe(true);
    expect(new Set(page.changes.map((c) => `${idOf(c)}@${seqOf(c)}`)).size).toBe(page.changes.length);
  }

  describe("on one process", () => {
    it("after a forced engine close, gets every reply, edit, hide and delete from the gap, replayed in order once each", async () => {
      const [server] = servers;
      const s = await sessions(server!.url);
      const { thread, initial, page } = await openPage(server!.url, s.reader);
      const since = page.feed.changeSeq;
      // A first event gives the client an offset to recover from (the page has seen something).
      await apiCommand(server!.url, "reply.create", { threadId: thread.id, body: "Seen live before the gap" }, { cookie: s.writer.cookie });
      await until(() => page.changes.length === 1, "the live reply");

      page.socket.io.engine.close();
      await waitForDisconnect(page.socket);
      expect(page.feed.state.status).toBe("offline");
      const ids = await changeWhileAway(server!.url, s, thread.id, initial[0]!.id);

      page.socket.connect();
      await waitForConnect(page.socket);
      // Socket.IO connection state recovery: the rooms and the missed events came back.
      expect(page.socket.recovered).toBe(true);
      await expectCaughtUp(page, thread.id, since);
      // Replayed, so every change arrives as it happened: three new replies, two edits, a hide, a delete.
      expect(page.changes.slice(1).map((c) => [c.kind, idOf(c)])).toEqual([
        ["upsert", ids.kept],
        ["upsert", ids.hidden],
        ["upsert", ids.deleted],
        ["upsert", ids.kept],
        ["removed", ids.hidden],
        ["removed", ids.deleted],
        ["upsert", initial[0]!.id],
      ]);
      expect(page.feed.state.status).toBe("live");
    });

    it("after the server restarts (nothing to recover), catches up with one read from the database", async () => {
      const [server] = servers;
      const port = server!.port;
      const s = await sessions(server!.url);
      const { thread, initial, page } = await openPage(server!.url, s.reader);
      const since = page.feed.changeSeq;

      await server!.stop();
      await waitForDisconnect(page.socket);
      const restarted = await startServer({ databaseUrl: database.url, env: { PORT: String(port) } });
      servers[0] = restarted;
      const after = await sessions(restarted.url);
      const ids = await changeWhileAway(restarted.url, after, thread.id, initial[0]!.id);

      page.socket.connect();
      await waitForConnect(page.socket);
      expect(page.socket.recovered).toBe(false);
      await expectCaughtUp(page, thread.id, since);
      // Read, so each reply comes once in its latest state: the edited one, the two gone, the edited older one.
      expect(page.changes.map((c) => [c.kind, idOf(c)])).toEqual([
        ["upsert", ids.kept],
        ["removed", ids.hidden],
        ["removed", ids.deleted],
        ["upsert", initial[0]!.id],
      ]);
      expect(page.feed.state.status).toBe("live");
    });
  });

  describe("across two processes sharing Redis", () => {
    let first: RunningServer;
    let second: RunningServer;
    let proxy: TcpProxy;

    beforeAll(async () => {
      first = await startServer({ databaseUrl: database.url, redisUrl: testRedisUrl });
      second = await startServer({ databaseUrl: database.url, redisUrl: testRedisUrl });
      servers.push(first, second);
      // The load balancer: the page's connections go to process 1 until it is told otherwise.
      proxy = await startProxy(first.port);
      proxies.push(proxy);
    });

    it("a page dropped from process 1 comes back on process 2 with everything posted there meanwhile (recovered through Redis)", async () => {
      const s = await sessions(proxy.url);
      const direct = await sessions(second.url);
      const { thread, initial, page } = await openPage(proxy.url, s.reader);
      const since = page.feed.changeSeq;
      await apiCommand(second.url, "reply.create", { threadId: thread.id, body: "Seen live before the gap" }, { cookie: direct.writer.cookie });
      await until(() => page.changes.length === 1, "the live reply from process 2");

      proxy.cut();
      await waitForDisconnect(page.socket);
      proxy.route(second.port);
      const ids = await changeWhileAway(second.url, direct, thread.id, initial[0]!.id);

      page.socket.connect();
      await waitForConnect(page.socket);
      expect(page.socket.recovered).toBe(true);
      await expectCaughtUp(page, thread.id, since);
      expect(page.changes.slice(1).map((c) => [c.kind, idOf(c)])).toEqual([
        ["upsert", ids.kept],
        ["upsert", ids.hidden],
        ["upsert", ids.deleted],
        ["upsert", ids.kept],
        ["removed", ids.hidden],
        ["removed", ids.deleted],
        ["upsert", initial[0]!.id],
      ]);
    });

    it("a page whose session cannot be recovered catches up from the database on the other process", async () => {
      proxy.route(first.port);
      const s = await sessions(proxy.url);
      const direct = await sessions(first.url);
      const { thread, initial, page } = await openPage(proxy.url, s.reader);
      const since = page.feed.changeSeq;

      proxy.cut();
      await waitForDisconnect(page.socket);
      proxy.route(second.port);
      const ids = await changeWhileAway(first.url, direct, thread.id, initial[0]!.id);

      // Away longer than the recovery window: the session process 1 kept in Redis has expired.
      const pid = (page.socket as unknown as { _pid?: string })._pid;
      expect(pid).toBeTruthy();
      const redis = new Redis(testRedisUrl);
      try {
        const key = `sio:session:${pid}`;
        for (let i = 0; (await redis.exists(key)) === 0; i++) {
          if (i > 200) throw new Error("process 1 never kept the disconnected socket's session");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await redis.del(key);
      } finally {
        redis.disconnect();
      }
      page.socket.connect();
      await waitForConnect(page.socket);
      expect(page.socket.recovered).toBe(false);
      await expectCaughtUp(page, thread.id, since);
      expect(page.changes.map((c) => [c.kind, idOf(c)])).toEqual([
        ["upsert", ids.kept],
        ["removed", ids.hidden],
        ["removed", ids.deleted],
        ["upsert", initial[0]!.id],
      ]);

      // And it is live on process 2: a reply through process 1 reaches it.
      const live = await apiCommand(first.url, "reply.create", { threadId: thread.id, body: "After the catch-up" }, { cookie: direct.writer.cookie });
      await until(() => page.shown.has((live.result as ReplyView).id), "the reply posted after the catch-up");
    });
  });
});
