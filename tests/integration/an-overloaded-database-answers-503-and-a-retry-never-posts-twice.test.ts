/**
 * Overload degrades honestly (issue #11, item 3). A server with a pool of 2 connections that
 * waits at most 300 ms for one (DATABASE_POOL_SIZE, DATABASE_TRANSACTION_WAIT_MS) gets 30
 * replies at once while the test holds the thread's row lock, so the two transactions that got
 * a connection wait on it and every other request finds no connection in time:
 * - every refused request is a 503 with Retry-After and the API's localised
 *   `{ ok: false, error: { code: "overloaded" } }`, never a 500, and nothing of it is stored;
 * - the log has one structured `db.overloaded` line per refusal and no stack trace;
 * - retried with the same idempotency keys once the load is gone, every reply is stored exactly
 *   once, including those whose first attempt went through.
 * A page and a no-JavaScript form post under the same load get the localised 503 page.
 */
import type { PrismaClient } from "@prisma/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "~/utils/ids.server";
import { signIn, type SignedIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, insertThread, openPrisma } from "../helpers/factories";
import { languageCookie, request } from "../helpers/http";
import { until } from "../helpers/notes";
import { startServer, type RunningServer } from "../helpers/server";

const REQUESTS = 30;

interface Answer {
  key: string;
  status: number;
  retryAfter: string | null;
  body: { ok: boolean; result?: { id: string }; error?: { code: string; message: string } };
}

describe("an overloaded database", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let poster: SignedIn;
  let thread: { id: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({
      databaseUrl: database.url,
      env: { DATABASE_POOL_SIZE: "2", DATABASE_TRANSACTION_WAIT_MS: "300", DATABASE_TRANSACTION_TIMEOUT_MS: "60000" },
    });
    // Staff post without the per-member rate limit, so only the load refuses anything.
    const admin = await createMember(db, { role: "admin" });
    poster = await signIn(server.url, admin.email, admin.password);
    thread = await insertThread(db, { authorId: admin.id, title: `Busy thread ${uniqueSuffix()}` });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  /** `POST /api/commands/reply.create` with an idempotency key, as the browser would send it. */
  async function postReply(key: string, extraCookie?: string): Promise<Answer> {
    const response = await fetch(new URL("/api/commands/reply.create", server.url), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: new URL(server.url).origin,
        "accept-language": "en",
        cookie: [poster.cookie, extraCookie].filter(Boolean).join("; "),
      },
      body: JSON.stringify({ threadId: thread.id, body: `Reply ${key}`, idempotencyKey: key }),
    });
    const text = await response.text();
    let body: Answer["body"];
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
    }
    return { key, status: response.status, retryAfter: response.headers.get("retry-after"), body };
  }

  /** Runs `work` while the test holds the thread's row lock in a transaction of its own. */
  async function underLoad<T>(work: (lockWaiters: () => Promise<number>) => Promise<T>): Promise<T> {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    const observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM threads WHERE id = $1 FOR UPDATE", [thread.id]);
      const lockWaiters = async () =>
        Number(
          (
            await observer.query<{ n: string }>(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
          ).rows[0]!.n,
        );
      return await work(lockWaiters);
    } finally {
      await holder.query("ROLLBACK").catch(() => {});
      await Promise.all([holder.end(), observer.end()]);
    }
  }

  it("refuses with 503 and Retry-After, never 500, logs one line per refusal, and a retry posts each reply once", async () => {
    const keys = Array.from({ length: REQUESTS }, () => newId());
    const answers: Answer[] = [];
    let blocked = 0;
    const pending = await underLoad(async (lockWaiters) => {
      const inFlight = keys.map((key) => postReply(key).then((answer) => (answers.push(answer), answer)));
      // Every request has either been answered or is one of the transactions waiting on the lock.
      for (;;) {
        blocked = await lockWaiters();
        if (answers.length + blocked === REQUESTS && blocked > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return inFlight;
    });
    const finished = await Promise.all(pending);

    const refused = finished.filter((a) => a.status !== 200);
    expect(refused.length).toBe(REQUESTS - blocked);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(503);
      expect(answer.retryAfter).toBe("2");
      expect(answer.body).toEqual({
        ok: false,
        error: { code: "overloaded", message: "The site is very busy right now and nothing was saved. Please try again in a moment.", field: "" },
      });
    }
    // The transactions that waited on the lock went through once it was released.
    const through = finished.filter((a) => a.status === 200);
    expect(through).toHaveLength(blocked);
    expect(await db.reply.count({ where: { threadId: thread.id } })).toBe(blocked);

    // One structured line per refusal, and no stack trace or "Unexpected Server Error". (Each
    // line is written before its answer, but reaches this process through a pipe of its own.)
    const refusalLines = () => server.output().split("\n").filter((line) => line.includes('"event":"db.overloaded"'));
    await until(() => refusalLines().length >= refused.length, "a log line for every refusal");
    expect(refusalLines()).toHaveLength(refused.length);
    const output = server.output();
    expect(output).not.toMatch(/Unexpected Server Error|\n\s+at /);

    // Every client retries its post with the same key, as told (a 503 again means: later).
    const retried: Answer[] = [];
    for (const key of keys) {
      for (let attempt = 1; ; attempt++) {
        const answer = await postReply(key);
        if (answer.status === 200) {
          retried.push(answer);
          break;
        }
        expect(answer.status).toBe(503);
        if (attempt >= 10) throw new Error(`reply ${key} still refused after ${attempt} attempts`);
        await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter) * 100));
      }
    }
    for (const answer of through) {
      expect(retried.find((a) => a.key === answer.key)!.body.result!.id).toBe(answer.body.result!.id);
    }
    const stored = await db.reply.findMany({ where: { threadId: thread.id }, select: { idempotencyKey: true, text: true } });
    expect(stored).toHaveLength(REQUESTS);
    expect(stored.map((r) => r.idempotencyKey).sort()).toEqual([...keys].sort());
  });

  it("answers a page and a no-JavaScript reply form with the localised 503 page", async () => {
    const zh = await languageCookie(server.url, "zh");
    const holding = await underLoad(async (lockWaiters) => {
      // Two posts take the pool's two connections and wait on the lock.
      const holding = [postReply(newId()), postReply(newId())];
      while ((await lockWaiters()) < 2) await new Promise((resolve) => setTimeout(resolve, 50));

      const page = await request(server.url, `/threads/${thread.id}`, { cookie: `${poster.cookie}; ${zh}` });
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBe("2");
      expect(page.body).toContain("网站当前非常繁忙,内容尚未保存。请稍后再试。");

      const form = await request(server.url, `/threads/${thread.id}`, {
        cookie: poster.cookie,
        form: { intent: "reply.create", body: "Posted without JavaScript", idempotencyKey: newId() },
      });
      expect(form.status).toBe(503);
      expect(form.headers.get("retry-after")).toBe("2");
      expect(form.body).toContain("The site is very busy right now and nothing was saved.");
      return holding;
    });
    // Once the lock is released the two waiting posts go through.
    expect((await Promise.all(holding)).map((a) => a.status)).toEqual([200, 200]);
    expect(await db.reply.count({ where: { threadId: thread.id, text: "Posted without JavaScript" } })).toBe(0);
  });
});
