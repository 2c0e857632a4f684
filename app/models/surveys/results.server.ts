/**
 * A survey's results (docs/decisions/032-survey-results-charts-and-csv.md): per question, counts
 * and percentages of those who answered it, with a breakdown by country (U.S. and China side by
 * side) and by region; numbers' mean, median and range; free-text answers (staff only: they are
 * other people's words). Anonymous surveys withhold every breakdown cell under
 * `SMALL_CELL_MIN` answers, so no one is re-identified by where they live.
 *
 * The CSV (one row per response, UTF-8 with a BOM so Excel reads Chinese) and the JSON are
 * staff-only: they carry each response.
 */
import type { Country, Locale } from "@prisma/client";
import { stringify } from "csv-stringify/sync";
import { prisma } from "~/db.server";
import type { Lang } from "~/i18n/config";
import { assertCan, can, type Actor } from "~/policy.server";
import { pick } from "~/utils/content";
import { AppError } from "~/utils/errors";
import { surveyResource } from "./audience.server";
import { optionsOf, surveyInclude, surveyState, type SurveyRow } from "./surveys.server";
import type { Answer } from "./responses.server";

/** Breakdown groups with fewer answers than this are withheld on anonymous surveys. */
export const SMALL_CELL_MIN = 5;

export interface OptionCount {
  id: string;
  label: string;
  count: number;
  /** Of those in the group who answered the question, 0–100 (one decimal). */
  percent: number;
}

export interface GroupCounts {
  key: string;
  label: string;
  /** How many in the group answered the question. */
  answered: number;
  /** Fewer than SMALL_CELL_MIN answers on an anonymous survey: nothing else is given. */
  withheld: boolean;
  options: OptionCount[];
}

export interface QuestionResult {
  id: string;
  number: number;
  type: SurveyRow["questions"][number]["type"];
  prompt: string;
  section: string;
  answered: number;
  options: OptionCount[];
  stats: { mean: number; median: number; min: number; max: number } | null;
  byCountry: GroupCounts[];
  byRegion: GroupCounts[];
  /** Free-text answers (staff only), newest response first. */
  texts: string[] | null;
}

type ResponseRow = { id: string; regionId: string | null; country: Country | null; answers: unknown };

function percent(count: number, of: number): number {
  return of === 0 ? 0 : Math.round((count / of) * 1000) / 10;
}

function valueOf(response: ResponseRow, questionId: string): Answer | undefined {
  const answers = (response.answers ?? {}) as Record<string, Answer>;
  return answers[questionId];
}

function chosen(value: Answer | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}

function countOptions(options: { id: string; label: string }[], responses: ResponseRow[], questionId: string): { answered: number; options: OptionCount[] } {
  const counts = new Map(options.map((o) => [o.id, 0]));
  let answered = 0;
  for (const r of responses) {
    const picks = chosen(valueOf(r, questionId));
    if (picks.length === 0) continue;
    answered += 1;
    for (const p of picks) if (counts.has(p)) counts.set(p, counts.get(p)! + 1);
  }
  return { answered, options: options.map((o) => ({ ...o, count: counts.get(o.id)!, percent: percent(counts.get(o.id)!, answered) })) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The results a reader may see.
 * @throws AppError unauthenticated | not_found (outside the audience, or results not shared with them)
 */
export async function getSurveyResults(actor: Actor | null, surveyId: string, locale: Lang) {
  const survey = await prisma.survey.findUnique({ where: { id: surveyId }, include: surveyInclude });
  if (!survey) throw new AppError("not_found");
  const resource = await surveyResource(actor, survey);
  if (!actor && !survey.deletedAt) assertCan(actor, "survey.results", resource);
  const staff = !survey.deletedAt && can(actor, "survey.manage");
  if (!staff) {
    // Respondents of a survey that shares results; anyone else cannot tell the results exist.
    if (!can(actor, "survey.results", resource)) throw new AppError("not_found");
  }
  const [responses, regions] = await Promise.all([
    prisma.surveyResponse.findMany({ where: { surveyId }, select: { id: true, regionId: true, country: true, answers: true }, orderBy: [{ submittedAt: "desc" }, { id: "asc" }] }),
    prisma.region.findMany({ select: { id: true, nameEn: true, nameZh: true, country: true }, orderBy: { position: "asc" } }),
  ]);
  const countries: { key: Country; label: string }[] = [
    { key: "US", label: locale === "zh" ? "美国" : "United States" },
    { key: "CN", label: locale === "zh" ? "中国" : "China" },
  ];
  const withhold = survey.anonymous;
  const group = (key: string, label: string, members: ResponseRow[], options: { id: string; label: string }[], questionId: string): GroupCounts => {
    const counted = countOptions(options, members, questionId);
    const withheld = withhold && counted.answered < SMALL_CELL_MIN;
    return { key, label, answered: withheld ? 0 : counted.answered, withheld, options: withheld ? [] : counted.options };
  };
  const questions: QuestionResult[] = survey.questions.map((q, i) => {
    const base = { id: q.id, number: i + 1, type: q.type, prompt: pick(locale, q.promptEn, q.promptZh), section: pick(locale, q.sectionEn, q.sectionZh) };
    const options =
      q.type === "region"
        ? regions.map((r) => ({ id: r.id, label: pick(locale, r.nameEn, r.nameZh) }))
        : q.type === "scale"
          ? ["1", "2", "3", "4", "5"].map((n) => ({ id: n, label: n }))
          : optionsOf(q).map((o) => ({ id: o.id, label: pick(locale, o.en, o.zh) }));
    if (q.type === "short_text" || q.type === "long_text") {
      const texts = responses.map((r) => valueOf(r, q.id)).filter((v): v is string => typeof v === "string" && v !== "");
      return { ...base, answered: texts.length, options: [], stats: null, byCountry: [], byRegion: [], texts: staff ? texts : null };
    }
    if (q.type === "number") {
      const values = responses.map((r) => valueOf(r, q.id)).filter((v): v is number => typeof v === "number");
      const stats = values.length ? { mean: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100, median: median(values), min: Math.min(...values), max: Math.max(...values) } : null;
      return { ...base, answered: values.length, options: [], stats, byCountry: [], byRegion: [], texts: null };
    }
    const overall = countOptions(options, responses, q.id);
    const scaleValues = q.type === "scale" ? responses.map((r) => valueOf(r, q.id)).filter((v): v is number => typeof v === "number") : [];
    return {
      ...base,
      answered: overall.answered,
      options: overall.options,
      stats: scaleValues.length ? { mean: Math.round((scaleValues.reduce((a, b) => a + b, 0) / scaleValues.length) * 100) / 100, median: median(scaleValues), min: Math.min(...scaleValues), max: Math.max(...scaleValues) } : null,
      // A region question is its own breakdown.
      byCountry: q.type === "region" ? [] : countries.map((c) => group(c.key, c.label, responses.filter((r) => r.country === c.key), options, q.id)),
      byRegion: q.type === "region" ? [] : regions
        .filter((r) => responses.some((x) => x.regionId === r.id))
        .map((r) => group(r.id, pick(locale, r.nameEn, r.nameZh), responses.filter((x) => x.regionId === r.id), options, q.id)),
      texts: null,
    };
  });
  return {
    id: survey.id,
    title: pick(locale, survey.titleEn, survey.titleZh),
    state: surveyState(survey),
    anonymous: survey.anonymous,
    total: responses.length,
    questions,
    smallCellMin: SMALL_CELL_MIN,
    canExport: staff,
  };
}

/** The rows of an export, for staff. @throws AppError unauthenticated | suspended | forbidden | not_found */
async function exportRows(actor: Actor | null, surveyId: string) {
  assertCan(actor, "survey.manage");
  const survey = await prisma.survey.findUnique({ where: { id: surveyId }, include: surveyInclude });
  if (!survey || survey.deletedAt) throw new AppError("not_found");
  const [responses, regions] = await Promise.all([
    prisma.surveyResponse.findMany({
      where: { surveyId },
      orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
      include: { user: { select: { displayName: true, email: true } } },
    }),
    prisma.region.findMany({ select: { id: true, slug: true, nameEn: true, nameZh: true } }),
  ]);
  return { survey, responses, regions };
}

/** An answer as export text: the choice's label in both languages, numbers and texts as given. */
function answerText(question: SurveyRow["questions"][number], value: Answer | undefined, regions: { id: string; nameEn: string; nameZh: string }[]): string {
  if (value === undefined) return "";
  if (question.type === "region") {
    const region = regions.find((r) => r.id === value);
    return region ? `${region.nameEn} / ${region.nameZh}` : String(value);
  }
  if (question.type === "single_choice" || question.type === "multiple_choice") {
    const options = optionsOf(question);
    return chosen(value)
      .map((id) => {
        const o = options.find((x) => x.id === id);
        return o ? [o.en, o.zh].filter(Boolean).join(" / ") : id;
      })
      .join("; ");
  }
  return String(value);
}

/**
 * The CSV: one row per response (id, day submitted, language, region, country, for attributed
 * surveys the respondent, then one column per question headed in both languages), UTF-8 with a
 * byte-order mark so Excel opens Chinese correctly.
 */
export async function surveyCsv(actor: Actor | null, surveyId: string): Promise<{ filename: string; body: string }> {
  const { survey, responses, regions } = await exportRows(actor, surveyId);
  const header = [
    "response_id",
    "submitted",
    "language",
    "region",
    "country",
    ...(survey.anonymous ? [] : ["respondent", "respondent_email"]),
    ...survey.questions.map((q, i) => `Q${i + 1}. ${[q.promptEn, q.promptZh].filter(Boolean).join(" / ")}`),
  ];
  const rows = responses.map((r) => {
    const region = regions.find((x) => x.id === r.regionId);
    const answers = (r.answers ?? {}) as Record<string, Answer>;
    return [
      r.id,
      survey.anonymous ? r.submittedAt.toISOString().slice(0, 10) : r.submittedAt.toISOString(),
      r.locale satisfies Locale,
      region ? `${region.nameEn} / ${region.nameZh}` : "",
      r.country ?? "",
      ...(survey.anonymous ? [] : [r.user?.displayName ?? "", r.user?.email ?? ""]),
      ...survey.questions.map((q) => answerText(q, answers[q.id], regions)),
    ];
  });
  // A formula-looking cell ("=…", "+…") is prefixed so a spreadsheet shows it rather than runs it (OWASP CSV injection).
  const safe = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
  const body = stringify([header, ...rows.map((row) => row.map((cell) => safe(String(cell))))], { bom: true, record_delimiter: "\r\n" });
  return { filename: `survey-${survey.id}.csv`, body };
}

/** The JSON export: the survey, its questions (both languages) and every response. */
export async function surveyJson(actor: Actor | null, surveyId: string) {
  const { survey, responses, regions } = await exportRows(actor, surveyId);
  return {
    survey: { id: survey.id, titleEn: survey.titleEn, titleZh: survey.titleZh, anonymous: survey.anonymous, audience: survey.audience, state: surveyState(survey) },
    questions: survey.questions.map((q, i) => ({ id: q.id, number: i + 1, type: q.type, promptEn: q.promptEn, promptZh: q.promptZh, required: q.required, options: optionsOf(q) })),
    responses: responses.map((r) => ({
      id: r.id,
      submitted: survey.anonymous ? r.submittedAt.toISOString().slice(0, 10) : r.submittedAt.toISOString(),
      language: r.locale,
      region: regions.find((x) => x.id === r.regionId)?.slug ?? null,
      country: r.country,
      ...(survey.anonymous ? {} : { respondent: r.user ? { name: r.user.displayName, email: r.user.email } : null }),
      answers: r.answers,
    })),
  };
}
