/**
 * How many SQL statements one page view costs: starts the app against a scratch database with a
 * thread of 200 replies, reads each page N times as a signed-in member and divides the number of
 * statements the server's pg clients sent by N. A diagnostic for P3, not a benchmark.
 *
 *   npx tsx bench/lib/count-queries.ts [views=20]
 */
import { insertThreadWithReplies } from "./content";
import { makeMembers, startApp } from "./app";
import { scratchDatabase } from "./harness";

const VIEWS = Number(process.argv[2] ?? 20);
const db = await scratchDatabase("queries");
const server = await startApp({ databaseUrl: db.url });
try {
  const members = await makeMembers(db.url, 3);
  const { prisma, disconnectPrisma } = await import("~/db.server");
  const threadId = await insertThreadWithReplies(prisma, members.map((m) => m.id), 200);
  await disconnectPrisma();
  const commits = async () => (await server.memory()).statements;
  for (const path of [`/threads/${threadId}?last=1`, `/threads/${threadId}?after=0`, "/regions", "/"]) {
    await (await fetch(server.base + path, { headers: { cookie: members[2].cookie } })).text();
    const before = await commits();
    for (let i = 0; i < VIEWS; i++) await (await fetch(server.base + path, { headers: { cookie: members[2].cookie } })).text();
    const after = await commits();
    console.log(`${path}: ${((after - before) / VIEWS).toFixed(1)} statements per view`);
  }
} finally {
  await server.stop();
  await db.drop();
}
