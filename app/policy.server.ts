/**
 * The one permission policy: `can(actor, action)` answers for HTTP routes and sockets alike,
 * so every rule is written once. `assertCan` throws and logs refusals.
 *
 * Visibility (issue #2): programme pages (home, series, dialogues, regions) are public, like
 * the source page; threads, replies, member profiles and everything members write need a
 * signed-in member.
 */
import type { Role } from "@prisma/client";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";

export interface Actor {
  id: string;
  role: Role;
}

export type Action =
  | "programme.read"
  | "participation.request"
  | "participation.list"
  | "thread.read"
  | "reply.create"
  | "member.read"
  | "invitation.manage"
  | "dialogue.manage";

const rank: Record<Role, number> = { member: 1, moderator: 2, admin: 3 };

function atLeast(actor: Actor | null, role: Role): boolean {
  return actor !== null && rank[actor.role] >= rank[role];
}

export function can(actor: Actor | null, action: Action): boolean {
  switch (action) {
    case "programme.read":
    case "participation.request":
      return true;
    case "thread.read":
    case "reply.create":
    case "member.read":
      return atLeast(actor, "member");
    case "participation.list":
      return atLeast(actor, "moderator");
    case "invitation.manage":
    case "dialogue.manage":
      return atLeast(actor, "admin");
  }
}

/**
 * @throws AppError("unauthenticated") for a signed-out actor, AppError("forbidden") otherwise
 */
export function assertCan(actor: Actor | null, action: Action, resource?: string): void {
  if (can(actor, action)) return;
  logger.warn({ event: "authz.refused", userId: actor?.id ?? null, action, resource }, "authorisation refused");
  throw actor ? new AppError("forbidden") : new AppError("unauthenticated");
}
