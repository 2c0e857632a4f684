/**
 * Version history of policy notes (docs/decisions/010-note-history.md).
 *
 * A version is a Yjs snapshot (state vector + delete set) of the note's document. The server
 * never garbage-collects a note's document (stored updates are merged with `Y.mergeUpdates`,
 * which keeps deleted content), so loading the stored state into a `Y.Doc({ gc: false })` lets
 * us rebuild any version's content and compare two versions item by item, as y-prosemirror's
 * version demo does. Who wrote an item comes from `note_clients` (Yjs client id → member), who
 * deleted it from `note_deletions` (the delete set of each stored update with its sender); both
 * are filled in the transaction that stores the update (`recordAuthorship`).
 *
 * Rules (app/policy.server.ts): every member of the note may read its history; owner and
 * editors save, name and restore versions. A non-member learns nothing (not_found).
 */
import { Prisma, type NoteVersionKind } from "@prisma/client";
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { prisma } from "~/db.server";
import { NOTE_FIELD, noteSchema } from "~/editor/note-schema";
import type { Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { docRoom } from "~/realtime/events";
import { getRealtime } from "~/realtime/publish.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { logger } from "~/utils/logger.server";
import { appendNoteUpdateIn, loadNoteDoc, maybeCompact, syncUpdateMessage } from "./note-docs.server";
import { renderVersion, type Attribution, type HistoryPerson } from "./note-history-render.server";
import { noteColours } from "./note-presence.server";
import { assertNote } from "./notes.server";

/**
 * An automatic version is recorded after an editor's update is stored when the note's latest
 * version is older than this: at most one automatic version per 10 minutes of editing, as
 * Google Docs and Outline group edits into sessions.
 */
export const AUTO_VERSION_AFTER_MS = 10 * 60 * 1000;

const versionLockKey = (noteId: string) => Prisma.sql`hashtextextended(${"note-version:" + noteId}, 0)`;

/** One row of the history list. `authors`: who changed the note since the previous version. */
export interface NoteVersionSummary {
  id: string;
  kind: NoteVersionKind;
  name: string | null;
  createdAt: string;
  author: HistoryPerson | null;
  restoredFrom: { id: string; kind: NoteVersionKind; name: string | null; createdAt: string } | null;
  authors: HistoryPerson[];
}

async function loadAttribution(noteId: string): Promise<Attribution> {
  const [clients, deletions] = await Promise.all([
    prisma.noteClient.findMany({ where: { noteId }, select: { clientId: true, userId: true } }),
    prisma.noteDeletion.findMany({ where: { noteId }, orderBy: { id: "asc" }, select: { userId: true, ranges: true } }),
  ]);
  const byClient: Attribution["deletions"] = new Map();
  for (const row of deletions) {
    for (const [client, clock, len] of row.ranges as [number, number, number][]) {
      const list = byClient.get(client) ?? [];
      list.push({ clock, len, userId: row.userId });
      byClient.set(client, list);
    }
  }
  return { userOfClient: new Map(clients.map((c) => [Number(c.clientId), c.userId])), deletions: byClient };
}

/** Members who inserted or deleted content between two snapshots. */
function changedBy(attribution: Attribution, prev: Y.Snapshot, snap: Y.Snapshot): Set<string> {
  const users = new Set<string>();
  for (const [client, clock] of snap.sv) {
    const user = attribution.userOfClient.get(client);
    if (clock > (prev.sv.get(client) ?? 0) && user) users.add(user);
  }
  for (const [client, ranges] of attribution.deletions) {
    for (const range of ranges) {
      const id = Y.createID(client, range.clock);
      if (range.userId && Y.isDeleted(snap.ds, id) && !Y.isDeleted(prev.ds, id)) users.add(range.userId);
    }
  }
  return users;
}

/** The people named in a version, in the colours their carets have in the note. */
async function people(noteId: string, ids: Iterable<string>): Promise<Map<string, HistoryPerson>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const users = await prisma.user.findMany({ where: { id: { in: unique } }, select: { id: true, displayName: true } });
  const colours = await noteColours(noteId, unique);
  return new Map(users.map((u) => [u.id, { id: u.id, name: u.displayName, colour: colours.get(u.id)! }]));
}

/**
 * Records a version of the note's current stored state, in the caller's transaction, under the
 * note's version lock (so two automatic versions cannot race).
 */
async function insertVersion(
  tx: Prisma.TransactionClient,
  noteId: string,
  data: { kind: NoteVersionKind; name?: string | null; authorId: string; restoredFromId?: string; snapshot: Uint8Array },
) {
  return tx.noteVersion.create({
    data: {
      id: newId(),
      noteId,
      kind: data.kind,
      name: data.name ?? null,
      authorId: data.authorId,
      restoredFromId: data.restoredFromId ?? null,
      snapshot: Buffer.from(data.snapshot),
    },
  });
}

async function currentSnapshot(noteId: string): Promise<Uint8Array> {
  const doc = await loadNoteDoc(noteId, { gc: false });
  try {
    return Y.encodeSnapshot(Y.snapshot(doc));
  } finally {
    doc.destroy();
  }
}

/**
 * Called by the relay after an editor's update is stored: records an automatic version of the
 * current state when the latest version is older than AUTO_VERSION_AFTER_MS (or there is none).
 * `lastVersionAt`, when given, is the latest version's time as the update's own transaction read
 * it (null: none), which spares a statement on every update; versions only get newer, so a stale
 * value can only send us to the locked re-check below, never skip a version that is due.
 * Never throws (the update is already stored); failures are logged. Resolves with the new
 * version's id, or null.
 */
export async function maybeAutoVersion(noteId: string, userId: string, lastVersionAt?: Date | null): Promise<string | null> {
  try {
    const due = () => new Date(Date.now() - AUTO_VERSION_AFTER_MS);
    const latest =
      lastVersionAt === undefined
        ? (await prisma.noteVersion.findFirst({ where: { noteId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }))?.createdAt
        : lastVersionAt;
    if (latest && latest > due()) return null;
    const snapshot = await currentSnapshot(noteId);
    return await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${versionLockKey(noteId)})`;
      const recent = await tx.noteVersion.count({ where: { noteId, createdAt: { gt: due() } } });
      if (recent) return null;
      return (await insertVersion(tx, noteId, { kind: "auto", authorId: userId, snapshot })).id;
    });
  } catch (err) {
    logger.error({ err, noteId }, "automatic note version failed");
    return null;
  }
}

/**
 * The note's versions, newest first, each with who changed the note since the previous one.
 * @throws AppError unauthenticated | not_found (not a member)
 */
export async function listNoteVersions(
  actor: Actor | null,
  noteId: string,
): Promise<{ note: { id: string; title: string }; canEdit: boolean; versions: NoteVersionSummary[] }> {
  const resource = await assertNote(actor, noteId, "note.read");
  const [note, rows, attribution] = await Promise.all([
    prisma.note.findUniqueOrThrow({ where: { id: noteId }, select: { id: true, title: true } }),
    prisma.noteVersion.findMany({ where: { noteId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    loadAttribution(noteId),
  ]);
  const authorsOf: Set<string>[] = [];
  let prev = Y.emptySnapshot;
  for (const row of rows) {
    const snap = Y.decodeSnapshot(new Uint8Array(row.snapshot));
    authorsOf.push(changedBy(attribution, prev, snap));
    prev = snap;
  }
  const who = await people(noteId, [...rows.flatMap((r) => (r.authorId ? [r.authorId] : [])), ...authorsOf.flatMap((s) => [...s])]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const versions = rows.map((row, i) => {
    const from = row.restoredFromId ? byId.get(row.restoredFromId) : undefined;
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      author: (row.authorId && who.get(row.authorId)) || null,
      restoredFrom: from ? { id: from.id, kind: from.kind, name: from.name, createdAt: from.createdAt.toISOString() } : null,
      authors: [...authorsOf[i]!].flatMap((id) => who.get(id) ?? []),
    };
  });
  return { note, canEdit: resource.role === "owner" || resource.role === "editor", versions: versions.reverse() };
}

/**
 * One version: its content as safe HTML, with the changes since the previous version marked
 * (`<ins>` / `<del>` for text, `data-change` on whole blocks), each carrying the member who made
 * it (`data-user`, `title`, colour).
 * @throws AppError unauthenticated | not_found (not a member, or no such version of this note)
 */
export type { HistoryPerson };

export async function getNoteVersion(actor: Actor | null, noteId: string, versionId: string) {
  const resource = await assertNote(actor, noteId, "note.read");
  const { note, versions } = await listNoteVersions(actor, noteId);
  const index = versions.findIndex((v) => v.id === versionId);
  if (index < 0) throw new AppError("not_found");
  const [row, prevRow] = await Promise.all([
    prisma.noteVersion.findUniqueOrThrow({ where: { id: versionId }, select: { snapshot: true } }),
    versions[index + 1] ? prisma.noteVersion.findUniqueOrThrow({ where: { id: versions[index + 1]!.id }, select: { snapshot: true } }) : null,
  ]);
  const snap = Y.decodeSnapshot(new Uint8Array(row.snapshot));
  const prev = prevRow ? Y.decodeSnapshot(new Uint8Array(prevRow.snapshot)) : Y.emptySnapshot;
  const [doc, attribution] = await Promise.all([loadNoteDoc(noteId, { gc: false }), loadAttribution(noteId)]);
  try {
    const who = await people(noteId, [...attribution.userOfClient.values(), ...[...attribution.deletions.values()].flatMap((l) => l.flatMap((r) => (r.userId ? [r.userId] : [])))]);
    const html = renderVersion(doc.getXmlFragment(NOTE_FIELD), snap, prev, attribution, who);
    return {
      note,
      canEdit: resource.role === "owner" || resource.role === "editor",
      version: versions[index]!,
      previous: versions[index + 1] ?? null,
      html,
    };
  } finally {
    doc.destroy();
  }
}

/**
 * Saves the current state as a version named `name`.
 * @throws AppError not_found | forbidden (viewer, commenter) | version_name_required | version_name_too_long (schema)
 */
export async function createNoteVersion(actor: Actor | null, input: ParsedCommandInput<"noteVersion.create">) {
  await assertNote(actor, input.noteId, "note.edit");
  const snapshot = await currentSnapshot(input.noteId);
  const version = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${versionLockKey(input.noteId)})`;
    // Nothing changed since the latest version: name that one (as "name current version" does)
    // rather than list a second, identical version; if it already has a name, say so.
    const latest = await tx.noteVersion.findFirst({ where: { noteId: input.noteId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    if (latest && Y.equalSnapshots(Y.decodeSnapshot(new Uint8Array(latest.snapshot)), Y.decodeSnapshot(snapshot))) {
      if (latest.name) throw new AppError("version_unchanged", "No change since the latest version", "name", { name: latest.name });
      return tx.noteVersion.update({ where: { id: latest.id }, data: { name: input.name } });
    }
    return insertVersion(tx, input.noteId, { kind: "named", name: input.name, authorId: actor!.id, snapshot });
  });
  return { noteId: input.noteId, versionId: version.id };
}

/**
 * Names (or renames) a version of the note, automatic or not.
 * @throws AppError not_found (also: a version of another note) | forbidden
 */
export async function renameNoteVersion(actor: Actor | null, input: ParsedCommandInput<"noteVersion.rename">) {
  await assertNote(actor, input.noteId, "note.edit");
  const { count } = await prisma.noteVersion.updateMany({ where: { id: input.versionId, noteId: input.noteId }, data: { name: input.name } });
  if (!count) throw new AppError("not_found");
  return { noteId: input.noteId, versionId: input.versionId };
}

/**
 * Restores a version: in one Yjs transaction on the current document, the `default` fragment is
 * brought to the version's content with the fewest changes (what both share stays untouched). The resulting update is stored (attributed
 * to the actor) together with a new `restored` version, in one database transaction, then
 * broadcast to the note's room so every open editor shows it as a new change. Edits made by
 * others while this runs are kept (they merge like any concurrent edit).
 * @throws AppError not_found (also: a version of another note) | forbidden | version_unavailable
 */
export async function restoreNoteVersion(actor: Actor | null, input: ParsedCommandInput<"noteVersion.restore">) {
  await assertNote(actor, input.noteId, "note.edit");
  const row = await prisma.noteVersion.findFirst({ where: { id: input.versionId, noteId: input.noteId }, select: { id: true, snapshot: true } });
  if (!row) throw new AppError("not_found");
  // Under the note's version lock, loaded after taking it: two restores at once run one after
  // the other, so the second replaces what the first wrote instead of adding a second copy.
  const { update, pending, version } = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${versionLockKey(input.noteId)})`;
      const doc = await loadNoteDoc(input.noteId, { gc: false });
      let old: Y.Doc | null = null;
      try {
        try {
          old = Y.createDocFromSnapshot(doc, Y.decodeSnapshot(new Uint8Array(row.snapshot)));
        } catch (err) {
          logger.error({ err, noteId: input.noteId, versionId: row.id }, "note version could not be rebuilt");
          throw new AppError("version_unavailable");
        }
        const target = yXmlFragmentToProseMirrorRootNode(old.getXmlFragment(NOTE_FIELD), noteSchema());
        const before = Y.encodeStateVector(doc);
        // The editor binding's own diff (y-prosemirror's updateYFragment, in one transaction):
        // blocks and text the version shares with the note now are left as they are, so comments
        // anchored there stay anchored and the history shows only what the restore changed.
        updateYFragment(doc, doc.getXmlFragment(NOTE_FIELD), target, { mapping: new Map(), isOMark: new Map() });
        const update = Y.encodeStateAsUpdate(doc, before);
        const pending = await appendNoteUpdateIn(tx, input.noteId, actor!.id, update);
        const version = await insertVersion(tx, input.noteId, {
          kind: "restored",
          authorId: actor!.id,
          restoredFromId: row.id,
          snapshot: Y.encodeSnapshot(Y.snapshot(doc)),
        });
        return { update, pending, version };
      } finally {
        old?.destroy();
        doc.destroy();
      }
    },
    { timeout: 30_000 },
  );
  // After commit, as the relay does: every open editor applies it as a new change.
  getRealtime()?.to(docRoom(input.noteId)).emit("doc:sync", { noteId: input.noteId, message: syncUpdateMessage(update) });
  maybeCompact(input.noteId, pending);
  return { noteId: input.noteId, versionId: version.id, restoredFromId: row.id };
}
