/**
 * Benchmark-only server entry (bench/fanout.ts starts it as a child process). It runs the
 * product's own stack — migrations, first-start seed, `createAppServer` from server/app.ts
 * serving the built Remix app — exactly as server/index.ts does, plus one hook that exists
 * only here: IPC messages from the parent process (a channel the network cannot reach) ask
 * for a bare `io.to(room).emit("reply:created", payload)`, the baseline the HTTP reply path
 * is compared with. The product itself gains no such entry point.
 *
 * Environment: DATABASE_URL (required), REDIS_URL (optional), LOG_LEVEL.
 * IPC in:  { type: "bare-emit", seq, threadId, reply } | { type: "stop" }
 * IPC out: { type: "ready", port } | { type: "emitted", seq } | { type: "error", message }
 */
import { disconnectPrisma, prisma } from "~/db.server";
import { threadRoom, type ReplyView } from "~/realtime/events";
import { seedDatabase } from "../prisma/seed";
import { createAppServer } from "../server/app";
import { migrate } from "../server/migrate";

type Message = { type: "bare-emit"; seq: number; threadId: string; reply: ReplyView } | { type: "stop" };

const send = (message: object) => process.send?.(message);

async function main() {
  if (!process.send) throw new Error("bench/fanout-server.ts is started by bench/fanout.ts (it needs an IPC channel).");
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  await migrate(url);
  if ((await prisma.series.count()) === 0) await seedDatabase(prisma, { demoAccounts: false });

  const server = await createAppServer({
    mode: "production",
    allowedOrigins: null,
    redisUrl: process.env.REDIS_URL || undefined,
    trustProxyHops: 0,
    publicUrl: null,
  });
  const port = await server.listen(0, "127.0.0.1");

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
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
  });

  send({ type: "ready", port });
}

main().catch((error) => {
  send({ type: "error", message: String((error as Error)?.stack ?? error) });
  console.error(error);
  process.exit(1);
});
