/**
 * The authorisation matrix of issue #3: who may run which thread, reply, flag and moderation
 * command (and, since issue #11, the account and administration commands; every other command is
 * in ./authorisation-matrix-content.ts, and the test files fail on a command in neither). Shared by the HTTP and the socket test files, which run every cell against a real
 * server: each cell gets a fresh thread (and whatever the command needs), runs the command as
 * the actor, and checks either what was stored (allowed) or that nothing was stored and
 * nothing was broadcast (refused).
 *
 * Actors:
 * - visitor: no session cookie.
 * - member, moderator, admin: signed in.
 * - suspended: a member who signed in and opened a socket, and was then suspended. Over HTTP
 *   their session no longer counts (suspension deletes sessions; a session of a suspended
 *   member that slipped through is deleted when presented), so they are refused as
 *   `unauthenticated`. Over a socket opened before the suspension every command is re-checked
 *   and refused as `suspended`.
 *
 * "Nothing broadcast" is checked without sleeping: the author of the thread's first post
 * watches the thread's room, its category's room and their own notification room. After a
 * refused command an admin changes the thread's slow mode to a unique value (a barrier); a
 * socket receives events in the order they were emitted, so anything the refused command had
 * broadcast would have arrived before the barrier's `thread:updated`.
 */
import type { PrismaClient, Role } from "@prisma/client";
import { expect } from "vitest";
import { visibleNotificationsWhere } from "~/models/notifications.server";
import type { CommandName } from "~/realtime/commands";
import type { ThreadState } from "~/realtime/events";
import type { ErrorCode } from "~/utils/errors";
import { signIn, type SignedIn } from "./auth";
import { apiCommand, socketCommand, STATUS_OF, type CommandOutcome } from "./commands";
import { uniqueSuffix } from "./env";
import {
  createInvitation,
  createMember,
  dialogueBySlug,
  insertReplies,
  insertThread,
  suspendInDatabase,
  type InsertedReply,
  type TestMember,
} from "./factories";
import { verifyPassword } from "~/utils/password.server";
import { hashInvitationToken } from "~/models/invitations.server";
import { fingerprint } from "./fingerprint";
import type { RunningServer } from "./server";
import { AllEvents, connectSocket, joinCategory, joinThread, type ClientSocket } from "./sockets";

export type ActorName = "visitor" | "member" | "suspended" | "moderator" | "admin";
export type Channel = "http" | "socket";
export type Expected = "ok" | ErrorCode;

export const ACTOR_LABELS: Record<ActorName, string> = {
  visitor: "a signed-out visitor",
  member: "a member",
  suspended: "a suspended member",
  moderator: "a moderator",
  admin: "an admin",
};

export interface Actor {
  name: ActorName;
  member: TestMember | null;
  session: SignedIn | null;
  socket: ClientSocket | null;
}

export interface World {
  db: PrismaClient;
  server: RunningServer;
  dialogue: { id: string };
  otherDialogue: { id: string };
  /** Author of every fixture thread's first post; their socket watches the thread. */
  author: TestMember;
  authorSocket: ClientSocket;
  authorEvents: AllEvents;
  /** Waits, when needed, to keep the watcher under the server's per-socket event limit. */
  pace(): Promise<void>;
  /** Flags the first post where a command needs a pending flag. */
  flagger: TestMember;
  admin: Actor;
  actors: Record<ActorName, Actor>;
}

export interface FixtureOptions {
  pinned?: boolean;
  locked?: boolean;
  /** The first post (by the author) is hidden. */
  hidden?: boolean;
  /** The first post has a pending flag. */
  flagged?: boolean;
  /** The actor has an unread notification. */
  notification?: boolean;
  /** A member of this role to suspend or unsuspend. */
  target?: Role;
  targetSuspended?: boolean;
  /** The target's account is deactivated. */
  targetDeactivated?: boolean;
  /** An open invitation (to revoke). */
  invitation?: boolean;
  /** An open invitation sent by email (to send again). */
  emailInvitation?: boolean;
  /** A failed email in the outbox (to retry). */
  failedEmail?: boolean;
  /** A pending request to take part in a dialogue (to decide). */
  participationRequest?: boolean;
  /** The first post and the title have a Chinese translation by another member (the flagger). */
  translation?: boolean;
}

export interface Fixture {
  thread: { id: string; dialogueId: string | null };
  /** The author's first post. */
  theirs: InsertedReply;
  /** A later post by the actor (for a visitor, by another member). */
  own: InsertedReply;
  target: TestMember | null;
  /** An open invitation made by an admin, when the fixture asks for one. */
  invitation: { id: string; token: string } | null;
  /** A failed outbox row, when the fixture asks for one. */
  email: { id: string } | null;
  /** A pending participation request, when the fixture asks for one. */
  request: { id: string } | null;
  /** The actor's current password (null for a visitor). */
  password: string | null;
  /** A unique word for titles and texts written by this cell. */
  word: string;
}

type Payload = Record<string, unknown>;

export interface MatrixRow {
  command: CommandName;
  /** What the command is applied to, for the test name. */
  on: string;
  fixture?: FixtureOptions;
  input(f: Fixture, world: World): Payload;
  /** The outcome for signed-in actors; a visitor is always `unauthenticated`. */
  expected: { member: Expected; moderator: Expected; admin: Expected };
  /** When allowed: checks what was stored. */
  stored(db: PrismaClient, f: Fixture, actor: TestMember, result: unknown, world: World): Promise<void>;
  /** When allowed: the event the author's socket receives. */
  broadcast?(event: string, payload: unknown, f: Fixture, result: unknown, world: World): boolean;
}

const OK = "ok" as const;
const everyone = { member: OK, moderator: OK, admin: OK };
const staffOnly = { member: "forbidden", moderator: OK, admin: OK } as const;
const nobody = { member: "forbidden", moderator: "forbidden", admin: "forbidden" } as const;
const adminOnly = { member: "forbidden", moderator: "forbidden", admin: OK } as const;

const threadUpdated = (check: (state: ThreadState) => boolean) => (event: string, payload: unknown, f: Fixture) =>
  event === "thread:updated" && (payload as ThreadState).threadId === f.thread.id && check(payload as ThreadState);

const replyEvent = (name: string, id: (f: Fixture) => string) => (event: string, payload: unknown, f: Fixture) =>
  event === name && ((payload as { reply?: { id: string }; replyId?: string }).reply?.id ?? (payload as { replyId?: string }).replyId) === id(f);

async function expectLogged(db: PrismaClient, actor: TestMember, action: string, targetId: string, reason?: string) {
  const logged = await db.staffAction.findMany({ where: { actorId: actor.id, action, targetId } });
  expect(logged, `staff log entry ${action} on ${targetId}`).toHaveLength(1);
  if (reason !== undefined) expect(logged[0].reason).toBe(reason);
}

const PIN_UNTIL = () => new Date(Date.now() + 3 * 24 * 60 * 60 * 1000);
const SUSPEND_UNTIL = () => new Date(Date.now() + 14 * 24 * 60 * 60 * 1000);

/** The matrix, one row per command and target. */
export const MATRIX: MatrixRow[] = [
  {
    command: "thread.create",
    on: "a dialogue",
    input: (f, w) => ({ dialogueId: w.dialogue.id, title: `New thread ${f.word}`, body: `First post ${f.word}` }),
    expected: everyone,
    async stored(db, f, actor, result, w) {
      const { threadId } = result as { threadId: string };
      const thread = await db.thread.findUniqueOrThrow({ where: { id: threadId }, include: { replies: true } });
      expect(thread).toMatchObject({ titleEn: `New thread ${f.word}`, dialogueId: w.dialogue.id, authorId: actor.id, replyCount: 1 });
      expect(thread.replies.map((r) => [r.postNumber, r.text])).toEqual([[1, `First post ${f.word}`]]);
    },
    broadcast: (event, payload, _f, result, w) =>
      event === "category:activity" &&
      (payload as { categoryKey: string; threadId: string }).threadId === (result as { threadId: string }).threadId &&
      (payload as { categoryKey: string }).categoryKey === `dialogue:${w.dialogue.id}`,
  },
  {
    command: "reply.create",
    on: "an open thread",
    input: (f) => ({ threadId: f.thread.id, body: `A reply ${f.word}` }),
    expected: everyone,
    async stored(db, f, actor, result) {
      const reply = await db.reply.findUniqueOrThrow({ where: { id: (result as { id: string }).id } });
      expect(reply).toMatchObject({ threadId: f.thread.id, authorId: actor.id, text: `A reply ${f.word}`, postNumber: 3 });
    },
    broadcast: (event, payload, f) => event === "reply:created" && (payload as { reply: { threadId: string; text: string } }).reply.text === `A reply ${f.word}`,
  },
  {
    command: "reply.edit",
    on: "another member's reply",
    input: (f) => ({ replyId: f.theirs.id, body: `Edited ${f.word}` }),
    expected: staffOnly,
    async stored(db, f, actor) {
      const reply = await db.reply.findUniqueOrThrow({ where: { id: f.theirs.id }, include: { revisions: true } });
      expect(reply.text).toBe(`Edited ${f.word}`);
      expect(reply.editedAt).not.toBeNull();
      expect(reply.revisions.map((r) => [r.text, r.editorId])).toEqual([[f.theirs.text, actor.id]]);
    },
    broadcast: replyEvent("reply:updated", (f) => f.theirs.id),
  },
  {
    command: "reply.edit",
    on: "their own reply",
    input: (f) => ({ replyId: f.own.id, body: `Edited ${f.word}` }),
    expected: everyone,
    async stored(db, f) {
      const reply = await db.reply.findUniqueOrThrow({ where: { id: f.own.id }, include: { revisions: true } });
      expect(reply.text).toBe(`Edited ${f.word}`);
      expect(reply.revisions.map((r) => r.text)).toEqual([f.own.text]);
    },
    broadcast: replyEvent("reply:updated", (f) => f.own.id),
  },
  {
    command: "reply.delete",
    on: "another member's reply",
    input: (f) => ({ replyId: f.theirs.id }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.reply.findUniqueOrThrow({ where: { id: f.theirs.id } })).deletedAt).not.toBeNull();
      await expectLogged(db, actor, "reply.delete", f.theirs.id);
    },
    broadcast: replyEvent("reply:removed", (f) => f.theirs.id),
  },
  {
    command: "reply.delete",
    on: "their own reply",
    input: (f) => ({ replyId: f.own.id }),
    expected: everyone,
    async stored(db, f) {
      expect((await db.reply.findUniqueOrThrow({ where: { id: f.own.id } })).deletedAt).not.toBeNull();
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).replyCount).toBe(1);
    },
    broadcast: replyEvent("reply:removed", (f) => f.own.id),
  },
  {
    command: "reply.flag",
    on: "another member's reply",
    input: (f) => ({ replyId: f.theirs.id, reason: "off_topic" }),
    expected: everyone,
    async stored(db, f, actor) {
      const flags = await db.flag.findMany({ where: { replyId: f.theirs.id } });
      expect(flags.map((g) => [g.flaggerId, g.reason, g.status])).toEqual([[actor.id, "off_topic", "pending"]]);
    },
  },
  {
    command: "reply.flag",
    on: "their own reply",
    input: (f) => ({ replyId: f.own.id, reason: "spam" }),
    expected: nobody,
    stored: async () => {},
  },
  {
    command: "thread.watch",
    on: "a thread",
    input: (f) => ({ threadId: f.thread.id, level: "watching" }),
    expected: everyone,
    async stored(db, f, actor) {
      const watch = await db.threadWatch.findUniqueOrThrow({ where: { userId_threadId: { userId: actor.id, threadId: f.thread.id } } });
      expect(watch.level).toBe("watching");
    },
  },
  {
    command: "category.watch",
    on: "a dialogue",
    input: (_f, w) => ({ categoryKey: `dialogue:${w.dialogue.id}`, level: "tracking" }),
    expected: everyone,
    async stored(db, _f, actor, _result, w) {
      const watch = await db.categoryWatch.findUniqueOrThrow({ where: { userId_categoryKey: { userId: actor.id, categoryKey: `dialogue:${w.dialogue.id}` } } });
      expect(watch.level).toBe("tracking");
    },
  },
  {
    command: "thread.markRead",
    on: "a thread",
    input: (f) => ({ threadId: f.thread.id, postNumber: 1 }),
    expected: everyone,
    async stored(db, f, actor) {
      const read = await db.threadRead.findUniqueOrThrow({ where: { userId_threadId: { userId: actor.id, threadId: f.thread.id } } });
      expect(read.lastReadPostNumber).toBe(1);
    },
  },
  {
    command: "notifications.markRead",
    on: "all their notifications",
    fixture: { notification: true },
    input: () => ({}),
    expected: everyone,
    async stored(db, _f, actor) {
      expect(await db.notification.count({ where: { userId: actor.id, readAt: null } })).toBe(0);
    },
  },
  {
    command: "thread.pin",
    on: "a thread, until a date",
    input: (f) => ({ threadId: f.thread.id, until: PIN_UNTIL().toISOString() }),
    expected: staffOnly,
    async stored(db, f, actor) {
      const thread = await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } });
      expect(thread.pinnedAt).not.toBeNull();
      expect(thread.pinnedUntil!.getTime()).toBeGreaterThan(Date.now());
      await expectLogged(db, actor, "thread.pin", f.thread.id);
    },
    broadcast: threadUpdated((s) => s.pinned),
  },
  {
    command: "thread.unpin",
    on: "a pinned thread",
    fixture: { pinned: true },
    input: (f) => ({ threadId: f.thread.id }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).pinnedAt).toBeNull();
      await expectLogged(db, actor, "thread.unpin", f.thread.id);
    },
    broadcast: threadUpdated((s) => !s.pinned),
  },
  {
    command: "thread.lock",
    on: "an open thread",
    input: (f) => ({ threadId: f.thread.id, reason: `heated ${f.word}` }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).lockedAt).not.toBeNull();
      await expectLogged(db, actor, "thread.lock", f.thread.id, `heated ${f.word}`);
    },
    broadcast: threadUpdated((s) => s.locked),
  },
  {
    command: "thread.unlock",
    on: "a locked thread",
    fixture: { locked: true },
    input: (f) => ({ threadId: f.thread.id }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).lockedAt).toBeNull();
      await expectLogged(db, actor, "thread.unlock", f.thread.id);
    },
    broadcast: threadUpdated((s) => !s.locked),
  },
  {
    command: "thread.move",
    on: "a thread, to another dialogue",
    input: (f, w) => ({ threadId: f.thread.id, dialogueId: w.otherDialogue.id, reason: `belongs elsewhere ${f.word}` }),
    expected: staffOnly,
    async stored(db, f, actor, _result, w) {
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).dialogueId).toBe(w.otherDialogue.id);
      await expectLogged(db, actor, "thread.move", f.thread.id, `belongs elsewhere ${f.word}`);
    },
    broadcast: (event, payload, f, _r, w) => threadUpdated((s) => s.dialogueId === w.otherDialogue.id)(event, payload, f),
  },
  {
    command: "thread.delete",
    on: "a thread",
    input: (f) => ({ threadId: f.thread.id, reason: `spam thread ${f.word}` }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).deletedAt).not.toBeNull();
      await expectLogged(db, actor, "thread.delete", f.thread.id, `spam thread ${f.word}`);
    },
    broadcast: threadUpdated((s) => s.deleted),
  },
  {
    command: "thread.slowMode",
    on: "a thread",
    input: (f) => ({ threadId: f.thread.id, seconds: 30 }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).slowModeSeconds).toBe(30);
      await expectLogged(db, actor, "thread.slow_mode", f.thread.id);
    },
    broadcast: threadUpdated((s) => s.slowModeSeconds === 30),
  },
  {
    command: "reply.hide",
    on: "another member's reply",
    input: (f) => ({ replyId: f.theirs.id, reason: `off-topic ${f.word}` }),
    expected: staffOnly,
    async stored(db, f, actor) {
      const reply = await db.reply.findUniqueOrThrow({ where: { id: f.theirs.id } });
      expect(reply.hiddenAt).not.toBeNull();
      expect(reply.hiddenReason).toBe(`off-topic ${f.word}`);
      await expectLogged(db, actor, "reply.hide", f.theirs.id, `off-topic ${f.word}`);
    },
    broadcast: replyEvent("reply:removed", (f) => f.theirs.id),
  },
  {
    command: "reply.unhide",
    on: "a hidden reply",
    fixture: { hidden: true },
    input: (f) => ({ replyId: f.theirs.id }),
    // A member cannot see another member's hidden reply: "not found" reveals nothing.
    expected: { member: "not_found", moderator: OK, admin: OK },
    async stored(db, f, actor) {
      expect((await db.reply.findUniqueOrThrow({ where: { id: f.theirs.id } })).hiddenAt).toBeNull();
      await expectLogged(db, actor, "reply.unhide", f.theirs.id);
    },
    broadcast: threadUpdated(() => true),
  },
  {
    command: "flag.review",
    on: "a flagged reply (agree)",
    fixture: { flagged: true },
    input: (f) => ({ replyId: f.theirs.id, decision: "agree" }),
    expected: staffOnly,
    async stored(db, f, actor) {
      const flags = await db.flag.findMany({ where: { replyId: f.theirs.id } });
      expect(flags.map((g) => [g.status, g.resolvedById])).toEqual([["agreed", actor.id]]);
      expect((await db.reply.findUniqueOrThrow({ where: { id: f.theirs.id } })).hiddenAt).not.toBeNull();
    },
    broadcast: replyEvent("reply:removed", (f) => f.theirs.id),
  },
  {
    command: "member.suspend",
    on: "a member",
    fixture: { target: "member" },
    input: (f) => ({ userId: f.target!.id, until: SUSPEND_UNTIL().toISOString(), reason: `abuse ${f.word}` }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.user.findUniqueOrThrow({ where: { id: f.target!.id } })).suspendedUntil!.getTime()).toBeGreaterThan(Date.now());
      await expectLogged(db, actor, "member.suspend", f.target!.id, `abuse ${f.word}`);
    },
  },
  {
    command: "member.suspend",
    on: "a moderator",
    fixture: { target: "moderator" },
    input: (f) => ({ userId: f.target!.id, until: SUSPEND_UNTIL().toISOString(), reason: `abuse ${f.word}` }),
    expected: { member: "forbidden", moderator: "forbidden", admin: OK },
    async stored(db, f) {
      expect((await db.user.findUniqueOrThrow({ where: { id: f.target!.id } })).suspendedUntil).not.toBeNull();
    },
  },
  {
    command: "member.suspend",
    on: "an admin",
    fixture: { target: "admin" },
    input: (f) => ({ userId: f.target!.id, until: SUSPEND_UNTIL().toISOString(), reason: `abuse ${f.word}` }),
    expected: nobody,
    stored: async () => {},
  },
  {
    command: "member.unsuspend",
    on: "a suspended member",
    fixture: { target: "member", targetSuspended: true },
    input: (f) => ({ userId: f.target!.id }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.user.findUniqueOrThrow({ where: { id: f.target!.id } })).suspendedUntil).toBeNull();
      await expectLogged(db, actor, "member.unsuspend", f.target!.id);
    },
  },
  // Accounts and administration (issue #11).
  {
    command: "member.setRole",
    on: "a member, to moderator",
    fixture: { target: "member" },
    input: (f) => ({ userId: f.target!.id, role: "moderator", reason: `runs threads ${f.word}` }),
    expected: adminOnly,
    async stored(db, f, actor) {
      expect((await db.user.findUniqueOrThrow({ where: { id: f.target!.id } })).role).toBe("moderator");
      await expectLogged(db, actor, "member.role", f.target!.id, `runs threads ${f.word}`);
    },
  },
  {
    command: "member.deactivate",
    on: "a member",
    fixture: { target: "member" },
    input: (f) => ({ userId: f.target!.id, reason: `left ${f.word}` }),
    expected: adminOnly,
    async stored(db, f, actor) {
      expect((await db.user.findUniqueOrThrow({ where: { id: f.target!.id } })).deactivatedAt).not.toBeNull();
      await expectLogged(db, actor, "member.deactivate", f.target!.id, `left ${f.word}`);
    },
  },
  {
    command: "member.reactivate",
    on: "a deactivated member",
    fixture: { target: "member", targetDeactivated: true },
    input: (f) => ({ userId: f.target!.id, reason: `back ${f.word}` }),
    expected: adminOnly,
    async stored(db, f, actor) {
      expect((await db.user.findUniqueOrThrow({ where: { id: f.target!.id } })).deactivatedAt).toBeNull();
      await expectLogged(db, actor, "member.reactivate", f.target!.id, `back ${f.word}`);
    },
  },
  {
    command: "member.delete",
    on: "a member, on their request",
    fixture: { target: "member" },
    input: (f) => ({ userId: f.target!.id, reason: `asked by email ${f.word}` }),
    expected: adminOnly,
    async stored(db, f, actor) {
      expect(await db.user.count({ where: { id: f.target!.id } })).toBe(0);
      await expectLogged(db, actor, "member.delete", f.target!.id, `asked by email ${f.word}`);
    },
  },
  {
    command: "invitation.revoke",
    on: "an open invitation",
    fixture: { invitation: true },
    input: (f) => ({ invitationId: f.invitation!.id, reason: `wrong address ${f.word}` }),
    expected: adminOnly,
    async stored(db, f, actor) {
      expect((await db.invitation.findUniqueOrThrow({ where: { id: f.invitation!.id } })).revokedAt).not.toBeNull();
      await expectLogged(db, actor, "invitation.revoke", f.invitation!.id, `wrong address ${f.word}`);
    },
  },
  {
    command: "invitation.send",
    on: "two addresses by email",
    input: (f) => ({ emails: `one-${f.word}@test.example\ntwo-${f.word}@test.example`, role: "member", expiresInDays: 7, locale: "zh", message: `Welcome ${f.word}` }),
    expected: adminOnly,
    async stored(db, f, actor, result) {
      expect((result as { sent: number }).sent).toBe(2);
      const made = await db.invitation.findMany({ where: { email: { in: [`one-${f.word}@test.example`, `two-${f.word}@test.example`] } } });
      expect(made.map((i) => [i.createdById, i.locale, i.message])).toEqual([
        [actor.id, "zh", `Welcome ${f.word}`],
        [actor.id, "zh", `Welcome ${f.word}`],
      ]);
      expect(await db.emailMessage.count({ where: { kind: "invitation", refId: { in: made.map((i) => i.id) } } })).toBe(2);
    },
  },
  {
    command: "invitation.resend",
    on: "an open invitation sent by email",
    fixture: { emailInvitation: true },
    input: (f) => ({ invitationId: f.invitation!.id }),
    expected: adminOnly,
    async stored(db, f) {
      const invitation = await db.invitation.findUniqueOrThrow({ where: { id: f.invitation!.id } });
      expect(invitation.tokenHash).not.toBe(hashInvitationToken(f.invitation!.token));
      expect(await db.emailMessage.count({ where: { kind: "invitation", refId: f.invitation!.id } })).toBe(1);
    },
  },
  {
    command: "email.retry",
    on: "a failed email",
    fixture: { failedEmail: true },
    input: (f) => ({ emailId: f.email!.id }),
    expected: adminOnly,
    async stored(db, f, actor) {
      const row = await db.emailMessage.findUniqueOrThrow({ where: { id: f.email!.id } });
      expect(["queued", "sending", "sent", "held"]).toContain(row.status);
      await expectLogged(db, actor, "email.retry", f.email!.id);
    },
  },
  {
    command: "email.sendTest",
    on: "an address",
    input: (f) => ({ to: `test-${f.word}@test.example` }),
    expected: adminOnly,
    async stored(db, f) {
      expect(await db.emailMessage.count({ where: { kind: "test", toAddress: `test-${f.word}@test.example` } })).toBe(1);
    },
  },
  {
    command: "participation.decide",
    on: "a pending request to take part",
    fixture: { participationRequest: true },
    input: (f) => ({ requestId: f.request!.id, decision: "approved", note: `See you ${f.word}` }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect(await db.participationRequest.findUniqueOrThrow({ where: { id: f.request!.id } })).toMatchObject({ status: "approved", decidedById: actor.id, decisionNote: `See you ${f.word}` });
      expect(await db.emailMessage.count({ where: { kind: "participation_decided", refId: f.request!.id } })).toBe(1);
      await expectLogged(db, actor, "participation.approved", f.request!.id, `See you ${f.word}`);
    },
  },
  {
    command: "participation.setRole",
    on: "a request to take part",
    fixture: { participationRequest: true },
    input: (f) => ({ requestId: f.request!.id, role: "speaker" }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.participationRequest.findUniqueOrThrow({ where: { id: f.request!.id } })).role).toBe("speaker");
      await expectLogged(db, actor, "participation.role", f.request!.id);
    },
  },
  {
    command: "participation.cancel",
    on: "someone else's request to take part",
    fixture: { participationRequest: true },
    input: (f) => ({ requestId: f.request!.id }),
    // A member cannot learn that another's request exists.
    expected: { member: "not_found", moderator: OK, admin: OK },
    async stored(db, f, actor) {
      expect((await db.participationRequest.findUniqueOrThrow({ where: { id: f.request!.id } })).status).toBe("cancelled");
      await expectLogged(db, actor, "participation.cancel", f.request!.id);
    },
  },
  {
    command: "thread.attribution",
    on: "a thread",
    input: (f) => ({ threadId: f.thread.id, level: "chatham_house" }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).attributionLevel).toBe("chatham_house");
      await expectLogged(db, actor, "thread.attribution", f.thread.id);
    },
    broadcast: threadUpdated(() => true),
  },
  {
    command: "reply.translate",
    on: "another member's reply",
    input: (f) => ({ replyId: f.theirs.id, language: "zh", body: `译文 ${f.word}` }),
    expected: everyone,
    async stored(db, f, actor) {
      const t = await db.replyTranslation.findUniqueOrThrow({ where: { replyId_language: { replyId: f.theirs.id, language: "zh" } } });
      expect(t).toMatchObject({ text: `译文 ${f.word}`, kind: "human", translatorId: actor.id, sourceRevision: 0 });
    },
    broadcast: replyEvent("reply:updated", (f) => f.theirs.id),
  },
  {
    command: "reply.untranslate",
    on: "another member's translation of another member's reply",
    fixture: { translation: true },
    input: (f) => ({ replyId: f.theirs.id, language: "zh" }),
    expected: staffOnly,
    async stored(db, f, actor) {
      expect(await db.replyTranslation.count({ where: { replyId: f.theirs.id } })).toBe(0);
      await expectLogged(db, actor, "reply.untranslate", f.theirs.id, "zh");
    },
    broadcast: replyEvent("reply:updated", (f) => f.theirs.id),
  },
  {
    command: "reply.requestTranslation",
    on: "another member's reply",
    input: (f) => ({ replyId: f.theirs.id }),
    expected: everyone,
    async stored(db, f, actor) {
      expect(await db.reply.findUniqueOrThrow({ where: { id: f.theirs.id } })).toMatchObject({ translationRequestedById: actor.id });
    },
    broadcast: replyEvent("reply:updated", (f) => f.theirs.id),
  },
  {
    command: "reply.machineTranslate",
    on: "another member's reply, with no translation service set up",
    input: (f) => ({ replyId: f.theirs.id }),
    expected: { member: "machine_translation_off", moderator: "machine_translation_off", admin: "machine_translation_off" },
    async stored() {},
  },
  {
    command: "thread.translateTitle",
    on: "another member's thread",
    input: (f) => ({ threadId: f.thread.id, language: "zh", title: `标题 ${f.word}` }),
    expected: everyone,
    async stored(db, f, actor) {
      const t = await db.threadTitleTranslation.findUniqueOrThrow({ where: { threadId_language: { threadId: f.thread.id, language: "zh" } } });
      expect(t).toMatchObject({ title: `标题 ${f.word}`, kind: "human", translatorId: actor.id });
    },
    broadcast: threadUpdated(() => true),
  },
  {
    command: "thread.untranslateTitle",
    on: "another member's translation of another member's title",
    fixture: { translation: true },
    input: (f) => ({ threadId: f.thread.id, language: "zh" }),
    expected: staffOnly,
    async stored(db, f) {
      expect(await db.threadTitleTranslation.count({ where: { threadId: f.thread.id } })).toBe(0);
    },
    broadcast: threadUpdated(() => true),
  },
  {
    command: "thread.requestTitleTranslation",
    on: "another member's thread",
    input: (f) => ({ threadId: f.thread.id }),
    expected: everyone,
    async stored(db, f) {
      expect((await db.thread.findUniqueOrThrow({ where: { id: f.thread.id } })).titleTranslationRequestedAt).not.toBeNull();
    },
    broadcast: threadUpdated(() => true),
  },
  {
    command: "thread.machineTranslateTitle",
    on: "another member's thread, with no translation service set up",
    input: (f) => ({ threadId: f.thread.id }),
    expected: { member: "machine_translation_off", moderator: "machine_translation_off", admin: "machine_translation_off" },
    async stored() {},
  },
  {
    command: "dialogue.configure",
    on: "a dialogue",
    input: (_f, w) => ({ dialogueId: w.otherDialogue.id, attributionLevel: "on_record", capacity: 40 }),
    expected: adminOnly,
    async stored(db, _f, actor, _r, w) {
      expect((await db.dialogue.findUniqueOrThrow({ where: { id: w.otherDialogue.id } })).capacity).toBe(40);
      expect(await db.staffAction.count({ where: { actorId: actor.id, action: "dialogue.configure", targetId: w.otherDialogue.id } })).toBeGreaterThan(0);
    },
  },
  {
    command: "dialogue.setAgenda",
    on: "a dialogue",
    input: (f, w) => ({ dialogueId: w.otherDialogue.id, items: `09:00 | Opening ${f.word} | 开幕 ${f.word} |` }),
    expected: adminOnly,
    async stored(db, f, _actor, _r, w) {
      const items = await db.dialogueAgendaItem.findMany({ where: { dialogueId: w.otherDialogue.id } });
      expect(items.map((i) => [i.startsAt, i.titleEn, i.titleZh])).toEqual([["09:00", `Opening ${f.word}`, `开幕 ${f.word}`]]);
    },
  },
  {
    command: "dialogue.setSummary",
    on: "a dialogue",
    input: (f, w) => ({ dialogueId: w.otherDialogue.id, summaryEn: `What we heard ${f.word}`, summaryZh: `我们听到的 ${f.word}` }),
    expected: adminOnly,
    async stored(db, f, _actor, _r, w) {
      expect((await db.dialogue.findUniqueOrThrow({ where: { id: w.otherDialogue.id } })).summaryEn).toBe(`What we heard ${f.word}`);
    },
  },
  {
    command: "emailPreferences.update",
    on: "their own email preferences",
    input: () => ({ mentions: true, replies: false, watching: true, notes: false, caseStudies: true, reminders: false, digest: "daily", timeZone: "Asia/Shanghai" }),
    expected: everyone,
    async stored(db, _f, actor) {
      expect(await db.user.findUniqueOrThrow({ where: { id: actor.id } })).toMatchObject({
        emailMentions: true,
        emailReplies: false,
        emailWatching: true,
        emailNotes: false,
        emailCaseStudies: true,
        emailReminders: false,
        digestFrequency: "daily",
        timeZone: "Asia/Shanghai",
      });
    },
  },
  {
    command: "email.change",
    on: "their own address, with their password",
    input: (f) => ({ newEmail: `moved-${f.word}@test.example`, password: f.password ?? "no-password-at-all" }),
    expected: everyone,
    async stored(db, f, actor) {
      const request = await db.emailChangeRequest.findFirstOrThrow({ where: { userId: actor.id, newEmail: `moved-${f.word}@test.example` } });
      expect(request.confirmedAt).toBeNull();
      // Nothing changes until the link is followed.
      expect((await db.user.findUniqueOrThrow({ where: { id: actor.id } })).email).toBe(actor.email);
    },
  },
  {
    command: "password.change",
    on: "their own password",
    input: (f) => ({ currentPassword: f.password ?? "no-password-at-all", newPassword: `Matrix-${f.word}-pass` }),
    expected: everyone,
    async stored(db, f, actor) {
      const user = await db.user.findUniqueOrThrow({ where: { id: actor.id } });
      expect(await verifyPassword(user.passwordHash, `Matrix-${f.word}-pass`)).toBe(true);
      // Later cells confirm with the new password.
      actor.password = `Matrix-${f.word}-pass`;
    },
  },
  {
    command: "password.change",
    on: "their own password, with a wrong current one",
    input: (f) => ({ currentPassword: `wrong-${f.word}`, newPassword: `Matrix-${f.word}-pass` }),
    expected: { member: "password_incorrect", moderator: "password_incorrect", admin: "password_incorrect" },
    stored: async () => {},
  },
  {
    command: "account.delete",
    on: "their own account, with a wrong password",
    input: (f) => ({ password: `wrong-${f.word}` }),
    expected: { member: "password_incorrect", moderator: "password_incorrect", admin: "password_incorrect" },
    stored: async () => {},
  },
];

/**
 * Socket reads added by issue #11, over the same actors (sockets only: they have no HTTP
 * channel): joining a thread with a catch-up read (what it returns must be what the actor may
 * see), following a case study's comments, and the notification badge's count.
 */
export type RoomEvent = "thread:join" | "caseStudy:join" | "notifications:fetch";

export interface RoomRow {
  event: RoomEvent;
  on: string;
  fixture?: FixtureOptions & { draftCaseStudy?: boolean; mention?: boolean };
  payload(f: Fixture & { caseStudyId?: string }, world: World): object;
  /** Every actor that can hold a socket; a suspended member's socket was opened before the suspension. */
  expected: { member: Expected; suspended: Expected; moderator: Expected; admin: Expected };
  /** When allowed: checks the acknowledgement. */
  check?(ack: Record<string, unknown>, f: Fixture, actor: TestMember, world: World): Promise<void> | void;
}

export const ROOM_MATRIX: RoomRow[] = [
  {
    event: "thread:join",
    on: "a thread whose first post is hidden, catching up from the start",
    fixture: { hidden: true },
    payload: (f) => ({ threadId: f.thread.id, since: 0 }),
    expected: { member: OK, suspended: "suspended", moderator: OK, admin: OK },
    check(ack, f, actor) {
      const catchUp = ack.catchUp as { changes: { kind: string; reply?: { id: string; hidden: unknown }; replyId?: string }[] };
      const byId = new Map(catchUp.changes.map((c) => [c.reply?.id ?? c.replyId, c]));
      // The hidden post reaches staff as hidden; anyone else learns only that it is gone.
      const theirs = byId.get(f.theirs.id)!;
      if (actor.role === "member") expect(theirs).toEqual({ kind: "removed", replyId: f.theirs.id, changeSeq: expect.any(Number) });
      else expect(theirs).toMatchObject({ kind: "upsert", reply: { id: f.theirs.id, hidden: { reason: "hidden by the fixture" } } });
      expect(byId.get(f.own.id)).toMatchObject({ kind: "upsert", reply: { id: f.own.id, hidden: null } });
    },
  },
  {
    event: "caseStudy:join",
    on: "the thread author's draft case study",
    fixture: { draftCaseStudy: true },
    payload: (f) => ({ caseStudyId: (f as Fixture & { caseStudyId: string }).caseStudyId }),
    expected: { member: "not_found", suspended: "not_found", moderator: "not_found", admin: OK },
  },
  {
    event: "notifications:fetch",
    on: "the actor's own unread notifications",
    fixture: { mention: true },
    payload: () => ({}),
    expected: { member: OK, suspended: "suspended", moderator: OK, admin: OK },
    async check(ack, _f, actor, world) {
      // The count the notifications page would show (the app's own rule of what is visible).
      expect(ack.unread).toBe(await world.db.notification.count({ where: { ...visibleNotificationsWhere(actor.id), readAt: null } }));
      expect(ack.unread).toBeGreaterThan(0);
    },
  },
];

/** Runs one socket read of ROOM_MATRIX as the actor and checks the acknowledgement. */
export async function runRoomCell(world: World, row: RoomRow, actorName: Exclude<ActorName, "visitor">): Promise<void> {
  const actor = world.actors[actorName];
  const f: Fixture & { caseStudyId?: string } = await makeFixture(world, row.fixture ?? {}, actor);
  if (row.fixture?.draftCaseStudy) {
    const id = `cs-${f.word}`;
    await world.db.caseStudy.create({
      data: {
        id,
        authorId: world.author.id,
        versions: { create: { id: `csv-${f.word}`, language: "en", title: `Draft ${f.word}`, content: {}, text: "", authorId: world.author.id } },
      },
    });
    f.caseStudyId = id;
  }
  if (row.fixture?.mention && actor.member) {
    await world.db.notification.create({
      data: { id: `mention-${f.word}`, userId: actor.member.id, type: "mention", threadId: f.thread.id, replyId: f.theirs.id, actorId: world.author.id },
    });
  }
  const timed = actor.socket!.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Record<string, unknown>> };
  const ack = await timed.emitWithAck(row.event, row.payload(f, world));
  const expected = row.expected[actorName];
  expect(ack.ok ? "ok" : ack.error, `${row.event} answered ${JSON.stringify(ack).slice(0, 300)}`).toBe(expected);
  if (expected === "ok") await row.check?.(ack, f, actor.member!, world);
}

/** What the actor should get for the row over the channel. */
export function expectedOutcome(row: MatrixRow, actor: ActorName, channel: Channel): Expected {
  if (actor === "visitor") return "unauthenticated";
  if (actor === "suspended") return channel === "http" ? "unauthenticated" : "suspended";
  return row.expected[actor];
}

/** Members, sessions and sockets for every actor; the suspended one is suspended last. */
export async function setUpWorld(db: PrismaClient, server: RunningServer): Promise<World> {
  const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
  const otherDialogue = await dialogueBySlug(db, "2024-12-climate-finance");
  const [author, flagger, member, suspended, moderator, admin] = await Promise.all([
    createMember(db, { displayName: `Thread author ${uniqueSuffix()}` }),
    createMember(db, { displayName: `Flagger ${uniqueSuffix()}` }),
    createMember(db, { role: "member" }),
    createMember(db, { role: "member", displayName: `Suspended ${uniqueSuffix()}` }),
    createMember(db, { role: "moderator" }),
    createMember(db, { role: "admin" }),
  ]);
  const signedIn = async (name: ActorName, m: TestMember): Promise<Actor> => {
    const session = await signIn(server.url, m.email, m.password);
    const socket = await connectSocket(server.url, { cookie: session.cookie });
    return { name, member: m, session, socket };
  };
  const actors: Record<ActorName, Actor> = {
    visitor: { name: "visitor", member: null, session: null, socket: null },
    member: await signedIn("member", member),
    suspended: await signedIn("suspended", suspended),
    moderator: await signedIn("moderator", moderator),
    admin: await signedIn("admin", admin),
  };
  await suspendInDatabase(db, suspended.id);
  const authorSession = await signIn(server.url, author.email, author.password);
  const authorSocket = await connectSocket(server.url, { cookie: authorSession.cookie });
  expect((await joinCategory(authorSocket, `dialogue:${dialogue.id}`)).ok).toBe(true);
  return {
    pace: pacer(20),
    db,
    server,
    dialogue,
    otherDialogue,
    author,
    authorSocket,
    authorEvents: new AllEvents(authorSocket),
    flagger,
    admin: actors.admin,
    actors,
  };
}

/**
 * The server drops a socket's events beyond 30 a second (a per-socket rate limit); the
 * watcher joins one room per cell, and cells can be quicker than that. This keeps it at no
 * more than `perSecond` events in any second. It paces the test, it asserts nothing.
 */
function pacer(perSecond: number): () => Promise<void> {
  const sent: number[] = [];
  return async () => {
    for (;;) {
      const now = Date.now();
      while (sent.length && now - sent[0] >= 1000) sent.shift();
      if (sent.length < perSecond) break;
      await new Promise((resolve) => setTimeout(resolve, 1000 - (now - sent[0]) + 5));
    }
    sent.push(Date.now());
  };
}

export function closeWorld(world: World | undefined): void {
  if (!world) return;
  world.authorSocket.close();
  for (const actor of Object.values(world.actors)) actor.socket?.close();
}

async function makeFixture(world: World, options: FixtureOptions, actor: Actor): Promise<Fixture> {
  const { db } = world;
  const word = uniqueSuffix();
  const now = new Date();
  const thread = await insertThread(db, {
    authorId: world.author.id,
    dialogueId: world.dialogue.id,
    title: `Matrix thread ${word}`,
    pinnedAt: options.pinned ? now : null,
    lockedAt: options.locked ? now : null,
  });
  const [theirs] = await insertReplies(db, thread.id, [{ authorId: world.author.id, text: `First post ${word}`, hidden: options.hidden ? "hidden by the fixture" : undefined }]);
  // A visitor owns nothing: their "own reply" is someone else's, so the input is still valid.
  const [own] = await insertReplies(db, thread.id, [{ authorId: actor.member?.id ?? world.flagger.id, text: `Own post ${word}` }]);
  if (options.flagged) {
    await db.flag.create({ data: { id: `flag-${word}`, replyId: theirs.id, flaggerId: world.flagger.id, reason: "spam" } });
  }
  if (options.notification && actor.member) {
    await db.notification.create({ data: { id: `note-${word}`, userId: actor.member.id, type: "reply", threadId: thread.id, replyId: theirs.id, actorId: world.author.id } });
  }
  let target: TestMember | null = null;
  if (options.target) {
    target = await createMember(db, { role: options.target });
    if (options.targetSuspended) await suspendInDatabase(db, target.id);
    if (options.targetDeactivated) await db.user.update({ where: { id: target.id }, data: { deactivatedAt: new Date() } });
  }
  let invitation = options.invitation || options.emailInvitation ? await createInvitation(db, { createdById: world.admin.member!.id }) : null;
  if (invitation && options.emailInvitation) {
    await db.invitation.update({ where: { id: invitation.id }, data: { email: `invited-${word}@test.example`, locale: "en", sentAt: new Date() } });
  }
  const email = options.failedEmail
    ? await db.emailMessage.create({ data: { id: `email-${word}`, kind: "test", toAddress: `failed-${word}@test.example`, status: "failed", lastError: "550 No such user", payload: { sentBy: "matrix" } } })
    : null;
  const request = options.participationRequest
    ? await db.participationRequest.create({ data: { id: `request-${word}`, dialogueId: world.dialogue.id, name: `Requester ${word}`, email: `requester-${word}@test.example` } })
    : null;
  if (options.translation) {
    const content = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: `译文 ${word}` }] }] };
    await db.replyTranslation.create({ data: { id: `translation-${word}`, replyId: theirs.id, language: "zh", content, text: `译文 ${word}`, kind: "human", translatorId: world.flagger.id, sourceRevision: 0 } });
    await db.threadTitleTranslation.create({ data: { threadId: thread.id, language: "zh", title: `标题 ${word}`, kind: "human", translatorId: world.flagger.id, sourceTitle: `Matrix thread ${word}` } });
  }
  invitation = invitation ? { id: invitation.id, token: invitation.token } : null;
  return { thread, theirs, own, target, invitation, email, request, password: actor.member?.password ?? null, word };
}

let barrierSeconds = 1000;

/** Runs one cell of the matrix and checks its outcome. */
export async function runCell(world: World, row: MatrixRow, actorName: ActorName, channel: Channel): Promise<void> {
  const { db, server } = world;
  const actor = world.actors[actorName];
  const f = await makeFixture(world, row.fixture ?? {}, actor);

  // The watcher joins the thread's room; anything broadcast before the ack is not this cell's.
  await world.pace();
  expect((await joinThread(world.authorSocket, f.thread.id)).ok).toBe(true);
  world.authorEvents.clear();

  const before = await fingerprint(db);
  const input = row.input(f, world);
  let outcome: CommandOutcome;
  if (channel === "http") {
    outcome = await apiCommand(server.url, row.command, input, { cookie: actor.session?.cookie });
  } else {
    if (!actor.socket) throw new Error(`${actorName} holds no socket`);
    outcome = await socketCommand(actor.socket, row.command, input);
  }

  const expected = expectedOutcome(row, actorName, channel);
  expect(outcome.code, `${row.command} answered ${JSON.stringify(outcome).slice(0, 300)}`).toBe(expected);
  if (channel === "http") expect(outcome.status).toBe(STATUS_OF[expected]);

  if (expected === "ok") {
    await row.stored(db, f, actor.member!, outcome.result, world);
    if (row.broadcast) {
      await world.authorEvents.waitFor((event, payload) => row.broadcast!(event, payload, f, outcome.result, world));
    }
    return;
  }

  expect(outcome.message, "a refusal carries a message").toBeTruthy();
  expect(await fingerprint(db), "a refused command stored something").toEqual(before);
  const seconds = ++barrierSeconds;
  const barrier = await apiCommand(server.url, "thread.slowMode", { threadId: f.thread.id, seconds }, { cookie: world.admin.session!.cookie });
  expect(barrier.code).toBe("ok");
  const index = await world.authorEvents.waitFor(
    (event, payload) => event === "thread:updated" && (payload as ThreadState).threadId === f.thread.id && (payload as ThreadState).slowModeSeconds === seconds,
  );
  expect(world.authorEvents.events.slice(0, index), "a refused command broadcast something").toEqual([]);
}
