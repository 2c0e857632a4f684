/**
 * Domain events → Socket.IO rooms. Model functions call `publish` only after their
 * transaction has committed, and only with what every member of the target room may see.
 * The server registers its `io` at start-up (`registerRealtime`); with the Redis adapter an
 * emit here reaches sockets on every app process. Without a registered server (seed script,
 * CLI) events go nowhere.
 */
import type { Server } from "socket.io";
import { getSingleton, setSingleton } from "~/utils/singleton.server";
import {
  caseStudyRoom,
  categoryRoom,
  docRoom,
  sessionRoom,
  staffThreadRoom,
  threadRoom,
  userRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ReplyView,
  type ServerToClientEvents,
  type SocketData,
  type ThreadState,
} from "./events";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type DomainEvent =
  /** `staffReply`: the view naming a pseudonymous author, for staff only (their own room). */
  | { type: "reply.created"; reply: ReplyView; staffReply?: ReplyView; committedAt: number; categoryKey: string }
  | { type: "reply.updated"; reply: ReplyView; staffReply?: ReplyView }
  | { type: "reply.removed"; threadId: string; replyId: string; changeSeq: number; categoryKey: string }
  | { type: "thread.updated"; state: ThreadState; categoryKeys: string[] }
  | { type: "notifications.count"; userId: string; unread: number }
  | { type: "session.revoked"; userId: string; sessionIds: string[] | "all" }
  | { type: "noteComment.changed"; noteId: string; threadId: string }
  | { type: "caseStudyComment.changed"; caseStudyId: string };

export function registerRealtime(io: RealtimeServer | undefined): void {
  setSingleton("io", io);
}

export function getRealtime(): RealtimeServer | undefined {
  return getSingleton<RealtimeServer>("io");
}

/** The server registers how to tell whether cross-process delivery (Redis) works right now. */
export function registerRealtimeHealth(check: (() => boolean) | undefined): void {
  setSingleton("realtime-health", check);
}

/**
 * True when events reach every app process: always without Redis (one process); with Redis,
 * while its connection is up.
 */
export function realtimeAvailable(): boolean {
  const check = getSingleton<() => boolean>("realtime-health");
  return check ? check() : true;
}

/** Emits the event to the rooms that should see it. Never throws. */
export function publish(event: DomainEvent): void {
  const io = getRealtime();
  if (!io) return;
  switch (event.type) {
    case "reply.created":
      if (event.staffReply) {
        // Under the Chatham House Rule a name reaches only staff sockets; the rest get the pseudonym.
        io.to(threadRoom(event.reply.threadId)).except(staffThreadRoom(event.reply.threadId)).emit("reply:created", { reply: event.reply, committedAt: event.committedAt });
        io.to(staffThreadRoom(event.reply.threadId)).emit("reply:created", { reply: event.staffReply, committedAt: event.committedAt });
      } else {
        io.to(threadRoom(event.reply.threadId)).emit("reply:created", { reply: event.reply, committedAt: event.committedAt });
      }
      io.to(categoryRoom(event.categoryKey)).emit("category:activity", { categoryKey: event.categoryKey, threadId: event.reply.threadId });
      return;
    case "reply.updated":
      if (event.staffReply) {
        io.to(threadRoom(event.reply.threadId)).except(staffThreadRoom(event.reply.threadId)).emit("reply:updated", { reply: event.reply });
        io.to(staffThreadRoom(event.reply.threadId)).emit("reply:updated", { reply: event.staffReply });
      } else {
        io.to(threadRoom(event.reply.threadId)).emit("reply:updated", { reply: event.reply });
      }
      return;
    case "reply.removed":
      io.to(threadRoom(event.threadId)).emit("reply:removed", { threadId: event.threadId, replyId: event.replyId, changeSeq: event.changeSeq });
      io.to(categoryRoom(event.categoryKey)).emit("category:activity", { categoryKey: event.categoryKey, threadId: event.threadId });
      return;
    case "thread.updated":
      io.to(threadRoom(event.state.threadId)).emit("thread:updated", event.state);
      for (const key of event.categoryKeys) {
        io.to(categoryRoom(key)).emit("category:activity", { categoryKey: key, threadId: event.state.threadId });
      }
      return;
    case "notifications.count":
      io.to(userRoom(event.userId)).emit("notifications:count", { unread: event.unread });
      return;
    case "noteComment.changed":
      // Every member of a note may read its comments, and only members join its room.
      io.to(docRoom(event.noteId)).emit("noteComment:changed", { noteId: event.noteId, threadId: event.threadId });
      return;
    case "caseStudyComment.changed":
      // Only members who may read the case study join its room.
      io.to(caseStudyRoom(event.caseStudyId)).emit("caseStudyComment:changed", { caseStudyId: event.caseStudyId });
      return;
    case "session.revoked": {
      const rooms = event.sessionIds === "all" ? [userRoom(event.userId)] : event.sessionIds.map(sessionRoom);
      io.to(rooms).emit("session:ended");
      io.in(rooms).disconnectSockets(true);
      return;
    }
  }
}

/** Publishes several events in order (after a commit). */
export function publishAll(events: DomainEvent[]): void {
  for (const event of events) publish(event);
}
