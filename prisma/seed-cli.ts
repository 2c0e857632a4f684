/**
 * `npm run db:seed`: migrates and seeds the configured database (`DATABASE_URL`), or the
 * embedded one (with demo accounts) when it is unset.
 */
import { createPrismaClient } from "../app/db.server";
import { startDatabase } from "../server/db";
import { migrate } from "../server/migrate";
import { seedDatabase } from "./seed";

const database = await startDatabase({ log: console.log });
try {
  await migrate(database.url);
  const prisma = createPrismaClient(database.url);
  const counts = await seedDatabase(prisma, { demoAccounts: database.embedded });
  await prisma.$disconnect();
  console.log(`Seeded: ${JSON.stringify(counts)}`);
} finally {
  await database.stop();
}
