/**
 * Where the tests find their services. CI exports TEST_DATABASE_URL (an admin connection to a
 * PostgreSQL server the tests may create databases on) and TEST_REDIS_URL.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

export const testRedisUrl = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

export const migrationsDir = path.join(repoRoot, "prisma", "migrations");

/** The connection string of another database on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A short random suffix for names that must not collide across files and runs. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
