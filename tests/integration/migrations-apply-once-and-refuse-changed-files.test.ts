/**
 * The start-up migration runner (server/migrate.ts) against real PostgreSQL: it applies every
 * migration once, records it as `prisma migrate deploy` would, and refuses to go on when the
 * file of an applied migration has changed.
 */
import { createHash } from "node:crypto";
import { appendFile, cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, MigrationError } from "../../server/migrate";
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from "../helpers/database";
import { migrationsDir } from "../helpers/env";
import { startServer, ServerStartError } from "../helpers/server";

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
  logs: string | null;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const migrationRows = (url: string) =>
  query<MigrationRow>(url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);

async function migrationNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

describe("the migration runner", () => {
  let db: TestDatabase;
  let copyDir: string;
  let names: string[];

  beforeAll(async () => {
    db = await createEmptyDatabase();
    // A temporary copy of prisma/migrations, so changing a file never touches the repository.
    copyDir = await mkdtemp(path.join(os.tmpdir(), "crn-migrations-"));
    await cp(migrationsDir, copyDir, { recursive: true });
    names = await migrationNames(copyDir);
    expect(names.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await db?.drop();
    if (copyDir) await rm(copyDir, { recursive: true, force: true });
  });

  it("applies every migration to an empty database and records each like prisma migrate deploy", async () => {
    const result = await migrate(db.url, copyDir);
    expect(result).toEqual({ applied: names, alreadyApplied: [] });

    const rows = await migrationRows(db.url);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const sql = await readFile(path.join(copyDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    // Prisma's own table layout, column for column.
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      db.url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", is_nullable: "NO" },
      { column_name: "checksum", data_type: "character varying", is_nullable: "NO" },
      { column_name: "finished_at", data_type: "timestamp with time zone", is_nullable: "YES" },
      { column_name: "migration_name", data_type: "character varying", is_nullable: "NO" },
      { column_name: "logs", data_type: "text", is_nullable: "YES" },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", is_nullable: "YES" },
      { column_name: "started_at", data_type: "timestamp with time zone", is_nullable: "NO" },
      { column_name: "applied_steps_count", data_type: "integer", is_nullable: "NO" },
    ]);

    // The schema itself is there.
    const tables = await query<{ table_name: string }>(
      db.url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(["users", "sessions", "invitations", "regions", "series", "dialogues", "threads", "replies"]),
    );
  });

  it("changes nothing when it runs again", async () => {
    const before = await migrationRows(db.url);
    const result = await migrate(db.url, copyDir);
    expect(result).toEqual({ applied: [], alreadyApplied: names });
    expect(await migrationRows(db.url)).toEqual(before);
  });

  it("throws an error naming the migration when an applied migration.sql has changed", async () => {
    const changed = names[names.length - 1];
    await appendFile(path.join(copyDir, changed, "migration.sql"), "\n-- edited after it was applied\n");
    const before = await migrationRows(db.url);

    const error = await migrate(db.url, copyDir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migrationName).toBe(changed);
    expect((error as MigrationError).message).toContain(changed);
    expect(await migrationRows(db.url)).toEqual(before);
  });
});

describe("server start-up", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("stops with a non-zero exit and names the migration whose applied file changed", async () => {
    const [row] = await query<{ migration_name: string }>(
      db.url,
      `UPDATE "_prisma_migrations" SET checksum = $1
       WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations") RETURNING migration_name`,
      ["0".repeat(64)],
    );
    expect(row?.migration_name).toBeTruthy();

    const error = await startServer({ databaseUrl: db.url }).then(
      async (server) => {
        await server.stop();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerStartError);
    const { exit, output } = error as ServerStartError;
    expect(exit?.code).not.toBe(0);
    expect(exit?.code).not.toBeNull();
    expect(output).toContain(row.migration_name);
    expect(output).not.toMatch(/listening on/);
    // Nothing was seeded on the refused start.
    const [{ count }] = await query<{ count: string }>(db.url, `SELECT count(*) FROM series`);
    expect(Number(count)).toBe(0);
  });
});
