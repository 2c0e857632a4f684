/**
 * Rows the tests need, inserted directly with a Prisma client on the test file's database.
 * Passwords are hashed with the app's own argon2id settings, invitation tokens with the app's
 * own hash, so the server accepts them exactly as if they were made through the UI.
 */
import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient, Role } from "@prisma/client";
import { createPrismaClient } from "~/db.server";
import { hashInvitationToken } from "~/models/invitations.server";
import { newId } from "~/utils/ids.server";
import { hashPassword } from "~/utils/password.server";
import { uniqueSuffix } from "./env";

/** A Prisma client on a test database (call `$disconnect()` when done). */
export function openPrisma(databaseUrl: string): PrismaClient {
  return createPrismaClient(databaseUrl);
}

export const DEFAULT_PASSWORD = "coal-to-clean-2026";

export interface TestMember {
  id: string;
  email: string;
  password: string;
  displayName: string;
  role: Role;
}

export async function createMember(
  db: PrismaClient,
  options: { role?: Role; region?: string; email?: string; password?: string; displayName?: string; locale?: "en" | "zh" } = {},
): Promise<TestMember> {
  const suffix = uniqueSuffix();
  const role = options.role ?? "member";
  const email = options.email ?? `${role}-${suffix}@test.example`;
  const password = options.password ?? DEFAULT_PASSWORD;
  const displayName = options.displayName ?? `Test ${role} ${suffix}`;
  const region = options.region ? await db.region.findUniqueOrThrow({ where: { slug: options.region } }) : null;
  const user = await db.user.create({
    data: {
      id: newId(),
      email,
      passwordHash: await hashPassword(password),
      displayName,
      role,
      locale: options.locale ?? "en",
      regionId: region?.id ?? null,
    },
  });
  return { id: user.id, email, password, displayName, role };
}

export interface TestInvitation {
  id: string;
  token: string;
}

export async function createInvitation(
  db: PrismaClient,
  options: { role?: Role; expiresAt?: Date; createdById?: string; usedById?: string } = {},
): Promise<TestInvitation> {
  const token = randomBytes(24).toString("base64url");
  const invitation = await db.invitation.create({
    data: {
      id: newId(),
      tokenHash: hashInvitationToken(token),
      role: options.role ?? "member",
      createdById: options.createdById ?? null,
      expiresAt: options.expiresAt ?? new Date(Date.now() + 14 * 24 * 60 * 60 * 1000),
      usedAt: options.usedById ? new Date() : null,
      usedById: options.usedById ?? null,
    },
  });
  return { id: invitation.id, token };
}

/** The seeded thread of a dialogue, by the dialogue's slug. */
export async function threadOf(db: PrismaClient, dialogueSlug: string): Promise<{ id: string; titleEn: string }> {
  return db.thread.findFirstOrThrow({
    where: { dialogue: { slug: dialogueSlug } },
    select: { id: true, titleEn: true },
  });
}

/** A dialogue of the seeded programme, by slug. */
export async function dialogueBySlug(db: PrismaClient, slug: string): Promise<{ id: string; slug: string; titleEn: string }> {
  return db.dialogue.findUniqueOrThrow({ where: { slug }, select: { id: true, slug: true, titleEn: true } });
}

/** ProseMirror JSON nodes, as the editor posts them in `content`. */
export type DocNode = { type: string; text?: string; attrs?: Record<string, unknown>; content?: DocNode[] };

/** One paragraph of text, or of text and @mentions. */
export function paragraphDoc(...parts: (string | { id: string; displayName: string })[]): DocNode {
  const content: DocNode[] = parts
    .filter((part) => part !== "")
    .map((part) => (typeof part === "string" ? { type: "text", text: part } : { type: "mention", attrs: { id: part.id, label: part.displayName } }));
  return { type: "doc", content: [{ type: "paragraph", content }] };
}

export interface ThreadOptions {
  authorId: string;
  dialogueId?: string | null;
  title?: string;
  lockedAt?: Date | null;
  pinnedAt?: Date | null;
  pinnedUntil?: Date | null;
  slowModeSeconds?: number;
  lastActivityAt?: Date;
}

/** A thread with no replies yet (add them with insertReplies). */
export async function insertThread(db: PrismaClient, options: ThreadOptions): Promise<{ id: string; titleEn: string; dialogueId: string | null }> {
  return db.thread.create({
    data: {
      id: newId(),
      dialogueId: options.dialogueId ?? null,
      titleEn: options.title ?? `Test thread ${uniqueSuffix()}`,
      authorId: options.authorId,
      lockedAt: options.lockedAt ?? null,
      pinnedAt: options.pinnedAt ?? null,
      pinnedUntil: options.pinnedUntil ?? null,
      slowModeSeconds: options.slowModeSeconds ?? 0,
      ...(options.lastActivityAt ? { lastActivityAt: options.lastActivityAt, createdAt: options.lastActivityAt } : {}),
    },
    select: { id: true, titleEn: true, dialogueId: true },
  });
}

export interface ReplySpec {
  authorId: string;
  text?: string;
  deleted?: boolean;
  hidden?: string;
}

export interface InsertedReply {
  id: string;
  postNumber: number;
  authorId: string;
  text: string;
}

/**
 * Appends replies to a thread with the next post numbers (plain paragraphs), then sets the
 * thread's counters the way the app keeps them: last post number, change number (one change per
 * reply), visible reply count, last activity.
 */
export async function insertReplies(db: PrismaClient, threadId: string, specs: ReplySpec[]): Promise<InsertedReply[]> {
  const thread = await db.thread.findUniqueOrThrow({ where: { id: threadId } });
  const now = Date.now();
  const rows = specs.map((spec, i) => {
    const postNumber = thread.lastPostNumber + i + 1;
    const text = spec.text ?? `Post ${postNumber} ${uniqueSuffix()}`;
    return {
      id: newId(),
      threadId,
      authorId: spec.authorId,
      postNumber,
      changeSeq: thread.changeSeq + i + 1,
      content: paragraphDoc(text) as Prisma.InputJsonValue,
      text,
      // A millisecond apart, in post order.
      createdAt: new Date(now - (specs.length - i)),
      deletedAt: spec.deleted ? new Date() : null,
      hiddenAt: spec.hidden !== undefined ? new Date() : null,
      hiddenReason: spec.hidden ?? null,
    };
  });
  await db.reply.createMany({ data: rows });
  const visible = await db.reply.findMany({ where: { threadId, deletedAt: null, hiddenAt: null }, select: { createdAt: true } });
  await db.thread.update({
    where: { id: threadId },
    data: {
      lastPostNumber: thread.lastPostNumber + specs.length,
      changeSeq: thread.changeSeq + specs.length,
      replyCount: visible.length,
      lastActivityAt: visible.reduce((max, r) => (r.createdAt > max ? r.createdAt : max), thread.createdAt),
    },
  });
  return rows.map((r) => ({ id: r.id, postNumber: r.postNumber, authorId: r.authorId, text: r.text }));
}

/** Sets users.suspended_until directly: no session is deleted and no socket disconnected. */
export async function suspendInDatabase(db: PrismaClient, userId: string, until = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000)): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { suspendedUntil: until, suspendedReason: "set directly by a test" } });
}
