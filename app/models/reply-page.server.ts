/**
 * One page of a thread's replies as `ReplyRow`s, read in one SQL statement (the reply, its
 * author and their region, the reply it answers and that reply's author, its translations and
 * their translators).
 *
 * Why not `prisma.reply.findMany({ include: replyInclude })`: on Prisma 6.19 with the client
 * engine that call is compiled by the WASM query compiler on every request and sends five
 * statements; it cost ≈ 5–7 ms of CPU per thread page view against ≈ 1.8 ms for this statement
 * (docs/decisions/038-fewer-statements-and-indexes.md). The thread page is the most-read page.
 *
 * This mirrors `replyInclude` and the `Reply` model by hand: a column or relation added to either
 * must be added here too. tests/integration/reply-pages-count-only-visible-replies.test.ts
 * compares this page with Prisma's own (`findMany` with `replyInclude`) for several readers,
 * field by field, so a difference fails there.
 */
import { Prisma, type PrismaClient } from "@prisma/client";
import { prisma, readRows } from "~/db.server";
import { isStaff, type Actor } from "~/policy.server";
import type { ReplyRow } from "./reply-rows.server";

/**
 * Up to `take` replies of the thread that `actor` may see (`visibleRepliesWhere`: not deleted;
 * hidden ones only for staff and their author), after post `after` or before post `before`,
 * by post number ascending, or descending when `descending`.
 */
export async function findReplyPage(
  actor: Actor,
  threadId: string,
  options: { after?: number | null; before?: number | null; descending: boolean; take: number },
  db: Pick<PrismaClient, "$queryRaw"> = prisma,
): Promise<ReplyRow[]> {
  const visible: Prisma.Sql = isStaff(actor)
    ? Prisma.sql`r.deleted_at IS NULL`
    : Prisma.sql`r.deleted_at IS NULL AND (r.hidden_at IS NULL OR r.author_id = ${actor.id})`;
  // Given both, `before` alone bounds the page (as the page's Prisma query did: its second
  // `postNumber` condition replaced the first).
  const after = options.after != null && options.before == null ? Prisma.sql`AND r.post_number > ${options.after}` : Prisma.sql``;
  const before = options.before != null ? Prisma.sql`AND r.post_number < ${options.before}` : Prisma.sql``;
  const order = options.descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const rows = await readRows<ReplyRow>(Prisma.sql`
    SELECT r.id, r.thread_id AS "threadId", r.author_id AS "authorId", r.post_number AS "postNumber", r.content, r.text,
      r.reply_to_id AS "replyToId", r.created_at AS "createdAt", r.edited_at AS "editedAt", r.edit_count AS "editCount",
      r.deleted_at AS "deletedAt", r.hidden_at AS "hiddenAt", r.hidden_reason AS "hiddenReason", r.change_seq AS "changeSeq",
      r.idempotency_key AS "idempotencyKey", r.attribution_level::text AS "attributionLevel", r.participant_number AS "participantNumber",
      r.language::text AS language, r.translation_requested_at AS "translationRequestedAt", r.translation_requested_by_id AS "translationRequestedById",
      COALESCE((SELECT json_agg(json_build_object('id', x.id, 'replyId', x.reply_id, 'language', x.language::text, 'content', x.content, 'text', x.text,
          'kind', x.kind::text, 'translatorId', x.translator_id, 'sourceRevision', x.source_revision, 'attributionLevel', x.attribution_level::text,
          'participantNumber', x.participant_number, 'createdAt', x.created_at, 'updatedAt', x.updated_at,
          'translator', CASE WHEN xu.id IS NULL THEN NULL ELSE json_build_object('id', xu.id, 'displayName', xu.display_name) END) ORDER BY x.language)
        FROM reply_translations x LEFT JOIN users xu ON xu.id = x.translator_id WHERE x.reply_id = r.id), '[]'::json) AS translations,
      json_build_object('id', a.id, 'displayName', a.display_name,
        'region', CASE WHEN g.id IS NULL THEN NULL ELSE json_build_object('slug', g.slug, 'nameEn', g.name_en, 'nameZh', g.name_zh) END) AS author,
      CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'postNumber', t.post_number, 'authorId', t.author_id,
        'attributionLevel', t.attribution_level::text, 'participantNumber', t.participant_number,
        'author', json_build_object('displayName', ta.display_name)) END AS "replyTo"
    FROM replies r
      JOIN users a ON a.id = r.author_id
      LEFT JOIN regions g ON g.id = a.region_id
      LEFT JOIN replies t ON t.id = r.reply_to_id
      LEFT JOIN users ta ON ta.id = t.author_id
    WHERE r.thread_id = ${threadId} AND ${visible} ${after} ${before}
    ORDER BY r.post_number ${order}
    LIMIT ${options.take}`,
    db,
  );
  // JSON carries the translations' times as text: back to Dates, as Prisma gives them.
  for (const row of rows) {
    row.translations = row.translations.map((t) => ({ ...t, createdAt: new Date(t.createdAt), updatedAt: new Date(t.updatedAt) }));
  }
  return rows;
}
