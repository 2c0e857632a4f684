/**
 * Thread and category rooms. Joining re-checks that the member may read the thread (or, for a
 * category, is an active member); presence is the number of distinct members with the thread
 * open, counted with `fetchSockets()` so it spans every app process behind the Redis adapter.
 */
import type { Socket } from "socket.io";
import { z } from "zod";
import { findActor } from "~/models/users.server";
import { canReadThread } from "~/models/threads.server";
import { can } from "~/policy.server";
import {
  categoryRoom,
  threadRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "~/realtime/events";
import type { RealtimeServer } from "~/realtime/publish.server";
import { logger } from "~/utils/logger.server";

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const threadPayload = z.object({ threadId: z.string().min(1).max(40) });
const categoryPayload = z.object({ categoryKey: z.string().regex(/^(network|dialogue:[a-z0-9]{1,40})$/) });

export async function countViewers(io: RealtimeServer, threadId: string): Promise<number> {
  const sockets = await io.in(threadRoom(threadId)).fetchSockets();
  return new Set(sockets.map((s) => s.data.userId)).size;
}

async function broadcastPresence(io: RealtimeServer, threadId: string): Promise<number> {
  const viewers = await countViewers(io, threadId);
  io.to(threadRoom(threadId)).emit("presence:update", { threadId, viewers });
  return viewers;
}

export function registerThreadHandlers(io: RealtimeServer, socket: AppSocket) {
  socket.on("thread:join", async (payload, ack) => {
    if (typeof ack !== "function") return;
    const parsed = threadPayload.safeParse(payload);
    if (!parsed.success) return ack({ ok: false, error: "validation" });
    const { threadId } = parsed.data;
    try {
      // Re-read the member: a role or suspension can change while a socket is open.
      const actor = await findActor(socket.data.userId);
      if (!(await canReadThread(actor, threadId))) {
        logger.warn({ event: "authz.refused", userId: socket.data.userId, action: "thread.join", resource: threadId }, "room join refused");
        return ack({ ok: false, error: "forbidden" });
      }
      await socket.join(threadRoom(threadId));
      const viewers = await broadcastPresence(io, threadId);
      ack({ ok: true, viewers });
    } catch (error) {
      logger.error({ err: error }, "thread:join failed");
      ack({ ok: false, error: "validation" });
    }
  });

  socket.on("thread:leave", async (payload, ack) => {
    const parsed = threadPayload.safeParse(payload);
    if (!parsed.success) return ack?.({ ok: false, error: "validation" });
    await socket.leave(threadRoom(parsed.data.threadId));
    await broadcastPresence(io, parsed.data.threadId).catch(() => 0);
    ack?.({ ok: true });
  });

  socket.on("category:join", async (payload, ack) => {
    if (typeof ack !== "function") return;
    const parsed = categoryPayload.safeParse(payload);
    if (!parsed.success) return ack({ ok: false, error: "validation" });
    const actor = await findActor(socket.data.userId);
    if (!can(actor, "thread.create")) return ack({ ok: false, error: "forbidden" });
    await socket.join(categoryRoom(parsed.data.categoryKey));
    ack({ ok: true });
  });

  socket.on("category:leave", async (payload, ack) => {
    const parsed = categoryPayload.safeParse(payload);
    if (!parsed.success) return ack?.({ ok: false, error: "validation" });
    await socket.leave(categoryRoom(parsed.data.categoryKey));
    ack?.({ ok: true });
  });

  socket.on("disconnecting", () => {
    const threads = [...socket.rooms].filter((r) => r.startsWith("thread:")).map((r) => r.slice("thread:".length));
    // After the socket has left its rooms, tell the others the new count.
    setImmediate(() => {
      for (const threadId of threads) broadcastPresence(io, threadId).catch(() => {});
    });
  });
}
