/**
 * What changed in a thread while a page was away (docs/decisions/014-catch-up-after-reconnect.md).
 *
 * Every change to a thread's replies (created, edited, hidden, unhidden, deleted) takes the
 * thread's next change number (`nextChangeSeq` in replies.server.ts: `threads.change_seq`,
 * bumped under the thread's row lock inside the change's own transaction) and stamps it on the
 * reply (`replies.change_seq`). Two changes
 * to one thread therefore commit in the order of their numbers, and "every change after N" is
 * one indexed read that misses nothing and works from any process. Live events carry the
 * same number, so a page applies each change once, in order, whichever way it arrived.
 */
import { prisma } from "~/db.server";
import { isStaff, type Actor } from "~/policy.server";
import type { ThreadCatchUp, ThreadChange } from "~/realtime/events";
import { isVisibleReply } from "./replies.server";
import { replyInclude, toReplyView } from "./reply-rows.server";
import { getThread } from "./threads.server";

/** At most this many changes are sent in one catch-up; beyond it the page reloads its data. */
export const CATCH_UP_LIMIT = 200;

/**
 * Every change in the thread after change number `since`, oldest first, as the reader may see
 * it: a reply they may read comes as its current view (`upsert`), one deleted or hidden from
 * them as `removed`. At most CATCH_UP_LIMIT; beyond that `reload` is set and no change is sent.
 * @throws AppError unauthenticated | suspended | not_found
 */
export async function listThreadChanges(actor: Actor | null, threadId: string, since: number): Promise<ThreadCatchUp> {
  // Read first: every change up to this number has committed (numbers are taken under the
  // thread's row lock), so the read below sees it.
  const thread = await getThread(actor, threadId);
  const rows = await prisma.reply.findMany({
    where: { threadId, changeSeq: { gt: since } },
    orderBy: { changeSeq: "asc" },
    take: CATCH_UP_LIMIT + 1,
    include: replyInclude,
  });
  if (rows.length > CATCH_UP_LIMIT) return { upTo: since, changes: [], reload: true };
  const upTo = Math.max(thread.changeSeq, since, ...rows.map((r) => r.changeSeq));
  const changes: ThreadChange[] = rows.map((row) =>
    isVisibleReply(actor!, row) ? { kind: "upsert", reply: toReplyView(row, { id: actor!.id, staff: isStaff(actor) }, thread.access.level) } : { kind: "removed", replyId: row.id, changeSeq: row.changeSeq },
  );
  return { upTo, changes, reload: false };
}
