/**
 * Deleting an account (GDPR Art. 17 right to erasure; PIPL Art. 47): settings → "Delete my
 * account", confirmed with the password, or an admin on the member's request (logged with the
 * reason). In one transaction (docs/decisions/018-account-deletion.md):
 *
 * - the member's row goes (with their sessions, reads, watches, notifications, flags,
 *   endorsements, participation requests and note memberships); every session ends and every
 *   open socket disconnects after commit, so their carets and presence leave open notes;
 * - what others read stays, re-attributed to one placeholder account (DELETED_MEMBER_ID) that
 *   readers see as "Deleted member" / "已删除的成员": replies and their revisions, threads,
 *   published case studies and the versions they wrote, case-study and note comments, note
 *   history (who wrote and deleted what, who saved a version), notifications they caused, staff
 *   log rows they made; their drafts are deleted;
 * - their name is removed everywhere it was written into text that stays: @mentions, quotes
 *   ("… wrote:"), titles, comments, notification details, staff-log reasons; the search index
 *   is rebuilt for what changed;
 * - notes they own pass to the note's longest-standing editor; a note with no other editor
 *   (private, or shared only with commenters and viewers) is deleted with its history;
 * - uploads that nothing remaining uses are deleted (rows in the transaction, files after
 *   commit); those a remaining case study still shows pass to the placeholder.
 *
 * Not rewritten: text typed inside policy-note documents (Yjs updates; the name stays in the
 * note body and its versions if someone typed it there).
 */
import { unlink } from "node:fs/promises";
import { Prisma } from "@prisma/client";
import type { JSONContent } from "@tiptap/core";
import { prisma } from "~/db.server";
import { docToText } from "~/editor/content.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { DELETED_MEMBER_ID } from "~/utils/deleted-member";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { logStaffAction } from "../moderation.server";
import { indexCaseStudy, indexReply, indexThread } from "../search.server";
import { invalidateAllSessions } from "../sessions.server";
import { uploadPath } from "../uploads.server";
import { assertAnotherActiveAdmin } from "./members.server";
import { confirmPassword } from "./password.server";
import { namePattern, scrubDoc, scrubJson, scrubText } from "./scrub";

/** Deleting a member with years of posts rewrites many rows: give the transaction room. */
const DELETION_TIMEOUT_MS = 5 * 60 * 1000;

type Tx = Prisma.TransactionClient;

/** The placeholder account, made on first use: no usable email, no password, no name, never active. */
async function ensurePlaceholder(tx: Tx): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO users (id, email, password_hash, display_name, role, deactivated_at)
    VALUES (${DELETED_MEMBER_ID}, 'deleted-member@deleted.invalid', '!', '', 'member', now())
    ON CONFLICT (id) DO NOTHING`;
}

/** Rows whose text may hold the name or a mention: a substring test in SQL, the exact match in JS. */
function mentionsSql(column: Prisma.Sql, names: string[], userId: string): Prisma.Sql {
  const tests = names.map((name) => Prisma.sql`strpos(lower(${column}), lower(${name})) > 0`);
  tests.push(Prisma.sql`strpos(${column}, ${userId}) > 0`);
  return Prisma.sql`(${Prisma.join(tests, " OR ")})`;
}

interface Scrubber {
  userId: string;
  names: string[];
  pattern: RegExp | null;
}

/** Replies (anyone's) that mention or name the member: content, text, revisions; reindexed. */
async function scrubReplies(tx: Tx, s: Scrubber): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM replies WHERE ${mentionsSql(Prisma.sql`text`, s.names, s.userId)} OR ${mentionsSql(Prisma.sql`content::text`, s.names, s.userId)}`;
  for (const { id } of rows) {
    const reply = await tx.reply.findUniqueOrThrow({ where: { id }, select: { content: true, text: true } });
    const { doc, changed } = scrubDoc(reply.content as JSONContent, s.userId, s.pattern);
    const text = changed ? docToText(doc) : scrubText(reply.text, s.pattern);
    if (!changed && text === reply.text) continue;
    await tx.reply.update({ where: { id }, data: { content: doc as Prisma.InputJsonValue, text } });
    await indexReply(tx, id);
  }
  const revisions = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM reply_revisions WHERE ${mentionsSql(Prisma.sql`text`, s.names, s.userId)} OR ${mentionsSql(Prisma.sql`content::text`, s.names, s.userId)}`;
  for (const { id } of revisions) {
    const revision = await tx.replyRevision.findUniqueOrThrow({ where: { id }, select: { content: true, text: true } });
    const { doc, changed } = scrubDoc(revision.content as JSONContent, s.userId, s.pattern);
    await tx.replyRevision.update({ where: { id }, data: { content: doc as Prisma.InputJsonValue, text: changed ? docToText(doc) : scrubText(revision.text, s.pattern) } });
  }
}

/** Thread titles, case-study versions and comments, note comments and titles, notifications, staff reasons. */
async function scrubOtherText(tx: Tx, s: Scrubber): Promise<void> {
  if (!s.pattern) return;
  const threads = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM threads WHERE ${mentionsSql(Prisma.sql`title_en`, s.names, s.userId)} OR ${mentionsSql(Prisma.sql`title_zh`, s.names, s.userId)}`;
  for (const { id } of threads) {
    const thread = await tx.thread.findUniqueOrThrow({ where: { id }, select: { titleEn: true, titleZh: true } });
    await tx.thread.update({ where: { id }, data: { titleEn: scrubText(thread.titleEn, s.pattern), titleZh: scrubText(thread.titleZh, s.pattern) } });
    await indexThread(tx, id);
    // Reply documents carry their thread's title.
    for (const reply of await tx.reply.findMany({ where: { threadId: id }, select: { id: true } })) await indexReply(tx, reply.id);
  }

  const versions = await tx.$queryRaw<{ id: string; case_study_id: string }[]>`
    SELECT id, case_study_id FROM case_study_versions
    WHERE ${mentionsSql(Prisma.sql`title || ' ' || summary || ' ' || text`, s.names, s.userId)} OR ${mentionsSql(Prisma.sql`content::text`, s.names, s.userId)}`;
  for (const { id, case_study_id } of versions) {
    const v = await tx.caseStudyVersion.findUniqueOrThrow({ where: { id }, select: { title: true, summary: true, text: true, content: true } });
    const { doc } = scrubDoc(v.content as JSONContent, s.userId, s.pattern);
    await tx.caseStudyVersion.update({
      where: { id },
      data: { title: scrubText(v.title, s.pattern), summary: scrubText(v.summary, s.pattern), text: scrubText(v.text, s.pattern), content: doc as Prisma.InputJsonValue },
    });
    await indexCaseStudy(tx, case_study_id);
  }

  const comments = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM case_study_comments WHERE ${mentionsSql(Prisma.sql`text`, s.names, s.userId)} OR ${mentionsSql(Prisma.sql`content::text`, s.names, s.userId)}`;
  for (const { id } of comments) {
    const c = await tx.caseStudyComment.findUniqueOrThrow({ where: { id }, select: { text: true, content: true } });
    const { doc, changed } = scrubDoc(c.content as JSONContent, s.userId, s.pattern);
    await tx.caseStudyComment.update({ where: { id }, data: { content: doc as Prisma.InputJsonValue, text: changed ? docToText(doc) : scrubText(c.text, s.pattern) } });
  }

  // Translations may carry the name too (a translated mention, a quoted name).
  for (const { id, reply_id } of await tx.$queryRaw<{ id: string; reply_id: string }[]>`
    SELECT id, reply_id FROM reply_translations WHERE ${mentionsSql(Prisma.sql`text`, s.names, s.userId)} OR ${mentionsSql(Prisma.sql`content::text`, s.names, s.userId)}`) {
    const t = await tx.replyTranslation.findUniqueOrThrow({ where: { id }, select: { text: true, content: true } });
    const { doc, changed } = scrubDoc(t.content as JSONContent, s.userId, s.pattern);
    await tx.replyTranslation.update({ where: { id }, data: { content: doc as Prisma.InputJsonValue, text: changed ? docToText(doc) : scrubText(t.text, s.pattern) } });
    await indexReply(tx, reply_id);
  }
  for (const { id } of await tx.$queryRaw<{ id: string }[]>`SELECT id FROM comment_translations WHERE ${mentionsSql(Prisma.sql`text`, s.names, s.userId)}`) {
    const t = await tx.commentTranslation.findUniqueOrThrow({ where: { id }, select: { text: true } });
    await tx.commentTranslation.update({ where: { id }, data: { text: scrubText(t.text, s.pattern) } });
  }
  for (const { id } of await tx.$queryRaw<{ id: string }[]>`SELECT id FROM note_comments WHERE ${mentionsSql(Prisma.sql`body`, s.names, s.userId)}`) {
    const c = await tx.noteComment.findUniqueOrThrow({ where: { id }, select: { body: true } });
    await tx.noteComment.update({ where: { id }, data: { body: scrubText(c.body, s.pattern) } });
  }
  for (const { id } of await tx.$queryRaw<{ id: string }[]>`SELECT id FROM note_comment_threads WHERE ${mentionsSql(Prisma.sql`quote`, s.names, s.userId)}`) {
    const t = await tx.noteCommentThread.findUniqueOrThrow({ where: { id }, select: { quote: true } });
    await tx.noteCommentThread.update({ where: { id }, data: { quote: scrubText(t.quote, s.pattern) } });
  }
  for (const { id } of await tx.$queryRaw<{ id: string }[]>`SELECT id FROM notes WHERE ${mentionsSql(Prisma.sql`title`, s.names, s.userId)}`) {
    const n = await tx.note.findUniqueOrThrow({ where: { id }, select: { title: true } });
    await tx.note.update({ where: { id }, data: { title: scrubText(n.title, s.pattern) } });
  }
  for (const { id } of await tx.$queryRaw<{ id: string }[]>`SELECT id FROM notifications WHERE data IS NOT NULL AND (${mentionsSql(Prisma.sql`data::text`, s.names, s.userId)})`) {
    const n = await tx.notification.findUniqueOrThrow({ where: { id }, select: { data: true } });
    await tx.notification.update({ where: { id }, data: { data: scrubJson(n.data, s.pattern) as Prisma.InputJsonValue } });
  }
  for (const { id } of await tx.$queryRaw<{ id: string }[]>`SELECT id FROM staff_actions WHERE ${mentionsSql(Prisma.sql`reason`, s.names, s.userId)}`) {
    const a = await tx.staffAction.findUniqueOrThrow({ where: { id }, select: { reason: true } });
    await tx.staffAction.update({ where: { id }, data: { reason: scrubText(a.reason, s.pattern) } });
  }
}

/** Notes the member owns: to the longest-standing editor, or deleted when there is none. */
async function handOverNotes(tx: Tx, userId: string): Promise<{ passed: number; deleted: number }> {
  const owned = await tx.note.findMany({ where: { ownerId: userId }, select: { id: true } });
  let passed = 0;
  let deleted = 0;
  for (const note of owned) {
    const heir = await tx.noteMember.findFirst({
      where: { noteId: note.id, role: "editor", userId: { not: userId } },
      orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
      select: { userId: true },
    });
    if (heir) {
      await tx.noteMember.update({ where: { noteId_userId: { noteId: note.id, userId: heir.userId } }, data: { role: "owner" } });
      await tx.note.update({ where: { id: note.id }, data: { ownerId: heir.userId } });
      passed++;
    } else {
      await tx.note.updateMany({ where: { translationId: note.id }, data: { translationId: null } });
      await tx.note.delete({ where: { id: note.id } });
      deleted++;
    }
  }
  return { passed, deleted };
}

/** Upload ids a remaining case study shows (`/uploads/<id>` in a version's content). */
async function uploadsInUse(tx: Tx, ids: string[]): Promise<Set<string>> {
  const used = new Set<string>();
  for (const id of ids) {
    const [row] = await tx.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM case_study_versions WHERE strpos(content::text, ${`/uploads/${id}`}) > 0`;
    if (row && row.n > 0n) used.add(id);
  }
  return used;
}

interface Deletion {
  userId: string;
  /** The admin acting on the member's request, or null for the member themselves. */
  admin: { actorId: string; reason: string } | null;
}

/**
 * Deletes the account as described at the top of this module.
 * @throws AppError not_found | last_admin
 */
async function deleteAccount({ userId, admin }: Deletion) {
  if (userId === DELETED_MEMBER_ID) throw new AppError("not_found");
  const files: { id: string; contentType: string }[] = [];
  const summary = await prisma.$transaction(
    async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true, deactivatedAt: true, displayName: true, nameLatin: true, nameChinese: true } });
      if (!user) throw new AppError("not_found");
      if (user.role === "admin" && !user.deactivatedAt) await assertAnotherActiveAdmin(tx, user.id);
      await ensurePlaceholder(tx);
      const names = [user.displayName, user.nameLatin, user.nameChinese].map((n) => n.trim()).filter((n) => [...n].length >= 2);
      const scrubber: Scrubber = { userId, names, pattern: namePattern(names) };
      const ghost = DELETED_MEMBER_ID;

      // Drafts go; published (or withdrawn) case studies stay under the placeholder.
      const drafts = await tx.caseStudy.findMany({ where: { authorId: userId, status: "draft" }, select: { id: true } });
      for (const draft of drafts) {
        await tx.searchDocument.deleteMany({ where: { caseStudyId: draft.id, kind: "case_study" } });
        await tx.caseStudy.delete({ where: { id: draft.id } });
      }

      // Endorsements are the member's own opinion: removed, and the counts follow.
      const endorsed = await tx.endorsement.findMany({ where: { userId }, select: { caseStudyId: true } });
      await tx.endorsement.deleteMany({ where: { userId } });
      for (const { caseStudyId } of endorsed) {
        await tx.$executeRaw`UPDATE case_studies SET endorsement_count = (SELECT count(*) FROM endorsements WHERE case_study_id = ${caseStudyId}) WHERE id = ${caseStudyId}`;
      }

      const notes = await handOverNotes(tx, userId);

      // Re-attribute what stays.
      await tx.reply.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      await tx.replyRevision.updateMany({ where: { editorId: userId }, data: { editorId: ghost } });
      await tx.thread.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      await tx.caseStudy.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      await tx.caseStudyVersion.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      await tx.caseStudyComment.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      await tx.searchDocument.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      await tx.noteCommentThread.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      await tx.noteCommentThread.updateMany({ where: { resolvedById: userId }, data: { resolvedById: ghost } });
      await tx.noteComment.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      // Translations stay with what they translate, by "Deleted member" (docs/decisions/040).
      await tx.replyTranslation.updateMany({ where: { translatorId: userId }, data: { translatorId: ghost } });
      await tx.threadTitleTranslation.updateMany({ where: { translatorId: userId }, data: { translatorId: ghost } });
      await tx.commentTranslation.updateMany({ where: { translatorId: userId }, data: { translatorId: ghost } });
      await tx.reply.updateMany({ where: { translationRequestedById: userId }, data: { translationRequestedById: null } });
      await tx.noteVersion.updateMany({ where: { authorId: userId }, data: { authorId: ghost } });
      await tx.noteClient.updateMany({ where: { userId }, data: { userId: ghost } });
      await tx.noteDeletion.updateMany({ where: { userId }, data: { userId: ghost } });
      await tx.noteUpdate.updateMany({ where: { userId }, data: { userId: ghost } });
      await tx.notification.updateMany({ where: { actorId: userId }, data: { actorId: ghost } });
      await tx.staffAction.updateMany({ where: { actorId: userId }, data: { actorId: ghost } });
      await tx.flag.updateMany({ where: { resolvedById: userId }, data: { resolvedById: ghost } });

      // Participation requests carry the name and email as typed: they are the member's data.
      await tx.participationRequest.deleteMany({ where: { userId } });
      // Survey drafts and receipts name the member by key; attributed responses keep their answers
      // but lose the member (`user_id` is set null with the row), like anonymous ones.
      await tx.surveyDraft.deleteMany({ where: { respondentKey: `user:${userId}` } });
      await tx.surveyReceipt.deleteMany({ where: { respondentKey: `user:${userId}` } });

      // Uploads: keep what a remaining case study shows, delete the rest.
      const uploads = await tx.upload.findMany({ where: { ownerId: userId }, select: { id: true, contentType: true } });
      const used = await uploadsInUse(tx, uploads.map((u) => u.id));
      await tx.upload.updateMany({ where: { ownerId: userId, id: { in: [...used] } }, data: { ownerId: ghost } });
      const unused = uploads.filter((u) => !used.has(u.id));
      await tx.upload.deleteMany({ where: { id: { in: unused.map((u) => u.id) } } });
      files.push(...unused);

      await scrubReplies(tx, scrubber);
      await scrubOtherText(tx, scrubber);

      if (admin) {
        await logStaffAction(tx, { actorId: admin.actorId, action: "member.delete", targetType: "user", targetId: userId, reason: scrubText(admin.reason, scrubber.pattern) });
      }
      // Sessions, reads, watches, own notifications, flags, note memberships go with the row.
      await tx.user.delete({ where: { id: userId } });
      return { notesPassed: notes.passed, notesDeleted: notes.deleted, draftsDeleted: drafts.length, uploadsDeleted: unused.length };
    },
    { timeout: DELETION_TIMEOUT_MS, maxWait: 10_000 },
  );
  // The rows are gone; now the open sockets (carets and presence leave with them) and the files.
  await invalidateAllSessions(userId);
  for (const file of files) await unlink(uploadPath(file.id, file.contentType)).catch(() => {});
  logger.info({ event: "account.deleted", userId, byAdmin: admin?.actorId ?? null, ...summary }, "account deleted");
  return { deleted: true, ...summary };
}

/**
 * Deletes the acting member's own account, confirmed with their password.
 * @throws AppError unauthenticated | suspended | password_incorrect | rate_limited | last_admin
 */
export async function deleteOwnAccount(actor: Actor | null, input: ParsedCommandInput<"account.delete">) {
  assertCan(actor, "account.own");
  await confirmPassword(actor, input.password, "password");
  return deleteAccount({ userId: actor.id, admin: null });
}

/**
 * An admin deletes a member's account on the member's request; logged with the reason.
 * @throws AppError unauthenticated | suspended | forbidden | not_found | last_admin
 */
export async function deleteMemberAccount(actor: Actor | null, input: ParsedCommandInput<"member.delete">) {
  assertCan(actor, "member.list");
  if (input.userId === DELETED_MEMBER_ID) throw new AppError("not_found");
  const target = await prisma.user.findUnique({ where: { id: input.userId }, select: { id: true, role: true } });
  if (!target) throw new AppError("not_found");
  assertCan(actor, "member.manage", target);
  return deleteAccount({ userId: target.id, admin: { actorId: actor.id, reason: input.reason } });
}
