/**
 * Entry point: database (external or embedded) → migrations → first-start seed → HTTP +
 * Socket.IO server. Stops cleanly on SIGINT/SIGTERM (sockets, HTTP, pool, embedded PostgreSQL).
 *
 * Environment: PORT (3000), HOST, DATABASE_URL, REDIS_URL, ALLOWED_ORIGINS, PUBLIC_URL,
 * TRUST_PROXY=1, NODE_ENV=production (serve build/) or development (Vite).
 */
import { disconnectPrisma, prisma } from "~/db.server";
import { ensureFirstAdminInvitation } from "~/models/invitations.server";
import { seedDatabase } from "../prisma/seed";
import { createAppServer } from "./app";
import { startDatabase } from "./db";
import { migrate, MigrationError } from "./migrate";
import { parseAllowedOrigins } from "./origin";

const log = (line: string) => console.log(`[crn] ${line}`);

async function main() {
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
      await disconnectPrisma();
    } finally {
      await database.stop();
      log("stopped");
      process.exit(0);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  try {
    const migrations = await migrate(database.url);
    if (migrations.applied.length) log(`applied migrations: ${migrations.applied.join(", ")}`);
    if ((await prisma.series.count()) === 0) {
      const counts = await seedDatabase(prisma, { demoAccounts: database.embedded });
      log(`seeded the programme${database.embedded ? " and the demo accounts" : ""}: ${JSON.stringify(counts)}`);
    }

    const port = Number(process.env.PORT ?? 3000);
    const publicUrl = process.env.PUBLIC_URL?.replace(/\/$/, "");
    server = await createAppServer({
      mode: process.env.NODE_ENV === "production" ? "production" : "development",
      allowedOrigins: parseAllowedOrigins(process.env.ALLOWED_ORIGINS),
      redisUrl: process.env.REDIS_URL || undefined,
      trustProxy: process.env.TRUST_PROXY === "1",
    });
    const bound = await server.listen(port, process.env.HOST);
    const base = publicUrl ?? `http://localhost:${bound}`;

    if (!database.embedded) {
      const token = await ensureFirstAdminInvitation();
      if (token) log(`No admin yet. Create the first admin account (link valid 24 hours, single use): ${base}/signup?invitation=${token}`);
    }
    log(`Coal Regions Network listening on ${base} (port ${bound})`);
  } catch (error) {
    if (error instanceof MigrationError) console.error(`[crn] ${error.message}`);
    else console.error(error);
    await database.stop().catch(() => {});
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`[crn] ${(error as Error).message ?? error}`);
  process.exit(1);
});
