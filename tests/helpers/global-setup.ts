/**
 * Runs once per `vitest run`: migrates a template database that every test file copies, and
 * drops it at the end. Also drops test databases more than six hours old (left by a run that
 * was killed before it could clean up).
 */
import type { TestProject } from "vitest/node";
import { migrate } from "../../server/migrate";
import { databaseUrl, migrationsDir } from "./env";
import { dropDatabase, TEST_DATABASE_PREFIX, testDatabaseName, withAdmin } from "./database";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

const STALE_AFTER_SECONDS = 6 * 60 * 60;

async function dropStaleDatabases(): Promise<void> {
  const { rows } = await withAdmin((client) =>
    client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${TEST_DATABASE_PREFIX}%`]),
  );
  const now = Date.now() / 1000;
  for (const { datname } of rows) {
    const created = Number(/_(\d{10})_[a-z0-9]+$/.exec(datname)?.[1]);
    if (created && now - created > STALE_AFTER_SECONDS) await dropDatabase(datname).catch(() => {});
  }
}

export default async function setup(project: TestProject) {
  await dropStaleDatabases();
  const template = testDatabaseName("template");
  await withAdmin((client) => client.query(`CREATE DATABASE "${template}"`));
  try {
    await migrate(databaseUrl(template), migrationsDir);
  } catch (error) {
    await dropDatabase(template).catch(() => {});
    throw error;
  }
  project.provide("templateDatabase", template);
  return async () => {
    await dropDatabase(template);
  };
}
