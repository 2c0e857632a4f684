/**
 * The authorisation matrix, continued to every other command: profiles, case studies and their
 * versions, comments and endorsements, topics, and policy notes with their members, versions,
 * translations and comments. Same actors and channels as tests/helpers/authorisation-matrix.ts;
 * each cell gets fresh objects belonging to another member (the world's thread author), runs the
 * command as the actor and checks what was stored (allowed) or that no row of any table changed
 * (refused). Notes are private to their members, so every note command on someone else's note
 * is `not_found`, for admins too.
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { expect } from "vitest";
import type { CommandName } from "~/realtime/commands";
import { newId } from "~/utils/ids.server";
import { expectedOutcome, type ActorName, type Channel, type Expected, type World } from "./authorisation-matrix";
import { apiCommand, socketCommand, STATUS_OF, type CommandOutcome } from "./commands";
import { uniqueSuffix } from "./env";
import { rowsOf } from "./fingerprint";
import type { TestMember } from "./factories";

export interface ContentFixture {
  word: string;
  caseStudyId: string;
  versionId: string;
  /** A comment on the case study by its author. */
  commentId: string;
  topicId: string;
  noteId: string;
  /** Another note of the author's, in Chinese (for translation links). */
  otherNoteId: string;
  noteVersionId: string;
  noteThreadId: string;
  noteCommentId: string;
  /** A member of the note (editor), for the member commands. */
  noteMemberId: string;
  /** A region (case studies need one). */
  regionId: string;
  /** An outcome in the register, proposed by the author. */
  outcomeId: string;
  /** A proposal awaiting review, with both titles. */
  proposalId: string;
  evidenceId: string;
  dialogueId: string;
  /** A complete draft survey (both languages, one question) and its question. */
  surveyId: string;
  questionId: string;
  /** An open, anonymous survey for all members, with one required single-choice question. */
  openSurveyId: string;
  openQuestionId: string;
}

export interface ContentRow {
  command: CommandName;
  on: string;
  input(f: ContentFixture): Record<string, unknown>;
  expected: { member: Expected; moderator: Expected; admin: Expected };
  /** When allowed: what was stored. */
  stored(db: PrismaClient, f: ContentFixture, actor: TestMember, result: unknown): Promise<void>;
}

const OK = "ok" as const;
const everyone = { member: OK, moderator: OK, admin: OK };
const authorOrAdmin = { member: "forbidden", moderator: "forbidden", admin: OK } as const;
const adminOnly = { member: "forbidden", moderator: "forbidden", admin: OK } as const;
const staff = { member: "forbidden", moderator: OK, admin: OK } as const;
const noteMembersOnly = { member: "not_found", moderator: "not_found", admin: "not_found" } as const;
/** A Yjs relative position's shape (base64), enough for the schema; the note is not theirs anyway. */
const ANCHOR = Buffer.from([1, 2, 3, 4, 5, 6]).toString("base64");
const nothing = async () => {};

export const CONTENT_MATRIX: ContentRow[] = [
  {
    command: "translationSettings.update",
    on: "their own translation settings",
    input: () => ({ display: "both", follow: true }),
    expected: everyone,
    async stored(db, _f, actor) {
      expect(await db.user.findUniqueOrThrow({ where: { id: actor.id } })).toMatchObject({ translationDisplay: "both", followsTranslations: true });
    },
  },
  {
    command: "profile.update",
    on: "their own profile",
    input: (f) => ({ bio: `Bio ${f.word}` }),
    expected: everyone,
    async stored(db, f, actor) {
      expect((await db.user.findUniqueOrThrow({ where: { id: actor.id } })).bio).toBe(`Bio ${f.word}`);
    },
  },
  {
    command: "caseStudy.create",
    on: "a new case study",
    input: (f) => ({ language: "en", title: `Study ${f.word}`, body: `Body ${f.word}`, regionIds: [f.regionId], topicIds: [] }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.caseStudyVersion.count({ where: { title: `Study ${f.word}`, authorId: actor.id } })).toBe(1);
    },
  },
  {
    command: "caseStudy.update",
    on: "another member's case study",
    input: (f) => ({ caseStudyId: f.caseStudyId, regionIds: [f.regionId], topicIds: [], isPublic: true }),
    expected: authorOrAdmin,
    async stored(db, f) {
      expect((await db.caseStudy.findUniqueOrThrow({ where: { id: f.caseStudyId } })).isPublic).toBe(true);
    },
  },
  {
    command: "caseStudy.publish",
    on: "another member's case study (back to draft)",
    input: (f) => ({ caseStudyId: f.caseStudyId, published: false }),
    expected: authorOrAdmin,
    async stored(db, f) {
      expect((await db.caseStudy.findUniqueOrThrow({ where: { id: f.caseStudyId } })).status).toBe("draft");
    },
  },
  {
    command: "caseStudy.delete",
    on: "another member's case study",
    input: (f) => ({ caseStudyId: f.caseStudyId }),
    expected: authorOrAdmin,
    async stored(db, f) {
      expect((await db.caseStudy.findUniqueOrThrow({ where: { id: f.caseStudyId } })).deletedAt).not.toBeNull();
    },
  },
  {
    command: "caseStudyVersion.save",
    on: "the English version another member wrote",
    input: (f) => ({ caseStudyId: f.caseStudyId, language: "en", title: `Retitled ${f.word}`, body: `Rewritten ${f.word}` }),
    expected: authorOrAdmin,
    async stored(db, f) {
      expect((await db.caseStudyVersion.findUniqueOrThrow({ where: { id: f.versionId } })).title).toBe(`Retitled ${f.word}`);
    },
  },
  {
    command: "caseStudyVersion.save",
    on: "a missing Chinese version (a translation)",
    input: (f) => ({ caseStudyId: f.caseStudyId, language: "zh", title: `译本 ${f.word}`, body: `中文译文 ${f.word}`, translation: "human" }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.caseStudyVersion.findFirst({ where: { caseStudyId: f.caseStudyId, language: "zh", authorId: actor.id } })).not.toBeNull();
    },
  },
  {
    command: "caseStudyComment.create",
    on: "another member's case study",
    input: (f) => ({ caseStudyId: f.caseStudyId, body: `Comment ${f.word}` }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.caseStudyComment.count({ where: { caseStudyId: f.caseStudyId, authorId: actor.id, text: `Comment ${f.word}` } })).toBe(1);
    },
  },
  {
    command: "caseStudyComment.delete",
    on: "another member's comment",
    input: (f) => ({ commentId: f.commentId }),
    expected: staff,
    async stored(db, f) {
      expect((await db.caseStudyComment.findUniqueOrThrow({ where: { id: f.commentId } })).deletedAt).not.toBeNull();
    },
  },
  {
    command: "caseStudy.endorse",
    on: "another member's case study",
    input: (f) => ({ caseStudyId: f.caseStudyId }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.endorsement.count({ where: { caseStudyId: f.caseStudyId, userId: actor.id } })).toBe(1);
    },
  },
  {
    command: "caseStudy.unendorse",
    on: "a case study they had not endorsed",
    input: (f) => ({ caseStudyId: f.caseStudyId }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.endorsement.count({ where: { caseStudyId: f.caseStudyId, userId: actor.id } })).toBe(0);
    },
  },
  {
    command: "topic.create",
    on: "a new topic",
    input: (f) => ({ slug: `topic-${f.word.toLowerCase().replace(/[^a-z0-9]/g, "")}`, nameEn: `Topic ${f.word}`, nameZh: `主题 ${f.word}` }),
    expected: adminOnly,
    async stored(db, f) {
      expect(await db.topic.count({ where: { nameEn: `Topic ${f.word}` } })).toBe(1);
    },
  },
  {
    command: "topic.rename",
    on: "a topic",
    input: (f) => ({ topicId: f.topicId, nameEn: `Renamed ${f.word}`, nameZh: `改名 ${f.word}` }),
    expected: adminOnly,
    async stored(db, f) {
      expect((await db.topic.findUniqueOrThrow({ where: { id: f.topicId } })).nameEn).toBe(`Renamed ${f.word}`);
    },
  },
  {
    command: "topic.move",
    on: "a topic",
    input: (f) => ({ topicId: f.topicId, direction: "up" }),
    expected: adminOnly,
    stored: nothing,
  },
  {
    command: "topic.delete",
    on: "an unused topic",
    input: (f) => ({ topicId: f.topicId }),
    expected: adminOnly,
    async stored(db, f) {
      expect(await db.topic.findUnique({ where: { id: f.topicId } })).toBeNull();
    },
  },
  {
    command: "note.create",
    on: "a new note",
    input: (f) => ({ title: `Note ${f.word}` }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.note.count({ where: { title: `Note ${f.word}`, ownerId: actor.id } })).toBe(1);
    },
  },
  {
    command: "outcome.propose",
    on: "a dialogue they can read",
    input: (f) => ({ type: "policy_idea", titleEn: `Idea ${f.word}`, regionIds: [f.regionId], origin: { kind: "dialogue", refId: f.dialogueId } }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.outcome.count({ where: { titleEn: `Idea ${f.word}`, proposedById: actor.id, reviewedAt: null } })).toBe(1);
    },
  },
  {
    command: "outcome.update",
    on: "an outcome in the register",
    input: (f) => ({ outcomeId: f.outcomeId, type: "commitment", titleEn: `Edited ${f.word}`, titleZh: `编辑 ${f.word}`, regionIds: [f.regionId], isPublic: true }),
    expected: staff,
    async stored(db, f) {
      expect((await db.outcome.findUniqueOrThrow({ where: { id: f.outcomeId } })).titleEn).toBe(`Edited ${f.word}`);
    },
  },
  {
    command: "outcome.review",
    on: "a proposal",
    input: (f) => ({ outcomeId: f.proposalId, decision: "accept" }),
    expected: staff,
    async stored(db, f) {
      expect((await db.outcome.findUniqueOrThrow({ where: { id: f.proposalId } })).reviewedAt).not.toBeNull();
    },
  },
  {
    command: "outcome.setStatus",
    on: "an outcome in the register",
    input: (f) => ({ outcomeId: f.outcomeId, status: "adopted", day: "2026-01-15", timeZone: "Asia/Shanghai", note: `Adopted ${f.word}` }),
    expected: staff,
    async stored(db, f) {
      expect((await db.outcome.findUniqueOrThrow({ where: { id: f.outcomeId } })).status).toBe("adopted");
      const [step] = await db.outcomeEvent.findMany({ where: { outcomeId: f.outcomeId } });
      expect(step?.occurredAt.toISOString()).toBe("2026-01-14T16:00:00.000Z");
    },
  },
  {
    command: "outcome.addOrigin",
    on: "an outcome in the register",
    input: (f) => ({ outcomeId: f.outcomeId, kind: "dialogue", refId: f.dialogueId }),
    expected: staff,
    async stored(db, f) {
      expect(await db.outcomeOrigin.count({ where: { outcomeId: f.outcomeId, kind: "dialogue", refId: f.dialogueId } })).toBe(1);
    },
  },
  {
    command: "outcome.removeOrigin",
    on: "an outcome's origin",
    input: (f) => ({ outcomeId: f.outcomeId, kind: "case_study", refId: f.caseStudyId }),
    expected: staff,
    async stored(db, f) {
      expect(await db.outcomeOrigin.count({ where: { outcomeId: f.outcomeId } })).toBe(0);
    },
  },
  {
    command: "outcome.addEvidence",
    on: "an outcome in the register",
    input: (f) => ({ outcomeId: f.outcomeId, url: `https://example.org/${f.word}`, label: `Report ${f.word}` }),
    expected: staff,
    async stored(db, f) {
      expect(await db.outcomeEvidence.count({ where: { outcomeId: f.outcomeId, label: `Report ${f.word}` } })).toBe(1);
    },
  },
  {
    command: "outcome.removeEvidence",
    on: "an outcome's evidence",
    input: (f) => ({ evidenceId: f.evidenceId }),
    expected: staff,
    async stored(db, f) {
      expect(await db.outcomeEvidence.findUnique({ where: { id: f.evidenceId } })).toBeNull();
    },
  },
  {
    command: "outcome.delete",
    on: "an outcome in the register",
    input: (f) => ({ outcomeId: f.outcomeId }),
    expected: staff,
    async stored(db, f) {
      expect((await db.outcome.findUniqueOrThrow({ where: { id: f.outcomeId } })).deletedAt).not.toBeNull();
    },
  },
  {
    command: "survey.create",
    on: "a new survey",
    input: (f) => ({ titleEn: `Survey ${f.word}`, titleZh: `问卷 ${f.word}`, audience: "regions", regionIds: [f.regionId], anonymous: true }),
    expected: staff,
    async stored(db, f) {
      expect(await db.survey.count({ where: { titleEn: `Survey ${f.word}`, regions: { some: { regionId: f.regionId } } } })).toBe(1);
    },
  },
  {
    command: "survey.update",
    on: "a draft survey",
    input: (f) => ({ surveyId: f.surveyId, titleEn: `Edited ${f.word}`, titleZh: `编辑 ${f.word}`, audience: "all_members", anonymous: false }),
    expected: staff,
    async stored(db, f) {
      const survey = await db.survey.findUniqueOrThrow({ where: { id: f.surveyId } });
      expect([survey.titleEn, survey.anonymous]).toEqual([`Edited ${f.word}`, false]);
    },
  },
  {
    command: "survey.open",
    on: "a complete draft survey",
    input: (f) => ({ surveyId: f.surveyId }),
    expected: staff,
    async stored(db, f) {
      expect((await db.survey.findUniqueOrThrow({ where: { id: f.surveyId } })).openedAt).not.toBeNull();
      // Its opening was announced (in the app and the outbox); wait for the outbox to settle, so
      // the worker's delivery is not taken for a write by the next cell's refused command.
      expect(await db.notification.count({ where: { type: "survey_opened", data: { path: ["surveyId"], equals: f.surveyId } } })).toBeGreaterThan(0);
      for (let i = 0; i < 100 && (await db.emailMessage.count({ where: { kind: "survey_announcement", refId: f.surveyId, status: { in: ["queued", "sending"] } } })) > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await db.emailMessage.count({ where: { kind: "survey_announcement", refId: f.surveyId, status: { in: ["queued", "sending"] } } })).toBe(0);
    },
  },
  {
    command: "survey.close",
    on: "an open survey",
    input: (f) => ({ surveyId: f.openSurveyId }),
    expected: staff,
    async stored(db, f) {
      expect((await db.survey.findUniqueOrThrow({ where: { id: f.openSurveyId } })).closesAt!.getTime()).toBeLessThanOrEqual(Date.now());
    },
  },
  {
    command: "survey.delete",
    on: "a draft survey",
    input: (f) => ({ surveyId: f.surveyId }),
    expected: staff,
    async stored(db, f) {
      expect((await db.survey.findUniqueOrThrow({ where: { id: f.surveyId } })).deletedAt).not.toBeNull();
    },
  },
  {
    command: "surveyQuestion.add",
    on: "a draft survey",
    input: (f) => ({ surveyId: f.surveyId, type: "single_choice", promptEn: `Question ${f.word}`, promptZh: `问题 ${f.word}`, options: "Yes | 是\nNo | 否" }),
    expected: staff,
    async stored(db, f) {
      const question = await db.surveyQuestion.findFirstOrThrow({ where: { surveyId: f.surveyId, promptEn: `Question ${f.word}` } });
      expect(question.options).toEqual([{ id: "o1", en: "Yes", zh: "是" }, { id: "o2", en: "No", zh: "否" }]);
    },
  },
  {
    command: "surveyQuestion.update",
    on: "a draft survey's question",
    input: (f) => ({ questionId: f.questionId, type: "scale", promptEn: `Scale ${f.word}`, promptZh: `量表 ${f.word}`, required: true }),
    expected: staff,
    async stored(db, f) {
      const question = await db.surveyQuestion.findUniqueOrThrow({ where: { id: f.questionId } });
      expect([question.type, question.promptEn, question.required]).toEqual(["scale", `Scale ${f.word}`, true]);
    },
  },
  {
    command: "surveyQuestion.move",
    on: "a draft survey's question",
    input: (f) => ({ questionId: f.questionId, direction: "down" }),
    expected: staff,
    async stored(db, f) {
      const order = await db.surveyQuestion.findMany({ where: { surveyId: f.surveyId }, orderBy: { position: "asc" }, select: { id: true } });
      expect(order.at(-1)?.id).toBe(f.questionId);
    },
  },
  {
    command: "surveyQuestion.remove",
    on: "a draft survey's question",
    input: (f) => ({ questionId: f.questionId }),
    expected: staff,
    async stored(db, f) {
      expect(await db.surveyQuestion.findUnique({ where: { id: f.questionId } })).toBeNull();
    },
  },
  {
    command: "surveyResponse.save",
    on: "an open survey for all members",
    input: (f) => ({ surveyId: f.openSurveyId, answers: { [f.openQuestionId]: "o1" }, submit: true, locale: "zh" }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.surveyReceipt.count({ where: { surveyId: f.openSurveyId, respondentKey: `user:${actor.id}` } })).toBe(1);
      const responses = await db.surveyResponse.findMany({ where: { surveyId: f.openSurveyId } });
      expect(responses.map((r) => [r.userId, r.answers])).toEqual([[null, { [f.openQuestionId]: "o1" }]]);
    },
  },
  {
    command: "calendarFeed.reset",
    on: "their own calendar feed",
    input: () => ({}),
    expected: everyone,
    async stored(db, _f, actor, result) {
      expect((result as { token: string }).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await db.calendarFeed.count({ where: { userId: actor.id } })).toBe(1);
    },
  },
  {
    command: "calendarFeed.remove",
    on: "their own calendar feed",
    input: () => ({}),
    expected: everyone,
    async stored(db, _f, actor) {
      expect(await db.calendarFeed.count({ where: { userId: actor.id } })).toBe(0);
    },
  },
  { command: "note.rename", on: "another member's note", input: (f) => ({ noteId: f.noteId, title: `Taken ${f.word}` }), expected: noteMembersOnly, stored: nothing },
  { command: "noteMember.add", on: "another member's note", input: (f) => ({ noteId: f.noteId, member: f.noteMemberId, role: "viewer" }), expected: noteMembersOnly, stored: nothing },
  { command: "noteMember.setRole", on: "another member's note", input: (f) => ({ noteId: f.noteId, userId: f.noteMemberId, role: "viewer" }), expected: noteMembersOnly, stored: nothing },
  { command: "noteMember.remove", on: "another member's note", input: (f) => ({ noteId: f.noteId, userId: f.noteMemberId }), expected: noteMembersOnly, stored: nothing },
  { command: "noteVersion.create", on: "another member's note", input: (f) => ({ noteId: f.noteId, name: `Version ${f.word}` }), expected: noteMembersOnly, stored: nothing },
  { command: "noteVersion.rename", on: "another member's note", input: (f) => ({ noteId: f.noteId, versionId: f.noteVersionId, name: `Renamed ${f.word}` }), expected: noteMembersOnly, stored: nothing },
  { command: "noteVersion.restore", on: "another member's note", input: (f) => ({ noteId: f.noteId, versionId: f.noteVersionId }), expected: noteMembersOnly, stored: nothing },
  { command: "note.linkTranslation", on: "two of another member's notes", input: (f) => ({ noteId: f.noteId, otherNoteId: f.otherNoteId }), expected: noteMembersOnly, stored: nothing },
  { command: "note.unlinkTranslation", on: "another member's note", input: (f) => ({ noteId: f.noteId }), expected: noteMembersOnly, stored: nothing },
  {
    command: "noteComment.create",
    on: "another member's note",
    input: (f) => ({ noteId: f.noteId, anchorStart: ANCHOR, anchorEnd: ANCHOR, quote: "quoted", body: `Comment ${f.word}` }),
    expected: noteMembersOnly,
    stored: nothing,
  },
  { command: "noteComment.reply", on: "a thread on another member's note", input: (f) => ({ threadId: f.noteThreadId, body: `Reply ${f.word}` }), expected: noteMembersOnly, stored: nothing },
  { command: "noteComment.resolve", on: "a thread on another member's note", input: (f) => ({ threadId: f.noteThreadId }), expected: noteMembersOnly, stored: nothing },
  { command: "noteComment.reopen", on: "a thread on another member's note", input: (f) => ({ threadId: f.noteThreadId }), expected: noteMembersOnly, stored: nothing },
  { command: "noteComment.edit", on: "a comment on another member's note", input: (f) => ({ commentId: f.noteCommentId, body: `Edited ${f.word}` }), expected: noteMembersOnly, stored: nothing },
  { command: "noteComment.delete", on: "a comment on another member's note", input: (f) => ({ commentId: f.noteCommentId }), expected: noteMembersOnly, stored: nothing },
  { command: "noteComment.translate", on: "a comment on another member's note", input: (f) => ({ commentId: f.noteCommentId, language: "zh", body: `译文 ${f.word}` }), expected: noteMembersOnly, stored: nothing },
  { command: "noteComment.untranslate", on: "a comment on another member's note", input: (f) => ({ commentId: f.noteCommentId, language: "zh" }), expected: noteMembersOnly, stored: nothing },
  {
    command: "caseStudyComment.translate",
    on: "another member's comment (improving a third member's translation)",
    input: (f) => ({ commentId: f.commentId, language: "zh", body: `改进的译文 ${f.word}` }),
    expected: everyone,
    async stored(db, f, actor) {
      const row = await db.commentTranslation.findUniqueOrThrow({ where: { caseStudyCommentId_language: { caseStudyCommentId: f.commentId, language: "zh" } } });
      expect(row).toMatchObject({ text: `改进的译文 ${f.word}`, translatorId: actor.id, kind: "human" });
    },
  },
  {
    command: "caseStudyComment.untranslate",
    on: "a third member's translation of another member's comment",
    input: (f) => ({ commentId: f.commentId, language: "zh" }),
    expected: staff,
    async stored(db, f) {
      expect(await db.commentTranslation.count({ where: { caseStudyCommentId: f.commentId } })).toBe(0);
    },
  },
];

const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

/** Fresh objects of the world's thread author: a published case study, a topic, two notes. */
async function makeContentFixture(world: World): Promise<ContentFixture> {
  const { db } = world;
  const word = uniqueSuffix();
  const authorId = world.author.id;
  const caseStudyId = newId();
  const versionId = newId();
  const commentId = newId();
  await db.caseStudy.create({
    data: {
      id: caseStudyId,
      authorId,
      status: "published",
      publishedAt: new Date(),
      versions: { create: { id: versionId, language: "en", title: `Study ${word}`, content: doc(`Body ${word}`), text: `Body ${word}`, authorId } },
    },
  });
  await db.caseStudyComment.create({ data: { id: commentId, caseStudyId, authorId, content: doc(`Their comment ${word}`), text: `Their comment ${word}` } });
  // Translated into Chinese by another member (to remove).
  await db.commentTranslation.create({ data: { id: newId(), caseStudyCommentId: commentId, language: "zh", text: `他们的评论 ${word}`, kind: "human", translatorId: world.flagger.id, sourceText: `Their comment ${word}` } });
  const topic = await db.topic.create({ data: { id: newId(), slug: `matrix-${word.toLowerCase().replace(/[^a-z0-9]/g, "")}`, nameEn: `Matrix ${word}`, nameZh: `矩阵 ${word}`, position: 1000 } });
  const noteMember = world.flagger;
  const [noteId, otherNoteId] = [newId(), newId()];
  for (const [id, language] of [[noteId, "en"], [otherNoteId, "zh"]] as const) {
    await db.note.create({
      data: { id, title: `Note ${word} ${language}`, ownerId: authorId, language, members: { create: [{ userId: authorId, role: "owner" }, ...(id === noteId ? [{ userId: noteMember.id, role: "editor" as const }] : [])] } },
    });
  }
  const noteVersionId = newId();
  await db.noteVersion.create({ data: { id: noteVersionId, noteId, kind: "auto", snapshot: Buffer.from([0, 0]), authorId } });
  const noteThreadId = newId();
  const noteCommentId = newId();
  await db.noteCommentThread.create({
    data: { id: noteThreadId, noteId, authorId, anchorStart: new Uint8Array(randomBytes(4)), anchorEnd: new Uint8Array(randomBytes(4)), quote: "quoted", comments: { create: { id: noteCommentId, authorId, body: `Their note comment ${word}` } } },
  });
  const region = await db.region.findFirstOrThrow({ select: { id: true } });
  const dialogue = await db.dialogue.findFirstOrThrow({ select: { id: true } });
  const [outcomeId, proposalId, evidenceId] = [newId(), newId(), newId()];
  await db.outcome.create({
    data: {
      id: outcomeId,
      type: "policy_idea",
      titleEn: `Outcome ${word}`,
      titleZh: `成果 ${word}`,
      isPublic: true,
      proposedById: authorId,
      reviewedAt: new Date(),
      origins: { create: [{ kind: "case_study", refId: caseStudyId }] },
      evidence: { create: [{ id: evidenceId, url: "https://example.org/evidence", label: "Evidence" }] },
    },
  });
  await db.outcome.create({ data: { id: proposalId, type: "commitment", titleEn: `Proposal ${word}`, titleZh: `提议 ${word}`, proposedById: authorId } });
  const [surveyId, questionId, openSurveyId, openQuestionId] = [newId(), newId(), newId(), newId()];
  const yesNo = [{ id: "o1", en: "Yes", zh: "是" }, { id: "o2", en: "No", zh: "否" }];
  await db.survey.create({
    data: {
      id: surveyId,
      titleEn: `Draft survey ${word}`,
      titleZh: `问卷草稿 ${word}`,
      audience: "all_members",
      questions: {
        create: [
          { id: questionId, position: 1, type: "single_choice", promptEn: "First", promptZh: "第一", options: yesNo },
          { id: newId(), position: 2, type: "short_text", promptEn: "Second", promptZh: "第二" },
        ],
      },
    },
  });
  await db.survey.create({
    data: {
      id: openSurveyId,
      titleEn: `Open survey ${word}`,
      titleZh: `开放问卷 ${word}`,
      audience: "all_members",
      anonymous: true,
      openedAt: new Date(),
      opensAt: new Date(Date.now() - 60_000),
      announcedAt: new Date(),
      questions: { create: [{ id: openQuestionId, position: 1, type: "single_choice", required: true, promptEn: "Agree?", promptZh: "同意吗?", options: yesNo }] },
    },
  });
  return { surveyId, questionId, openSurveyId, openQuestionId, outcomeId, proposalId, evidenceId, dialogueId: dialogue.id, word, caseStudyId, versionId, commentId, topicId: topic.id, noteId, otherNoteId, noteVersionId, noteThreadId, noteCommentId, noteMemberId: noteMember.id, regionId: region.id };
}

/** Every table's rows (count and digest) but sessions: a refused command stores nothing. */
async function everyTable(db: PrismaClient): Promise<Record<string, string>> {
  const tables = await db.$queryRawUnsafe<{ table_name: string }[]>(
    "SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('sessions', '_prisma_migrations') ORDER BY table_name",
  );
  const sql = tables
    .map(({ table_name }) => {
      const from = rowsOf(table_name) ? `(SELECT ${rowsOf(table_name)} FROM "${table_name}")` : `"${table_name}"`;
      return `SELECT '${table_name}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM ${from} t`;
    })
    .join(" UNION ALL ");
  const rows = await db.$queryRawUnsafe<{ name: string; rows: number; hash: string }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.rows} rows, md5 ${r.hash}`]));
}

/** Runs one cell of the content matrix and checks its outcome. */
export async function runContentCell(world: World, row: ContentRow, actorName: ActorName, channel: Channel): Promise<void> {
  const { db, server } = world;
  const actor = world.actors[actorName];
  const f = await makeContentFixture(world);
  const before = await everyTable(db);
  const input = row.input(f);
  let outcome: CommandOutcome;
  if (channel === "http") {
    outcome = await apiCommand(server.url, row.command, input, { cookie: actor.session?.cookie });
  } else {
    if (!actor.socket) throw new Error(`${actorName} holds no socket`);
    await world.pace();
    outcome = await socketCommand(actor.socket, row.command, input);
  }
  const expected = expectedOutcome({ expected: row.expected } as Parameters<typeof expectedOutcome>[0], actorName, channel);
  expect(outcome.code, `${row.command} answered ${JSON.stringify(outcome).slice(0, 300)}`).toBe(expected);
  if (channel === "http") expect(outcome.status).toBe(STATUS_OF[expected]);
  if (expected === "ok") {
    await row.stored(db, f, actor.member!, outcome.result);
    return;
  }
  expect(outcome.message, "a refusal carries a message").toBeTruthy();
  expect(await everyTable(db), "a refused command stored something").toEqual(before);
}
