/**
 * Benchmark-only Socket.IO process for bench/redis-adapters.ts: a bare Socket.IO server (no app)
 * with the Redis adapter named by ADAPTER ("pubsub": @socket.io/redis-adapter, "streams":
 * @socket.io/redis-streams-adapter), its Redis client made as the app makes it
 * (app/utils/redis.server.ts: commands wait through 20 reconnection attempts, about 10 s;
 * "streams-fail-fast": after one attempt), and connection state recovery as the app has it.
 *
 * Environment: ADAPTER, REDIS_URL. IPC in: { type: "emit", seq, room } | { type: "stop" };
 * IPC out: { type: "ready", port } | { type: "emitted", seq }.
 */
import http from "node:http";
import { createAdapter as createPubSubAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { Server } from "socket.io";
import { createRedis } from "~/utils/redis.server";

const send = (message: object) => process.send?.(message);

async function main() {
  const url = process.env.REDIS_URL;
  if (!url || !process.send) throw new Error("started by bench/redis-adapters.ts with REDIS_URL and an IPC channel");
  const httpServer = http.createServer();
  const io = new Server(httpServer, { connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: true } });
  const pub = createRedis(url, "bench", { maxRetriesPerRequest: process.env.ADAPTER === "streams-fail-fast" ? 1 : 20 });
  if (process.env.ADAPTER === "pubsub") io.adapter(createPubSubAdapter(pub.client, pub.client.duplicate()));
  else io.adapter(createStreamsAdapter(pub.client, { maxLen: 10_000 }));
  io.on("connection", (socket) => {
    socket.on("join", (room: string, ack: () => void) => {
      void socket.join(room);
      ack();
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  process.on("message", (message: { type: string; seq?: number; room?: string }) => {
    if (message.type === "emit") {
      io.to(message.room!).emit("tick", { seq: message.seq, sentAt: performance.timeOrigin + performance.now() });
      send({ type: "emitted", seq: message.seq });
    } else if (message.type === "stop") {
      io.close(() => void pub.close().finally(() => process.exit(0)));
    }
  });
  send({ type: "ready", port: (httpServer.address() as { port: number }).port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
