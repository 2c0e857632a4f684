/**
 * Benchmark-only server entry (bench/lib/app.ts starts it as a child process). It runs the
 * product's own stack — migrations, first-start seed, `createAppServer` from server/app.ts
 * serving the built Remix app — exactly as server/index.ts does, plus hooks that exist only
 * here, reached by IPC from the parent process (a channel the network cannot reach), never by
 * HTTP: a bare `io.to(room).emit` (P1's anchor), the process's memory after a forced GC (P5,
 * R6; start with --expose-gc), and a second HTTP server on another port serving a minimal Remix
 * route (P3's anchor, bench/lib/anchor-route.ts). The product itself gains no entry point.
 *
 * Environment: DATABASE_URL (required), REDIS_URL (optional), LOG_LEVEL, BENCH_SEED=0 skips the
 * programme seed.
 * IPC in:  { type: "bare-emit", seq, threadId, reply } | { type: "memory", seq } | { type: "capture", seq, on }
 *          | { type: "profile", seq, on } | { type: "stop" }
 * IPC out: { type: "ready", port, anchorPort } | { type: "emitted", seq } | { type: "memory", seq, heapUsed, rss, statements }
 *          | { type: "captured", seq, statements: { text, values }[] } | { type: "profiled", seq, profile | null }
 *          | { type: "error", message }
 */
import pg from "pg";
import { disconnectPrisma, prisma } from "~/db.server";
import { Session } from "node:inspector";
import { threadRoom, type ReplyView } from "~/realtime/events";
import { seedDatabase } from "../../prisma/seed";
import { createAppServer } from "../../server/app";
import { migrate } from "../../server/migrate";
import { startAnchorServer } from "./anchor-route";

type Message =
  | { type: "bare-emit"; seq: number; threadId: string; reply: ReplyView }
  | { type: "memory"; seq: number }
  | { type: "capture"; seq: number; on: boolean }
  | { type: "profile"; seq: number; on: boolean }
  | { type: "stop" };

const send = (message: object) => process.send?.(message);

/** SQL statements sent by this process (every pg client, so Prisma's and pg-boss's alike). */
let statements = 0;
/** While a capture is on, every statement's text and values (P4 prints their plans). */
let captured: { text: string; values: unknown[] }[] | null = null;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  if (captured) {
    const q = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof q === "string" ? q : q?.text;
    const values = typeof q === "string" ? (Array.isArray(args[1]) ? args[1] : []) : (q?.values ?? (Array.isArray(args[1]) ? args[1] : []));
    if (typeof text === "string") captured.push({ text, values: values as unknown[] });
  }
  if (process.env.BENCH_LOG_SQL === "1") {
    const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string })?.text;
    console.log(`[sql] ${String(text).replace(/\s+/g, " ").slice(0, 240)}`);
  }
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

async function main() {
  if (!process.send) throw new Error("bench/lib/app-server.ts is started by bench/lib/app.ts (it needs an IPC channel).");
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  await migrate(url);
  if (process.env.BENCH_SEED !== "0" && (await prisma.series.count()) === 0) await seedDatabase(prisma, { demoAccounts: false });

  const server = await createAppServer({
    mode: "production",
    allowedOrigins: null,
    redisUrl: process.env.REDIS_URL || undefined,
    trustProxyHops: 0,
    publicUrl: null,
  });
  const port = await server.listen(0, "127.0.0.1");
  const anchor = await startAnchorServer();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await anchor.close().catch(() => {});
    await server.close().catch(() => {});
    await disconnectPrisma().catch(() => {});
    process.exit(0);
  };
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  process.on("disconnect", () => void stop()); // the parent went away

  process.on("message", (message: Message) => {
    if (message.type === "stop") return void stop();
    if (message.type === "bare-emit") {
      // Stamped on the same clock, at the same point, as createReply's publish after commit.
      const committedAt = performance.timeOrigin + performance.now();
      server.io.to(threadRoom(message.threadId)).emit("reply:created", { reply: message.reply, committedAt });
      send({ type: "emitted", seq: message.seq });
    }
    if (message.type === "capture") {
      send({ type: "captured", seq: message.seq, statements: captured ?? [] });
      captured = message.on ? [] : null;
    }
    if (message.type === "profile") {
      // A V8 CPU profile of just the window between on and off (BENCH_CPU_SPLIT in bench/thread-page.ts).
      void profileWindow(message.on).then(
        (profile) => send({ type: "profiled", seq: message.seq, profile }),
        (error: unknown) => send({ type: "profiled", seq: message.seq, profile: null, error: String(error) }),
      );
    }
    if (message.type === "memory") {
      global.gc?.();
      global.gc?.();
      const m = process.memoryUsage();
      send({ type: "memory", seq: message.seq, heapUsed: m.heapUsed, rss: m.rss, gc: typeof global.gc === "function", statements });
    }
  });

  send({ type: "ready", port, anchorPort: anchor.port });
}

let inspector: Session | null = null;
/** Starts (on) or stops (off) the V8 CPU profiler; stopping resolves with the profile. */
async function profileWindow(on: boolean): Promise<unknown> {
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => inspector!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  if (on) {
    inspector ??= new Session();
    inspector.connect();
    await post("Profiler.enable");
    await post("Profiler.start");
    return null;
  }
  if (!inspector) return null;
  const { profile } = (await post("Profiler.stop")) as { profile: unknown };
  inspector.disconnect();
  return profile;
}

main().catch((error) => {
  send({ type: "error", message: String((error as Error)?.stack ?? error) });
  console.error(error);
  process.exit(1);
});
