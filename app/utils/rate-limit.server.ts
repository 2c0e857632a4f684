/**
 * Rate limiters (rate-limiter-flexible). With `REDIS_URL` the counters live in Redis, shared by
 * every app process; otherwise in memory (a single process). A Redis outage falls back to an
 * in-memory limiter rather than failing requests (`insuranceLimiter`).
 */
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "./errors";
import { createRedis } from "./redis.server";
import { singleton } from "./singleton.server";

interface LimiterOptions {
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
}

function redisClient(): Redis | null {
  const url = process.env.REDIS_URL;
  if (!url) return null;
  // No offline queue: while Redis is away a command fails at once and the insurance limiter answers.
  return singleton("rate-limit-redis", () => createRedis(url, "rate-limit", { enableOfflineQueue: false }).client);
}

export function createLimiter(options: LimiterOptions): RateLimiterAbstract {
  const redis = redisClient();
  if (!redis) return new RateLimiterMemory(options);
  return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
}

/**
 * Consumes one point for `key`.
 * @throws AppError("rate_limited") when the key is over its limit
 */
export async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new AppError("rate_limited");
    throw error;
  }
}

/** Sign-in attempts: 10 per email and address per 15 minutes (OWASP Authentication Cheat Sheet). */
export const signInLimiter = singleton("limiter:signin", () =>
  createLimiter({ keyPrefix: "crn:signin", points: 10, duration: 15 * 60 }),
);

/**
 * Failed sign-ins per account (the email address, known or not), whatever the client address:
 * 10 per 15 minutes. Rotating addresses (or X-Forwarded-For values) does not reset it
 * (OWASP Authentication Cheat Sheet, "Account lockout"; NIST SP 800-63B §5.2.2).
 */
export const signInAccountLimiter = singleton("limiter:signin-account", () =>
  createLimiter({ keyPrefix: "crn:signin-account", points: 10, duration: 15 * 60 }),
);

/** Failed sign-ins per client address, whatever the account (password spraying): 50 per 15 minutes. */
export const signInAddressLimiter = singleton("limiter:signin-address", () =>
  createLimiter({ keyPrefix: "crn:signin-address", points: 50, duration: 15 * 60 }),
);

/** Whole minutes until a limiter's window lets `key` through again (at least 1). */
export function minutesUntilReset(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 60_000));
}

/**
 * Consumes one point for `key`; when over the limit throws `code` with `{ count: minutes }`, so
 * the message can say "try again in N minutes".
 * @throws AppError(code) with params `{ count }` (minutes)
 */
export async function consumeOrWait(limiter: RateLimiterAbstract, key: string, code: "signin_throttled" | "email_throttled"): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new AppError(code, "Too many attempts", undefined, { count: minutesUntilReset(error) });
    throw error;
  }
}

/**
 * Refuses `key` while it is over the limit, without consuming a point.
 * @throws AppError(code) with params `{ count }` (minutes)
 */
export async function assertUnderLimit(limiter: RateLimiterAbstract, key: string, code: "signin_throttled"): Promise<void> {
  const result = await limiter.get(key);
  if (result && result.consumedPoints >= limiter.points) {
    throw new AppError(code, "Too many attempts", undefined, { count: minutesUntilReset(result) });
  }
}

/** Counts a failure against `key`; going over the limit here is reported on the next attempt. */
export async function recordFailure(limiter: RateLimiterAbstract, key: string): Promise<void> {
  await limiter.consume(key).catch((error: unknown) => {
    if (!(error instanceof RateLimiterRes)) throw error;
  });
}
