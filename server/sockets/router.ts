/**
 * Client events reach their handlers through one table shared by every socket, behind the
 * per-socket event rate limit (docs/decisions/042-socket-memory-and-coediting-cost.md).
 *
 * Socket.IO's usual `socket.on(event, listener)` for each of the ~120 client events (105 of them
 * commands) gave every connection ~130 closures, their contexts and a dictionary of listeners:
 * ≈ 17 KB of heap on an idle socket, more than the bare connection itself. Here a socket gets
 * one middleware closure; the handlers are created once, when the server starts, and take the
 * socket as their first argument.
 *
 * Behaviour is Socket.IO's own: middlewares registered before (the recovered-socket session
 * check) run first, an event arriving after disconnection is ignored, and an event without a
 * handler is dropped as one without a listener would be.
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { ClientToServerEvents } from "~/realtime/events";
import { logger } from "~/utils/logger.server";
import type { AppSocket } from "./socket";

/** A handler per client event: the socket, then the event's own arguments (ack last, if sent). */
export type EventHandlers = {
  [E in keyof ClientToServerEvents]: (socket: AppSocket, ...args: Parameters<ClientToServerEvents[E]>) => unknown;
};

/**
 * 30 events a second per socket is far above what a person does; bursts beyond are refused.
 * One limiter for all sockets, keyed by socket id: it holds a record (and its expiry timer) only
 * for a socket that sent something in the last second, so an idle socket costs it nothing.
 */
export const SOCKET_EVENTS_PER_SECOND = 30;
const limiter = new RateLimiterMemory({ points: SOCKET_EVENTS_PER_SECOND, duration: 1 });

/**
 * Rate-limits every event of `socket` and hands it to its handler in `handlers`. A refused event
 * has its acknowledgement, if any, answered `{ ok: false, error: "rate_limited" }` (so the client
 * is told rather than left to time out) and goes no further.
 */
export function routeEvents(socket: AppSocket, handlers: EventHandlers): void {
  socket.use((packet, next) => {
    limiter.consume(socket.id).then(
      () => {
        // As Socket.IO's own dispatch: nothing runs for a socket that has gone meanwhile.
        if (!socket.connected) return;
        const [event, ...args] = packet;
        if (typeof event !== "string" || !Object.hasOwn(handlers, event)) return;
        // Handlers answer their own errors; one that still throws is logged, never left to crash the process.
        try {
          const result = (handlers[event as keyof EventHandlers] as (socket: AppSocket, ...args: unknown[]) => unknown)(socket, ...args);
          if (result instanceof Promise) result.catch((error: unknown) => logger.error({ err: error, socketEvent: event }, "socket event handler failed"));
        } catch (error) {
          logger.error({ err: error, socketEvent: event }, "socket event handler failed");
        }
      },
      () => {
        logger.warn({ event: "socket.rate_limited", userId: socket.data.userId, socketEvent: packet[0] }, "socket event rate-limited");
        const ack = packet[packet.length - 1];
        if (typeof ack === "function") ack({ ok: false, error: "rate_limited" });
        next(new Error("rate_limited"));
      },
    );
  });
}
