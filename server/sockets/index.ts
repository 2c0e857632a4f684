/**
 * The Socket.IO server: one authenticated connection per tab.
 *
 * - Handshake: `allowRequest` refuses other origins; the auth middleware validates the
 *   session cookie (same code as HTTP) and puts the member in `user:<id>` and `session:<id>`
 *   rooms, so sign-out and "sign out everywhere" can disconnect them.
 * - Every event payload is validated with zod; each socket has an event rate limit. Handlers
 *   are shared by all sockets, through one routing middleware per socket (router.ts).
 * - Writes go through the same model functions and policy as HTTP.
 * - With `REDIS_URL`, the Redis streams adapter carries emits (and `fetchSockets`) across
 *   processes (docs/decisions/013-redis-streams-adapter.md). Redis may fail: its clients never
 *   crash the process, pages are told "live updates unavailable" while it is away, and when it
 *   is back every page is told to catch up from the database (`realtime:status`).
 * - Connection state recovery: a socket that reconnects within RECOVERY_WINDOW_MS gets its
 *   rooms and the events it missed back, on any process (the session is kept in Redis by the
 *   streams adapter, in memory without Redis); after a longer gap the page catches up with a
 *   read from the database (docs/decisions/014-catch-up-after-reconnect.md).
 */
import type { Server as HttpServer } from "node:http";
import type { TLSSocket } from "node:tls";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { authenticateCookieHeader } from "~/http/auth.server";
import type { RealtimeServer } from "~/realtime/publish.server";
import { registerRealtime, registerRealtimeHealth } from "~/realtime/publish.server";
import { userRoom, sessionRoom } from "~/realtime/events";
import { logger } from "~/utils/logger.server";
import { isSecureRequest } from "../config";
import { isOverload, logOverload } from "~/utils/overload.server";
import { createRedis, type GuardedRedis } from "~/utils/redis.server";
import { isAllowedOrigin } from "../origin";
import { commandHandlers } from "./commands";
import { docHandlers, leaveDocs } from "./docs";
import { pageHandlers } from "./pages";
import { routeEvents, type EventHandlers } from "./router";
import type { AppSocket } from "./socket";
import { leaveThreads, threadHandlers } from "./threads";

export interface SocketOptions {
  allowedOrigins: string[] | null;
  redisUrl?: string;
  /** TRUST_PROXY: X-Forwarded-Proto is read exactly as for HTTP (server/config.ts). */
  trustProxyHops: number;
}

/** 5 MB: generous for chat, and room for one co-editing update (limit 4 MB, MAX_DOC_UPDATE_BYTES). */
const MAX_HTTP_BUFFER_SIZE = 5 * 1024 * 1024;

/**
 * How long after a disconnection a socket can come back with its rooms and missed events
 * (Socket.IO connection state recovery). Longer gaps are caught up from the database.
 */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

/** The stream keeps about this many recent events (XADD MAXLEN ~): enough for two minutes of a busy site. */
const STREAM_MAX_LEN = 10_000;

/**
 * A command to Redis waits through this many reconnection attempts before it fails (ioredis
 * waits min(n × 50, 2000) ms before attempt n: about 10 s in all). A Redis restart or failover
 * shorter than that loses no event (bench/redis-adapters.ts); a longer outage does not queue
 * events without bound, and pages catch up from the database when Redis is back.
 */
const REDIS_COMMAND_RETRIES = 20;

/** A middleware's refusal is emitted as the socket's "error"; with no listener Node would throw it. The client has already been told. */
const ignore = () => {};

/** The member of a session, put on the socket (names and roles shown to others come from here). */
async function authenticate(cookie: string | undefined, secure: boolean) {
  const { auth } = await authenticateCookieHeader(cookie, secure);
  return auth;
}

export async function attachSockets(httpServer: HttpServer, options: SocketOptions) {
  const io: RealtimeServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    serveClient: false,
    // Recovered sockets skip the middlewares so they are back in their rooms before any event
    // can pass them by; their session is checked again right after (`recheckRecovered`).
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: true },
    allowRequest: (req, callback) => {
      const secure = isSecureRequest(req.headers, (req.socket as TLSSocket).encrypted === true, options.trustProxyHops);
      const ok = isAllowedOrigin(req.headers.origin, req.headers.host, secure, options.allowedOrigins);
      if (!ok) logger.warn({ event: "socket.bad_origin", origin: req.headers.origin }, "socket handshake refused");
      callback(ok ? null : "bad_origin", ok);
    },
  });

  let redis: GuardedRedis | null = null;
  if (options.redisUrl) {
    // Connects in the background: the server starts (and serves pages) while Redis is away.
    redis = createRedis(options.redisUrl, "socket.io", { maxRetriesPerRequest: REDIS_COMMAND_RETRIES });
    io.adapter(createAdapter(redis.client, { maxLen: STREAM_MAX_LEN }));
    redis.onChange((up) => {
      logger.info({ event: up ? "realtime.live" : "realtime.degraded" }, up ? "cross-process delivery resumed" : "cross-process delivery interrupted");
      // Back: every page on every process catches up from the database (events published while
      // Redis was away reached only the sockets of the process that published them).
      if (up) io.emit("realtime:status", { state: "live" });
      else io.local.emit("realtime:status", { state: "degraded" });
    });
  }
  const health = redis;
  registerRealtimeHealth(() => (health ? health.isUp() : true));

  // HTTPS as the proxies in front report it, hop count and all (server/config.ts).
  const secureOf = (socket: AppSocket) => isSecureRequest(socket.handshake.headers, socket.handshake.secure, options.trustProxyHops);

  io.use(async (socket, next) => {
    try {
      const auth = await authenticate(socket.handshake.headers.cookie, secureOf(socket));
      if (!auth) return next(new Error("unauthenticated"));
      socket.data.userId = auth.user.id;
      socket.data.sessionId = auth.sessionId;
      socket.data.displayName = auth.user.displayName;
      socket.data.role = auth.user.role;
      socket.data.locale = auth.user.locale;
      next();
    } catch (error) {
      // A busy database is not a signed-out member: the browser retries (socket.client.ts).
      if (isOverload(error)) {
        logOverload(error, { channel: "socket.handshake" });
        return next(new Error("overloaded"));
      }
      logger.error({ err: error }, "socket authentication failed");
      next(new Error("unauthenticated"));
    }
  });

  // Created once: a connection gets only the middleware that routes to them (router.ts).
  const handlers: EventHandlers = { ...commandHandlers, ...threadHandlers(io), ...docHandlers, ...pageHandlers };
  function disconnecting(this: AppSocket) {
    leaveThreads(io, this);
    leaveDocs(this);
  }

  io.on("connection", (socket) => {
    if (socket.recovered) recheckRecovered(socket, secureOf(socket));
    else socket.join([userRoom(socket.data.userId), sessionRoom(socket.data.sessionId)]);
    routeEvents(socket, handlers);
    socket.on("error", ignore);
    socket.on("disconnecting", disconnecting);
  });

  registerRealtime(io);

  return {
    io,
    async close() {
      registerRealtime(undefined);
      registerRealtimeHealth(undefined);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await redis?.close();
    },
  };
}

/**
 * A recovered socket skipped the middlewares; its session may have ended while it was away
 * (signed out elsewhere, suspended). Its events wait until the session is checked again; a
 * session that ended is told so and disconnected, like any other.
 */
function recheckRecovered(socket: AppSocket, secure: boolean): void {
  const checked = authenticate(socket.handshake.headers.cookie, secure).then(
    (auth) => {
      if (auth && auth.sessionId === socket.data.sessionId) {
        socket.data.displayName = auth.user.displayName;
        socket.data.role = auth.user.role;
        socket.data.locale = auth.user.locale;
        return true;
      }
      logger.info({ event: "socket.recovery_refused", userId: socket.data.userId }, "recovered socket's session has ended");
      socket.emit("session:ended");
      socket.disconnect(true);
      return false;
    },
    (error: unknown) => {
      if (isOverload(error)) logOverload(error, { channel: "socket.recovery" });
      else logger.error({ err: error }, "recovered socket's session check failed");
      socket.disconnect(true);
      return false;
    },
  );
  socket.use((_packet, next) => {
    void checked.then((ok) => (ok ? next() : next(new Error("unauthenticated"))));
  });
}
