/**
 * Answering a survey (docs/decisions/031-survey-audiences-and-anonymity.md): a respondent reads
 * it in their language, saves a draft and comes back to it, and submits once. Anonymous surveys
 * store the response with no user reference and its time only to the day (the draft, which
 * must know whose it is, is deleted in the same transaction, and a separate receipt records
 * only that the respondent has answered); attributed surveys keep the respondent and let them
 * change their answers until the survey closes. Public-link respondents are known by their
 * browser; their submissions are rate-limited per address.
 */
import type { Country, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import type { Lang } from "~/i18n/config";
import { assertCan, can, isActive, type Actor } from "~/policy.server";
import { SURVEY_LONG_ANSWER_MAX, SURVEY_SHORT_ANSWER_MAX, type ParsedCommandInput } from "~/realtime/commands";
import { pick } from "~/utils/content";
import { AppError, type ErrorCode } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { respondentKey, surveyResource } from "./audience.server";
import { optionsOf, surveyInclude, surveyLanguage, surveyState, type SurveyRow } from "./surveys.server";

/** Public-link submissions: 20 per address per hour (enough for a family or an office). */
const publicLimiter = singleton("limiter:survey-public", () => createLimiter({ keyPrefix: "crn:survey-public", points: 20, duration: 60 * 60 }));

/**
 * Counts one submission through the public link from a client address (the page calls it before
 * the command, where the address is known).
 * @throws AppError rate_limited
 */
export async function limitPublicSubmission(clientAddress: string): Promise<void> {
  await consume(publicLimiter, clientAddress);
}

/** A stored answer: a choice or text, several choices, or a number. */
export type Answer = string | string[] | number;
export type Answers = Record<string, Answer>;

/** One answer's problem: its field (`q_<questionId>`), code and message values. */
export interface AnswerProblem {
  code: Extract<ErrorCode, "answer_required" | "answer_invalid" | "answer_out_of_range" | "answer_too_long">;
  params?: Record<string, string | number>;
}

type Regions = { id: string; country: Country }[];

async function regionsList(): Promise<Regions> {
  return prisma.region.findMany({ select: { id: true, country: true }, orderBy: { position: "asc" } });
}

/**
 * Checks and normalises answers against the questions: unknown questions are dropped, choices
 * must be the question's own, scales 1–5, numbers within their bounds (full-width digits
 * accepted), texts within their length. Required questions must be answered when `submitting`.
 * @returns the normalised answers and each problem by field `q_<questionId>`
 */
export function checkAnswers(
  questions: SurveyRow["questions"],
  raw: Record<string, unknown>,
  regions: Regions,
  submitting: boolean,
): { answers: Answers; problems: Record<string, AnswerProblem> } {
  const answers: Answers = {};
  const problems: Record<string, AnswerProblem> = {};
  for (const q of questions) {
    const field = `q_${q.id}`;
    const value = raw[q.id];
    const text = typeof value === "string" ? value.replace(/\r\n?/g, "\n").trim() : typeof value === "number" ? String(value) : "";
    const list = Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === "string" && v !== ""))] : text ? [text] : [];
    const empty = q.type === "multiple_choice" ? list.length === 0 : text === "";
    if (empty) {
      if (submitting && q.required) problems[field] = { code: "answer_required" };
      continue;
    }
    switch (q.type) {
      case "single_choice":
      case "multiple_choice": {
        const ids = new Set(optionsOf(q).map((o) => o.id));
        const chosen = q.type === "single_choice" ? [text] : list;
        if (!chosen.every((c) => ids.has(c))) problems[field] = { code: "answer_invalid" };
        else answers[q.id] = q.type === "single_choice" ? text : chosen;
        break;
      }
      case "region":
        if (!regions.some((r) => r.id === text)) problems[field] = { code: "answer_invalid" };
        else answers[q.id] = text;
        break;
      case "scale": {
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1 || n > 5) problems[field] = { code: "answer_out_of_range", params: { min: 1, max: 5 } };
        else answers[q.id] = n;
        break;
      }
      case "number": {
        // Full-width digits and the Chinese full stop as a decimal point are typed on Chinese keyboards.
        const n = Number(text.normalize("NFKC").replace(/。/g, ".").replace(/[,\s]/g, ""));
        if (!Number.isFinite(n)) problems[field] = { code: "answer_invalid" };
        else if ((q.minValue !== null && n < q.minValue) || (q.maxValue !== null && n > q.maxValue)) {
          problems[field] = { code: "answer_out_of_range", params: { min: q.minValue ?? "−∞", max: q.maxValue ?? "∞" } };
        } else answers[q.id] = n;
        break;
      }
      case "short_text":
      case "long_text": {
        const max = q.type === "short_text" ? SURVEY_SHORT_ANSWER_MAX : SURVEY_LONG_ANSWER_MAX;
        if ([...text].length > max) problems[field] = { code: "answer_too_long", params: { max } };
        else answers[q.id] = text;
        break;
      }
    }
  }
  return { answers, problems };
}

/**
 * Loads a survey the reader may answer, by id or (public link) by token.
 * @throws AppError not_found (no such survey, deleted, or the reader is outside its audience)
 */
async function readableSurvey(actor: Actor | null, where: { id?: string; token?: string }, browserKey?: string | null) {
  const survey = where.token
    ? await prisma.survey.findUnique({ where: { publicToken: where.token }, include: surveyInclude })
    : await prisma.survey.findUnique({ where: { id: where.id ?? "" }, include: surveyInclude });
  if (!survey || (where.token && where.id && survey.id !== where.id)) throw new AppError("not_found");
  const resource = await surveyResource(actor, survey, { token: where.token, browserKey });
  if (!can(actor, "survey.read", resource)) {
    // A signed-out reader of a members' survey is asked to sign in, a suspended member told so;
    // everyone else gets 404.
    if (!actor && !where.token && survey.audience !== "public_link" && survey.openedAt && !survey.deletedAt) assertCan(actor, "survey.read", resource);
    if (actor && !isActive(actor)) assertCan(actor, "survey.read", resource);
    throw new AppError("not_found");
  }
  return { survey, resource };
}

/** A question as the respondent sees it, in one language. */
export interface QuestionView {
  id: string;
  number: number;
  type: SurveyRow["questions"][number]["type"];
  prompt: string;
  help: string;
  section: string;
  required: boolean;
  options: { id: string; label: string }[];
  min: number | null;
  max: number | null;
}

function presentQuestions(survey: SurveyRow, lang: Lang, regionNames: { id: string; nameEn: string; nameZh: string }[]): QuestionView[] {
  return survey.questions.map((q, i) => ({
    id: q.id,
    number: i + 1,
    type: q.type,
    prompt: pick(lang, q.promptEn, q.promptZh),
    help: pick(lang, q.helpEn, q.helpZh),
    section: pick(lang, q.sectionEn, q.sectionZh),
    required: q.required,
    options:
      q.type === "region"
        ? regionNames.map((r) => ({ id: r.id, label: pick(lang, r.nameEn, r.nameZh) }))
        : q.type === "scale"
          ? ["1", "2", "3", "4", "5"].map((n) => ({ id: n, label: n }))
          : optionsOf(q).map((o) => ({ id: o.id, label: pick(lang, o.en, o.zh) })),
    min: q.minValue,
    max: q.maxValue,
  }));
}

/**
 * A survey for answering: its texts in the reader's language (or `preview`, for staff), the
 * questions, and the reader's draft or (attributed surveys) submitted answers.
 * @throws AppError unauthenticated (a members' survey, signed out) | not_found
 */
export async function getSurveyForAnswering(
  actor: Actor | null,
  where: { id?: string; token?: string },
  locale: Lang,
  options: { browserKey?: string | null; preview?: Lang | null } = {},
) {
  const { survey, resource } = await readableSurvey(actor, where, options.browserKey);
  const staff = can(actor, "survey.manage");
  const lang = staff && options.preview ? options.preview : surveyLanguage(survey, locale);
  const key = respondentKey(actor, options.browserKey);
  const [draft, response, regionNames] = await Promise.all([
    key ? prisma.surveyDraft.findUnique({ where: { surveyId_respondentKey: { surveyId: survey.id, respondentKey: key } } }) : null,
    !survey.anonymous && actor ? prisma.surveyResponse.findFirst({ where: { surveyId: survey.id, userId: actor.id } }) : null,
    prisma.region.findMany({ select: { id: true, nameEn: true, nameZh: true }, orderBy: { position: "asc" } }),
  ]);
  const state = surveyState(survey);
  return {
    id: survey.id,
    lang,
    title: pick(lang, survey.titleEn, survey.titleZh),
    intro: pick(lang, survey.introEn, survey.introZh),
    state,
    anonymous: survey.anonymous,
    closesAt: survey.closesAt?.toISOString() ?? null,
    questions: presentQuestions(survey, lang, regionNames),
    answers: ((draft?.answers ?? response?.answers ?? {}) as Answers),
    hasDraft: Boolean(draft),
    answered: resource.answered,
    /** Attributed respondents may change their answers until the survey closes. */
    canAnswer: state === "open" && resource.inAudience && (!resource.answered || (!survey.anonymous && Boolean(response))),
    canSeeResults: can(actor, "survey.results", resource),
    canManage: staff,
    publicToken: where.token ?? null,
  };
}

/**
 * Saves a draft, or submits (`submit`). Anonymous: the response has no user reference and the
 * day only. Attributed: one response per member, changed by later submissions until closing.
 * @throws AppError unauthenticated (no account and no browser key) | not_found | survey_closed |
 *   survey_answered | answer_* (field `q_<id>`: the first problem)
 */
export async function saveResponse(actor: Actor | null, input: ParsedCommandInput<"surveyResponse.save">) {
  const { survey, resource } = await readableSurvey(actor, { id: input.surveyId, token: input.token }, input.browserKey);
  const key = respondentKey(actor, input.browserKey);
  if (!key) throw new AppError("unauthenticated");
  // Staff may read any survey (to preview it), but answer only those they are in the audience of.
  if (!resource.inAudience) throw new AppError("not_found");
  if (surveyState(survey) !== "open") throw new AppError("survey_closed", "The survey is not open", "surveyId");
  const attributed = !survey.anonymous && key.startsWith("user:");
  if (resource.answered && !attributed) throw new AppError("survey_answered", "Already answered", "surveyId");
  const regions = await regionsList();
  const { answers, problems } = checkAnswers(survey.questions, input.answers, regions, input.submit);
  const [first] = Object.entries(problems);
  if (first) throw new AppError(first[1].code, "An answer needs attention", first[0], first[1].params);

  if (!input.submit) {
    if (resource.answered) throw new AppError("survey_answered", "Already answered: change and submit again", "surveyId");
    await prisma.surveyDraft.upsert({
      where: { surveyId_respondentKey: { surveyId: survey.id, respondentKey: key } },
      create: { surveyId: survey.id, respondentKey: key, answers: answers as Prisma.InputJsonObject },
      update: { answers: answers as Prisma.InputJsonObject, updatedAt: new Date() },
    });
    return { surveyId: survey.id, saved: "draft" as const };
  }

  // Where the respondent is from, for breakdowns: their answer to a region question, else their profile.
  const regionQuestion = survey.questions.find((q) => q.type === "region");
  const profileRegion = actor ? (await prisma.user.findUnique({ where: { id: actor.id }, select: { regionId: true } }))?.regionId ?? null : null;
  const regionId = (regionQuestion && typeof answers[regionQuestion.id] === "string" ? (answers[regionQuestion.id] as string) : null) ?? profileRegion;
  const country = regions.find((r) => r.id === regionId)?.country ?? null;
  const now = new Date();
  await prisma.$transaction(async (tx) => {
    if (attributed && resource.answered) {
      const changed = await tx.surveyResponse.updateMany({
        where: { surveyId: survey.id, userId: actor!.id },
        data: { answers: answers as Prisma.InputJsonObject, regionId, country, locale: input.locale, updatedAt: now },
      });
      if (changed.count !== 1) throw new AppError("survey_answered", "Already answered", "surveyId");
    } else {
      // The receipt first: its primary key makes a second submission (two tabs at once) fail here.
      const receipt = await tx.$executeRaw`INSERT INTO survey_receipts (survey_id, respondent_key) VALUES (${survey.id}, ${key}) ON CONFLICT DO NOTHING`;
      if (receipt !== 1) throw new AppError("survey_answered", "Already answered", "surveyId");
      await tx.surveyResponse.create({
        data: {
          id: newId(),
          surveyId: survey.id,
          userId: attributed ? actor!.id : null,
          regionId,
          country,
          locale: input.locale,
          answers: answers as Prisma.InputJsonObject,
          // Anonymous: the day only, so the time cannot be matched with anything else the member did.
          submittedAt: attributed ? now : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())),
        },
      });
    }
    await tx.surveyDraft.deleteMany({ where: { surveyId: survey.id, respondentKey: key } });
  });
  return { surveyId: survey.id, saved: "submitted" as const };
}

/**
 * Every problem with a submission at once (the command reports the first), so the form can mark
 * each question. Nothing is stored.
 */
export async function answerProblems(actor: Actor | null, input: { surveyId: string; token?: string; answers: Record<string, unknown>; submit: boolean; browserKey?: string }) {
  const { survey } = await readableSurvey(actor, { id: input.surveyId, token: input.token }, input.browserKey);
  return checkAnswers(survey.questions, input.answers, await regionsList(), input.submit).problems;
}

/** The survey a public link names ("unknown" when none: the command then answers 404). */
export async function surveyIdForToken(token: string): Promise<string> {
  if (!token || token.length > 100) return "";
  const survey = await prisma.survey.findUnique({ where: { publicToken: token }, select: { id: true } });
  return survey?.id ?? "unknown";
}
