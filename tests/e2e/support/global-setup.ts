/**
 * Playwright global setup: a fresh database (`crn_e2e_<random>`) and the built server on a free
 * port. Workers read the base URL and the database URL from the environment
 * (E2E_BASE_URL, E2E_DATABASE_URL), which they inherit from this process. The server sends its
 * email over real SMTP to a sink started here, which writes each message (raw RFC 5322) into
 * E2E_MAIL_DIR for the specs to read (tests/e2e/support/mail.ts). The returned function is the
 * global teardown: it stops the server and the sink and drops the database, and fails the run
 * if the server logged any unhandled promise rejection meanwhile.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startMailSink, type MailSink } from "../../helpers/mail";
import { createDatabase, dropDatabase, startServer, type RunningServer } from "./server";

export default async function globalSetup() {
  const database = await createDatabase("crn_e2e");
  let server: RunningServer | undefined;
  let sink: MailSink | undefined;
  const mailDir = await mkdtemp(path.join(os.tmpdir(), "crn-e2e-mail-"));
  let count = 0;
  const teardown = async () => {
    try {
      await server?.stop();
      await sink?.close();
    } finally {
      await dropDatabase(database.name);
    }
    const rejections = server?.unhandledRejections() ?? [];
    if (rejections.length) throw new Error(`The server logged ${rejections.length} unhandled promise rejection(s):\n${rejections.join("\n")}`);
  };
  try {
    const redisUrl = process.env.E2E_REDIS === "0" ? undefined : process.env.TEST_REDIS_URL || undefined;
    sink = await startMailSink({ onMessage: (mail) => writeFile(path.join(mailDir, `${String(++count).padStart(5, "0")}.eml`), mail.raw) });
    server = await startServer({
      databaseUrl: database.url,
      redisUrl,
      echo: process.env.E2E_SERVER_LOG === "1",
      extraEnv: { SMTP_URL: sink.url, EMAIL_DELAY_SECONDS: "2" },
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  process.env.E2E_BASE_URL = server.baseUrl;
  process.env.E2E_DATABASE_URL = database.url;
  process.env.E2E_MAIL_DIR = mailDir;
  console.log(`[e2e] server ${server.baseUrl} on database ${database.name}${process.env.TEST_REDIS_URL && process.env.E2E_REDIS !== "0" ? " with Redis" : ""}`);
  return teardown;
}
