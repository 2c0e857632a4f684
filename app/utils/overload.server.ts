/**
 * Overload: the database's connection pool is exhausted, so a query or transaction could not
 * get a connection within DATABASE_TRANSACTION_WAIT_MS (app/db.server.ts). That is not a fault
 * of the request, and nothing was written (a transaction that could not start, or that ran past
 * its time limit, is rolled back), so it is answered 503 with `Retry-After` and the usual
 * localised refusal (`overloaded`), never a 500, and the client may retry safely.
 *
 * Each refusal is logged as one structured line (`db.overloaded`) by the boundary that answers
 * it (command dispatcher, loader, Express middleware, socket handshake), without a stack trace.
 */
import { AppError } from "./errors";
import { logger } from "./logger.server";

/** What a refused client is asked to wait before retrying (the `Retry-After` header), in seconds. */
export const RETRY_AFTER_SECONDS = 2;

/** pg-pool's message when no connection was free within `connectionTimeoutMillis`. */
const POOL_TIMEOUT = /timeout exceeded when trying to connect/i;

/**
 * True when `error` (or an error in its `cause` chain) says the database was too busy:
 * - pg-pool: "timeout exceeded when trying to connect" (the pool's `connectionTimeoutMillis`);
 * - Prisma P2028 (an interactive transaction could not start within `maxWait`, or ran past its
 *   `timeout` and was rolled back) and P2024 (timed out fetching a connection from the pool);
 * - PostgreSQL 53300 too_many_connections.
 * An AppError("overloaded") thrown further down counts too.
 */
export function isOverload(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AppError) return e.code === "overloaded";
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === "P2028" || code === "P2024" || code === "53300") return true;
    if (typeof message === "string" && POOL_TIMEOUT.test(message)) return true;
  }
  return false;
}

/** Logs one refusal for overload (no stack trace: this is load, not a bug). */
export function logOverload(error: unknown, context: Record<string, unknown>): void {
  const cause = error as { code?: unknown; message?: unknown };
  logger.warn(
    { event: "db.overloaded", ...context, cause: { code: cause.code ?? null, message: typeof cause.message === "string" ? cause.message.slice(0, 200) : null }, retryAfter: RETRY_AFTER_SECONDS },
    "refused for overload (503)",
  );
}

/**
 * The refusal for an overload `error`, logged once with `context` (channel, command, member).
 * An AppError("overloaded") is passed on as it is, without a second log line.
 */
export function overloaded(error: unknown, context: Record<string, unknown>): AppError {
  if (error instanceof AppError && error.code === "overloaded") return error;
  logOverload(error, context);
  return new AppError("overloaded", "The database is busy");
}
