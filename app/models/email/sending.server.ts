/**
 * Delivery: the worker behind the `email-send` queue. For one outbox row it claims the row,
 * renders it (`composeEmail`: permissions, preferences and "already read" are checked now), then
 * either sends it over SMTP (nodemailer, SMTP_URL) or, with no SMTP server configured, keeps it
 * rendered as `held` for /admin/email. Temporary SMTP failures (4xx, connection trouble) throw,
 * so pg-boss retries with backoff; a permanent refusal (5xx at the envelope or the message)
 * fails the row at once and marks the member's address as bouncing (RFC 5321 §4.2.1).
 */
import type { EmailMessage, Prisma } from "@prisma/client";
import nodemailer, { type Transporter } from "nodemailer";
import { prisma } from "~/db.server";
import { logger } from "~/utils/logger.server";
import { getSingleton, setSingleton } from "~/utils/singleton.server";
import { composeEmail, type Composed } from "./compose.server";
import { emailSettings } from "./settings.server";

/** Kinds whose body holds a single-use link: removed from the stored copy once delivered. */
const SECRET_KINDS = new Set(["invitation", "password_reset", "email_change_confirm"]);

function transport(): Transporter | null {
  const { smtpUrl } = emailSettings();
  if (!smtpUrl) return null;
  const existing = getSingleton<{ url: string; transporter: Transporter }>("email:transport");
  if (existing?.url === smtpUrl) return existing.transporter;
  // Every call has a timeout (DESIGN.md, "faults are expected"); pooled connections for throughput.
  const options = {
    url: smtpUrl,
    pool: true,
    maxConnections: Number(process.env.EMAIL_CONCURRENCY ?? 4),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // A local test sink or a relay on a private network often has no certificate for its name.
    tls: { rejectUnauthorized: process.env.SMTP_TLS_REJECT_UNAUTHORIZED !== "0" },
  };
  const transporter = nodemailer.createTransport(options as Parameters<typeof nodemailer.createTransport>[0]);
  setSingleton("email:transport", { url: smtpUrl, transporter });
  return transporter;
}

/** Closes pooled SMTP connections (on shutdown). */
export function closeTransport(): void {
  getSingleton<{ transporter: Transporter }>("email:transport")?.transporter.close();
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** A refusal the server means for good: 5xx for the recipient or the message (not auth or connection). */
export function isPermanentFailure(error: unknown): boolean {
  const e = error as SmtpError;
  return typeof e?.responseCode === "number" && e.responseCode >= 500 && e.responseCode < 600 && (e.code === "EENVELOPE" || e.code === "EMESSAGE");
}

function describe(error: unknown): string {
  const e = error as SmtpError;
  return (e?.response || e?.message || String(error)).slice(0, 500);
}

/** The stored copy of a delivered email whose link was single-use: the link is taken out. */
function scrub(row: EmailMessage, text: string): string {
  const token = (row.payload as Record<string, unknown> | null)?.token;
  if (!SECRET_KINDS.has(row.kind) || typeof token !== "string" || !token) return text;
  return text.split(token).join("[…]").split(encodeURIComponent(token)).join("[…]");
}

export interface JobAttempt {
  /** Retries already made (0 on the first run). */
  retryCount: number;
  retryLimit: number;
}

/**
 * Delivers one outbox row. Safe to run again for the same row: a row no longer queued or
 * sending is left alone.
 * @throws the SMTP error of a temporary failure (pg-boss retries the job)
 */
export async function deliverEmail(emailId: string, attempt: JobAttempt): Promise<void> {
  const claimed = await prisma.emailMessage.updateMany({
    where: { id: emailId, status: { in: ["queued", "sending"] } },
    data: { status: "sending", attempts: { increment: 1 }, updatedAt: new Date() },
  });
  if (claimed.count === 0) return;
  const row = await prisma.emailMessage.findUniqueOrThrow({ where: { id: emailId } });
  let composed: Composed;
  try {
    composed = await composeEmail(row);
  } catch (error) {
    await prisma.emailMessage.update({ where: { id: row.id }, data: { lastError: describe(error), updatedAt: new Date() } });
    throw error;
  }
  if (composed.outcome !== "send") {
    await prisma.emailMessage.update({
      where: { id: row.id },
      data: { status: composed.outcome === "cancel" ? "cancelled" : "suppressed", reason: composed.reason, updatedAt: new Date() },
    });
    return;
  }
  const settings = emailSettings();
  const payload = { ...((row.payload as Prisma.JsonObject | null) ?? {}), ...(composed.payload ?? {}) } as Prisma.InputJsonObject;
  const content = { subject: composed.subject, html: composed.html, text: composed.text, headers: { ...composed.headers, ...(composed.replyTo ? { "Reply-To": composed.replyTo } : {}) }, payload };
  const mailer = transport();
  if (!mailer) {
    // No SMTP server: the email stays in the outbox, rendered, never dropped (README, "Email").
    await prisma.emailMessage.update({ where: { id: row.id }, data: { ...content, status: "held", updatedAt: new Date() } });
    return;
  }
  try {
    await mailer.sendMail({
      from: settings.from,
      to: row.toAddress,
      subject: composed.subject,
      html: composed.html,
      text: composed.text,
      replyTo: composed.replyTo,
      messageId: composed.headers["Message-ID"],
      headers: Object.fromEntries(Object.entries(composed.headers).filter(([name]) => name !== "Message-ID")),
    });
  } catch (error) {
    const permanent = isPermanentFailure(error);
    const last = attempt.retryCount >= attempt.retryLimit;
    logger.warn({ event: "email.send_failed", emailId: row.id, kind: row.kind, permanent, last, error: describe(error) }, "email delivery failed");
    if (!permanent && !last) {
      await prisma.emailMessage.update({ where: { id: row.id }, data: { lastError: describe(error), updatedAt: new Date() } });
      throw error;
    }
    await prisma.$transaction(async (tx) => {
      await tx.emailMessage.update({ where: { id: row.id }, data: { ...content, status: "failed", lastError: describe(error), updatedAt: new Date() } });
      if (permanent && row.userId) {
        // Only if the address is still the member's: a changed address starts clean.
        await tx.user.updateMany({ where: { id: row.userId, email: row.toAddress, emailBouncingAt: null }, data: { emailBouncingAt: new Date(), emailBounceReason: describe(error) } });
      }
    });
    return;
  }
  await prisma.emailMessage.update({
    where: { id: row.id },
    data: {
      ...content,
      html: scrub(row, composed.html),
      text: scrub(row, composed.text),
      payload: SECRET_KINDS.has(row.kind) ? { ...payload, token: null } : payload,
      status: "sent",
      sentAt: new Date(),
      lastError: null,
      updatedAt: new Date(),
    },
  });
  logger.info({ event: "email.sent", emailId: row.id, kind: row.kind }, "email sent");
}
