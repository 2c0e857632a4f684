/**
 * Applies `prisma/migrations/<name>/migration.sql` in name order, recording each in Prisma's
 * own `_prisma_migrations` table exactly as `prisma migrate deploy` does (columns and checksum
 * from prisma-engines' `schema-engine/connectors/sql-schema-connector`: SHA-256 hex of the
 * file, a random uuid id, `applied_steps_count` 1), so operators with network access can use
 * the Prisma CLI on the same database.
 *
 * - Each migration runs in its own transaction with its bookkeeping row.
 * - A PostgreSQL advisory lock serialises concurrent starters (several app processes).
 * - Running it again changes nothing.
 * @throws MigrationError when an applied migration's file has changed (checksum differs),
 *   when a previous migration failed (finished_at and rolled_back_at both NULL), or when SQL fails.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export class MigrationError extends Error {
  constructor(message: string, readonly migrationName?: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/** An arbitrary but fixed 64-bit key for `pg_advisory_lock` ("crn-migrate"). */
const MIGRATION_LOCK_KEY = 72707341;

export function checksum(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

async function readMigrations(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrations: { name: string; sql: string; checksum: string }[] = [];
  for (const name of names) {
    const file = path.join(dir, name, "migration.sql");
    const sql = await readFile(file, "utf8").catch(() => null);
    if (sql === null) continue;
    migrations.push({ name, sql, checksum: checksum(sql) });
  }
  return migrations;
}

/**
 * @param databaseUrl PostgreSQL connection string
 * @param migrationsDir defaults to `./prisma/migrations`
 */
export async function migrate(
  databaseUrl: string,
  migrationsDir = path.resolve("prisma/migrations"),
): Promise<MigrationResult> {
  const migrations = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`);

    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} failed earlier and was not rolled back; resolve it before starting.`,
        failed.migration_name,
      );
    }
    const applied = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };

    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was applied but its migration.sql has changed since (checksum ${row.checksum} ≠ ${migration.checksum}). Restore the file or add a new migration.`,
            migration.name,
          );
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await client.query("BEGIN");
      try {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
        result.applied.push(migration.name);
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(
          `Migration ${migration.name} failed: ${(error as Error).message}`,
          migration.name,
        );
      }
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
