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
  // A published case study, through the product's own commands (as bench/thread-page.ts makes it).
  const { runCommand } = await import("~/models/commands.server");
  const region = await prisma.region.findFirstOrThrow({ select: { id: true } });
  const { caseStudyId } = (await runCommand("caseStudy.create", { id: members[0].id, role: "member" }, { language: "en", title: "Counted", summary: "Counted.", body: "One.\n\nTwo.", regionIds: [region.id], topicIds: [], isPublic: false })) as { caseStudyId: string };
  await runCommand("caseStudy.publish", { id: members[0].id, role: "member" }, { caseStudyId, published: true });
  await disconnectPrisma();
  const commits = async () => (await server.memory()).statements;
  for (const path of [`/threads/${threadId}?last=1`, `/threads/${threadId}?after=0`, "/regions", "/", `/case-studies/${caseStudyId}`]) {
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
