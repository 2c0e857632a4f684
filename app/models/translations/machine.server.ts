/**
 * Machine translation through a LibreTranslate-compatible service
 * (https://docs.libretranslate.com/, `POST /translate`): JSON `{ q, source, target, format:
 * "html", api_key? }` → `{ translatedText }`. Configured by TRANSLATE_URL (the service's base
 * address; unset: no machine translation anywhere), TRANSLATE_API_KEY (optional) and
 * TRANSLATE_TIMEOUT_MS (default 15,000). What comes back is HTML from outside: the caller parses
 * it with the reply schema (parseReplyHtml), which keeps only what replies may contain.
 */
import type { AttributionLevel } from "@prisma/client";
import { prisma } from "~/db.server";
import type { Lang } from "~/i18n/config";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { z } from "~/utils/validation";
import { isPseudonymous } from "../track2/attribution.server";

const DEFAULT_TIMEOUT_MS = 15_000;
/** Longest answer read from the service (a reply is at most 100,000 characters of JSON). */
const MAX_RESPONSE_BYTES = 2_000_000;

const libreTranslateAnswer = z.object({ translatedText: z.string().max(MAX_RESPONSE_BYTES) });

interface MachineTranslationConfig {
  url: URL;
  apiKey: string | null;
  timeoutMs: number;
}

/** The service's settings from the environment, or null when TRANSLATE_URL is not set (or not a URL). */
export function machineTranslationConfig(env: NodeJS.ProcessEnv = process.env): MachineTranslationConfig | null {
  const base = env.TRANSLATE_URL?.trim();
  if (!base) return null;
  let url: URL;
  try {
    url = new URL("translate", base.endsWith("/") ? base : `${base}/`);
  } catch {
    logger.warn({ translateUrl: base }, "TRANSLATE_URL is not a URL: machine translation is off");
    return null;
  }
  const timeout = Number(env.TRANSLATE_TIMEOUT_MS);
  return { url, apiKey: env.TRANSLATE_API_KEY?.trim() || null, timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS };
}

/** True when a machine-translation service is configured (the action is shown only then). */
export function machineTranslationEnabled(): boolean {
  return machineTranslationConfig() !== null;
}

/**
 * Whether machine translation may be offered for content shown under `level`: anywhere on the
 * record; in Chatham House and off-the-record threads only when an admin allowed it for the
 * dialogue (the words would leave the server for the service).
 */
export function machineTranslationAllowed(level: AttributionLevel, dialogueAllows: boolean): boolean {
  return machineTranslationEnabled() && (!isPseudonymous(level) || dialogueAllows);
}

/**
 * @throws AppError machine_translation_off (no service configured) | machine_translation_not_allowed
 */
export async function assertMachineTranslationAllowed(level: AttributionLevel, dialogueId: string | null): Promise<void> {
  if (!machineTranslationEnabled()) throw new AppError("machine_translation_off", "Machine translation is not set up");
  if (!isPseudonymous(level)) return;
  const dialogue = dialogueId ? await prisma.dialogue.findUnique({ where: { id: dialogueId }, select: { allowMachineTranslation: true } }) : null;
  if (!dialogue?.allowMachineTranslation) throw new AppError("machine_translation_not_allowed", "Machine translation is off in this thread");
}

/**
 * Sends `text` (HTML, or plain text with `format: "text"`) to the service and returns its
 * translation. Nothing is retried: the member asks again.
 * @throws AppError machine_translation_off | machine_translation_timeout (no answer within the
 *   timeout) | machine_translation_failed (refused, unreachable, or an answer that is not
 *   `{ translatedText }`)
 */
export async function machineTranslateHtml(text: string, source: Lang, target: Lang, format: "html" | "text" = "html"): Promise<string> {
  const config = machineTranslationConfig();
  if (!config) throw new AppError("machine_translation_off", "Machine translation is not set up");
  const signal = AbortSignal.timeout(config.timeoutMs);
  let response: Response;
  try {
    response = await fetch(config.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ q: text, source, target, format, ...(config.apiKey ? { api_key: config.apiKey } : {}) }),
      signal,
      redirect: "error",
    });
  } catch (error) {
    throw serviceError(error, signal, "request");
  }
  let body: unknown;
  try {
    const raw = await response.text();
    if (raw.length > MAX_RESPONSE_BYTES) throw new Error("answer too large");
    body = JSON.parse(raw);
  } catch (error) {
    throw serviceError(error, signal, `answer (HTTP ${response.status})`);
  }
  if (!response.ok) {
    const reason = typeof (body as { error?: unknown })?.error === "string" ? (body as { error: string }).error : "";
    logger.warn({ status: response.status, reason }, "machine translation refused");
    throw new AppError("machine_translation_failed", `The translation service refused (HTTP ${response.status})`);
  }
  const parsed = libreTranslateAnswer.safeParse(body);
  if (!parsed.success || parsed.data.translatedText.trim() === "") {
    logger.warn({ status: response.status }, "machine translation answer without translatedText");
    throw new AppError("machine_translation_failed", "The translation service gave no translation");
  }
  return parsed.data.translatedText;
}

function serviceError(error: unknown, signal: AbortSignal, stage: string): AppError {
  if (signal.aborted) {
    logger.warn({ stage }, "machine translation timed out");
    return new AppError("machine_translation_timeout", "The translation service did not answer in time");
  }
  logger.warn({ stage, err: (error as Error).message }, "machine translation failed");
  return new AppError("machine_translation_failed", "The translation service could not be reached");
}
