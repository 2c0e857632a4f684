/**
 * Runs a command from an HTTP request: the JSON API (`/api/commands/<name>`) and the page forms
 * (a hidden `intent` field names the command). Errors come back as `{ errors: { field: [code] } }`
 * with the error's 4xx status and a message in the reader's language.
 */
import type { AppLoadContext } from "@remix-run/node";
import { data } from "@remix-run/node";
import { getActor } from "./auth.server";
import { getFixedT, resolveLocale } from "~/i18n/i18n.server";
import { runCommand } from "~/models/commands.server";
import { isCommandName, type CommandName } from "~/realtime/commands";
import { AppError, isAppError } from "~/utils/errors";
import { RETRY_AFTER_SECONDS } from "~/utils/overload.server";

/** Form fields → command input: empty strings dropped, `content` kept as the JSON string it is. */
export function formToInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key === "intent" || typeof value !== "string" || value === "") continue;
    input[key] = value;
  }
  return input;
}

export type CommandOutcome =
  | { ok: true; name: CommandName; result: unknown }
  | {
      ok: false;
      status: number;
      code: string;
      /** The most specific translatable code: for a schema error, the field's own ("too_long"…). */
      detail: string;
      field: string;
      message: string;
      params?: Record<string, string | number>;
    };

/** Runs the named command for the request's member; never throws for domain errors. */
export async function runRequestCommand(
  request: Request,
  context: AppLoadContext,
  name: string,
  input: unknown,
): Promise<CommandOutcome> {
  try {
    if (!isCommandName(name)) throw new AppError("command_unknown", `Unknown command ${name}`);
    return { ok: true, name, result: await runCommand(name, getActor(context), input) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return failedOutcome(request, context, error);
  }
}

/** A refusal as the HTTP answers carry it, its message in the reader's language. */
export async function failedOutcome(
  request: Request,
  context: AppLoadContext,
  error: AppError,
): Promise<Extract<CommandOutcome, { ok: false }>> {
  const t = await getFixedT(await resolveLocale(request, context));
  // A schema error carries its field's code as its message (app/utils/validation.ts): say that.
  const detail = error.code === "validation" && t(`errors.${error.message}`, { defaultValue: "" }) ? error.message : error.code;
  return {
    ok: false,
    status: error.status,
    code: error.code,
    detail,
    field: error.field ?? "",
    message: t(`errors.${detail}`, { ...error.params }),
    params: error.params,
  };
}

/** `Retry-After` (seconds) for a refusal the client should retry later (503), else nothing. */
export function retryHeaders(outcome: Extract<CommandOutcome, { ok: false }>): Record<string, string> {
  return outcome.status === 503 ? { "Retry-After": String(RETRY_AFTER_SECONDS) } : {};
}

/** The 4xx (or 503) answer for a failed form command. */
export function commandErrorResponse(outcome: Extract<CommandOutcome, { ok: false }>, intent?: string) {
  return data(
    { errors: { [outcome.field]: [outcome.detail] }, message: outcome.message, params: outcome.params ?? null, intent: intent ?? null },
    { status: outcome.status, headers: retryHeaders(outcome) },
  );
}
