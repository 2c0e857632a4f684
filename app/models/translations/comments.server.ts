/**
 * Translations of comments — on case studies and on policy notes' text — as plain text, one per
 * comment and language (docs/decisions/040-translations-of-replies.md). A translation made from
 * text the comment no longer has (a note comment was edited) is outdated. Anyone who may comment
 * there may translate; the comment's author, the translator and staff may remove one.
 */
import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import type { Lang } from "~/i18n/config";
import { assertCan, can, isActive, isStaff, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { publish } from "~/realtime/publish.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { caseStudyResource } from "../case-studies.server";
import { noteResource } from "../notes.server";

const limiter = singleton("limiter:comment-translation", () => createLimiter({ keyPrefix: "crn:comment-translation", points: 20, duration: 60 }));

/** Longest comment translation kept (a note comment is at most 5,000 characters; a case-study comment a reply's length). */
export const COMMENT_TRANSLATION_MAX = 20_000;

type Target = { kind: "case_study"; id: string } | { kind: "note"; id: string };

/** The comment, if the actor may translate it (comment there); else not found or forbidden. */
async function loadTarget(actor: Actor | null, target: Target) {
  if (target.kind === "case_study") {
    const comment = await prisma.caseStudyComment.findUnique({ where: { id: target.id }, include: { caseStudy: true, translations: true } });
    if (!comment || comment.deletedAt || !can(actor, "caseStudy.read", caseStudyResource(comment.caseStudy))) {
      if (!isActive(actor)) assertCan(actor, "caseStudy.create");
      throw new AppError("not_found");
    }
    assertCan(actor, "caseStudy.comment", caseStudyResource(comment.caseStudy));
    return { authorId: comment.authorId, language: comment.language, text: comment.text, translations: comment.translations, announce: () => publish({ type: "caseStudyComment.changed", caseStudyId: comment.caseStudyId }) };
  }
  const comment = await prisma.noteComment.findUnique({ where: { id: target.id }, include: { thread: true, translations: true } });
  const note = comment ? await noteResource(actor, comment.thread.noteId) : null;
  if (!comment || !note || comment.deletedAt || !can(actor, "note.read", note)) {
    assertCan(actor, "note.create");
    throw new AppError("not_found");
  }
  assertCan(actor, "note.comment", note);
  return { authorId: comment.authorId, language: comment.language, text: comment.body, translations: comment.translations, announce: () => publish({ type: "noteComment.changed", noteId: comment.thread.noteId, threadId: comment.threadId }) };
}

const where = (target: Target, language: Lang) =>
  target.kind === "case_study" ? { caseStudyCommentId_language: { caseStudyCommentId: target.id, language } } : { noteCommentId_language: { noteCommentId: target.id, language } };

/**
 * Adds or improves the actor's translation of a comment into `language`.
 * @throws AppError unauthenticated | suspended | not_found | forbidden | translation_original_language | comment_empty | comment_too_long | rate_limited
 */
async function translate(actor: Actor | null, target: Target, language: Lang, body: string) {
  const comment = await loadTarget(actor, target);
  if (language === comment.language) throw new AppError("translation_original_language", "The comment is written in this language", "language");
  if (!isStaff(actor)) await consume(limiter, actor!.id);
  const data = { text: body, kind: "human" as const, translatorId: actor!.id, sourceText: comment.text, updatedAt: new Date() };
  await prisma.commentTranslation.upsert({
    where: where(target, language),
    create: { id: newId(), language, ...(target.kind === "case_study" ? { caseStudyCommentId: target.id } : { noteCommentId: target.id }), ...data },
    update: data,
  });
  comment.announce();
  return { commentId: target.id, language };
}

/**
 * Removes a comment's translation: the comment's author, the translator or staff.
 * @throws AppError unauthenticated | suspended | not_found | forbidden
 */
async function untranslate(actor: Actor | null, target: Target, language: Lang) {
  const comment = await loadTarget(actor, target);
  const row = comment.translations.find((t) => t.language === language);
  if (!row) throw new AppError("not_found", "No translation in this language", "language");
  assertCan(actor, "commentTranslation.remove", { authorId: comment.authorId, translatorId: row.translatorId });
  await prisma.commentTranslation.deleteMany({ where: { id: row.id } });
  comment.announce();
  return { commentId: target.id, language };
}

export const translateCaseStudyComment = (actor: Actor | null, input: ParsedCommandInput<"caseStudyComment.translate">) => translate(actor, { kind: "case_study", id: input.commentId }, input.language, input.body);
export const untranslateCaseStudyComment = (actor: Actor | null, input: ParsedCommandInput<"caseStudyComment.untranslate">) => untranslate(actor, { kind: "case_study", id: input.commentId }, input.language);
export const translateNoteComment = (actor: Actor | null, input: ParsedCommandInput<"noteComment.translate">) => translate(actor, { kind: "note", id: input.commentId }, input.language, input.body);
export const untranslateNoteComment = (actor: Actor | null, input: ParsedCommandInput<"noteComment.untranslate">) => untranslate(actor, { kind: "note", id: input.commentId }, input.language);
