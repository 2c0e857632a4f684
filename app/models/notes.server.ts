/**
 * Policy notes: a title, an owner, members with roles (owner, editor, commenter, viewer), and
 * optionally a dialogue and regions. The note's body is a Yjs document; its first state (a
 * heading with the title) is written here, once, when the note is created, so clients never
 * create initial content and two people opening a new note at once never double it.
 *
 * Rules (app/policy.server.ts): members of a note read it; owner and editors write; the owner
 * alone adds, removes and re-roles members. A note is invisible (not_found) to non-members.
 *
 * Each note has a language (en | zh) and may be linked to one note in the other language, its
 * translation (a symmetric pair; see linkNoteTranslation and docs/decisions/012-note-export.md).
 */
import * as Y from "yjs";
import type { Locale, NoteRole } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, can, type Actor, type NoteResource } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { docRoom, userRoom } from "~/realtime/events";
import { getRealtime } from "~/realtime/publish.server";
import { recordAuthorship, snapshotOfState } from "./note-docs.server";
import { publishUnreadCounts } from "./notifications.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { NOTE_FIELD } from "~/editor/note-schema";
import { DELETED_MEMBER_ID } from "~/utils/deleted-member";
import { queueNotificationEmails } from "./email/notification-emails.server";


/** The note's Yjs state at creation: one level-1 heading holding the title, then an empty paragraph. */
export function initialNoteState(title: string): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(NOTE_FIELD);
  const heading = new Y.XmlElement("heading");
  heading.setAttribute("level", 1 as unknown as string);
  heading.insert(0, [new Y.XmlText(title)]);
  fragment.insert(0, [heading, new Y.XmlElement("paragraph")]);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** The actor's role on a note, or null (not a member, or no actor). */
export async function noteRole(actor: Actor | null, noteId: string): Promise<NoteRole | null> {
  if (!actor) return null;
  const row = await prisma.noteMember.findUnique({ where: { noteId_userId: { noteId, userId: actor.id } }, select: { role: true } });
  return row?.role ?? null;
}

/**
 * The member as the policy sees them (`findActor`: null when deactivated or unknown) and their
 * role in the note, read in one statement: the co-editing relay re-checks both on every update.
 */
export async function noteActorAndResource(userId: string, noteId: string): Promise<{ actor: Actor | null; resource: NoteResource }> {
  const rows = await prisma.$queryRaw<{ id: string; role: Actor["role"]; suspendedUntil: Date | null; deactivatedAt: Date | null; noteRole: NoteRole | null }[]>`
    SELECT u.id, u.role::text AS role, u.suspended_until AS "suspendedUntil", u.deactivated_at AS "deactivatedAt", m.role::text AS "noteRole"
    FROM users u LEFT JOIN note_members m ON m.note_id = ${noteId} AND m.user_id = u.id
    WHERE u.id = ${userId}`;
  const row = rows[0];
  if (!row || row.deactivatedAt) return { actor: null, resource: { id: noteId, role: null } };
  return { actor: { id: row.id, role: row.role, suspendedUntil: row.suspendedUntil }, resource: { id: noteId, role: row.noteRole } };
}

export async function noteResource(actor: Actor | null, noteId: string): Promise<NoteResource> {
  return { id: noteId, role: await noteRole(actor, noteId) };
}

/**
 * Checks `action` on the note; a non-member learns nothing (not_found rather than forbidden).
 * @throws AppError unauthenticated | suspended | not_found | forbidden
 */
export async function assertNote(
  actor: Actor | null,
  noteId: string,
  action: "note.read" | "note.edit" | "note.manage" | "note.comment",
): Promise<NoteResource> {
  const resource = await noteResource(actor, noteId);
  if (resource.role === null && can(actor, "note.create")) throw new AppError("not_found");
  assertCan(actor, action, resource);
  return resource;
}

/** @throws AppError title_required | validation (unknown dialogue or region) */
export async function createNote(actor: Actor | null, input: ParsedCommandInput<"note.create">) {
  assertCan(actor, "note.create");
  if (input.dialogueId && !(await prisma.dialogue.count({ where: { id: input.dialogueId } }))) {
    throw new AppError("validation", "Unknown dialogue", "dialogueId");
  }
  const regionIds = [...new Set(input.regionIds)];
  if (regionIds.length && (await prisma.region.count({ where: { id: { in: regionIds } } })) !== regionIds.length) {
    throw new AppError("validation", "Unknown region", "regionIds");
  }
  const id = newId();
  const state = initialNoteState(input.title);
  await prisma.$transaction(async (tx) => {
    await tx.note.create({
      data: {
        id,
        title: input.title,
        ownerId: actor.id,
        dialogueId: input.dialogueId ?? null,
        language: input.language ?? "en",
        stateVector: Buffer.from(Y.encodeStateVectorFromUpdate(state)),
        members: { create: { userId: actor.id, role: "owner" } },
        regions: { create: regionIds.map((regionId) => ({ regionId })) },
      },
    });
    await tx.noteUpdate.create({ data: { noteId: id, data: Buffer.from(state), userId: actor.id } });
    // Version history starts with the note's first state (docs/decisions/010-note-history.md).
    await recordAuthorship(tx, id, actor.id, state);
    await tx.noteVersion.create({ data: { id: newId(), noteId: id, kind: "created", snapshot: Buffer.from(snapshotOfState(state)), authorId: actor.id } });
  });
  return { noteId: id };
}

/** @throws AppError not_found | forbidden */
export async function renameNote(actor: Actor | null, input: ParsedCommandInput<"note.rename">) {
  await assertNote(actor, input.noteId, "note.edit");
  await prisma.note.update({ where: { id: input.noteId }, data: { title: input.title } });
  return { noteId: input.noteId };
}

/** Notes the actor owns, and notes shared with them (any other role), newest activity first. */
export async function listNotes(actor: Actor | null) {
  assertCan(actor, "note.create");
  const rows = await prisma.noteMember.findMany({
    where: { userId: actor.id },
    include: {
      note: {
        include: {
          owner: { select: { id: true, displayName: true } },
          _count: { select: { members: true } },
          translation: { select: { id: true, title: true, language: true, members: { where: { userId: actor.id }, select: { role: true } } } },
        },
      },
    },
    orderBy: { note: { updatedAt: "desc" } },
  });
  const items = rows.map((m) => ({
    id: m.note.id,
    title: m.note.title,
    language: m.note.language,
    role: m.role,
    owner: m.note.owner,
    members: m.note._count.members,
    updatedAt: m.note.updatedAt.toISOString(),
    // The partner only when the actor is a member of it too: its title is not theirs to see otherwise.
    translation: m.note.translation?.members.length ? { id: m.note.translation.id, title: m.note.translation.title, language: m.note.translation.language } : null,
  }));
  return { mine: items.filter((n) => n.role === "owner"), shared: items.filter((n) => n.role !== "owner") };
}

/** One note with its members, dialogue and regions, for a member of it. */
export async function getNote(actor: Actor | null, noteId: string) {
  const resource = await assertNote(actor, noteId, "note.read");
  const note = await prisma.note.findUnique({
    where: { id: noteId },
    include: {
      dialogue: { select: { slug: true, titleEn: true, titleZh: true } },
      regions: { include: { region: { select: { slug: true, nameEn: true, nameZh: true } } } },
      members: { include: { user: { select: { id: true, displayName: true, email: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!note) throw new AppError("not_found");
  const manage = resource.role === "owner";
  return {
    id: note.id,
    title: note.title,
    language: note.language,
    translation: await readableTranslation(actor, note.translationId),
    role: resource.role!,
    canEdit: resource.role === "owner" || resource.role === "editor",
    canManage: manage,
    dialogue: note.dialogue,
    regions: note.regions.map((r) => r.region),
    // E-mail addresses only for the owner, who adds people by them.
    members: note.members.map((m) => ({ id: m.user.id, displayName: m.user.displayName, email: manage ? m.user.email : undefined, role: m.role })),
  };
}

/** Finds an active member by id or e-mail address. @throws AppError member_unknown */
async function findMember(idOrEmail: string) {
  const value = idOrEmail.trim();
  const user = await prisma.user.findFirst({
    // The deleted-member placeholder is nobody one can add.
    where: { AND: [value.includes("@") ? { email: { equals: value, mode: "insensitive" } } : { id: value }, { id: { not: DELETED_MEMBER_ID } }] },
    select: { id: true },
  });
  if (!user) throw new AppError("member_unknown", "No such member", "member");
  return user;
}

/**
 * Adds a member with a role; they get an in-app notification linking to the note.
 * @throws AppError not_found | forbidden | member_unknown | note_member_exists (already a member, the owner included)
 */
export async function addNoteMember(actor: Actor | null, input: ParsedCommandInput<"noteMember.add">) {
  await assertNote(actor, input.noteId, "note.manage");
  const user = await findMember(input.member);
  const existing = await prisma.noteMember.findUnique({ where: { noteId_userId: { noteId: input.noteId, userId: user.id } } });
  // Adding never changes a role silently: that is "change role" in the member list.
  if (existing) throw new AppError("note_member_exists", "Already a member", "member", { role: existing.role });
  try {
    await prisma.$transaction(async (tx) => {
      const note = await tx.note.findUniqueOrThrow({ where: { id: input.noteId }, select: { title: true } });
      await tx.noteMember.create({ data: { noteId: input.noteId, userId: user.id, role: input.role } });
      // The member hears that the note was shared with them (in-app, and by email if unread).
      await tx.notification.create({
        data: { id: newId(), userId: user.id, type: "note_shared", actorId: actor!.id, noteId: input.noteId, data: { noteId: input.noteId, title: note.title, role: input.role } },
      });
      await queueNotificationEmails(tx, "note", input.noteId, [user.id]);
    });
  } catch (error) {
    // Added by a second request meanwhile (the primary key).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new AppError("note_member_exists", "Already a member", "member");
    throw error;
  }
  await noteAccessChanged(input.noteId, user.id);
  await publishUnreadCounts([user.id]);
  return { noteId: input.noteId, userId: user.id, role: input.role };
}

/** @throws AppError not_found (not a member) | note_owner */
export async function setNoteMemberRole(actor: Actor | null, input: ParsedCommandInput<"noteMember.setRole">) {
  await assertNote(actor, input.noteId, "note.manage");
  const existing = await prisma.noteMember.findUnique({ where: { noteId_userId: { noteId: input.noteId, userId: input.userId } } });
  if (!existing) throw new AppError("not_found");
  if (existing.role === "owner") throw new AppError("note_owner", "The owner keeps their role", "userId");
  await prisma.noteMember.update({ where: { noteId_userId: { noteId: input.noteId, userId: input.userId } }, data: { role: input.role } });
  await noteAccessChanged(input.noteId, input.userId);
  return { noteId: input.noteId, userId: input.userId, role: input.role };
}

/** @throws AppError not_found (not a member) | note_owner */
export async function removeNoteMember(actor: Actor | null, input: ParsedCommandInput<"noteMember.remove">) {
  await assertNote(actor, input.noteId, "note.manage");
  const existing = await prisma.noteMember.findUnique({ where: { noteId_userId: { noteId: input.noteId, userId: input.userId } } });
  if (!existing) throw new AppError("not_found");
  if (existing.role === "owner") throw new AppError("note_owner", "The owner cannot be removed", "userId");
  await prisma.noteMember.delete({ where: { noteId_userId: { noteId: input.noteId, userId: input.userId } } });
  await noteAccessChanged(input.noteId, input.userId);
  return { noteId: input.noteId, userId: input.userId };
}

/**
 * Tells the member's open sessions at once (every app process, through the adapter): their new
 * role on the note, or null when removed, in which case their sockets leave the note's room.
 * The relay also re-checks the role on every update, so this is for the user's sake, not safety.
 */
async function noteAccessChanged(noteId: string, userId: string): Promise<void> {
  const io = getRealtime();
  if (!io) return;
  const role = await prisma.noteMember.findUnique({ where: { noteId_userId: { noteId, userId } }, select: { role: true } });
  io.to(userRoom(userId)).emit("doc:role", { noteId, role: role?.role ?? null });
  if (!role) io.in(userRoom(userId)).socketsLeave(docRoom(noteId));
}

// --- Linked translations ------------------------------------------------------------------------

/** A linked note as its readers see it. */
export interface NoteTranslationRef {
  id: string;
  title: string;
  language: Locale;
}

/**
 * The note `translationId` when the actor may read it (is a member of it), else null: a reader
 * of one version does not learn the other's title unless they are a member of it too.
 */
export async function readableTranslation(actor: Actor | null, translationId: string | null): Promise<NoteTranslationRef | null> {
  if (!translationId || !actor) return null;
  const resource = await noteResource(actor, translationId);
  if (!can(actor, "note.read", resource)) return null;
  return prisma.note.findUnique({ where: { id: translationId }, select: { id: true, title: true, language: true } });
}

/**
 * Notes the owner of `noteId` could link as its translation: notes in the other language that
 * the actor is a member of, most recently active first (at most 100). Empty for a non-owner.
 */
export async function translationCandidates(actor: Actor | null, noteId: string): Promise<NoteTranslationRef[]> {
  if (!actor) return [];
  const resource = await noteResource(actor, noteId);
  if (!can(actor, "note.manage", resource)) return [];
  const note = await prisma.note.findUnique({ where: { id: noteId }, select: { language: true } });
  if (!note) return [];
  return prisma.note.findMany({
    where: { id: { not: noteId }, language: note.language === "en" ? "zh" : "en", members: { some: { userId: actor.id } } },
    select: { id: true, title: true, language: true },
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take: 100,
  });
}

/** One lock for every change to translation links: links are rare, and pairs then never tangle. */
const TRANSLATION_LOCK = Prisma.sql`hashtextextended('note-translations', 0)`;

/**
 * Links two notes as translations of each other (a symmetric pair: each points at the other).
 * The actor must own `noteId` and be a member (any role) of `otherNoteId`; the languages must
 * differ. Re-linking replaces: `noteId`'s previous partner is unlinked. When `otherNoteId` is
 * already linked to a third note, only its owner may break that link (else translation_taken).
 * Everything happens in one transaction under one advisory lock, so no half-linked pair is ever
 * visible and two concurrent re-links cannot interleave.
 *
 * @throws AppError not_found (either note unreadable) | forbidden (not the owner of noteId) |
 *   translation_self | translation_same_language | translation_taken
 */
export async function linkNoteTranslation(actor: Actor | null, input: ParsedCommandInput<"note.linkTranslation">) {
  await assertNote(actor, input.noteId, "note.manage");
  if (input.otherNoteId === input.noteId) throw new AppError("translation_self", "A note cannot be its own translation", "otherNoteId");
  const other = await noteResource(actor, input.otherNoteId);
  if (!can(actor, "note.read", other)) throw new AppError("not_found", "Unknown note", "otherNoteId");
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TRANSLATION_LOCK})`;
    const notes = await tx.note.findMany({ where: { id: { in: [input.noteId, input.otherNoteId] } }, select: { id: true, language: true, translationId: true } });
    const self = notes.find((n) => n.id === input.noteId);
    const partner = notes.find((n) => n.id === input.otherNoteId);
    if (!self || !partner) throw new AppError("not_found", "Unknown note", "otherNoteId");
    if (self.language === partner.language) throw new AppError("translation_same_language", "Both notes are in the same language", "otherNoteId");
    if (partner.translationId && partner.translationId !== self.id && other.role !== "owner") {
      throw new AppError("translation_taken", "That note is already linked to another translation", "otherNoteId");
    }
    // Unlink every old pair touching either note, then link both ways.
    const involved = [self.id, partner.id, self.translationId, partner.translationId].filter((v): v is string => Boolean(v));
    await tx.note.updateMany({ where: { OR: [{ id: { in: involved } }, { translationId: { in: involved } }] }, data: { translationId: null } });
    await tx.note.update({ where: { id: self.id }, data: { translationId: partner.id } });
    await tx.note.update({ where: { id: partner.id }, data: { translationId: self.id } });
  });
  return { noteId: input.noteId, translationId: input.otherNoteId };
}

/**
 * Removes the note's translation link, on both sides. The owner of the note may unlink (the
 * owner of the partner can unlink from their side). Unlinking an unlinked note is a no-op.
 *
 * @throws AppError not_found | forbidden
 */
export async function unlinkNoteTranslation(actor: Actor | null, input: ParsedCommandInput<"note.unlinkTranslation">) {
  await assertNote(actor, input.noteId, "note.manage");
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TRANSLATION_LOCK})`;
    await tx.note.updateMany({ where: { OR: [{ id: input.noteId }, { translationId: input.noteId }] }, data: { translationId: null } });
  });
  return { noteId: input.noteId };
}
