/**
 * The Socket.IO server: one authenticated connection per tab.
 *
 * - Handshake: `allowRequest` refuses other origins; the auth middleware validates the
 *   session cookie (same code as HTTP) and puts the member in `user:<id>` and `session:<id>`
 *   rooms, so sign-out and "sign out everywhere" can disconnect them.
 * - Every event payload is validated with zod; each socket has an event rate limit.
 * - Writes go through the same model functions and policy as HTTP.
 * - With `REDIS_URL`, the Redis adapter carries emits (and `fetchSockets`) across processes.
 */
import type { Server as HttpServer } from "node:http";
import type { TLSSocket } from "node:tls";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { authenticateCookieHeader } from "~/http/auth.server";
import type { RealtimeServer } from "~/realtime/publish.server";
import { registerRealtime } from "~/realtime/publish.server";
import { userRoom, sessionRoom } from "~/realtime/events";
import { logger } from "~/utils/logger.server";
import { isSecureRequest } from "../config";
import { isAllowedOrigin } from "../origin";
import { registerCommandHandlers } from "./commands";
import { registerDocHandlers } from "./docs";
import { registerThreadHandlers } from "./threads";

export interface SocketOptions {
  allowedOrigins: string[] | null;
  redisUrl?: string;
  /** TRUST_PROXY: X-Forwarded-Proto is read exactly as for HTTP (server/config.ts). */
  trustProxyHops: number;
}

/** 5 MB: generous for chat, and room for one co-editing update (limit 4 MB, MAX_DOC_UPDATE_BYTES). */
const MAX_HTTP_BUFFER_SIZE = 5 * 1024 * 1024;

export async function attachSockets(httpServer: HttpServer, options: SocketOptions) {
  const io: RealtimeServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    serveClient: false,
    allowRequest: (req, callback) => {
      const secure = isSecureRequest(req.headers, (req.socket as TLSSocket).encrypted === true, options.trustProxyHops);
      const ok = isAllowedOrigin(req.headers.origin, req.headers.host, secure, options.allowedOrigins);
      if (!ok) logger.warn({ event: "socket.bad_origin", origin: req.headers.origin }, "socket handshake refused");
      callback(ok ? null : "bad_origin", ok);
    },
  });

  let redis: { pub: Redis; sub: Redis } | null = null;
  if (options.redisUrl) {
    const pub = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    redis = { pub, sub };
  }

  io.use(async (socket, next) => {
    try {
      const secure = isSecureRequest(socket.handshake.headers, socket.handshake.secure, options.trustProxyHops);
      const { auth } = await authenticateCookieHeader(socket.handshake.headers.cookie, secure);
      if (!auth) return next(new Error("unauthenticated"));
      socket.data.userId = auth.user.id;
      socket.data.sessionId = auth.sessionId;
      next();
    } catch (error) {
      logger.error({ err: error }, "socket authentication failed");
      next(new Error("unauthenticated"));
    }
  });

  io.on("connection", (socket) => {
    socket.join([userRoom(socket.data.userId), sessionRoom(socket.data.sessionId)]);
    // 30 events a second per socket is far above what a person does; bursts beyond are dropped.
    const limiter = new RateLimiterMemory({ points: 30, duration: 1 });
    socket.use((packet, next) => {
      limiter.consume(socket.id).then(
        () => next(),
        () => {
          logger.warn({ event: "socket.rate_limited", userId: socket.data.userId, socketEvent: packet[0] }, "socket event rate-limited");
          // Answer the acknowledgement, if any, so the client is told rather than left to time out.
          const ack = packet[packet.length - 1];
          if (typeof ack === "function") ack({ ok: false, error: "rate_limited" });
          next(new Error("rate_limited"));
        },
      );
    });
    socket.on("error", () => {});
    registerThreadHandlers(io, socket);
    registerCommandHandlers(socket);
    registerDocHandlers(socket);
  });

  registerRealtime(io);

  return {
    io,
    async close() {
      registerRealtime(undefined);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (redis) await Promise.allSettled([redis.pub.quit(), redis.sub.quit()]);
    },
  };
}
