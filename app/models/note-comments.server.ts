/**
 * Comments anchored to a range of a policy note's text (issue #5, item 8), like Google Docs or
 * Outline comments: a thread holds the range (two Yjs relative positions, see
 * app/editor/note-anchors.ts), the text quoted when it was opened, and its comments (the first
 * opens it; the others are replies). Threads are resolved and reopened; comments are edited by
 * their authors and deleted softly by their authors or the note's owner.
 *
 * Rules (app/policy.server.ts): members of a note read its comments; owners, editors and
 * commenters comment; the owner, editors and a thread's opener resolve it. A non-member learns
 * nothing (not_found). After each commit `noteComment:changed` goes to the note's room
 * (`doc:<noteId>`), which only members join, so every open tab refreshes its list.
 */
import { prisma } from "~/db.server";
import { decodeAnchor, resolveAnchorsInDoc } from "~/editor/note-anchors";
import { assertCan, can, isStaff, type Actor, type NoteResource } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { publish } from "~/realtime/publish.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { primaryLanguage } from "~/utils/language";
import { commentTranslationsInclude, toCommentTranslations, type CommentTranslationView } from "./translations/present.server";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { loadNoteDoc } from "./note-docs.server";
import { assertNote, noteResource } from "./notes.server";

/** 30 comments (threads and replies) per member per minute (staff exempt). */
const commentLimiter = singleton("limiter:note-comment", () => createLimiter({ keyPrefix: "crn:note-comment", points: 30, duration: 60 }));

export interface NoteCommentPerson {
  id: string;
  displayName: string;
}

/** One comment as members see it; a deleted one keeps its place without its text. */
export interface NoteCommentView {
  id: string;
  author: NoteCommentPerson;
  /** Null when deleted. */
  body: string | null;
  /** The language it is written in, and its translation into the other. */
  language: "en" | "zh";
  translations: CommentTranslationView[];
  /** May remove a translation of it (the comment's author or staff; a translator their own). */
  canUntranslate: boolean;
  deleted: boolean;
  createdAt: string;
  editedAt: string | null;
  canEdit: boolean;
  canDelete: boolean;
}

/** A comment thread as the note page shows it. */
export interface NoteThreadView {
  id: string;
  noteId: string;
  /** Base64 `Y.encodeRelativePosition` of the range's start and end. */
  anchorStart: string;
  anchorEnd: string;
  /** The text selected when the thread was opened. */
  quote: string;
  /** The text the range covers in the stored note now; null when that text was removed. */
  text: string | null;
  /** True when the commented text was removed from the note. */
  orphaned: boolean;
  author: NoteCommentPerson;
  createdAt: string;
  resolved: { at: string; by: NoteCommentPerson | null } | null;
  comments: NoteCommentView[];
  canReply: boolean;
  canResolve: boolean;
}

const person = { select: { id: true, displayName: true } } as const;

/**
 * A note's comment threads, oldest first, each with its comments (oldest first). Threads whose
 * every comment was deleted are left out. `text`/`orphaned` come from resolving each anchor
 * against the stored note (snapshot + updates), so they hold without a browser.
 * @throws AppError unauthenticated | suspended | not_found (not a member)
 */
export async function listNoteThreads(actor: Actor | null, noteId: string): Promise<{ threads: NoteThreadView[]; canComment: boolean }> {
  const note = await assertNote(actor, noteId, "note.read");
  const rows = await prisma.noteCommentThread.findMany({
    where: { noteId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: {
      author: person,
      resolvedBy: person,
      comments: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { author: person, ...commentTranslationsInclude } },
    },
  });
  const visible = rows.filter((t) => t.comments.some((c) => c.deletedAt === null));
  let ranges: ReturnType<typeof resolveAnchorsInDoc> = [];
  if (visible.length) {
    const doc = await loadNoteDoc(noteId);
    ranges = resolveAnchorsInDoc(
      doc,
      visible.map((t) => ({ start: new Uint8Array(t.anchorStart), end: new Uint8Array(t.anchorEnd) })),
    );
    doc.destroy();
  }
  const threads = visible.map((t, i): NoteThreadView => {
    const range = ranges[i] ?? null;
    return {
      id: t.id,
      noteId: t.noteId,
      anchorStart: Buffer.from(t.anchorStart).toString("base64"),
      anchorEnd: Buffer.from(t.anchorEnd).toString("base64"),
      quote: t.quote,
      text: range?.text ?? null,
      orphaned: range === null,
      author: t.author,
      createdAt: t.createdAt.toISOString(),
      resolved: t.resolvedAt ? { at: t.resolvedAt.toISOString(), by: t.resolvedBy } : null,
      comments: t.comments.map((c) => {
        const resource = { id: c.id, authorId: c.authorId, deletedAt: c.deletedAt, note };
        return {
          id: c.id,
          author: c.author,
          body: c.deletedAt ? null : c.body,
          language: c.language,
          translations: c.deletedAt ? [] : toCommentTranslations(c.translations, c.body, actor),
          canUntranslate: c.authorId === actor!.id || isStaff(actor),
          deleted: c.deletedAt !== null,
          createdAt: c.createdAt.toISOString(),
          editedAt: c.editedAt?.toISOString() ?? null,
          canEdit: can(actor, "noteComment.edit", resource),
          canDelete: can(actor, "noteComment.delete", resource),
        };
      }),
      canReply: can(actor, "note.comment", note),
      canResolve: can(actor, "noteComment.resolve", { id: t.id, authorId: t.authorId, note }),
    };
  });
  return { threads, canComment: can(actor, "note.comment", note) };
}

/**
 * Opens a thread on the range between two anchors with its first comment.
 * @returns `{ threadId, commentId }`
 * @throws AppError not_found (not a member) | forbidden (viewer) | anchor_invalid (an anchor is
 *   not a well-formed relative position of at most 256 bytes, or the pair is not a non-empty
 *   range of this note's current text) |
 *   comment_empty | comment_too_long | rate_limited
 */
export async function createNoteThread(actor: Actor | null, input: ParsedCommandInput<"noteComment.create">) {
  await assertNote(actor, input.noteId, "note.comment");
  const start = decodeAnchor(input.anchorStart);
  const end = decodeAnchor(input.anchorEnd);
  if (!start || !end) throw new AppError("anchor_invalid", "The commented range is not valid", start ? "anchorEnd" : "anchorStart");
  // The range must be text of this note as stored now: anchors of another note, of another shared
  // type, or of text already deleted are refused (the browser waits until its own edits are
  // stored before it sends a comment, so its anchors resolve here).
  const doc = await loadNoteDoc(input.noteId);
  const [range] = resolveAnchorsInDoc(doc, [{ start: input.anchorStart, end: input.anchorEnd }]);
  doc.destroy();
  if (!range) throw new AppError("anchor_invalid", "The commented range is not text of this note", "anchorStart");
  if (!isStaff(actor)) await consume(commentLimiter, actor!.id);
  const threadId = newId();
  const commentId = newId();
  await prisma.$transaction(async (tx) => {
    await tx.noteCommentThread.create({
      data: {
        id: threadId,
        noteId: input.noteId,
        authorId: actor!.id,
        anchorStart: Buffer.from(input.anchorStart, "base64"),
        anchorEnd: Buffer.from(input.anchorEnd, "base64"),
        quote: input.quote,
      },
    });
    await tx.noteComment.create({ data: { id: commentId, threadId, authorId: actor!.id, body: input.body, language: primaryLanguage(input.body) } });
  });
  publish({ type: "noteComment.changed", noteId: input.noteId, threadId });
  return { threadId, commentId };
}

/** The thread and the actor's view of its note; not_found for non-members and unknown ids. */
async function loadThread(actor: Actor | null, threadId: string) {
  const thread = await prisma.noteCommentThread.findUnique({ where: { id: threadId } });
  const note = thread ? await noteResource(actor, thread.noteId) : null;
  if (!thread || !note || !can(actor, "note.read", note)) {
    assertCan(actor, "note.create"); // signed out or suspended: say so rather than not_found
    throw new AppError("not_found");
  }
  return { thread, note };
}

/** The comment, its thread and the actor's view of the note; not_found as for threads. */
async function loadComment(actor: Actor | null, commentId: string) {
  const comment = await prisma.noteComment.findUnique({ where: { id: commentId }, include: { thread: true } });
  const note: NoteResource | null = comment ? await noteResource(actor, comment.thread.noteId) : null;
  if (!comment || !note || !can(actor, "note.read", note) || comment.deletedAt) {
    assertCan(actor, "note.create");
    throw new AppError("not_found");
  }
  return { comment, note };
}

/**
 * Replies in a thread (resolved threads too: a reply does not reopen it).
 * @returns `{ threadId, commentId }`
 * @throws AppError not_found | forbidden (viewer) | comment_empty | comment_too_long | rate_limited
 */
export async function replyToNoteThread(actor: Actor | null, input: ParsedCommandInput<"noteComment.reply">) {
  const { thread, note } = await loadThread(actor, input.threadId);
  assertCan(actor, "note.comment", note);
  if (!isStaff(actor)) await consume(commentLimiter, actor.id);
  const comment = await prisma.noteComment.create({ data: { id: newId(), threadId: thread.id, authorId: actor.id, body: input.body, language: primaryLanguage(input.body) } });
  publish({ type: "noteComment.changed", noteId: thread.noteId, threadId: thread.id });
  return { threadId: thread.id, commentId: comment.id };
}

/**
 * Resolves (`resolved` true: records who and when) or reopens a thread. Idempotent: resolving a
 * resolved thread keeps its first resolver.
 * @returns `{ threadId, resolved }`
 * @throws AppError not_found | forbidden (neither owner, editor nor the thread's opener)
 */
export async function setNoteThreadResolved(
  actor: Actor | null,
  input: ParsedCommandInput<"noteComment.resolve" | "noteComment.reopen">,
  resolved: boolean,
) {
  const { thread, note } = await loadThread(actor, input.threadId);
  assertCan(actor, "noteComment.resolve", { id: thread.id, authorId: thread.authorId, note });
  const { count } = await prisma.noteCommentThread.updateMany({
    where: { id: thread.id, resolvedAt: resolved ? null : { not: null } },
    data: resolved ? { resolvedAt: new Date(), resolvedById: actor.id } : { resolvedAt: null, resolvedById: null },
  });
  if (count) publish({ type: "noteComment.changed", noteId: thread.noteId, threadId: thread.id });
  return { threadId: thread.id, resolved };
}

/**
 * Changes the text of one's own comment.
 * @returns `{ commentId, threadId }`
 * @throws AppError not_found (unknown or deleted) | forbidden (not the author, or no longer
 *   allowed to comment) | comment_empty | comment_too_long
 */
export async function editNoteComment(actor: Actor | null, input: ParsedCommandInput<"noteComment.edit">) {
  const { comment, note } = await loadComment(actor, input.commentId);
  assertCan(actor, "noteComment.edit", { id: comment.id, authorId: comment.authorId, deletedAt: comment.deletedAt, note });
  await prisma.noteComment.update({ where: { id: comment.id }, data: { body: input.body, language: primaryLanguage(input.body), editedAt: new Date() } });
  publish({ type: "noteComment.changed", noteId: comment.thread.noteId, threadId: comment.threadId });
  return { commentId: comment.id, threadId: comment.threadId };
}

/**
 * Deletes a comment softly (its author, or the note's owner): it stays in the thread as
 * "deleted"; a thread with no comment left disappears from the list.
 * @returns `{ commentId, threadId, deleted: true }`
 * @throws AppError not_found (unknown or already deleted) | forbidden
 */
export async function deleteNoteComment(actor: Actor | null, input: ParsedCommandInput<"noteComment.delete">) {
  const { comment, note } = await loadComment(actor, input.commentId);
  assertCan(actor, "noteComment.delete", { id: comment.id, authorId: comment.authorId, deletedAt: comment.deletedAt, note });
  await prisma.noteComment.update({ where: { id: comment.id }, data: { deletedAt: new Date() } });
  publish({ type: "noteComment.changed", noteId: comment.thread.noteId, threadId: comment.threadId });
  return { commentId: comment.id, threadId: comment.threadId, deleted: true };
}
