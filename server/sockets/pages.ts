/**
 * Small page rooms and reads that let a page catch up after a reconnect: a case study's
 * comments (`caseStudy:<id>`, read permission checked on joining) and the member's unread
 * notification count (the badge asks again after any reconnect that did not recover).
 */
import { getCaseStudy } from "~/models/case-studies.server";
import { notificationBadge } from "~/models/notifications.server";
import { findActor } from "~/models/users.server";
import { caseStudyRoom } from "~/realtime/events";
import { isAppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { isOverload, overloaded } from "~/utils/overload.server";
import { z } from "~/utils/validation";
import type { EventHandlers } from "./router";

const caseStudyPayload = z.object({ caseStudyId: z.string().min(1).max(40) });

/** The error code to acknowledge for a failure (overload and domain errors keep theirs). */
function failureCode(error: unknown, context: Record<string, unknown>) {
  if (isAppError(error)) return error.code;
  if (isOverload(error)) return overloaded(error, context).code;
  logger.error({ err: error, ...context }, "socket handler failed");
  return "validation" as const;
}

/** The case-study room and badge-count events, shared by every socket (server/sockets/router.ts). */
export const pageHandlers: Pick<EventHandlers, "caseStudy:join" | "caseStudy:leave" | "notifications:fetch"> = {
  async "caseStudy:join"(socket, payload, ack) {
    if (typeof ack !== "function") return;
    const parsed = caseStudyPayload.safeParse(payload);
    if (!parsed.success) return ack({ ok: false, error: "validation" });
    try {
      const actor = await findActor(socket.data.userId);
      await getCaseStudy(actor, parsed.data.caseStudyId);
      await socket.join(caseStudyRoom(parsed.data.caseStudyId));
      ack({ ok: true });
    } catch (error) {
      ack({ ok: false, error: failureCode(error, { channel: "socket", event: "caseStudy:join", userId: socket.data.userId }) });
    }
  },

  async "caseStudy:leave"(socket, payload, ack) {
    const parsed = caseStudyPayload.safeParse(payload);
    if (!parsed.success) return ack?.({ ok: false, error: "validation" });
    await socket.leave(caseStudyRoom(parsed.data.caseStudyId));
    ack?.({ ok: true });
  },

  async "notifications:fetch"(socket, _payload, ack) {
    if (typeof ack !== "function") return;
    try {
      ack({ ok: true, unread: await notificationBadge(await findActor(socket.data.userId)) });
    } catch (error) {
      ack({ ok: false, error: failureCode(error, { channel: "socket", event: "notifications:fetch", userId: socket.data.userId }) });
    }
  },
};
