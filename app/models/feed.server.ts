/**
 * The "Latest" feed: the newest replies across every thread the reader may see. Hidden and
 * deleted replies and deleted threads never appear (staff included: the feed is public-facing).
 */
import type { JSONContent } from "@tiptap/core";
import { prisma } from "~/db.server";
import { decodeTimeCursor, encodeTimeCursor } from "~/utils/cursor";
import { renderReplyHtml } from "~/editor/content.server";
import { assertCan, isStaff, type Actor } from "~/policy.server";
import { listableThreadsWhere } from "./threads.server";
import { presentAuthor, replyLevel, threadLevel } from "./track2/attribution.server";

export const FEED_PAGE_SIZE = 30;

/**
 * @param options.cursor `<createdAt ISO>_<id>` of the previous page's last reply
 * @throws AppError unauthenticated | suspended
 */
export async function listLatestReplies(actor: Actor | null, options: { cursor?: string | null; locale?: "en" | "zh" } = {}) {
  const locale = options.locale ?? "en";
  assertCan(actor, "thread.create");
  const cursor = decodeTimeCursor(options.cursor);
  const rows = await prisma.reply.findMany({
    where: {
      deletedAt: null,
      hiddenAt: null,
      thread: { deletedAt: null, ...(await listableThreadsWhere(actor)) },
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: FEED_PAGE_SIZE + 1,
    include: {
      author: { select: { id: true, displayName: true } },
      // The reader's language where a translation exists (docs/decisions/040).
      translations: { where: { language: locale }, select: { content: true } },
      thread: { select: { id: true, titleEn: true, titleZh: true, attributionLevel: true, dialogueId: true, dialogue: { select: { attributionLevel: true } } } },
    },
  });
  const reader = { id: actor.id, staff: isStaff(actor) };
  const page = rows.slice(0, FEED_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    replies: page.map((r) => ({
      id: r.id,
      postNumber: r.postNumber,
      html: renderReplyHtml((r.language !== locale && r.translations[0] ? r.translations[0].content : r.content) as JSONContent),
      translated: r.language !== locale && r.translations.length > 0,
      createdAt: r.createdAt.toISOString(),
      // The feed leaves the thread: a speaker under the Chatham House Rule is their pseudonym.
      author: presentAuthor(reader, r.author, r.participantNumber, replyLevel(r.attributionLevel, threadLevel(r.thread))),
      thread: { id: r.thread.id, titleEn: r.thread.titleEn, titleZh: r.thread.titleZh },
    })),
    nextCursor: rows.length > FEED_PAGE_SIZE && last ? encodeTimeCursor(last.createdAt, last.id) : null,
  };
}
