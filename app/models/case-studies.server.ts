/**
 * Case studies: one work with an English version, a Chinese version, or both
 * (`CaseStudyVersion`, unique per language), regions, topics, draft/published status, and a
 * public flag. Published ones are listed with filters (region, country, topic, language, all
 * combined with AND) and sorting (newest, most endorsed); drafts are seen by their author and
 * admins only; members-only ones need a signed-in member.
 *
 * Versions: editing an up-to-date version marks its counterpart "may be out of date" (the
 * counterpart was last updated before this edit); editing an out-of-date version (catching up)
 * clears its own flag and marks nothing; adding a new version marks nothing.
 *
 * Every write runs in one transaction that also re-indexes the case study for search
 * (`indexCaseStudy`), so the index follows every change.
 */
import { Prisma, type CaseStudy, type CaseStudyVersion, type Locale } from "@prisma/client";
import type { JSONContent } from "@tiptap/core";
import { prisma } from "~/db.server";
import { parseCaseStudyContent, renderCaseStudyHtml } from "~/editor/case-study-content.server";
import { renderReplyHtml } from "~/editor/content.server";
import { assertCan, can, isActive, isStaff, type Actor, type CaseStudyResource } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { publish } from "~/realtime/publish.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { primaryLanguage } from "~/utils/language";
import { commentTranslationsInclude, toCommentTranslations, type CommentTranslationView } from "./translations/present.server";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { prepareReplyContent } from "./reply-rows.server";
import { indexCaseStudy } from "./search.server";
import { queueNotificationEmails } from "./email/notification-emails.server";
import { publishUnreadCounts } from "./notifications.server";

export const CASE_STUDIES_PAGE_SIZE = 20;

/** 10 comments per member per minute (staff exempt). */
const commentLimiter = singleton("limiter:cs-comment", () => createLimiter({ keyPrefix: "crn:cs-comment", points: 10, duration: 60 }));
/** 30 new case studies per member per hour. */
const createLimiterCs = singleton("limiter:cs-create", () => createLimiter({ keyPrefix: "crn:cs-create", points: 30, duration: 3600 }));

export function caseStudyResource(study: Pick<CaseStudy, "id" | "authorId" | "status" | "isPublic" | "deletedAt">): CaseStudyResource {
  return { id: study.id, authorId: study.authorId, status: study.status, isPublic: study.isPublic, deletedAt: study.deletedAt };
}

const otherLanguage = (language: Locale): Locale => (language === "en" ? "zh" : "en");

const studyInclude = {
  author: { select: { id: true, displayName: true } },
  versions: { include: { author: { select: { id: true, displayName: true } } }, orderBy: { language: "asc" } },
  regions: { include: { region: true } },
  topics: { include: { topic: true } },
} as const satisfies Prisma.CaseStudyInclude;

type StudyRow = Prisma.CaseStudyGetPayload<{ include: typeof studyInclude }>;

/**
 * The case study, if the actor may read it. Missing, deleted and other members' drafts are
 * "not found" (their existence is not revealed); a members-only one asks a signed-out reader to
 * sign in.
 * @throws AppError not_found | unauthenticated | suspended
 */
export async function getCaseStudy(actor: Actor | null, caseStudyId: string): Promise<StudyRow> {
  const study = await prisma.caseStudy.findUnique({ where: { id: caseStudyId }, include: studyInclude });
  if (!study || study.deletedAt) throw new AppError("not_found");
  const resource = caseStudyResource(study);
  if (can(actor, "caseStudy.read", resource)) return study;
  if (study.status === "draft") throw new AppError("not_found");
  assertCan(actor, "caseStudy.read", resource); // unauthenticated or suspended
  return study;
}

/** A case study for an editing page: the actor must be allowed to edit it (drafts of others are not found). */
export async function getCaseStudyForEdit(actor: Actor | null, caseStudyId: string): Promise<StudyRow> {
  const study = await getCaseStudy(actor, caseStudyId);
  assertCan(actor, "caseStudy.edit", caseStudyResource(study));
  return study;
}

export interface VersionView {
  id: string;
  language: Locale;
  title: string;
  summary: string;
  html: string;
  translation: "original" | "human" | "machine";
  outdated: boolean;
  author: { id: string; displayName: string };
  createdAt: string;
  updatedAt: string;
}

export function toVersionView(version: CaseStudyVersion & { author: { id: string; displayName: string } }): VersionView {
  return {
    id: version.id,
    language: version.language,
    title: version.title,
    summary: version.summary,
    html: renderCaseStudyHtml(version.content),
    translation: version.translation,
    outdated: version.outdated,
    author: version.author,
    createdAt: version.createdAt.toISOString(),
    updatedAt: version.updatedAt.toISOString(),
  };
}

async function checkRegionsAndTopics(tx: Prisma.TransactionClient, regionIds: string[], topicIds: string[]) {
  const uniqueRegions = [...new Set(regionIds)];
  const uniqueTopics = [...new Set(topicIds)];
  if (uniqueRegions.length === 0) throw new AppError("region_required", "Choose at least one region", "regionIds");
  if ((await tx.region.count({ where: { id: { in: uniqueRegions } } })) !== uniqueRegions.length) {
    throw new AppError("validation", "Unknown region", "regionIds");
  }
  if ((await tx.topic.count({ where: { id: { in: uniqueTopics } } })) !== uniqueTopics.length) {
    throw new AppError("validation", "Unknown topic", "topicIds");
  }
  return { regionIds: uniqueRegions, topicIds: uniqueTopics };
}

/** The body, validated, with every image it shows being an existing upload. */
async function prepareBody(input: { content?: unknown; body?: string }) {
  const parsed = parseCaseStudyContent(input);
  if (parsed.uploadIds.length) {
    const found = await prisma.upload.count({ where: { id: { in: parsed.uploadIds } } });
    if (found !== parsed.uploadIds.length) throw new AppError("image_not_allowed", "Unknown image", "content");
  }
  return parsed;
}

/**
 * Starts a case study (a draft) with its first language version.
 * @throws AppError unauthenticated | suspended | title_required | region_required | validation |
 *   case_study_empty | case_study_too_long | case_study_invalid | link_not_allowed |
 *   image_not_allowed | rate_limited
 */
export async function createCaseStudy(actor: Actor | null, input: ParsedCommandInput<"caseStudy.create">) {
  assertCan(actor, "caseStudy.create");
  const body = await prepareBody(input);
  if (!isStaff(actor)) await consume(createLimiterCs, actor.id);
  return prisma.$transaction(async (tx) => {
    const { regionIds, topicIds } = await checkRegionsAndTopics(tx, input.regionIds, input.topicIds);
    const study = await tx.caseStudy.create({
      data: {
        id: newId(),
        authorId: actor.id,
        isPublic: input.isPublic,
        regions: { create: regionIds.map((regionId) => ({ regionId })) },
        topics: { create: topicIds.map((topicId) => ({ topicId })) },
        versions: {
          create: {
            id: newId(),
            language: input.language,
            title: input.title,
            summary: input.summary,
            content: body.content as Prisma.InputJsonValue,
            text: body.text,
            authorId: actor.id,
            translation: input.translation,
          },
        },
      },
    });
    await indexCaseStudy(tx, study.id);
    return { caseStudyId: study.id };
  });
}

/**
 * Changes a case study's regions, topics and public flag.
 * @throws AppError unauthenticated | suspended | not_found | forbidden | region_required | validation
 */
export async function updateCaseStudy(actor: Actor | null, input: ParsedCommandInput<"caseStudy.update">) {
  const study = await getCaseStudyForEdit(actor, input.caseStudyId);
  return prisma.$transaction(async (tx) => {
    const { regionIds, topicIds } = await checkRegionsAndTopics(tx, input.regionIds, input.topicIds);
    await tx.caseStudyRegion.deleteMany({ where: { caseStudyId: study.id } });
    await tx.caseStudyTopic.deleteMany({ where: { caseStudyId: study.id } });
    await tx.caseStudy.update({
      where: { id: study.id },
      data: {
        isPublic: input.isPublic,
        updatedAt: new Date(),
        regions: { create: regionIds.map((regionId) => ({ regionId })) },
        topics: { create: topicIds.map((topicId) => ({ topicId })) },
      },
    });
    await indexCaseStudy(tx, study.id);
    return { caseStudyId: study.id };
  });
}

/**
 * Publishes a draft (or takes a published case study back to draft).
 * @throws AppError unauthenticated | suspended | not_found | forbidden
 */
export async function publishCaseStudy(actor: Actor | null, input: ParsedCommandInput<"caseStudy.publish">) {
  const study = await getCaseStudyForEdit(actor, input.caseStudyId);
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    await tx.caseStudy.update({
      where: { id: study.id },
      data: input.published
        ? { status: "published", publishedAt: study.publishedAt ?? now, updatedAt: now }
        : { status: "draft", updatedAt: now },
    });
    await indexCaseStudy(tx, study.id);
    return { caseStudyId: study.id, status: input.published ? "published" : "draft" };
  });
}

/**
 * Deletes a case study (soft: the row stays for threads that link to it, which stop showing it).
 * @throws AppError unauthenticated | suspended | not_found | forbidden
 */
export async function deleteCaseStudy(actor: Actor | null, input: ParsedCommandInput<"caseStudy.delete">) {
  const study = await getCaseStudyForEdit(actor, input.caseStudyId);
  return prisma.$transaction(async (tx) => {
    await tx.caseStudy.update({ where: { id: study.id }, data: { deletedAt: new Date() } });
    await indexCaseStudy(tx, study.id);
    return { caseStudyId: study.id, deleted: true };
  });
}

/**
 * Adds a language version (a translation) or updates one. Updating clears the version's own
 * "may be out of date" flag and, unless it was itself out of date (a catch-up), sets its
 * counterpart's; adding marks nothing.
 * Who: the case study's editors; any member may add a missing version to a published case
 * study, and keep the version they wrote up to date.
 * @throws AppError unauthenticated | suspended | not_found | forbidden | title_required |
 *   case_study_empty | case_study_too_long | case_study_invalid | link_not_allowed | image_not_allowed
 */
export async function saveVersion(actor: Actor | null, input: ParsedCommandInput<"caseStudyVersion.save">) {
  const study = await getCaseStudy(actor, input.caseStudyId);
  const resource = caseStudyResource(study);
  const existing = study.versions.find((v) => v.language === input.language);
  if (existing) assertCan(actor, "caseStudyVersion.edit", { id: existing.id, authorId: existing.authorId, caseStudy: resource });
  else if (!can(actor, "caseStudy.edit", resource)) assertCan(actor, "caseStudy.translate", resource);
  if (input.baseVersion !== undefined && input.baseVersion !== (existing ? existing.updatedAt.toISOString() : "new")) throw versionConflict();
  const body = await prepareBody(input);
  // A new language version starts from the other one's body (images, tables) to translate in
  // place; saved with the other language's text unchanged, it would be no translation at all.
  const counterpart = study.versions.find((v) => v.language !== input.language);
  if (!existing && counterpart && body.text.trim() !== "" && body.text.trim() === counterpart.text.trim()) {
    throw new AppError("translation_unchanged", "The text is the other language's, untranslated", "content");
  }
  const saved = prisma.$transaction(async (tx) => {
    const now = new Date();
    const data = {
      title: input.title,
      summary: input.summary,
      content: body.content as Prisma.InputJsonValue,
      text: body.text,
      translation: input.translation,
    };
    let versionId: string;
    if (existing) {
      // Re-read inside the transaction: the flag may have changed since the policy check.
      const current = await tx.caseStudyVersion.findUniqueOrThrow({ where: { id: existing.id } });
      // Compare-and-set on the version's time: of two saves from the same state, the later is
      // refused rather than silently overwriting the earlier.
      const claimed = await tx.caseStudyVersion.updateMany({
        where: { id: existing.id, updatedAt: existing.updatedAt },
        data: { ...data, outdated: false, updatedAt: now },
      });
      if (claimed.count !== 1) throw versionConflict();
      // An edit of an up-to-date version is news the counterpart has not caught up with. An edit
      // of an out-of-date version is the catch-up itself: it clears its own flag and does not
      // flag the counterpart back (no ping-pong between translator and author).
      if (!current.outdated) {
        await tx.caseStudyVersion.updateMany({
          where: { caseStudyId: study.id, language: otherLanguage(input.language), updatedAt: { lt: now } },
          data: { outdated: true },
        });
      }
      versionId = existing.id;
    } else {
      const created = await tx.caseStudyVersion.create({
        data: { id: newId(), caseStudyId: study.id, language: input.language, authorId: actor!.id, ...data, createdAt: now, updatedAt: now },
      });
      versionId = created.id;
    }
    await tx.caseStudy.update({ where: { id: study.id }, data: { updatedAt: now } });
    await indexCaseStudy(tx, study.id);
    return { caseStudyId: study.id, versionId, language: input.language, created: !existing };
  });
  try {
    return await saved;
  } catch (error) {
    // Two members adding the same language at once: the unique index refuses the second.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw versionConflict();
    throw error;
  }
}

/** Someone saved this language version since the form was opened. */
function versionConflict(): AppError {
  return new AppError("edit_conflict", "The version was changed since you opened it", "content");
}

export interface CaseStudyFilters {
  region?: string | null;
  country?: "US" | "CN" | null;
  topic?: string | null;
  language?: Locale | null;
  sort?: "newest" | "endorsed";
  page?: number;
}

export interface CaseStudyListItem {
  id: string;
  status: "draft" | "published";
  isPublic: boolean;
  endorsementCount: number;
  publishedAt: string | null;
  updatedAt: string;
  author: { id: string; displayName: string };
  versions: { language: Locale; title: string; summary: string; outdated: boolean }[];
  regions: { slug: string; nameEn: string; nameZh: string; country: string }[];
  topics: { slug: string; nameEn: string; nameZh: string }[];
}

const listInclude = {
  author: { select: { id: true, displayName: true } },
  versions: { select: { language: true, title: true, summary: true, outdated: true }, orderBy: { language: "asc" } },
  regions: { include: { region: true } },
  topics: { include: { topic: true } },
} as const satisfies Prisma.CaseStudyInclude;

function toListItem(row: Prisma.CaseStudyGetPayload<{ include: typeof listInclude }>): CaseStudyListItem {
  return {
    id: row.id,
    status: row.status,
    isPublic: row.isPublic,
    endorsementCount: row.endorsementCount,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    author: row.author,
    versions: row.versions,
    regions: row.regions
      .map((r) => ({ slug: r.region.slug, nameEn: r.region.nameEn, nameZh: r.region.nameZh, country: r.region.country as string, position: r.region.position }))
      .sort((a, b) => a.position - b.position)
      .map(({ position: _p, ...r }) => r),
    topics: row.topics
      .map((t) => ({ slug: t.topic.slug, nameEn: t.topic.nameEn, nameZh: t.topic.nameZh, position: t.topic.position }))
      .sort((a, b) => a.position - b.position)
      .map(({ position: _p, ...t }) => t),
  };
}

/**
 * Published case studies the actor may read, filtered (every filter narrows: AND) and sorted,
 * one page at a time (page numbers: sorting by endorsements has no stable keyset).
 */
export async function listCaseStudies(actor: Actor | null, filters: CaseStudyFilters) {
  const page = Math.min(Math.max(filters.page ?? 1, 1), 500);
  const and: Prisma.CaseStudyWhereInput[] = [];
  if (filters.region) and.push({ regions: { some: { region: { slug: filters.region } } } });
  if (filters.country) and.push({ regions: { some: { region: { country: filters.country } } } });
  if (filters.topic) and.push({ topics: { some: { topic: { slug: filters.topic } } } });
  if (filters.language) and.push({ versions: { some: { language: filters.language } } });
  const where: Prisma.CaseStudyWhereInput = {
    status: "published",
    deletedAt: null,
    ...(isActive(actor) ? {} : { isPublic: true }),
    AND: and,
  };
  const orderBy: Prisma.CaseStudyOrderByWithRelationInput[] =
    filters.sort === "endorsed"
      ? [{ endorsementCount: "desc" }, { publishedAt: "desc" }, { id: "desc" }]
      : [{ publishedAt: "desc" }, { id: "desc" }];
  const rows = await prisma.caseStudy.findMany({
    where,
    orderBy,
    skip: (page - 1) * CASE_STUDIES_PAGE_SIZE,
    take: CASE_STUDIES_PAGE_SIZE + 1,
    include: listInclude,
  });
  return { items: rows.slice(0, CASE_STUDIES_PAGE_SIZE).map(toListItem), page, hasMore: rows.length > CASE_STUDIES_PAGE_SIZE };
}

/** The actor's own drafts, newest first (nobody else sees them in a list). */
export async function listOwnDrafts(actor: Actor | null): Promise<CaseStudyListItem[]> {
  if (!isActive(actor)) return [];
  const rows = await prisma.caseStudy.findMany({
    where: { authorId: actor.id, status: "draft", deletedAt: null },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: 50,
    include: listInclude,
  });
  return rows.map(toListItem);
}

/** Regions and topics, in their display order, for forms and filters. */
export async function caseStudyChoices() {
  const [regions, topics] = await Promise.all([
    prisma.region.findMany({ orderBy: [{ position: "asc" }, { slug: "asc" }] }),
    prisma.topic.findMany({ orderBy: [{ position: "asc" }, { slug: "asc" }] }),
  ]);
  return {
    regions: regions.map((r) => ({ id: r.id, slug: r.slug, nameEn: r.nameEn, nameZh: r.nameZh, country: r.country as string })),
    topics: topics.map((t) => ({ id: t.id, slug: t.slug, nameEn: t.nameEn, nameZh: t.nameZh })),
  };
}

// --- endorsements ------------------------------------------------------------------------------

async function setEndorsement(actor: Actor | null, caseStudyId: string, on: boolean) {
  const study = await getCaseStudy(actor, caseStudyId);
  // Said plainly rather than as "forbidden": the page hides the button, the API explains.
  if (isActive(actor) && study.authorId === actor.id) throw new AppError("endorse_own", "Authors cannot endorse their own case study", "caseStudyId");
  assertCan(actor, "caseStudy.endorse", caseStudyResource(study));
  return prisma.$transaction(async (tx) => {
    if (on) {
      await tx.$executeRaw`INSERT INTO endorsements (case_study_id, user_id) VALUES (${study.id}, ${actor.id}) ON CONFLICT DO NOTHING`;
    } else {
      await tx.endorsement.deleteMany({ where: { caseStudyId: study.id, userId: actor.id } });
    }
    // Counted from the rows, in the same transaction: the count cannot drift.
    const [row] = await tx.$queryRaw<{ endorsement_count: number }[]>`
      UPDATE case_studies SET endorsement_count = (SELECT count(*) FROM endorsements WHERE case_study_id = ${study.id})
      WHERE id = ${study.id} RETURNING endorsement_count`;
    return { caseStudyId: study.id, endorsed: on, count: row?.endorsement_count ?? 0 };
  });
}

/**
 * Marks a case study "useful" (once per member; again is a no-op). Never its own author's.
 * @throws AppError endorse_own | unauthenticated | suspended | forbidden | not_found
 */
export function endorseCaseStudy(actor: Actor | null, input: ParsedCommandInput<"caseStudy.endorse">) {
  return setEndorsement(actor, input.caseStudyId, true);
}

/** Takes the member's "useful" back. */
export function unendorseCaseStudy(actor: Actor | null, input: ParsedCommandInput<"caseStudy.unendorse">) {
  return setEndorsement(actor, input.caseStudyId, false);
}

export async function hasEndorsed(userId: string, caseStudyId: string): Promise<boolean> {
  return (await prisma.endorsement.count({ where: { userId, caseStudyId } })) > 0;
}

// --- comments -----------------------------------------------------------------------------------

export interface CommentView {
  id: string;
  html: string;
  /** The language it is written in, and its translation into the other. */
  language: "en" | "zh";
  translations: CommentTranslationView[];
  /** May remove a translation of it (the comment's author or staff; a translator their own). */
  canUntranslate: boolean;
  createdAt: string;
  author: { id: string; displayName: string };
  canDelete: boolean;
}

/** Comments on a case study, oldest first; deleted ones never shown. */
export async function listComments(actor: Actor | null, caseStudyId: string, loaded?: StudyRow): Promise<CommentView[]> {
  // The case study page passes the study it has just read for this actor (`getCaseStudy`).
  const study = loaded?.id === caseStudyId ? loaded : await getCaseStudy(actor, caseStudyId);
  const rows = await prisma.caseStudyComment.findMany({
    where: { caseStudyId, deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 500,
    include: { author: { select: { id: true, displayName: true } }, ...commentTranslationsInclude },
  });
  const resource = caseStudyResource(study);
  return rows.map((c) => ({
    id: c.id,
    html: renderReplyHtml(c.content as JSONContent),
    language: c.language,
    translations: toCommentTranslations(c.translations, c.text, actor),
    canUntranslate: isActive(actor) && (c.authorId === actor.id || isStaff(actor)),
    createdAt: c.createdAt.toISOString(),
    author: c.author,
    canDelete: can(actor, "caseStudyComment.delete", { id: c.id, authorId: c.authorId, deletedAt: null, caseStudy: resource }),
  }));
}

/**
 * Comments on a published case study (the reply editor's rich text).
 * @throws AppError unauthenticated | suspended | not_found | forbidden | rate_limited |
 *   reply_empty | reply_too_long | link_not_allowed | reply_invalid | mention_unknown
 */
export async function createComment(actor: Actor | null, input: ParsedCommandInput<"caseStudyComment.create">) {
  const study = await getCaseStudy(actor, input.caseStudyId);
  assertCan(actor, "caseStudy.comment", caseStudyResource(study));
  // A retry of a comment that went through gets it back instead of posting it twice.
  const again = await commentByKey(actor.id, study.id, input.idempotencyKey);
  if (again) return again;
  const prepared = await prepareReplyContent(input);
  if (!isStaff(actor)) await consume(commentLimiter, actor.id);
  let created: { comment: { id: string }; notified: string[] };
  try {
    created = await prisma.$transaction(async (tx) => {
      const comment = await tx.caseStudyComment.create({
        data: {
          id: newId(),
          caseStudyId: study.id,
          authorId: actor.id,
          content: prepared.content as Prisma.InputJsonValue,
          text: prepared.text,
          language: primaryLanguage(prepared.text),
          idempotencyKey: input.idempotencyKey ?? null,
        },
      });
      // The author hears of comments on their case study (in-app, and by email if unread).
      if (study.authorId === actor.id) return { comment, notified: [] as string[] };
      await tx.notification.create({
        data: { id: newId(), userId: study.authorId, type: "case_study_comment", actorId: actor.id, caseStudyId: study.id, data: { commentId: comment.id } },
      });
      await queueNotificationEmails(tx, "case_study", study.id, [study.authorId]);
      return { comment, notified: [study.authorId] };
    });
  } catch (error) {
    // Two attempts with the same key at once: the one that was stored is the answer.
    const other = (error as { code?: string }).code === "P2002" ? await commentByKey(actor.id, study.id, input.idempotencyKey) : null;
    if (other) return other;
    throw error;
  }
  publish({ type: "caseStudyComment.changed", caseStudyId: study.id });
  await publishUnreadCounts(created.notified);
  return { commentId: created.comment.id, caseStudyId: study.id };
}

/**
 * The member's comment posted with `key` on this case study, if any.
 * @throws AppError validation (the key was used for a comment elsewhere)
 */
async function commentByKey(authorId: string, caseStudyId: string, key: string | undefined) {
  if (!key) return null;
  const row = await prisma.caseStudyComment.findUnique({ where: { authorId_idempotencyKey: { authorId, idempotencyKey: key } } });
  if (!row) return null;
  if (row.caseStudyId !== caseStudyId) throw new AppError("validation", "This key was used for another comment", "idempotencyKey");
  return { commentId: row.id, caseStudyId: row.caseStudyId };
}

/**
 * Deletes a comment (its author, or staff).
 * @throws AppError unauthenticated | suspended | not_found | forbidden
 */
export async function deleteComment(actor: Actor | null, input: ParsedCommandInput<"caseStudyComment.delete">) {
  const comment = await prisma.caseStudyComment.findUnique({ where: { id: input.commentId }, include: { caseStudy: true } });
  if (!comment || comment.deletedAt || !can(actor, "caseStudy.read", caseStudyResource(comment.caseStudy))) {
    // Signed out or suspended: say so before saying whether the comment exists.
    if (!isActive(actor)) assertCan(actor, "caseStudy.create");
    throw new AppError("not_found");
  }
  assertCan(actor, "caseStudyComment.delete", {
    id: comment.id,
    authorId: comment.authorId,
    deletedAt: comment.deletedAt,
    caseStudy: caseStudyResource(comment.caseStudy),
  });
  await prisma.caseStudyComment.update({ where: { id: comment.id }, data: { deletedAt: new Date() } });
  publish({ type: "caseStudyComment.changed", caseStudyId: comment.caseStudyId });
  return { commentId: comment.id, caseStudyId: comment.caseStudyId, deleted: true };
}

// --- threads started from a case study ---------------------------------------------------------

/** The readable threads started from this case study (members only), newest activity first. */
export async function listCaseStudyThreads(actor: Actor | null, caseStudyId: string) {
  if (!isActive(actor)) return [];
  const rows = await prisma.thread.findMany({
    where: { caseStudyId, deletedAt: null },
    orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
    take: 50,
    include: { dialogue: { select: { slug: true, titleEn: true, titleZh: true } } },
  });
  return rows.map((t) => ({
    id: t.id,
    titleEn: t.titleEn,
    titleZh: t.titleZh,
    replyCount: t.replyCount,
    lastActivityAt: t.lastActivityAt.toISOString(),
    dialogue: t.dialogue,
  }));
}

/**
 * The case study a thread links back to, when the reader may read it (else null).
 */
export async function caseStudyLink(actor: Actor | null, caseStudyId: string | null, locale: Locale) {
  if (!caseStudyId) return null;
  const study = await prisma.caseStudy.findUnique({ where: { id: caseStudyId }, include: { versions: { select: { language: true, title: true } } } });
  if (!study || !can(actor, "caseStudy.read", caseStudyResource(study))) return null;
  const version = study.versions.find((v) => v.language === locale) ?? study.versions[0];
  return { id: study.id, title: version?.title ?? "" };
}

/**
 * Checks that a thread may be started from this case study: it must exist and be readable.
 * @throws AppError not_found
 */
export async function assertCaseStudyLinkable(actor: Actor | null, caseStudyId: string): Promise<void> {
  const study = await prisma.caseStudy.findUnique({ where: { id: caseStudyId } });
  if (!study || !can(actor, "caseStudy.read", caseStudyResource(study))) throw new AppError("not_found", "Case study not found", "caseStudyId");
}
