/**
 * Named commands (app/realtime/commands.ts) over both channels, as a browser sends them:
 * `POST /api/commands/<name>` with a JSON body, the site's Origin and the session cookie; and
 * the socket event of the same name with an ack.
 */
import type { CommandName } from "~/realtime/commands";
import type { ErrorCode } from "~/utils/errors";
import type { RequestOptions } from "./http";
import { EVENT_TIMEOUT_MS, type ClientSocket } from "./sockets";

/** What either channel answered, in one shape: `code` is "ok" or the error code. */
export interface CommandOutcome {
  code: "ok" | ErrorCode;
  /** HTTP status (the socket has none: 0). */
  status: number;
  result?: unknown;
  message?: string;
  field?: string;
}

export interface ApiOptions extends RequestOptions {
  /** A language cookie (see `languageCookie` in ./http) sent along with any session cookie. */
  lngCookie?: string;
}

/** `POST /api/commands/<name>` with a JSON body. */
export async function apiCommand(baseUrl: string, name: CommandName | string, input: unknown, options: ApiOptions = {}): Promise<CommandOutcome> {
  const headers: Record<string, string> = { "content-type": "application/json", "accept-language": "en", ...options.headers };
  const cookies = [options.cookie, options.lngCookie].filter(Boolean);
  if (cookies.length) headers.cookie = cookies.join("; ");
  const origin = options.origin === undefined ? new URL(baseUrl).origin : options.origin;
  if (origin !== null) headers.origin = origin;
  const response = await fetch(new URL(`/api/commands/${name}`, baseUrl), {
    method: "POST",
    headers,
    body: JSON.stringify(input),
    redirect: "manual",
  });
  const text = await response.text();
  let body: { ok?: boolean; result?: unknown; error?: { code: ErrorCode; message: string; field: string } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`/api/commands/${name} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
  if (body.ok) return { code: "ok", status: response.status, result: body.result };
  return { code: body.error!.code, status: response.status, message: body.error!.message, field: body.error!.field };
}

/** The socket event named after the command; resolves with the ack in the same shape. */
export async function socketCommand(socket: ClientSocket, name: CommandName, input: unknown): Promise<CommandOutcome> {
  type Ack = { ok: true; result: unknown } | { ok: false; error: ErrorCode; message?: string };
  const timed = socket.timeout(EVENT_TIMEOUT_MS) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Ack> };
  if (!socket.connected) throw new Error(`the socket is disconnected; cannot send ${name}`);
  const ack = await timed.emitWithAck(name, input);
  if (ack.ok) return { code: "ok", status: 0, result: ack.result };
  return { code: ack.error, status: 0, message: ack.message };
}

/** The HTTP status each error code is sent with (app/utils/errors.ts). */
export const STATUS_OF: Partial<Record<ErrorCode | "ok", number>> = {
  ok: 200,
  unauthenticated: 401,
  forbidden: 403,
  suspended: 403,
  thread_locked: 403,
  not_found: 404,
  validation: 400,
  slow_mode: 429,
  rate_limited: 429,
  already_flagged: 409,
  password_incorrect: 400,
  last_admin: 409,
  invitation_not_open: 409,
  endorse_own: 403,
  machine_translation_off: 404,
};

let barrierSeconds = 5000 + Math.floor(Math.random() * 1000);

/**
 * A barrier for "nothing was broadcast": a staff member sets the thread's slow mode to a
 * unique value (and back to 0), and the recorder waits for that `thread:updated`. A socket
 * receives events in the order they were emitted, so whatever arrived before the barrier is
 * what was broadcast before it. Resolves with those earlier events (since the recorder's last
 * `clear()`).
 */
export async function eventsBeforeBarrier(
  baseUrl: string,
  staffCookie: string,
  threadId: string,
  recorder: { events: { event: string; payload: unknown }[]; waitFor(match: (event: string, payload: unknown) => boolean): Promise<number> },
): Promise<{ event: string; payload: unknown }[]> {
  const seconds = ++barrierSeconds;
  const isBarrier = (value: number) => (event: string, payload: unknown) =>
    event === "thread:updated" &&
    (payload as { threadId: string }).threadId === threadId &&
    (payload as { slowModeSeconds: number }).slowModeSeconds === value;
  const set = await apiCommand(baseUrl, "thread.slowMode", { threadId, seconds }, { cookie: staffCookie });
  if (set.code !== "ok") throw new Error(`the barrier could not be set: ${JSON.stringify(set)}`);
  const index = await recorder.waitFor(isBarrier(seconds));
  const before = recorder.events.slice(0, index);
  const reset = await apiCommand(baseUrl, "thread.slowMode", { threadId, seconds: 0 }, { cookie: staffCookie });
  if (reset.code !== "ok") throw new Error(`the barrier could not be reset: ${JSON.stringify(reset)}`);
  await recorder.waitFor((event, payload) => isBarrier(0)(event, payload) && recorder.events.findIndex((e) => e.payload === payload) > index);
  return before;
}
