/**
 * Writing surveys (docs/decisions/030-surveys.md): staff write a survey's title, introduction
 * and questions in English and Chinese side by side, choose its audience, rules and dates, and
 * open it; it opens only when both languages are filled (or it is marked single-language on
 * purpose) and it has a question. Once opened, its questions keep their type and choices
 * (answers refer to them); their texts can still be corrected.
 */
import type { Prisma, SurveyQuestion, SurveyQuestionType } from "@prisma/client";
import { prisma } from "~/db.server";
import type { Lang } from "~/i18n/config";
import { assertCan, can, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { pick } from "~/utils/content";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { newSecretToken } from "~/utils/tokens.server";
import { logStaffAction } from "../moderation.server";
import { announceOpening } from "./announcements.server";
import { respondentKey, surveyResource } from "./audience.server";

/** One choice of a choice question, as stored. */
export interface SurveyOption {
  id: string;
  en: string;
  zh: string;
}

export const surveyInclude = {
  regions: true,
  questions: { orderBy: { position: "asc" } },
} as const satisfies Prisma.SurveyInclude;

export type SurveyRow = Prisma.SurveyGetPayload<{ include: typeof surveyInclude }>;

/** Choice questions carry options; the scale's are fixed (1–5), the region question's the regions. */
export const CHOICE_TYPES: readonly SurveyQuestionType[] = ["single_choice", "multiple_choice"];

export function optionsOf(question: Pick<SurveyQuestion, "options">): SurveyOption[] {
  return Array.isArray(question.options) ? (question.options as unknown as SurveyOption[]) : [];
}

/** Where a survey stands now: a draft, opened but not yet begun, open, or closed. */
export type SurveyState = "draft" | "scheduled" | "open" | "closed";

export function surveyState(survey: { openedAt: Date | null; opensAt: Date | null; closesAt: Date | null }, now = new Date()): SurveyState {
  if (!survey.openedAt) return "draft";
  if (survey.closesAt && survey.closesAt <= now) return "closed";
  if (survey.opensAt && survey.opensAt > now) return "scheduled";
  return "open";
}

/** The language a reader answers in: theirs, unless the survey is written in one language only. */
export function surveyLanguage(survey: { singleLanguage: Lang | null }, locale: Lang): Lang {
  return survey.singleLanguage ?? locale;
}

/**
 * @throws AppError not_found (no such survey, or deleted)
 */
async function loadSurvey(surveyId: string, db: Prisma.TransactionClient = prisma): Promise<SurveyRow> {
  const survey = await db.survey.findUnique({ where: { id: surveyId }, include: surveyInclude });
  if (!survey || survey.deletedAt) throw new AppError("not_found");
  return survey;
}

/** Parses "English | 中文" lines (or the API's array) into options, keeping ids by position. */
function parseOptions(raw: string | { en: string; zh: string }[], previous: SurveyOption[] = []): SurveyOption[] {
  const items = typeof raw === "string"
    ? raw
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const [en = "", ...rest] = line.split("|");
          return { en: en.trim(), zh: rest.join("|").trim() };
        })
    : raw.filter((o) => o.en || o.zh);
  return items.map((o, i) => ({ id: previous[i]?.id ?? `o${i + 1}`, en: o.en.slice(0, 500), zh: o.zh.slice(0, 500) }));
}

type QuestionInput = ParsedCommandInput<"surveyQuestion.add">;

/** A question's stored fields from the form, checked. @throws AppError options_required | validation */
function questionData(input: Omit<QuestionInput, "surveyId">, previous?: SurveyOption[]) {
  const options = CHOICE_TYPES.includes(input.type) ? parseOptions(input.options, previous) : [];
  if (CHOICE_TYPES.includes(input.type) && options.length < 2) throw new AppError("options_required", "A choice question needs two choices", "options");
  if (options.length > 30) throw new AppError("validation", "Too many choices", "options");
  if (!input.promptEn && !input.promptZh) throw new AppError("title_required", "A question in either language", "promptEn");
  const numeric = input.type === "number";
  if (numeric && input.minValue !== null && input.maxValue !== null && input.minValue > input.maxValue) throw new AppError("validation", "Minimum above maximum", "minValue");
  return {
    type: input.type,
    promptEn: input.promptEn,
    promptZh: input.promptZh,
    helpEn: input.helpEn,
    helpZh: input.helpZh,
    sectionEn: input.sectionEn,
    sectionZh: input.sectionZh,
    required: input.required,
    options: options as unknown as Prisma.InputJsonValue,
    minValue: numeric ? input.minValue : null,
    maxValue: numeric ? input.maxValue : null,
  };
}

type SurveyInput = ParsedCommandInput<"survey.create">;

/** Checks the audience and dates. @throws AppError survey_audience_invalid | survey_dates_invalid */
async function checkSettings(input: SurveyInput): Promise<void> {
  if (input.audience === "regions") {
    if (input.regionIds.length === 0) throw new AppError("survey_audience_invalid", "Choose at least one region", "regionIds");
    const found = await prisma.region.count({ where: { id: { in: input.regionIds } } });
    if (found !== new Set(input.regionIds).size) throw new AppError("validation", "Unknown region", "regionIds");
  }
  if (input.audience === "dialogue") {
    if (!input.dialogueId) throw new AppError("survey_audience_invalid", "Choose a dialogue", "dialogueId");
    const dialogue = await prisma.dialogue.findUnique({ where: { id: input.dialogueId }, select: { id: true } });
    if (!dialogue) throw new AppError("survey_audience_invalid", "Unknown dialogue", "dialogueId");
  }
  if (input.opensAt && input.closesAt && input.closesAt <= input.opensAt) throw new AppError("survey_dates_invalid", "Closes before it opens", "closesAt");
}

function settingsData(input: SurveyInput) {
  return {
    titleEn: input.titleEn,
    titleZh: input.titleZh,
    introEn: input.introEn,
    introZh: input.introZh,
    singleLanguage: input.singleLanguage,
    audience: input.audience,
    dialogueId: input.audience === "dialogue" ? input.dialogueId : null,
    anonymous: input.anonymous,
    sharesResults: input.sharesResults,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
  };
}

/**
 * Staff write a new survey (a draft).
 * @throws AppError unauthenticated | suspended | forbidden | title_required | survey_audience_invalid | survey_dates_invalid
 */
export async function createSurvey(actor: Actor | null, input: SurveyInput) {
  assertCan(actor, "survey.manage");
  if (!input.titleEn && !input.titleZh) throw new AppError("title_required", "A title in either language", "titleEn");
  await checkSettings(input);
  const id = newId();
  await prisma.$transaction(async (tx) => {
    await tx.survey.create({
      data: {
        id,
        ...settingsData(input),
        publicToken: input.audience === "public_link" ? newSecretToken(18) : null,
        createdById: actor.id,
        regions: { create: input.audience === "regions" ? [...new Set(input.regionIds)].map((regionId) => ({ regionId })) : [] },
      },
    });
    await logStaffAction(tx, { actorId: actor.id, action: "survey.create", targetType: "survey", targetId: id });
  });
  return { surveyId: id };
}

/**
 * Staff edit a survey's settings (from the revision they saw). A survey already opened keeps
 * its anonymity: responses were given under that promise.
 * @throws AppError … | not_found | edit_conflict | survey_locked
 */
export async function updateSurvey(actor: Actor | null, input: ParsedCommandInput<"survey.update">) {
  assertCan(actor, "survey.manage");
  const survey = await loadSurvey(input.surveyId);
  if (!input.titleEn && !input.titleZh) throw new AppError("title_required", "A title in either language", "titleEn");
  await checkSettings(input);
  if (survey.openedAt && survey.anonymous !== input.anonymous) throw new AppError("survey_locked", "Anonymity cannot change once opened", "anonymous");
  await prisma.$transaction(async (tx) => {
    const updated = await tx.survey.updateMany({
      where: { id: survey.id, deletedAt: null, ...(input.baseRevision !== undefined ? { revision: input.baseRevision } : {}) },
      data: {
        ...settingsData(input),
        publicToken: input.audience === "public_link" ? (survey.publicToken ?? newSecretToken(18)) : survey.publicToken,
        revision: { increment: 1 },
        updatedAt: new Date(),
      },
    });
    if (updated.count !== 1) throw new AppError("edit_conflict", "The survey changed meanwhile", "baseRevision");
    await tx.surveyRegion.deleteMany({ where: { surveyId: survey.id } });
    if (input.audience === "regions") {
      await tx.surveyRegion.createMany({ data: [...new Set(input.regionIds)].map((regionId) => ({ surveyId: survey.id, regionId })) });
    }
    await logStaffAction(tx, { actorId: actor.id, action: "survey.update", targetType: "survey", targetId: survey.id });
  });
  return { surveyId: survey.id };
}

/** What is missing before a survey can open (field → code). */
export function openingProblems(survey: SurveyRow): { field: string; code: "survey_incomplete" | "survey_no_questions" }[] {
  const problems: { field: string; code: "survey_incomplete" | "survey_no_questions" }[] = [];
  const langs: Lang[] = survey.singleLanguage ? [survey.singleLanguage] : ["en", "zh"];
  for (const lang of langs) {
    const suffix = lang === "en" ? "En" : "Zh";
    if (!survey[`title${suffix}`]) problems.push({ field: `title${suffix}`, code: "survey_incomplete" });
    survey.questions.forEach((q) => {
      if (!q[`prompt${suffix}`]) problems.push({ field: `question.${q.id}.prompt${suffix}`, code: "survey_incomplete" });
      if (optionsOf(q).some((o) => !o[lang])) problems.push({ field: `question.${q.id}.options${suffix}`, code: "survey_incomplete" });
      if (q[`section${lang === "en" ? "Zh" : "En"}`] && !q[`section${suffix}`]) problems.push({ field: `question.${q.id}.section${suffix}`, code: "survey_incomplete" });
      if (q[`help${lang === "en" ? "Zh" : "En"}`] && !q[`help${suffix}`]) problems.push({ field: `question.${q.id}.help${suffix}`, code: "survey_incomplete" });
    });
    if (survey[`intro${lang === "en" ? "Zh" : "En"}`] && !survey[`intro${suffix}`]) problems.push({ field: `intro${suffix}`, code: "survey_incomplete" });
  }
  if (survey.questions.length === 0) problems.unshift({ field: "questions", code: "survey_no_questions" });
  return problems;
}

/**
 * Staff open a draft: it must be complete in its languages and have a question. When it opens
 * at once, its audience is told in the same transaction (later openings: the next tick).
 * @throws AppError … | survey_incomplete | survey_no_questions | survey_locked (already opened)
 */
export async function openSurvey(actor: Actor | null, input: ParsedCommandInput<"survey.open">) {
  assertCan(actor, "survey.manage");
  const survey = await loadSurvey(input.surveyId);
  if (survey.openedAt) throw new AppError("survey_locked", "Already opened", "surveyId");
  const [problem] = openingProblems(survey);
  if (problem) throw new AppError(problem.code, "The survey is not complete", problem.field);
  if (survey.closesAt && survey.closesAt <= new Date()) throw new AppError("survey_dates_invalid", "It would close at once", "closesAt");
  const notified = await prisma.$transaction(async (tx) => {
    const now = new Date();
    const opened = await tx.survey.updateMany({ where: { id: survey.id, openedAt: null }, data: { openedAt: now, opensAt: survey.opensAt ?? now, updatedAt: now } });
    if (opened.count !== 1) throw new AppError("survey_locked", "Already opened", "surveyId");
    await logStaffAction(tx, { actorId: actor.id, action: "survey.open", targetType: "survey", targetId: survey.id });
    return (survey.opensAt ?? now) <= now ? announceOpening(tx, survey.id) : null;
  });
  await notified?.publishCounts();
  return { surveyId: survey.id };
}

/** Staff close an opened survey now. @throws AppError … | survey_closed */
export async function closeSurvey(actor: Actor | null, input: ParsedCommandInput<"survey.close">) {
  assertCan(actor, "survey.manage");
  const survey = await loadSurvey(input.surveyId);
  if (surveyState(survey) === "closed" || !survey.openedAt) throw new AppError("survey_closed", "Not open", "surveyId");
  await prisma.$transaction(async (tx) => {
    await tx.survey.update({ where: { id: survey.id }, data: { closesAt: new Date(), updatedAt: new Date(), revision: { increment: 1 } } });
    await logStaffAction(tx, { actorId: actor.id, action: "survey.close", targetType: "survey", targetId: survey.id });
  });
  return { surveyId: survey.id };
}

/** Staff delete a survey (and with it every draft; responses stay in the database, unread). */
export async function deleteSurvey(actor: Actor | null, input: ParsedCommandInput<"survey.delete">) {
  assertCan(actor, "survey.manage");
  const survey = await loadSurvey(input.surveyId);
  await prisma.$transaction(async (tx) => {
    await tx.survey.update({ where: { id: survey.id }, data: { deletedAt: new Date() } });
    await tx.surveyDraft.deleteMany({ where: { surveyId: survey.id } });
    await logStaffAction(tx, { actorId: actor.id, action: "survey.delete", targetType: "survey", targetId: survey.id });
  });
  return { surveyId: survey.id };
}

async function loadQuestion(questionId: string) {
  const question = await prisma.surveyQuestion.findUnique({ where: { id: questionId }, include: { survey: { include: surveyInclude } } });
  if (!question || question.survey.deletedAt) throw new AppError("not_found");
  return question;
}

async function touch(tx: Prisma.TransactionClient, surveyId: string): Promise<void> {
  await tx.survey.update({ where: { id: surveyId }, data: { updatedAt: new Date(), revision: { increment: 1 } } });
}

/** Adds a question at the end. @throws AppError … | survey_locked (opened) | options_required */
export async function addQuestion(actor: Actor | null, input: QuestionInput) {
  assertCan(actor, "survey.manage");
  const survey = await loadSurvey(input.surveyId);
  if (survey.openedAt) throw new AppError("survey_locked", "Questions are fixed once opened", "surveyId");
  if (survey.questions.length >= 100) throw new AppError("validation", "Too many questions", "surveyId");
  const data = questionData(input);
  const id = newId();
  await prisma.$transaction(async (tx) => {
    const last = await tx.surveyQuestion.aggregate({ where: { surveyId: survey.id }, _max: { position: true } });
    await tx.surveyQuestion.create({ data: { id, surveyId: survey.id, position: (last._max.position ?? 0) + 1, ...data } });
    await touch(tx, survey.id);
  });
  return { questionId: id };
}

/**
 * Edits a question. Once the survey is opened its type and number of choices stay (answers
 * refer to them); texts may still be corrected.
 * @throws AppError … | survey_locked | options_required
 */
export async function updateQuestion(actor: Actor | null, input: ParsedCommandInput<"surveyQuestion.update">) {
  assertCan(actor, "survey.manage");
  const question = await loadQuestion(input.questionId);
  const previous = optionsOf(question);
  const data = questionData(input, previous);
  if (question.survey.openedAt) {
    const newOptions = data.options as unknown as SurveyOption[];
    if (data.type !== question.type || newOptions.length !== previous.length) throw new AppError("survey_locked", "Type and choices are fixed once opened", "type");
  }
  await prisma.$transaction(async (tx) => {
    await tx.surveyQuestion.update({ where: { id: question.id }, data });
    await touch(tx, question.surveyId);
  });
  return { questionId: question.id };
}

/** Moves a question up or down. @throws AppError … | survey_locked */
export async function moveQuestion(actor: Actor | null, input: ParsedCommandInput<"surveyQuestion.move">) {
  assertCan(actor, "survey.manage");
  const question = await loadQuestion(input.questionId);
  if (question.survey.openedAt) throw new AppError("survey_locked", "Questions are fixed once opened", "questionId");
  const list = question.survey.questions;
  const at = list.findIndex((q) => q.id === question.id);
  const other = list[input.direction === "up" ? at - 1 : at + 1];
  if (!other) return { questionId: question.id };
  await prisma.$transaction(async (tx) => {
    await tx.surveyQuestion.update({ where: { id: question.id }, data: { position: other.position } });
    await tx.surveyQuestion.update({ where: { id: other.id }, data: { position: question.position } });
    await touch(tx, question.surveyId);
  });
  return { questionId: question.id };
}

/** Removes a question from a draft. @throws AppError … | survey_locked */
export async function removeQuestion(actor: Actor | null, input: ParsedCommandInput<"surveyQuestion.remove">) {
  assertCan(actor, "survey.manage");
  const question = await loadQuestion(input.questionId);
  if (question.survey.openedAt) throw new AppError("survey_locked", "Questions are fixed once opened", "questionId");
  await prisma.$transaction(async (tx) => {
    await tx.surveyQuestion.delete({ where: { id: question.id } });
    await touch(tx, question.surveyId);
  });
  return { questionId: question.id };
}

/** A survey in a list, in the reader's language. */
export interface SurveyCard {
  id: string;
  title: string;
  state: SurveyState;
  anonymous: boolean;
  audience: SurveyRow["audience"];
  closesAt: string | null;
  opensAt: string | null;
  /** For respondents: not started, a draft saved, or answered. */
  progress: "new" | "draft" | "answered";
  responses: number | null;
}

/**
 * `/surveys`: the open surveys the member may answer (with their progress), the closed ones they
 * answered; staff get every survey with its response count.
 */
export async function listSurveys(actor: Actor | null, locale: Lang) {
  const staff = can(actor, "survey.manage");
  const rows = await prisma.survey.findMany({
    where: { deletedAt: null, ...(staff ? {} : { openedAt: { not: null }, audience: { not: "public_link" } }) },
    include: { regions: true, _count: { select: { responses: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
  });
  const key = respondentKey(actor);
  const [drafts, receipts] = key
    ? await Promise.all([
        prisma.surveyDraft.findMany({ where: { respondentKey: key }, select: { surveyId: true } }),
        prisma.surveyReceipt.findMany({ where: { respondentKey: key }, select: { surveyId: true } }),
      ])
    : [[], []];
  const cards: SurveyCard[] = [];
  for (const row of rows) {
    const resource = await surveyResource(actor, row);
    if (!can(actor, "survey.read", resource)) continue;
    const state = surveyState(row);
    const progress = receipts.some((r) => r.surveyId === row.id) ? "answered" : drafts.some((d) => d.surveyId === row.id) ? "draft" : "new";
    if (!staff && state !== "open" && progress !== "answered") continue;
    cards.push({
      id: row.id,
      title: pick(locale, row.titleEn, row.titleZh),
      state,
      anonymous: row.anonymous,
      audience: row.audience,
      closesAt: row.closesAt?.toISOString() ?? null,
      opensAt: row.opensAt?.toISOString() ?? null,
      progress,
      responses: staff ? row._count.responses : null,
    });
  }
  return { surveys: cards, canManage: staff };
}

/**
 * A survey for its authoring page: every field in both languages, what is missing before it can
 * open, its public link. Staff only.
 * @throws AppError unauthenticated | suspended | forbidden | not_found
 */
export async function getSurveyForEditing(actor: Actor | null, surveyId: string) {
  assertCan(actor, "survey.manage");
  const survey = await loadSurvey(surveyId);
  const responses = await prisma.surveyResponse.count({ where: { surveyId } });
  return {
    ...survey,
    opensAt: survey.opensAt?.toISOString() ?? null,
    closesAt: survey.closesAt?.toISOString() ?? null,
    openedAt: survey.openedAt?.toISOString() ?? null,
    createdAt: survey.createdAt.toISOString(),
    updatedAt: survey.updatedAt.toISOString(),
    deletedAt: null,
    announcedAt: survey.announcedAt?.toISOString() ?? null,
    remindedAt: survey.remindedAt?.toISOString() ?? null,
    regionIds: survey.regions.map((r) => r.regionId),
    questions: survey.questions.map((q) => ({ ...q, options: optionsOf(q) })),
    state: surveyState(survey),
    problems: openingProblems(survey),
    responses,
  };
}

/** The regions and dialogues a survey's audience can be chosen from, in the reader's language. */
export async function surveyAudienceChoices(locale: Lang) {
  const [regions, dialogues] = await Promise.all([
    prisma.region.findMany({ orderBy: { position: "asc" }, select: { id: true, nameEn: true, nameZh: true } }),
    prisma.dialogue.findMany({ orderBy: [{ series: { position: "asc" } }, { position: "asc" }], select: { id: true, titleEn: true, titleZh: true } }),
  ]);
  return {
    regions: regions.map((r) => ({ id: r.id, name: pick(locale, r.nameEn, r.nameZh) })),
    dialogues: dialogues.map((d) => ({ id: d.id, title: pick(locale, d.titleEn, d.titleZh) })),
  };
}
