/**
 * /admin/email: the outbox as an admin sees it — counts by state, the latest emails (filtered by
 * state), each one rendered (HTML and text, links working: without SMTP this is where a trial
 * user follows an invitation or reset link), a retry for failed, held or suppressed ones, and
 * "send a test email". Admins only.
 */
import type { EmailStatus, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { decodeTimeCursor, encodeTimeCursor } from "~/utils/cursor";
import { AppError } from "~/utils/errors";
import { logStaffAction } from "../moderation.server";
import { queueEmail } from "./outbox.server";
import { enqueueInTransaction, QUEUES } from "./queue.server";
import { emailSettings } from "./settings.server";

export const EMAIL_PAGE_SIZE = 50;

/** The admin page's groups: "queued" covers rows waiting and rows being sent. */
export const EMAIL_GROUPS = {
  queued: ["queued", "sending"],
  sent: ["sent"],
  held: ["held"],
  failed: ["failed"],
  suppressed: ["suppressed"],
  cancelled: ["cancelled"],
} as const satisfies Record<string, readonly EmailStatus[]>;
export type EmailGroup = keyof typeof EMAIL_GROUPS;

export function isEmailGroup(value: unknown): value is EmailGroup {
  return typeof value === "string" && Object.hasOwn(EMAIL_GROUPS, value);
}

/** Counts per group, the outbox page (newest first, keyset), and whether SMTP is configured. */
export async function listEmails(actor: Actor | null, options: { group?: EmailGroup | null; cursor?: string | null } = {}) {
  assertCan(actor, "email.manage");
  const grouped = await prisma.emailMessage.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(Object.entries(EMAIL_GROUPS).map(([group, statuses]) => [group, grouped.filter((g) => (statuses as readonly string[]).includes(g.status)).reduce((n, g) => n + g._count._all, 0)])) as Record<EmailGroup, number>;
  const cursor = decodeTimeCursor(options.cursor);
  const where: Prisma.EmailMessageWhereInput = {
    ...(options.group ? { status: { in: [...EMAIL_GROUPS[options.group]] } } : {}),
    ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
  };
  const rows = await prisma.emailMessage.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: EMAIL_PAGE_SIZE + 1,
    select: { id: true, kind: true, toAddress: true, status: true, subject: true, createdAt: true, sentAt: true, sendAfter: true, attempts: true, lastError: true, reason: true, locale: true },
  });
  const page = rows.slice(0, EMAIL_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    counts,
    smtp: emailSettings().smtpUrl !== null,
    emails: page,
    nextCursor: rows.length > EMAIL_PAGE_SIZE && last ? encodeTimeCursor(last.createdAt, last.id) : null,
  };
}

/** One email with its rendered parts and headers. */
export async function getEmail(actor: Actor | null, id: string) {
  assertCan(actor, "email.manage");
  const row = await prisma.emailMessage.findUnique({ where: { id } });
  if (!row) throw new AppError("not_found");
  return row;
}

const RETRYABLE: EmailStatus[] = ["failed", "held", "suppressed"];

/**
 * Queues a failed, held or suppressed email again (now). Logged in the staff log.
 * @throws AppError forbidden | not_found | email_not_retryable
 */
export async function retryEmail(actor: Actor | null, input: ParsedCommandInput<"email.retry">) {
  assertCan(actor, "email.manage");
  await prisma.$transaction(async (tx) => {
    const row = await tx.emailMessage.findUnique({ where: { id: input.emailId } });
    if (!row) throw new AppError("not_found");
    // Leaving the gathering key would clash with a newer queued email for the same thread.
    const reset = await tx.emailMessage.updateMany({
      where: { id: row.id, status: { in: RETRYABLE } },
      data: { status: "queued", gatherKey: null, attempts: 0, lastError: null, reason: null, sendAfter: new Date(), updatedAt: new Date() },
    });
    if (reset.count !== 1) throw new AppError("email_not_retryable", "Only a failed, held or suppressed email can be sent again", "emailId");
    await enqueueInTransaction(tx, QUEUES.send, { emailId: row.id });
    await logStaffAction(tx, { actorId: actor.id, action: "email.retry", targetType: "email", targetId: row.id, reason: "", data: { kind: row.kind } });
  });
  return { emailId: input.emailId, queued: true };
}

/**
 * Queues a test email to an address (the admin's own by default).
 * @throws AppError forbidden
 */
export async function sendTestEmail(actor: Actor | null, input: ParsedCommandInput<"email.sendTest">) {
  assertCan(actor, "email.manage");
  const admin = await prisma.user.findUniqueOrThrow({ where: { id: actor.id }, select: { email: true, displayName: true, locale: true } });
  const to = input.to ?? admin.email;
  const emailId = await prisma.$transaction((tx) => queueEmail(tx, { kind: "test", userId: to === admin.email ? actor.id : null, to, locale: admin.locale, payload: { sentBy: admin.displayName } }));
  return { emailId, to };
}
