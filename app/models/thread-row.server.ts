/**
 * A thread row with its dialogue's title and rules, read in one SQL statement: what every thread
 * page view and every command on a thread reads first (`getThread`), and a socket joining a
 * thread's room (`canReadThread`).
 *
 * Why not `prisma.thread.findUnique({ include: { dialogue } })`: on Prisma 6.19 with the client
 * engine that call is compiled by the WASM query compiler on every request and sends two
 * statements (the thread, then its dialogue); this is one statement and no compilation
 * (docs/decisions/043-where-each-benchmark-stands.md). It mirrors the `Thread` model by hand: a
 * column added there must be added here too. tests/integration/reply-pages-count-only-visible-
 * replies.test.ts compares this row with Prisma's own, field by field, so a difference fails there.
 */
import { Prisma, type AttributionLevel, type PrismaClient, type Thread } from "@prisma/client";
import { prisma, readRows } from "~/db.server";

/** The dialogue fields a thread page and the rules need. */
export interface ThreadDialogue {
  id: string;
  slug: string;
  titleEn: string;
  titleZh: string;
  attributionLevel: AttributionLevel;
  allowMachineTranslation: boolean;
}

export type ThreadWithDialogue = Thread & { dialogue: ThreadDialogue | null };

/**
 * The thread `threadId` (deleted ones too: callers decide) with its dialogue, or null when there
 * is no such thread. Same shape and values as Prisma's `findUnique` with that `include`.
 */
export async function findThreadWithDialogue(threadId: string, db: Pick<PrismaClient, "$queryRaw"> = prisma): Promise<ThreadWithDialogue | null> {
  const rows = await readRows<ThreadWithDialogue>(Prisma.sql`
    SELECT t.id, t.dialogue_id AS "dialogueId", t.title_en AS "titleEn", t.title_zh AS "titleZh", t.author_id AS "authorId",
      t.reply_count AS "replyCount", t.last_post_number AS "lastPostNumber", t.change_seq AS "changeSeq", t.created_at AS "createdAt",
      t.last_activity_at AS "lastActivityAt", t.pinned_at AS "pinnedAt", t.pinned_until AS "pinnedUntil", t.locked_at AS "lockedAt",
      t.deleted_at AS "deletedAt", t.slow_mode_seconds AS "slowModeSeconds", t.case_study_id AS "caseStudyId",
      t.attribution_level::text AS "attributionLevel", t.title_language::text AS "titleLanguage",
      t.title_translation_requested_at AS "titleTranslationRequestedAt",
      CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'slug', d.slug, 'titleEn', d.title_en, 'titleZh', d.title_zh,
        'attributionLevel', d.attribution_level::text, 'allowMachineTranslation', d.allow_machine_translation) END AS dialogue
    FROM threads t LEFT JOIN dialogues d ON d.id = t.dialogue_id
    WHERE t.id = ${threadId}`,
    db,
  );
  return rows[0] ?? null;
}
