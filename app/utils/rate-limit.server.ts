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
