/**
 * Playwright global setup: a fresh database (`crn_e2e_<random>`) and the built server on a free
 * port. Workers read the base URL and the database URL from the environment
 * (E2E_BASE_URL, E2E_DATABASE_URL), which they inherit from this process. The returned
 * function is the global teardown: it stops the server and drops the database, and fails the
 * run if the server logged any unhandled promise rejection meanwhile.
 */
import { createDatabase, dropDatabase, startServer, type RunningServer } from "./server";

export default async function globalSetup() {
  const database = await createDatabase("crn_e2e");
  let server: RunningServer | undefined;
  const teardown = async () => {
    try {
      await server?.stop();
    } finally {
      await dropDatabase(database.name);
    }
    const rejections = server?.unhandledRejections() ?? [];
    if (rejections.length) throw new Error(`The server logged ${rejections.length} unhandled promise rejection(s):\n${rejections.join("\n")}`);
  };
  try {
    const redisUrl = process.env.E2E_REDIS === "0" ? undefined : process.env.TEST_REDIS_URL || undefined;
    server = await startServer({ databaseUrl: database.url, redisUrl, echo: process.env.E2E_SERVER_LOG === "1" });
  } catch (error) {
    await teardown();
    throw error;
  }
  process.env.E2E_BASE_URL = server.baseUrl;
  process.env.E2E_DATABASE_URL = database.url;
  console.log(`[e2e] server ${server.baseUrl} on database ${database.name}${process.env.TEST_REDIS_URL && process.env.E2E_REDIS !== "0" ? " with Redis" : ""}`);
  return teardown;
}
