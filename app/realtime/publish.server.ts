/**
 * Domain events → Socket.IO rooms. Model functions call `publish` only after their
 * transaction has committed. The server registers its `io` at start-up (`registerRealtime`);
 * with the Redis adapter an emit here reaches sockets on every app process. Without a
 * registered server (seed script, CLI) events go nowhere.
 */
import type { Server } from "socket.io";
import { getSingleton, setSingleton } from "~/utils/singleton.server";
import {
  sessionRoom,
  threadRoom,
  userRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ReplyView,
  type ServerToClientEvents,
  type SocketData,
} from "./events";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type DomainEvent =
  | { type: "reply.created"; reply: ReplyView; committedAt: number }
  | { type: "session.revoked"; userId: string; sessionIds: string[] | "all" };

export function registerRealtime(io: RealtimeServer | undefined): void {
  setSingleton("io", io);
}

export function getRealtime(): RealtimeServer | undefined {
  return getSingleton<RealtimeServer>("io");
}

/** Emits the event to the rooms that should see it. Never throws. */
export function publish(event: DomainEvent): void {
  const io = getRealtime();
  if (!io) return;
  switch (event.type) {
    case "reply.created":
      io.to(threadRoom(event.reply.threadId)).emit("reply:created", { reply: event.reply, committedAt: event.committedAt });
      return;
    case "session.revoked": {
      const rooms = event.sessionIds === "all" ? [userRoom(event.userId)] : event.sessionIds.map(sessionRoom);
      io.in(rooms).disconnectSockets(true);
      return;
    }
  }
}
