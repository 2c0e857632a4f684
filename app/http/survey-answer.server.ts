/**
 * The answer pages' loader and action, shared by `/surveys/<id>` (members) and `/s/<token>`
 * (the public link). Someone without an account is known by a random key in a cookie of this
 * browser (one response per browser, docs/decisions/031-survey-audiences-and-anonymity.md).
 */
import type { AppLoadContext } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { parse, serialize } from "cookie";
import { getActor } from "./auth.server";
import { commandErrorResponse, failedOutcome, runRequestCommand } from "./commands.server";
import { answersFromForm } from "~/components/surveys";
import { resolveLocale } from "~/i18n/i18n.server";
import { isLang } from "~/i18n/config";
import { answerProblems, getSurveyForAnswering, limitPublicSubmission } from "~/models/surveys/responses.server";
import { isAppError } from "~/utils/errors";
import { loadOrThrow } from "~/utils/http.server";
import { newSecretToken } from "~/utils/tokens.server";

const browserCookieName = (secure: boolean) => (secure ? "__Host-crn_survey" : "crn_survey");
const KEY = /^[A-Za-z0-9_-]{16,100}$/;

/** The browser's key from its cookie, or a new one and the cookie that sets it. */
function browserKey(request: Request, context: AppLoadContext): { key: string; setCookie: string | null } {
  const existing = parse(request.headers.get("Cookie") ?? "")[browserCookieName(context.secure)];
  if (existing && KEY.test(existing)) return { key: existing, setCookie: null };
  const key = newSecretToken(24);
  const setCookie = serialize(browserCookieName(context.secure), key, { httpOnly: true, sameSite: "lax", path: "/", secure: context.secure, maxAge: 365 * 24 * 60 * 60 });
  return { key, setCookie };
}

interface Where {
  id?: string;
  token?: string;
}

/** The survey for answering, with the page's address (for the form) and a browser cookie when public. */
export async function surveyAnswerLoader(request: Request, context: AppLoadContext, where: Where) {
  const locale = await resolveLocale(request, context);
  const actor = getActor(context);
  const url = new URL(request.url);
  const preview = url.searchParams.get("preview");
  const browser = where.token && !actor ? browserKey(request, context) : null;
  const survey = await loadOrThrow(request, () =>
    getSurveyForAnswering(actor, where, locale, { browserKey: browser?.key, preview: isLang(preview) ? preview : null }),
  );
  return data(
    { survey, saved: url.searchParams.get("saved"), preview: isLang(preview) && survey.canManage ? preview : null },
    { headers: browser?.setCookie ? { "Set-Cookie": browser.setCookie } : {} },
  );
}

/**
 * Saves a draft or submits. A refused submission comes back with every problem marked (and the
 * answers as given, so nothing typed is lost); a public-link submission is rate-limited per address.
 */
export async function surveyAnswerAction(request: Request, context: AppLoadContext, where: Where & { surveyId: string }, pagePath: string) {
  const form = await request.formData();
  const actor = getActor(context);
  const submit = form.get("intent") !== "draft";
  const answers = answersFromForm(form);
  const browser = where.token && !actor ? browserKey(request, context) : null;
  const locale = String(form.get("lang") ?? (await resolveLocale(request, context)));
  const input = { surveyId: where.surveyId, token: where.token, browserKey: browser?.key, answers, submit, locale };
  if (browser && submit) {
    try {
      await limitPublicSubmission(context.clientIp);
    } catch (error) {
      if (!isAppError(error)) throw error;
      const refused = await failedOutcome(request, context, error);
      return data({ ...commandErrorResponse(refused, "submit").data, answers, problemParams: null }, { status: refused.status });
    }
  }
  const outcome = await runRequestCommand(request, context, "surveyResponse.save", input);
  if (!outcome.ok) {
    const refusal = commandErrorResponse(outcome, submit ? "submit" : "draft").data;
    if (!outcome.code.startsWith("answer_")) return data({ ...refusal, answers, problemParams: null }, { status: outcome.status });
    // Mark every question that needs attention, not only the first.
    const problems = await answerProblems(actor, { ...input, browserKey: browser?.key });
    const errors: Record<string, string[]> = {};
    const problemParams: Record<string, Record<string, string | number>> = {};
    for (const [field, problem] of Object.entries(problems)) {
      errors[field] = [problem.code];
      if (problem.params) problemParams[field] = problem.params;
    }
    return data({ ...refusal, errors, answers, problemParams }, { status: outcome.status, headers: browser?.setCookie ? { "Set-Cookie": browser.setCookie } : {} });
  }
  return redirect(`${pagePath}?saved=${submit ? "submitted" : "draft"}`, { headers: browser?.setCookie ? { "Set-Cookie": browser.setCookie } : {} });
}
