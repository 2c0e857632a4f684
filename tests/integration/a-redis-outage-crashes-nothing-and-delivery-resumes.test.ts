/**
 * Redis may fail; the app may not (issue #11, item 2). Two app processes share a private
 * redis-server (started here on its own port; the shared one is never touched), which is
 * killed while replies are being posted and later started again:
 * - neither process crashes, and requests that do not need Redis (posting a reply, reading a
 *   page) keep working; every reply is kept;
 * - an open page is told live updates stopped; a page joining meanwhile is refused with an
 *   honest, localised "unavailable" (not a validation error) and retries by itself;
 * - when Redis is back, both pages show every reply committed during the outage, once each,
 *   without a reload (the catch-up of item 1).
 * No process logs an unhandled rejection (checked after every file by tests/helpers/setup.ts).
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplyView, ThreadChange } from "~/realtime/events";
import { ThreadFeed } from "~/realtime/thread-feed";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma } from "../helpers/factories";
import { get } from "../helpers/http";
import { until } from "../helpers/notes";
import { startPrivateRedis, type PrivateRedis } from "../helpers/redis";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, joinThread, type ClientSocket } from "../helpers/sockets";

describe("a Redis outage", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let redis: PrivateRedis;
  let first: RunningServer;
  let second: RunningServer;
  let reader: SignedIn, latecomer: SignedIn, writer: SignedIn;
  let authorId: string;
  const sockets: ClientSocket[] = [];
  const feeds: ThreadFeed[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    redis = await startPrivateRedis();
    // At "info" the log also says when Redis is back.
    first = await startServer({ databaseUrl: database.url, redisUrl: redis.url, env: { LOG_LEVEL: "info" } });
    second = await startServer({ databaseUrl: database.url, redisUrl: redis.url, env: { LOG_LEVEL: "info" } });
    const [r, l, w, a] = await Promise.all([createMember(db), createMember(db, { locale: "zh" }), createMember(db), createMember(db)]);
    authorId = a.id;
    [reader, latecomer, writer] = await Promise.all([signIn(first.url, r.email, r.password), signIn(first.url, l.email, l.password), signIn(second.url, w.email, w.password)]);
  });

  afterAll(async () => {
    for (const feed of feeds) feed.destroy();
    closeSockets(...sockets);
    await Promise.all([first?.stop(), second?.stop()]);
    await redis?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  /** A thread page on process 1: the app's ThreadFeed, with what it shows. */
  async function openPage(session: SignedIn, threadId: string, since: number) {
    const socket = await connectSocket(first.url, { cookie: session.cookie });
    sockets.push(socket);
    const shown = new Map<string, ReplyView>();
    const changes: ThreadChange[] = [];
    const feed = new ThreadFeed(socket, threadId, {
      since,
      onChanges(list) {
        for (const change of list) {
          changes.push(change);
          if (change.kind === "upsert") shown.set(change.reply.id, change.reply);
          else shown.delete(change.replyId);
        }
      },
    });
    feeds.push(feed);
    return { socket, feed, shown, changes };
  }

  it("crashes no process, keeps every reply posted while it lasts, and brings them to open pages once it is over", async () => {
    const dialogue = await dialogueBySlug(db, "2024-12-climate-finance");
    const thread = await insertThread(db, { authorId, dialogueId: dialogue.id, title: `Outage ${uniqueSuffix()}` });
    await insertReplies(db, thread.id, [{ authorId, text: "Before the outage" }]);
    const { changeSeq } = await db.thread.findUniqueOrThrow({ where: { id: thread.id } });

    const page = await openPage(reader, thread.id, changeSeq);
    await until(() => page.feed.state.status === "live", "the page to be live");

    // Replies go on being posted through process 2 while Redis is killed in the middle.
    const post = async (i: number) => {
      const outcome = await apiCommand(second.url, "reply.create", { threadId: thread.id, body: `Reply ${i} around the outage` }, { cookie: writer.cookie });
      expect(outcome, `reply ${i}`).toMatchObject({ code: "ok", status: 200 });
      return (outcome.result as ReplyView).id;
    };
    const posted = [await post(1), await post(2)];
    await redis.kill();
    for (let i = 3; i <= 6; i++) posted.push(await post(i));

    // The open page is told live updates stopped.
    await until(() => page.feed.state.status === "unavailable", "the page to say live updates are unavailable");
    // Pages that need no Redis are served by both processes.
    for (const server of [first, second]) {
      const response = await get(server.url, `/threads/${thread.id}`, { cookie: reader.cookie });
      expect(response.status).toBe(200);
      expect(response.body).toContain("Reply 6 around the outage");
    }

    // A page opened now is refused honestly, in its member's language, and retries by itself.
    const probe = await connectSocket(first.url, { cookie: latecomer.cookie });
    sockets.push(probe);
    expect(await joinThread(probe, thread.id)).toEqual({ ok: false, error: "unavailable", message: "实时更新暂时不可用,正在重试…" });
    const late = await openPage(latecomer, thread.id, changeSeq);
    await until(() => late.feed.state.status === "unavailable", "the late page to say it is retrying");
    expect(late.feed.state.error).toBe("unavailable");

    // Both processes are still running; every reply is stored.
    expect(first.process.exitCode).toBeNull();
    expect(second.process.exitCode).toBeNull();
    expect(await db.reply.count({ where: { id: { in: posted } } })).toBe(6);

    await redis.restart();
    // Delivery resumes: both pages show every reply of the outage, without a reload, once each.
    for (const p of [page, late]) {
      await until(() => p.feed.state.status === "live" && posted.every((id) => p.shown.has(id)), "every reply to reach the page");
      const ids = p.changes.map((c) => (c.kind === "upsert" ? c.reply.id : c.replyId));
      expect(new Set(ids).size).toBe(ids.length);
    }
    // And live again across processes: a reply through process 2 reaches the page on process 1.
    const after = await post(7);
    await until(() => page.shown.has(after), "a reply posted after the outage");
    // One line when Redis went and one when it came back (the log arrives through a pipe of its own).
    await until(() => /"event":"redis.up"/.test(first.output()), "the recovery in the log");
    expect(first.output()).toMatch(/"event":"redis.down"/);
  });
});
