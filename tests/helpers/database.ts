/**
 * Test databases on the PostgreSQL server at TEST_DATABASE_URL.
 *
 * The global setup migrates one template database per run; each test file copies it with
 * `CREATE DATABASE <name> TEMPLATE <template>` (fast) and drops its copy afterwards. Names carry
 * their creation time, so databases left behind by an aborted run can be recognised and dropped.
 */
import pg from "pg";
import { inject } from "vitest";
import { databaseUrl, testDatabaseUrl } from "./env";

export const TEST_DATABASE_PREFIX = "crn_it_";

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database name `crn_it_<kind>_<epoch seconds>_<random>`. */
export function testDatabaseName(kind: string): string {
  return `${TEST_DATABASE_PREFIX}${kind}_${Math.floor(Date.now() / 1000)}_${Math.random().toString(36).slice(2, 10)}`;
}

/** Runs `work` with an admin connection to the test server. */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`));
}

async function createDatabase(name: string, template?: string): Promise<TestDatabase> {
  const sql = `CREATE DATABASE ${quote(name)}${template ? ` TEMPLATE ${quote(template)}` : ""}`;
  // Copying a template fails while another session is connected to it ("being accessed by
  // other users"); that is brief, so try a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin((client) => client.query(sql));
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

/** A fresh, migrated, empty (not seeded) database for one test file. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase(testDatabaseName("db"), inject("templateDatabase"));
}

/** A fresh database with no tables at all. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase(testDatabaseName("empty"));
}

