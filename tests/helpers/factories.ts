/**
 * Rows the tests need, inserted directly with a Prisma client on the test file's database.
 * Passwords are hashed with the app's own argon2id settings, invitation tokens with the app's
 * own hash, so the server accepts them exactly as if they were made through the UI.
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient, Role } from "@prisma/client";
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
