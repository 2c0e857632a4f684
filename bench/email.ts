/**
 * `npm run bench:email`: weekly digests for 10,000 members generated and queued, then delivered
 * to a local SMTP sink, measured with the product's own code (the digest scan, the outbox, the
 * pg-boss queue, the React Email renderer, nodemailer) on a fresh database that is dropped
 * afterwards. Not part of the tests.
 *
 * Settings (environment): BENCH_MEMBERS (10000; e.g. 200 for a smoke run), BENCH_THREADS (300
 * threads of the last week, with 1–12 replies each), EMAIL_CONCURRENCY (4 parallel deliveries),
 * TEST_DATABASE_URL (an admin connection to create the database on).
 *
 * Phases: (1) the scan claims every due member in batches, computes each one's digest content
 * (new and busiest threads in their region, watched threads, case studies, notes) and queues an
 * outbox row and its job in the same transaction; (2) the workers render each digest (again, with
 * permissions as of now) and send it over SMTP to an in-process sink that accepts everything.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { createPrismaClient } from "~/db.server";
import { newId } from "~/utils/ids.server";
import { migrate } from "../server/migrate";
import { seedDatabase } from "../prisma/seed";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const THREADS = Number(process.env.BENCH_THREADS ?? 300);
const CONCURRENCY = Number(process.env.EMAIL_CONCURRENCY ?? 4);
const adminUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const log = (line: string) => console.log(`[bench] ${line}`);
const DAY = 24 * 60 * 60 * 1000;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The latest Monday 08:00 UTC (members here live in UTC, so the slot is the same for all). */
function lastMondayEightUtc(): Date {
  const now = new Date();
  const day = (now.getUTCDay() + 6) % 7;
  let slot = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day, 8);
  if (slot > now.getTime()) slot -= 7 * DAY;
  return new Date(slot);
}

async function main() {
  const name = `crn_bench_email_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const db = createPrismaClient(url.toString());
  const sink = new SMTPServer({ authOptional: true, disabledCommands: ["STARTTLS"], logger: false, onData: (stream, _s, cb) => { stream.resume(); stream.on("end", () => { received++; cb(); }); } });
  let received = 0;
  try {
    await migrate(url.toString(), new URL("../prisma/migrations", import.meta.url).pathname);
    await seedDatabase(db, { demoAccounts: false });
    const regions = await db.region.findMany();
    const dialogues = await db.dialogue.findMany({ include: { regions: true } });
    const slot = lastMondayEightUtc();

    // Members: weekly digests (the default), every region, joined a month before the slot.
    const t0 = performance.now();
    const memberIds: string[] = [];
    for (let i = 0; i < MEMBERS; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, MEMBERS - i) }, (_, j) => {
        const id = newId();
        memberIds.push(id);
        const n = i + j;
        return { id, email: `member-${n}@bench.example`, passwordHash: "x", displayName: `Member ${n}`, regionId: regions[n % regions.length].id, locale: n % 2 ? ("zh" as const) : ("en" as const), timeZone: "UTC", createdAt: new Date(slot.getTime() - 30 * DAY) };
      });
      await db.user.createMany({ data: rows });
    }
    // Content in the week before the slot: threads with replies in every dialogue.
    const authors = memberIds.slice(0, 50);
    for (let i = 0; i < THREADS; i++) {
      const at = new Date(slot.getTime() - (1 + (i % 6)) * DAY + i * 1000);
      const threadId = newId();
      const replies = 1 + (i % 12);
      await db.thread.create({ data: { id: threadId, dialogueId: dialogues[i % dialogues.length].id, titleEn: `Bench thread ${i}`, titleZh: `基准讨论 ${i}`, authorId: authors[i % authors.length], createdAt: at, lastActivityAt: at, replyCount: replies, lastPostNumber: replies } });
      await db.reply.createMany({
        data: Array.from({ length: replies }, (_, r) => ({ id: newId(), threadId, authorId: authors[(i + r) % authors.length], postNumber: r + 1, content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: `Reply ${r}` }] }] }, text: `Reply ${r}`, createdAt: new Date(at.getTime() + r * 60_000) })),
      });
    }
    // A tenth of the members watch a thread.
    const threads = await db.thread.findMany({ select: { id: true } });
    await db.threadWatch.createMany({ data: memberIds.filter((_, i) => i % 10 === 0).map((userId, i) => ({ userId, threadId: threads[i % threads.length].id, level: "watching" as const })), skipDuplicates: true });
    log(`fixture: ${MEMBERS} members, ${THREADS} threads in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Phase 1: generate and queue.
    const { startQueue, stopQueue } = await import("~/models/email/queue.server");
    const { configureEmail } = await import("~/models/email/settings.server");
    const { ensureSigningKey } = await import("~/models/email/tokens.server");
    const { runDigestScan } = await import("~/models/email/digests.server");
    const port = await new Promise<number>((resolve) => sink.listen(0, "127.0.0.1", () => resolve((sink.server.address() as { port: number }).port)));
    configureEmail({ smtpUrl: `smtp://127.0.0.1:${port}`, from: "Bench <bench@localhost>", publicUrl: "http://localhost:3000", delaySeconds: 600, inboundDomain: null });
    await ensureSigningKey();
    const boss = await startQueue();
    const g0 = performance.now();
    const { due, queued } = await runDigestScan();
    const generation = (performance.now() - g0) / 1000;
    log(`generate and queue: ${due} members due, ${queued} digests queued in ${generation.toFixed(1)} s (${(due / generation).toFixed(0)} members/s)`);

    // Phase 2: deliver to the sink.
    const { startDeliveryWorkers } = await import("~/models/email/worker.server");
    const d0 = performance.now();
    await startDeliveryWorkers(boss, CONCURRENCY);
    const deadline = Date.now() + Number(process.env.BENCH_TIMEOUT_MS ?? 3_600_000);
    let sent = 0;
    while (Date.now() < deadline) {
      sent = await db.emailMessage.count({ where: { kind: "digest", status: { in: ["sent", "cancelled", "failed", "suppressed"] } } });
      if (sent >= queued) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const delivery = (performance.now() - d0) / 1000;
    const statuses = await db.emailMessage.groupBy({ by: ["status"], where: { kind: "digest" }, _count: { _all: true } });
    log(`deliver: ${sent} of ${queued} digests done in ${delivery.toFixed(1)} s (${(sent / delivery).toFixed(1)} emails/s, ${CONCURRENCY} workers); sink received ${received}; ${statuses.map((s) => `${s.status} ${s._count._all}`).join(", ")}`);
    await stopQueue();
  } finally {
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    await db.$disconnect();
    const { disconnectPrisma } = await import("~/db.server");
    await disconnectPrisma();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
