/**
 * The one permission policy: `can(actor, action, resource)` answers for HTTP routes and sockets
 * alike, so every rule is written once. `assertCan` throws and logs refusals.
 *
 * Visibility: programme pages (home, series, dialogues, regions) are public, like the source
 * page; threads, replies, member profiles and everything members write need an active
 * (signed-in, not suspended) member; a thread held off the record is read only by its
 * dialogue's approved participants and staff. Hidden replies are seen only by staff and their author;
 * deleted replies and deleted threads by nobody. A locked thread accepts no reply from anyone.
 * Case studies: published public ones are read by anyone, published members-only ones by
 * members, drafts by their author and admins; authors edit their own, admins any. Any member
 * may add a missing language version (a translation) to a published case study and keep the
 * version they wrote up to date. Policy notes are read only by their members (any role), written
 * by their owner and editors, and their members managed by the owner alone. Owners, editors and
 * commenters comment on a note's text; a thread is resolved by the owner, editors or its opener;
 * a comment is edited by its author and deleted by its author or the note's owner. Admins manage
 * members (roles, deactivation, exports and deletions on request; the model keeps at least one
 * active admin); every active member manages their own account (password, export, deletion).
 * The outcomes register is read by everyone (public outcomes) or members (the rest); members
 * propose outcomes, staff review, edit, date and link them. Surveys are written and opened by
 * staff; a member outside a survey's audience (or anyone without its public link) cannot tell it
 * exists; results are read by staff, and by respondents when the survey shares them.
 * Translations of replies and thread titles are added or improved by anyone who may read them,
 * and removed by the author, the translator or staff.
 */
import type { Role } from "@prisma/client";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";

export interface Actor {
  id: string;
  role: Role;
  suspendedUntil?: Date | null;
  /** The session the request or socket came with (a password change keeps it, ending the rest). */
  sessionId?: string;
}

/**
 * An outcome as the rules see it: in the register once staff reviewed it (`reviewed`), listed to
 * everyone when public, to members otherwise; a proposal awaiting review is seen by its proposer
 * and staff only.
 */
export interface OutcomeResource {
  id: string;
  reviewed: boolean;
  isPublic: boolean;
  proposedById: string | null;
  deleted: boolean;
}

/**
 * A survey as the rules see it for one reader: `inAudience` is decided by the survey model (all
 * members, chosen regions, a dialogue's accepted participants, or the public link's token);
 * `answered` says the reader has submitted a response.
 */
export interface SurveyResource {
  id: string;
  opened: boolean;
  deleted: boolean;
  inAudience: boolean;
  answered: boolean;
  sharesResults: boolean;
}

/**
 * The parts of a thread the rules look at. `offTheRecord`: held off the record, so read only by
 * the dialogue's approved participants (`participant`) and staff.
 */
export interface ThreadResource {
  id: string;
  authorId: string | null;
  lockedAt: Date | null;
  deletedAt: Date | null;
  offTheRecord: boolean;
  participant: boolean;
}

/** The parts of a reply the rules look at. */
export interface ReplyResource {
  id: string;
  authorId: string;
  deletedAt: Date | null;
  hiddenAt: Date | null;
  thread: ThreadResource;
}

/** A translation of a reply: the reply, and who translated it (null: a machine, or a deleted account). */
export interface TranslationResource {
  reply: ReplyResource;
  translatorId: string | null;
}

/** A translation of a thread's title. */
export interface TitleTranslationResource {
  thread: ThreadResource;
  translatorId: string | null;
}

/** The parts of a case study the rules look at. */
export interface CaseStudyResource {
  id: string;
  authorId: string;
  status: "draft" | "published";
  isPublic: boolean;
  deletedAt: Date | null;
}

/** A language version: its writer or translator may keep it up to date. */
export interface CaseStudyVersionResource {
  id: string;
  authorId: string;
  caseStudy: CaseStudyResource;
}

/** The parts of a case-study comment the rules look at. */
export interface CaseStudyCommentResource {
  id: string;
  authorId: string;
  deletedAt: Date | null;
  caseStudy: CaseStudyResource;
}

/**
 * A policy note as the rules see it: `role` is the actor's own role on it (null when they are
 * not a member of the note). Owners manage members; owners and editors write; commenters and
 * viewers read.
 */
export interface NoteResource {
  id: string;
  role: "owner" | "editor" | "commenter" | "viewer" | null;
}

/** A comment thread on a policy note: its opener, and the note as the actor sees it. */
export interface NoteThreadResource {
  id: string;
  authorId: string;
  note: NoteResource;
}

/** One comment in a note's comment thread. */
export interface NoteCommentResource {
  id: string;
  authorId: string;
  deletedAt: Date | null;
  note: NoteResource;
}

export interface MemberResource {
  id: string;
  role: Role;
}

type Rules = {
  "programme.read": undefined;
  "participation.request": undefined;
  "participation.list": undefined;
  "invitation.manage": undefined;
  /** The outbox at /admin/email: counts, rendered emails, retries, test emails (admins). */
  "email.manage": undefined;
  /** Accepting or declining a request to take part in a dialogue (staff). */
  "participation.decide": undefined;
  "dialogue.manage": undefined;
  "member.read": undefined;
  /** Editing one's own directory profile (the actor is the member). */
  "profile.update": undefined;
  "thread.create": undefined;
  "thread.read": ThreadResource;
  "thread.watch": ThreadResource;
  "thread.moderate": ThreadResource;
  "reply.create": ThreadResource;
  "reply.read": ReplyResource;
  "reply.edit": ReplyResource;
  "reply.delete": ReplyResource;
  "reply.flag": ReplyResource;
  "reply.moderate": ReplyResource;
  /** Adding or improving a reply's translation: anyone who may read it (not while it is hidden). */
  "reply.translate": ReplyResource;
  /** Removing a translation: the reply's author, the translator or staff. */
  "translation.remove": TranslationResource;
  /** Translating a thread's title: anyone who may read the thread. */
  "thread.translate": ThreadResource;
  /** Removing a comment's translation: the comment's author, the translator or staff. */
  "commentTranslation.remove": { authorId: string; translatorId: string | null };
  /** Removing a title's translation: the thread's author, the translator or staff. */
  "titleTranslation.remove": TitleTranslationResource;
  "flag.review": undefined;
  "member.suspend": MemberResource;
  /** Admins: the members list, roles, deactivation, exports and deletions on request. */
  "member.manage": MemberResource;
  "member.list": undefined;
  /** One's own account: password, data export, deletion. */
  "account.own": undefined;
  "staff_log.read": undefined;
  "caseStudy.create": undefined;
  "caseStudy.read": CaseStudyResource;
  "caseStudy.edit": CaseStudyResource;
  "caseStudy.comment": CaseStudyResource;
  "caseStudy.translate": CaseStudyResource;
  "caseStudyVersion.edit": CaseStudyVersionResource;
  "caseStudy.endorse": CaseStudyResource;
  "caseStudyComment.delete": CaseStudyCommentResource;
  "topic.manage": undefined;
  "upload.create": undefined;
  "note.create": undefined;
  "note.read": NoteResource;
  "note.edit": NoteResource;
  "note.manage": NoteResource;
  /** Open a comment thread on a range, or reply in one. */
  "note.comment": NoteResource;
  "noteComment.resolve": NoteThreadResource;
  "noteComment.edit": NoteCommentResource;
  "noteComment.delete": NoteCommentResource;
  /** Read an outcome of the register (or a proposal: its proposer and staff). */
  "outcome.read": OutcomeResource;
  /** Propose an outcome for the register. */
  "outcome.propose": undefined;
  /** Review, edit, date and link outcomes: staff. */
  "outcome.curate": undefined;
  /** Write, open, close and delete surveys, and read every survey's results: staff. */
  "survey.manage": undefined;
  /** See and answer a survey: staff, or an opened survey's audience. */
  "survey.read": SurveyResource;
  /** A survey's results: staff, or its respondents when it shares them. */
  "survey.results": SurveyResource;
};

export type Action = keyof Rules;

const rank: Record<Role, number> = { member: 1, moderator: 2, admin: 3 };

/** Signed in and not suspended. */
export function isActive(actor: Actor | null): actor is Actor {
  return actor !== null && !(actor.suspendedUntil && actor.suspendedUntil.getTime() > Date.now());
}

export function isStaff(actor: Actor | null): boolean {
  return isActive(actor) && rank[actor.role] >= rank.moderator;
}

function atLeast(actor: Actor | null, role: Role): boolean {
  return isActive(actor) && rank[actor.role] >= rank[role];
}

function canReadThread(actor: Actor | null, thread: ThreadResource): boolean {
  if (!isActive(actor) || thread.deletedAt !== null) return false;
  return !thread.offTheRecord || thread.participant || isStaff(actor);
}

function canReadReply(actor: Actor | null, reply: ReplyResource): boolean {
  if (!canReadThread(actor, reply.thread) || reply.deletedAt !== null) return false;
  return reply.hiddenAt === null || isStaff(actor) || reply.authorId === actor!.id;
}

/**
 * Published case studies: public ones by anyone, the rest by members. Drafts by their author
 * and admins only. Deleted ones by nobody.
 */
function canReadCaseStudy(actor: Actor | null, study: CaseStudyResource): boolean {
  if (study.deletedAt !== null) return false;
  if (study.status === "published") return study.isPublic || isActive(actor);
  return canEditCaseStudy(actor, study);
}

/** Authors edit their own case studies; admins any. */
function canEditCaseStudy(actor: Actor | null, study: CaseStudyResource): boolean {
  return isActive(actor) && study.deletedAt === null && (study.authorId === actor.id || actor.role === "admin");
}

/** Owners, editors and commenters comment on a note; viewers only read the comments. */
function canCommentOnNote(note: NoteResource): boolean {
  return note.role === "owner" || note.role === "editor" || note.role === "commenter";
}

export function can<A extends Action>(actor: Actor | null, action: A, ...resource: Rules[A] extends undefined ? [] : [Rules[A]]): boolean {
  const r = resource[0] as never;
  switch (action) {
    case "programme.read":
    case "participation.request":
      return true;
    case "member.read":
    case "profile.update":
    case "account.own":
    case "thread.create":
    case "caseStudy.create":
    case "upload.create":
    case "note.create":
      return isActive(actor);
    case "note.read":
      return isActive(actor) && (r as NoteResource).role !== null;
    case "note.edit": {
      const role = (r as NoteResource).role;
      return isActive(actor) && (role === "owner" || role === "editor");
    }
    case "note.manage":
      return isActive(actor) && (r as NoteResource).role === "owner";
    case "note.comment":
      return isActive(actor) && canCommentOnNote(r as NoteResource);
    case "noteComment.resolve": {
      // Resolving or reopening: the note's owner and editors, and whoever opened the thread.
      const thread = r as NoteThreadResource;
      const role = thread.note.role;
      return isActive(actor) && canCommentOnNote(thread.note) && (role === "owner" || role === "editor" || thread.authorId === actor.id);
    }
    case "noteComment.edit": {
      const comment = r as NoteCommentResource;
      return isActive(actor) && comment.deletedAt === null && canCommentOnNote(comment.note) && comment.authorId === actor.id;
    }
    case "noteComment.delete": {
      // Authors delete their own (whatever their role now); the owner deletes any.
      const comment = r as NoteCommentResource;
      return (
        isActive(actor) &&
        comment.deletedAt === null &&
        comment.note.role !== null &&
        (comment.authorId === actor.id || comment.note.role === "owner")
      );
    }
    case "topic.manage":
      return atLeast(actor, "admin");
    case "outcome.read": {
      const outcome = r as OutcomeResource;
      if (outcome.deleted) return false;
      if (isStaff(actor)) return true;
      if (!outcome.reviewed) return isActive(actor) && outcome.proposedById === actor.id;
      return outcome.isPublic || isActive(actor);
    }
    case "outcome.propose":
      return isActive(actor);
    case "outcome.curate":
      return isActive(actor) && isStaff(actor);
    case "survey.manage":
      return isStaff(actor);
    case "survey.read": {
      const survey = r as SurveyResource;
      if (survey.deleted) return false;
      return isStaff(actor) || (survey.opened && survey.inAudience);
    }
    case "survey.results": {
      const survey = r as SurveyResource;
      if (survey.deleted) return false;
      return isStaff(actor) || (survey.opened && survey.inAudience && survey.sharesResults && survey.answered);
    }
    case "caseStudy.read":
      return canReadCaseStudy(actor, r);
    case "caseStudy.edit":
      return canEditCaseStudy(actor, r);
    case "caseStudyVersion.edit": {
      // The case study's editors, and whoever wrote or translated this version.
      const version = r as CaseStudyVersionResource;
      return (
        canEditCaseStudy(actor, version.caseStudy) ||
        (isActive(actor) && version.authorId === actor.id && canReadCaseStudy(actor, version.caseStudy))
      );
    }
    case "caseStudy.comment":
    case "caseStudy.translate": {
      const study = r as CaseStudyResource;
      return isActive(actor) && study.status === "published" && canReadCaseStudy(actor, study);
    }
    case "caseStudy.endorse": {
      // "Useful" is what other members say of a case study: never its author.
      const study = r as CaseStudyResource;
      return isActive(actor) && study.status === "published" && canReadCaseStudy(actor, study) && study.authorId !== actor.id;
    }
    case "caseStudyComment.delete": {
      const comment = r as CaseStudyCommentResource;
      return (
        isActive(actor) &&
        comment.deletedAt === null &&
        canReadCaseStudy(actor, comment.caseStudy) &&
        (comment.authorId === actor.id || isStaff(actor))
      );
    }
    case "participation.list":
    case "participation.decide":
    case "flag.review":
    case "staff_log.read":
      return isStaff(actor);
    case "invitation.manage":
    case "email.manage":
    case "dialogue.manage":
    case "member.list":
    case "member.manage":
      return atLeast(actor, "admin");
    case "thread.read":
    case "thread.watch":
      return canReadThread(actor, r);
    case "thread.moderate":
      return isStaff(actor) && (r as ThreadResource).deletedAt === null;
    case "reply.create": {
      const thread = r as ThreadResource;
      return canReadThread(actor, thread) && thread.lockedAt === null;
    }
    case "reply.read":
      return canReadReply(actor, r);
    case "reply.edit": {
      const reply = r as ReplyResource;
      return (
        canReadReply(actor, reply) &&
        reply.thread.lockedAt === null &&
        (reply.authorId === actor!.id ? reply.hiddenAt === null : isStaff(actor))
      );
    }
    case "reply.delete": {
      const reply = r as ReplyResource;
      return canReadReply(actor, reply) && (reply.authorId === actor!.id || isStaff(actor));
    }
    case "reply.flag": {
      const reply = r as ReplyResource;
      return canReadReply(actor, reply) && reply.authorId !== actor!.id && reply.hiddenAt === null;
    }
    case "reply.moderate":
      return isStaff(actor) && canReadReply(actor, r);
    case "reply.translate": {
      const reply = r as ReplyResource;
      return canReadReply(actor, reply) && reply.hiddenAt === null;
    }
    case "translation.remove": {
      const { reply, translatorId } = r as TranslationResource;
      return canReadReply(actor, reply) && (reply.authorId === actor!.id || translatorId === actor!.id || isStaff(actor));
    }
    case "thread.translate":
      return canReadThread(actor, r);
    case "commentTranslation.remove": {
      const { authorId, translatorId } = r as { authorId: string; translatorId: string | null };
      return isActive(actor) && (authorId === actor!.id || translatorId === actor!.id || isStaff(actor));
    }
    case "titleTranslation.remove": {
      const { thread, translatorId } = r as TitleTranslationResource;
      return canReadThread(actor, thread) && (thread.authorId === actor!.id || translatorId === actor!.id || isStaff(actor));
    }
    case "member.suspend": {
      const member = r as MemberResource;
      return isStaff(actor) && member.id !== actor!.id && rank[actor!.role] > rank[member.role];
    }
  }
  return false;
}

/**
 * @throws AppError("unauthenticated") for a signed-out actor, AppError("suspended") for a
 *   suspended one, AppError("forbidden") otherwise
 */
export function assertCan<A extends Action>(
  actor: Actor | null,
  action: A,
  ...resource: Rules[A] extends undefined ? [] : [Rules[A]]
): asserts actor is Actor {
  if (can(actor, action, ...resource)) return;
  const target = (resource[0] as { id?: string } | undefined)?.id;
  logger.warn({ event: "authz.refused", userId: actor?.id ?? null, action, resource: target }, "authorisation refused");
  if (!actor) throw new AppError("unauthenticated");
  if (!isActive(actor)) throw new AppError("suspended");
  throw new AppError("forbidden");
}
