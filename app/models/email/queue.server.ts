/**
 * The job queue: pg-boss 10 on the app's own PostgreSQL (schema `pgboss`), running inside every
 * app process (docs/decisions/020-email-outbox-and-queue.md). A job is enqueued in the same
 * transaction as the outbox row it delivers (`enqueueInTransaction`), so either both exist or
 * neither does; pg-boss hands each job to exactly one worker (`FOR UPDATE SKIP LOCKED`), retries
 * failures with backoff, and gives a job whose worker died (a crash, a kill) to another worker
 * once its `expireInSeconds` has passed.
 */
import type { Prisma } from "@prisma/client";
import pg from "pg";
import PgBoss from "pg-boss";
import { getSingleton, setSingleton } from "~/utils/singleton.server";

/** Queue names. */
export const QUEUES = {
  /** Delivers one outbox row (`{ emailId }`). */
  send: "email-send",
  /** A "forgot password" request (`{ email, locale }`): the work behind the page, off the request. */
  passwordReset: "email-password-reset",
  /** Every few minutes: due digests, dialogue reminders. */
  tick: "email-tick",
} as const;

/** How long one delivery may hold its job before pg-boss gives it to another worker. */
export const SEND_EXPIRE_SECONDS = 60;
/** Temporary SMTP failures: up to 8 retries, 30 s doubling (≈ 2 hours in all). */
export const SEND_RETRY_LIMIT = 8;
export const SEND_RETRY_DELAY_SECONDS = 30;

const KEY = "email:boss";

/** The process's pg-boss instance (created, not started), on DATABASE_URL. */
export function boss(): PgBoss {
  const existing = getSingleton<PgBoss>(KEY);
  if (existing) return existing;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the job queue needs the database.");
  const created = new PgBoss({
    connectionString: url,
    schema: "pgboss",
    max: Number(process.env.EMAIL_QUEUE_POOL_SIZE ?? 4),
    application_name: "crn-queue",
    // Expired active jobs (a dead worker's) are failed, and so retried, this often.
    maintenanceIntervalSeconds: 15,
  });
  setSingleton(KEY, created);
  return created;
}

/** A pg-boss `db` that runs its SQL inside a Prisma interactive transaction. */
export function transactionDb(tx: Prisma.TransactionClient): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values.map(normalise));
      return { rows };
    },
  };
}

/** pg-boss passes JSON data as an object; PostgreSQL gets it as text (`$3::jsonb`). */
function normalise(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

/**
 * Enqueues a job in the caller's transaction: it exists only if the transaction commits.
 * @throws Error when pg-boss did not create it (the queue does not exist: the queue was never
 *   started on this database), so the transaction rolls back rather than lose the email
 */
export async function enqueueInTransaction(
  tx: Prisma.TransactionClient,
  name: (typeof QUEUES)[keyof typeof QUEUES],
  data: object,
  options: PgBoss.SendOptions = {},
): Promise<string> {
  const id = await boss().send(name, data, { ...options, db: transactionDb(tx) });
  if (!id) throw new Error(`the job queue did not accept a ${name} job`);
  return id;
}

/** Enqueues a job on its own (no transaction to share). */
export async function enqueue(name: (typeof QUEUES)[keyof typeof QUEUES], data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
  return boss().send(name, data, options);
}

/**
 * Starts pg-boss (creating its schema on first start, under its own advisory lock) and the
 * queues. Workers are registered by the caller.
 */
export async function startQueue(): Promise<PgBoss> {
  const instance = boss();
  instance.on("error", (error: unknown) => {
    // A lost connection or a failed maintenance run is logged and retried by pg-boss itself; it
    // must never take the process down (DESIGN.md, "faults are expected").
    console.error(`[crn] job queue error: ${(error as Error)?.message ?? error}`);
  });
  await instance.start();
  // Two processes starting together deadlock creating the same queues' partitions: one at a time.
  await withAdvisoryLock(QUEUE_SETUP_LOCK, async () => {
    await ensureQueue(instance, {
      name: QUEUES.send,
      policy: "standard",
      retryLimit: SEND_RETRY_LIMIT,
      retryDelay: SEND_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      expireInSeconds: SEND_EXPIRE_SECONDS,
      retentionDays: 14,
    });
    await ensureQueue(instance, { name: QUEUES.passwordReset, policy: "standard", retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 });
    await ensureQueue(instance, { name: QUEUES.tick, policy: "standard", retryLimit: 0, expireInSeconds: 15 * 60 });
  });
  return instance;
}

async function ensureQueue(instance: PgBoss, queue: PgBoss.Queue): Promise<void> {
  if (await instance.getQueue(queue.name)) return;
  await instance.createQueue(queue.name, queue);
}

/** A fixed key for `pg_advisory_lock` around queue creation ("crn-queues"). */
const QUEUE_SETUP_LOCK = 72707343;

async function withAdvisoryLock(key: number, work: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => {});
    await client.end();
  }
}

/** Stops the workers (waiting up to `timeoutMs` for jobs in hand) and closes the pool. */
export async function stopQueue(timeoutMs = 10_000): Promise<void> {
  const instance = getSingleton<PgBoss>(KEY);
  if (!instance) return;
  await instance.stop({ graceful: true, timeout: timeoutMs, wait: true }).catch(() => {});
}
