/**
 * Email inside the app process (docs/decisions/020-email-outbox-and-queue.md): `startEmail`
 * is called by server/index.ts once the server listens. It records the settings, makes the
 * signing key, starts pg-boss and its workers (delivery, "forgot password" requests, the
 * periodic tick for digests, dialogue reminders and survey announcements) and, with INBOUND_SMTP_PORT, the
 * reply-by-email SMTP server. Every app process runs the same workers; pg-boss hands each job
 * to one of them.
 */
import type PgBoss from "pg-boss";
import { logger } from "~/utils/logger.server";
import { getSingleton, setSingleton } from "~/utils/singleton.server";
import { runDigestScan } from "./digests.server";
import { startInboundServer, type InboundServer } from "./inbound.server";
import { handlePasswordResetRequest } from "./password-reset.server";
import { enqueue, QUEUES, startQueue, stopQueue } from "./queue.server";
import { runDialogueReminders } from "./reminders.server";
import { runSurveyAnnouncements } from "../surveys/announcements.server";
import { closeTransport, deliverEmail } from "./sending.server";
import { configureEmail, defaultFrom, type EmailSettings } from "./settings.server";
import { ensureSigningKey } from "./tokens.server";

export interface StartEmailOptions {
  smtpUrl: string | null;
  from: string | null;
  publicUrl: string;
  delaySeconds: number;
  inbound: { port: number; host?: string; domain: string } | null;
  /** Seconds between ticks (digests, reminders): EMAIL_TICK_SECONDS, default 60. */
  tickSeconds: number;
  /** Parallel deliveries in this process: EMAIL_CONCURRENCY, default 4. */
  concurrency: number;
  log(line: string): void;
}

interface Running {
  boss: PgBoss;
  timer: NodeJS.Timeout;
  inbound: InboundServer | null;
}

/**
 * @returns the inbound SMTP port when reply by email is on, else null
 */
export async function startEmail(options: StartEmailOptions): Promise<{ inboundPort: number | null }> {
  const settings: EmailSettings = {
    smtpUrl: options.smtpUrl,
    from: options.from ?? defaultFrom(options.publicUrl),
    publicUrl: options.publicUrl,
    delaySeconds: options.delaySeconds,
    inboundDomain: options.inbound ? options.inbound.domain : null,
  };
  configureEmail(settings);
  await ensureSigningKey();
  const boss = await startQueue();
  await startDeliveryWorkers(boss, options.concurrency);
  await boss.work<{ email: string; locale: "en" | "zh" }>(QUEUES.passwordReset, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    if (job) await handlePasswordResetRequest(job.data);
  });
  await boss.work(QUEUES.tick, { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
    await runDialogueReminders();
    await runSurveyAnnouncements();
    await runDigestScan();
  });
  // Each process asks for a tick; the singleton key lets one through per interval.
  const tick = () =>
    void enqueue(QUEUES.tick, {}, { singletonKey: "tick", singletonSeconds: options.tickSeconds }).catch((error: unknown) =>
      logger.warn({ event: "email.tick_failed", error: (error as Error).message }, "could not queue the email tick"),
    );
  tick();
  const timer = setInterval(tick, options.tickSeconds * 1000);
  timer.unref();
  const inbound = options.inbound ? await startInboundServer(options.inbound) : null;
  setSingleton<Running>("email:running", { boss, timer, inbound });
  if (!options.smtpUrl) {
    options.log(`Email is not being delivered (SMTP_URL is not set): every email is kept in the outbox, rendered, at ${options.publicUrl}/admin/email`);
  }
  if (inbound) options.log(`Reply by email: SMTP on port ${inbound.port} for reply+…@${options.inbound!.domain}`);
  return { inboundPort: inbound?.port ?? null };
}

/**
 * `concurrency` delivery workers on the `email-send` queue. A worker that has just delivered
 * asks for the next job at once (pg-boss would otherwise wait out its polling interval after
 * every job, capping a worker at one email per second); an idle one polls every second.
 */
export async function startDeliveryWorkers(boss: PgBoss, concurrency: number): Promise<void> {
  for (let i = 0; i < Math.max(1, concurrency); i++) {
    let workerId = "";
    workerId = await boss.work<{ emailId: string }>(QUEUES.send, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (!job) return;
      try {
        await deliverEmail(job.data.emailId, { retryCount: job.retryCount, retryLimit: job.retryLimit });
      } finally {
        boss.notifyWorker(workerId);
      }
    });
  }
}

/** Stops the inbound server, the tick and the workers (waiting for deliveries in hand). */
export async function stopEmail(): Promise<void> {
  const running = getSingleton<Running | undefined>("email:running");
  if (!running) return;
  clearInterval(running.timer);
  await running.inbound?.close();
  await stopQueue();
  closeTransport();
  setSingleton("email:running", undefined);
}
