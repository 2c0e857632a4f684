/**
 * The outbox (docs/decisions/020-email-outbox-and-queue.md): an email is a row written in the
 * transaction of the event that causes it, with the job that delivers it. Callers describe what
 * to send (a kind, a recipient, ids to render from); the worker renders and sends it later
 * (`./sending.server.ts`), checking permissions and preferences again then.
 *
 * This module is the queueing side only: it imports no template and no other model, so any
 * model can call it without an import cycle.
 */
import type { EmailKind, Locale, Prisma } from "@prisma/client";
import { newId } from "~/utils/ids.server";
import { enqueueInTransaction, QUEUES } from "./queue.server";

/** Kinds a member can switch off, and which are sent even to a bouncing address. */
export const ESSENTIAL_KINDS: ReadonlySet<EmailKind> = new Set([
  "test",
  "invitation",
  "password_reset",
  "password_changed",
  "email_change_confirm",
  "email_change_notice",
  "participation_decided",
  "reply_refused",
]);

export interface EmailSpec {
  kind: EmailKind;
  /** The recipient, when a member. */
  userId?: string | null;
  to: string;
  locale: Locale;
  refId?: string | null;
  /**
   * At most one queued email per key: while one waits, a later event with the same key is
   * gathered into it (nothing is inserted) and the worker renders everything at send time.
   */
  gatherKey?: string | null;
  payload?: Prisma.InputJsonObject;
  /** Not before this time (notifications wait EMAIL_DELAY_SECONDS). */
  sendAfter?: Date;
}

/**
 * Writes the outbox row and its delivery job inside the caller's transaction.
 * @returns the new row's id, or null when an email with the same `gatherKey` is already queued
 */
export async function queueEmail(tx: Prisma.TransactionClient, spec: EmailSpec): Promise<string | null> {
  const id = newId();
  const sendAfter = spec.sendAfter ?? new Date();
  const inserted = await tx.$executeRaw`
    INSERT INTO email_outbox (id, kind, user_id, to_address, locale, ref_id, gather_key, payload, send_after, created_at, updated_at)
    VALUES (${id}, ${spec.kind}::"EmailKind", ${spec.userId ?? null}, ${spec.to}, ${spec.locale}::"Locale", ${spec.refId ?? null},
            ${spec.gatherKey ?? null}, ${JSON.stringify(spec.payload ?? {})}::jsonb, ${sendAfter}, now(), now())
    ON CONFLICT (gather_key) WHERE status = 'queued' DO NOTHING`;
  if (inserted === 0) return null;
  await enqueueInTransaction(tx, QUEUES.send, { emailId: id }, { startAfter: sendAfter });
  return id;
}
