/**
 * A note's Yjs document in PostgreSQL: the latest snapshot (`note_snapshots`) plus every update
 * persisted after it (`note_updates`, ordered by `seq`). No process keeps documents in memory
 * (docs/decisions/009-coediting.md): each sync step 1 loads from PostgreSQL, so a process never
 * misses an update persisted by another.
 *
 * Ordering with compaction: appending an update holds a *shared* advisory lock on the note and
 * compaction an *exclusive* one, so when compaction runs no insert is in flight and every
 * `seq <= upToSeq` is committed; loading reads snapshot and updates in one repeatable-read
 * transaction, so it sees either the rows before a compaction or the snapshot after it.
 */
import { Prisma } from "@prisma/client";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { prisma } from "~/db.server";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { newId } from "~/utils/ids.server";

/** Merge stored updates into a snapshot once this many have accumulated. */
export const COMPACT_EVERY = 100;

const lockKey = (noteId: string) => Prisma.sql`hashtextextended(${"note-doc:" + noteId}, 0)`;

/** The note's merged state (snapshot + later updates) as one Yjs update. */
export async function loadNoteState(noteId: string): Promise<Uint8Array> {
  return prisma.$transaction((tx) => loadNoteStateIn(tx, noteId), { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead });
}

/**
 * `loadNoteState` inside the caller's transaction: consistent when the caller holds the note's
 * lock (shared or exclusive), or runs at repeatable read.
 */
async function loadNoteStateIn(tx: Prisma.TransactionClient, noteId: string): Promise<Uint8Array> {
  const snapshot = await tx.noteSnapshot.findFirst({ where: { noteId, name: null }, orderBy: { upToSeq: "desc" } });
  const updates = await tx.noteUpdate.findMany({
    where: { noteId, seq: { gt: snapshot?.upToSeq ?? BigInt(-1) } },
    orderBy: { seq: "asc" },
    select: { data: true },
  });
  return Y.mergeUpdates([...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)].map((p) => new Uint8Array(p)));
}

/**
 * Loads the note into a fresh Y.Doc (the caller destroys it). `gc: false` keeps deleted content
 * (the stored state has it all: nothing is ever garbage-collected on the server), which version
 * history needs to rebuild and compare snapshots.
 */
export async function loadNoteDoc(noteId: string, options: { gc?: boolean } = {}): Promise<Y.Doc> {
  const doc = new Y.Doc({ gc: options.gc ?? true });
  Y.applyUpdate(doc, await loadNoteState(noteId));
  return doc;
}

/** True when the Yjs update carries neither structs nor deletions (it would change nothing). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update);
  return decoded.structs.length === 0 && decoded.ds.clients.size === 0;
}

/** Stores one update durably; resolves once committed. Returns how many updates await compaction. */
export async function appendNoteUpdate(noteId: string, userId: string, update: Uint8Array): Promise<number> {
  return prisma.$transaction((tx) => appendNoteUpdateIn(tx, noteId, userId, update));
}

/**
 * `appendNoteUpdate` inside the caller's transaction (a restore stores its update and its
 * version together). Also records who wrote it (`recordAuthorship`).
 */
export async function appendNoteUpdateIn(tx: Prisma.TransactionClient, noteId: string, userId: string, update: Uint8Array): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${lockKey(noteId)})`;
  const stored = await recordAuthorship(tx, noteId, userId, update);
  // Nothing left once what the server already holds is trimmed off: nothing to store.
  if (isEmptyUpdate(stored)) return tx.noteUpdate.count({ where: { noteId } });
  await tx.noteUpdate.create({ data: { noteId, userId, data: Buffer.from(stored) } });
  await tx.note.update({ where: { id: noteId }, data: { updatedAt: new Date() } });
  return tx.noteUpdate.count({ where: { noteId } });
}

/**
 * Remembers, for version history (docs/decisions/010-note-history.md), which member wrote an
 * update: every Yjs client id whose structs it carries is mapped to `userId` (the first writer
 * of a client id keeps it: ON CONFLICT DO NOTHING), and its delete set, if any, is kept with
 * `userId` as the one who deleted (Yjs itself does not record who deleted what).
 *
 * A client sends new structs only under its own client id. It may also send again structs of
 * others that the server already stores: a sync step 2 answers the state vector the server had
 * when it loaded, and an update relayed meanwhile is then in the answer too. So when an update
 * carries structs under another member's client id, the structs the stored state already holds
 * are trimmed off (`Y.diffUpdate` against its state vector: they are never stored twice, nor
 * credited to the sender); if any remain, they are new content under another member's client
 * id, a forgery of their authorship, and the update is refused. Called before the update is
 * stored; returns the update to store.
 * @throws AppError forbidden (new structs under a client id of another member)
 */
export async function recordAuthorship(tx: Prisma.TransactionClient, noteId: string, userId: string, received: Uint8Array): Promise<Uint8Array> {
  let update = received;
  let decoded = Y.decodeUpdate(update);
  let clients = [...new Set(decoded.structs.map((s) => BigInt(s.id.client)))];
  if (clients.length) {
    const owners = await tx.noteClient.findMany({ where: { noteId, clientId: { in: clients } }, select: { clientId: true, userId: true } });
    const foreign = new Set(owners.filter((o) => o.userId !== userId).map((o) => o.clientId));
    if (foreign.size) {
      update = Y.diffUpdate(update, Y.encodeStateVectorFromUpdate(await loadNoteStateIn(tx, noteId)));
      decoded = Y.decodeUpdate(update);
      clients = [...new Set(decoded.structs.map((s) => BigInt(s.id.client)))];
      if (clients.some((client) => foreign.has(client))) {
        logger.warn({ event: "doc.update_refused", noteId, userId, reason: "client id of another member" }, "note update refused");
        throw new AppError("forbidden", "This change carries another member's edits");
      }
    }
    const known = new Set(owners.map((o) => o.clientId));
    const rows = clients.filter((client) => !known.has(client)).map((client) => Prisma.sql`(${noteId}, ${client}, ${userId})`);
    if (rows.length) await tx.$executeRaw`INSERT INTO note_clients (note_id, client_id, user_id) VALUES ${Prisma.join(rows)} ON CONFLICT DO NOTHING`;
  }
  const ranges: [number, number, number][] = [];
  for (const [client, items] of decoded.ds.clients) for (const item of items) ranges.push([client, item.clock, item.len]);
  if (ranges.length) await tx.noteDeletion.create({ data: { noteId, userId, ranges } });
  return update;
}

/** A Yjs snapshot (state vector + delete set) of a document state, encoded (`Y.encodeSnapshot`). */
export function snapshotOfState(state: Uint8Array): Uint8Array {
  const doc = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(doc, state);
    return Y.encodeSnapshot(Y.snapshot(doc));
  } finally {
    doc.destroy();
  }
}

/** The y-protocols "update" sync message carrying `update`, as the relay sends it (`doc:sync`). */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Merges every stored update into a new snapshot and deletes them, in one transaction. */
export async function compactNote(noteId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${lockKey(noteId)})`;
    const snapshot = await tx.noteSnapshot.findFirst({ where: { noteId, name: null }, orderBy: { upToSeq: "desc" } });
    const updates = await tx.noteUpdate.findMany({ where: { noteId }, orderBy: { seq: "asc" }, select: { seq: true, data: true } });
    if (updates.length === 0) return;
    const merged = Y.mergeUpdates([...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)].map((d) => new Uint8Array(d)));
    const upToSeq = updates[updates.length - 1]!.seq;
    await tx.noteSnapshot.create({ data: { id: newId(), noteId, data: Buffer.from(merged), upToSeq } });
    await tx.noteUpdate.deleteMany({ where: { noteId, seq: { lte: upToSeq } } });
    if (snapshot) await tx.noteSnapshot.delete({ where: { id: snapshot.id } });
  });
}

/** Compacts when enough updates have piled up; failures are logged, never lose data. */
export function maybeCompact(noteId: string, pending: number): void {
  if (pending < COMPACT_EVERY) return;
  compactNote(noteId).catch((err) => logger.error({ err, noteId }, "note compaction failed"));
}
