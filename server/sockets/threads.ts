/**
 * Thread and category rooms. Joining re-checks that the member may read the thread (or, for a
 * category, is an active member) and, given the page's change number, answers with everything
 * that changed since (the catch-up read after a reconnect). Presence is the distinct members
 * with the thread open, counted with `fetchSockets()` so it spans every app process behind the
 * Redis adapter; their names and roles come from their sessions (SocketData), never a client.
 */
import { z } from "~/utils/validation";
import { findActor } from "~/models/users.server";
import { getFixedT } from "~/i18n/i18n.server";
import { listThreadChanges } from "~/models/thread-changes.server";
import { canReadThread } from "~/models/threads.server";
import { colourFor } from "~/editor/colours";
import { can, isActive, isStaff } from "~/policy.server";
import { threadLevelById } from "~/models/track2/access.server";
import { isPseudonymous } from "~/models/track2/attribution.server";
import {
  categoryRoom,
  staffThreadRoom,
  threadRoom,
  type Viewer,
} from "~/realtime/events";
import { realtimeAvailable, type RealtimeServer } from "~/realtime/publish.server";
import { isAppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { isOverload, overloaded } from "~/utils/overload.server";
import type { EventHandlers } from "./router";
import type { AppSocket } from "./socket";

const threadPayload = z.object({ threadId: z.string().min(1).max(40) });
const joinPayload = threadPayload.extend({ since: z.number().int().min(0).max(2_147_483_647).optional() });
const categoryPayload = z.object({ categoryKey: z.string().regex(/^(network|dialogue:[a-z0-9]{1,40})$/) });

/** At most this many viewers are named; the count covers them all. */
const NAMED_VIEWERS = 12;

/**
 * The distinct members with the thread open on any process: how many, and the first
 * NAMED_VIEWERS of them (by name) as their sessions describe them.
 */
export async function threadViewers(io: RealtimeServer, threadId: string): Promise<{ viewers: number; people: Viewer[] }> {
  const sockets = await io.in(threadRoom(threadId)).fetchSockets();
  // Under the Chatham House Rule, who is in the room is who is present: only the count is told.
  const named = !isPseudonymous(await threadLevelById(threadId));
  const byId = new Map<string, Viewer>();
  for (const { data } of sockets) {
    if (!data.userId || byId.has(data.userId)) continue;
    byId.set(data.userId, { id: data.userId, name: data.displayName, role: data.role, color: colourFor(data.userId) });
  }
  const people = named ? [...byId.values()].sort((a, b) => a.name.localeCompare(b.name)).slice(0, NAMED_VIEWERS) : [];
  return { viewers: byId.size, people };
}

/**
 * Presence changes are sent to a room at most every PRESENCE_INTERVAL_MS: when 1,000 members
 * open a thread at once, each join would otherwise send the count to everyone already there
 * (n² messages). The joining member still gets the exact count in their acknowledgement.
 */
const PRESENCE_INTERVAL_MS = 500;
const pendingPresence = new Map<string, NodeJS.Timeout>();

function schedulePresence(io: RealtimeServer, threadId: string): void {
  if (pendingPresence.has(threadId)) return;
  pendingPresence.set(
    threadId,
    setTimeout(() => {
      pendingPresence.delete(threadId);
      threadViewers(io, threadId)
        .then((presence) => io.to(threadRoom(threadId)).emit("presence:update", { threadId, ...presence }))
        .catch(() => {});
    }, PRESENCE_INTERVAL_MS),
  );
}

/** "Live updates are temporarily unavailable; retrying", in the member's language. */
async function unavailable(socket: AppSocket) {
  const t = await getFixedT(socket.data.locale === "zh" ? "zh" : "en");
  return { ok: false as const, error: "unavailable" as const, message: t("errors.unavailable") };
}

/**
 * The thread and category room events, created once for the server (`io` counts presence).
 * Each takes the socket first (server/sockets/router.ts).
 */
export function threadHandlers(io: RealtimeServer): Pick<EventHandlers, "thread:join" | "thread:leave" | "category:join" | "category:leave"> {
  return {
    async "thread:join"(socket, payload, ack) {
      if (typeof ack !== "function") return;
      const parsed = joinPayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: "validation" });
      const { threadId, since } = parsed.data;
      // Without Redis this page would hear only from this process: say so, and the page retries.
      if (!realtimeAvailable()) return ack(await unavailable(socket));
      try {
        // Re-read the member: a role or suspension can change while a socket is open.
        const actor = await findActor(socket.data.userId);
        if (!isActive(actor)) return ack({ ok: false, error: "suspended" });
        if (!(await canReadThread(actor, threadId))) {
          logger.warn({ event: "authz.refused", userId: socket.data.userId, action: "thread.join", resource: threadId }, "room join refused");
          return ack({ ok: false, error: "forbidden" });
        }
        // Joined before the catch-up read: a change committed after the read arrives as an event,
        // one committed before is in the read (a change in both is applied once, by its number).
        await socket.join(threadRoom(threadId));
        // Staff also get the names the Chatham House Rule withholds from the room (publish.server).
        if (isStaff(actor)) await socket.join(staffThreadRoom(threadId));
        else await socket.leave(staffThreadRoom(threadId));
        const catchUp = since === undefined ? undefined : await listThreadChanges(actor, threadId, since);
        const presence = await threadViewers(io, threadId);
        schedulePresence(io, threadId);
        ack({ ok: true, ...presence, ...(catchUp ? { catchUp } : {}) });
      } catch (error) {
        if (isAppError(error)) return ack({ ok: false, error: error.code });
        if (isOverload(error)) return ack({ ok: false, error: overloaded(error, { channel: "socket", event: "thread:join", userId: socket.data.userId }).code });
        // The viewer count asks every process through Redis; it failing means Redis is away.
        logger.warn({ event: "thread.join_unavailable", threadId, err: { message: (error as Error)?.message } }, "thread:join could not count viewers");
        ack(await unavailable(socket));
      }
    },

    async "thread:leave"(socket, payload, ack) {
      const parsed = threadPayload.safeParse(payload);
      if (!parsed.success) return ack?.({ ok: false, error: "validation" });
      await socket.leave(threadRoom(parsed.data.threadId));
      await socket.leave(staffThreadRoom(parsed.data.threadId));
      schedulePresence(io, parsed.data.threadId);
      ack?.({ ok: true });
    },

    async "category:join"(socket, payload, ack) {
      if (typeof ack !== "function") return;
      const parsed = categoryPayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: "validation" });
      try {
        const actor = await findActor(socket.data.userId);
        if (!can(actor, "thread.create")) return ack({ ok: false, error: "forbidden" });
        await socket.join(categoryRoom(parsed.data.categoryKey));
        ack({ ok: true });
      } catch (error) {
        if (isOverload(error)) return ack({ ok: false, error: overloaded(error, { channel: "socket", event: "category:join", userId: socket.data.userId }).code });
        logger.error({ err: error }, "category:join failed");
        ack({ ok: false, error: "validation" });
      }
    },

    async "category:leave"(socket, payload, ack) {
      const parsed = categoryPayload.safeParse(payload);
      if (!parsed.success) return ack?.({ ok: false, error: "validation" });
      await socket.leave(categoryRoom(parsed.data.categoryKey));
      ack?.({ ok: true });
    },
  };
}

/** A socket is going: the viewer counts of its threads are sent again, once it has left their rooms. */
export function leaveThreads(io: RealtimeServer, socket: AppSocket): void {
  for (const room of socket.rooms) if (room.startsWith("thread:")) schedulePresence(io, room.slice("thread:".length));
}
