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
 *
 * Only what applies is stored (issue #11): an update that depends on structs the stored
 * document lacks (Yjs would keep it "pending") is refused with `update_incomplete`, so the
 * relay never acknowledges a change the server cannot show. The note's row keeps the state
 * vector of everything stored (`notes.state_vector`), so the check needs no document load.
 */
import { Prisma, type NoteRole } from "@prisma/client";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { prisma } from "~/db.server";
import { can, type Actor } from "~/policy.server";
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

/**
 * An update that needs changes the server does not hold: not stored. `stateVector` is what the
 * server holds (encoded, `Y.encodeStateVector`), for the sync step 1 that asks the client for
 * everything it has beyond it.
 */
export class MissingDependenciesError extends AppError {
  constructor(readonly stateVector: Uint8Array) {
    super("update_incomplete", "This change depends on changes the server has not received");
  }
}

/**
 * True when applying `update` to a document whose state vector is `stateVector` would leave
 * something pending in Yjs: a struct after a gap in its client's clock, an item whose left or
 * right origin or parent is neither in the document nor in the update, or a deletion of a
 * range the document does not have. (Yjs's own rule: `Item.getMissing` and the pending delete
 * set of `readAndApplyDeleteSet`, yjs/src/utils/encoding.js.)
 */
export function missingDependencies(stateVector: Map<number, number>, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  const known = new Map(stateVector);
  for (const struct of structs) {
    const { client, clock } = struct.id;
    const have = known.get(client) ?? 0;
    // A Skip is a range the update itself lacks.
    if (struct instanceof Y.Skip) {
      if (clock + struct.length > have) return true;
      continue;
    }
    if (clock > have) return true;
    known.set(client, Math.max(have, clock + struct.length));
  }
  const has = (id: Y.ID | null) => id === null || id.clock < (known.get(id.client) ?? 0);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (!has(struct.origin) || !has(struct.rightOrigin)) return true;
    if (struct.parent instanceof Y.ID && !has(struct.parent)) return true;
  }
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) if (range.clock + range.len > (known.get(client) ?? 0)) return true;
  }
  return false;
}

/**
 * An editor's update refused because the member may not edit the note now (viewer, commenter,
 * suspended, deactivated, removed). `role`: their role in the note as just read (null: not a
 * member, or deactivated).
 */
export class NoteEditRefusedError extends AppError {
  constructor(readonly role: NoteRole | null) {
    super("forbidden", "You cannot edit this note");
  }
}

interface LockedNote {
  /** The state vector of what is stored. */
  known: Map<number, number>;
  /** When the note's latest version was made (null: none yet). */
  lastVersionAt: Date | null;
  /** Per member of `userIds`: their note role and whether they may edit (`note.edit`); absent: unknown member. */
  editors: Map<string, { role: NoteRole | null; allowed: boolean }>;
  /** The member each of `clientIds` is recorded for (`note_clients`); absent: nobody yet. */
  owners: Map<bigint, string>;
}

/**
 * Takes the note's shared advisory lock and its row lock (held until commit), and reads what a
 * group of updates needs, in one statement: the stored state vector (`notes.state_vector`),
 * the latest version's time (so the relay's automatic-version check needs no statement of its
 * own, `maybeAutoVersion`), and the roles of `userIds` in the note with their site role and
 * status (the relay's permission re-check on every update, as `noteActorAndResource` reads it
 * for one member), and who owns the Yjs client ids the group's updates carry (`recordAuthorship`).
 * The advisory lock comes first: the row lock is taken on the joined row.
 * @throws AppError not_found
 */
async function lockNote(tx: Prisma.TransactionClient, noteId: string, userIds: string[], clientIds: bigint[]): Promise<LockedNote> {
  const rows = await tx.$queryRaw<
    {
      state_vector: Uint8Array | null;
      last_version_at: Date | null;
      editors: { id: string; role: Actor["role"]; suspendedUntil: string | null; deactivated: boolean; noteRole: NoteRole | null }[];
      owners: { clientId: string; userId: string }[];
    }[]
  >`
    SELECT n.state_vector,
      (SELECT max(v.created_at) FROM note_versions v WHERE v.note_id = n.id) AS last_version_at,
      (SELECT coalesce(json_agg(json_build_object('id', u.id, 'role', u.role, 'suspendedUntil', u.suspended_until, 'deactivated', u.deactivated_at IS NOT NULL, 'noteRole', m.role)), '[]')
         FROM users u LEFT JOIN note_members m ON m.note_id = n.id AND m.user_id = u.id
         WHERE u.id = ANY(${userIds})) AS editors,
      (SELECT coalesce(json_agg(json_build_object('clientId', c.client_id::text, 'userId', c.user_id)), '[]')
         FROM note_clients c WHERE c.note_id = n.id AND c.client_id = ANY(${clientIds})) AS owners
    FROM (SELECT pg_advisory_xact_lock_shared(${lockKey(noteId)})) AS shared_lock, notes n
    WHERE n.id = ${noteId}
    FOR UPDATE OF n`;
  const row = rows[0];
  if (!row) throw new AppError("not_found");
  const known = Y.decodeStateVector(row.state_vector ? new Uint8Array(row.state_vector) : Y.encodeStateVectorFromUpdate(await loadNoteStateIn(tx, noteId)));
  const editors = new Map<string, { role: NoteRole | null; allowed: boolean }>();
  for (const e of row.editors) {
    const actor: Actor = { id: e.id, role: e.role, suspendedUntil: e.suspendedUntil ? new Date(e.suspendedUntil) : null };
    editors.set(e.id, e.deactivated ? { role: null, allowed: false } : { role: e.noteRole, allowed: can(actor, "note.edit", { id: noteId, role: e.noteRole }) });
  }
  const owners = new Map(row.owners.map((o) => [BigInt(o.clientId), o.userId]));
  return { known, lastVersionAt: row.last_version_at, editors, owners };
}

/** At most this many queued updates of one note go into one transaction. */
const MAX_GROUP = 32;

interface QueuedUpdate {
  userId: string;
  update: Uint8Array;
  resolve(stored: StoredEdit): void;
  reject(error: unknown): void;
}

/**
 * An editor's update, committed. `pending`: updates awaiting compaction; `role`: the editor's
 * role in the note as the transaction read it; `lastVersionAt`: when the latest version was
 * made (null: none), as of the same transaction.
 */
export interface StoredEdit {
  pending: number;
  role: NoteRole;
  lastVersionAt: Date | null;
}

/** Per note, the updates that arrived while this process was storing earlier ones. */
const waiting = new Map<string, QueuedUpdate[]>();

/**
 * Stores an editor's update durably; resolves once committed. The member's right to edit is
 * checked inside the transaction that stores the update (the relay's re-check on every update,
 * docs/decisions/042-socket-memory-and-coediting-cost.md).
 * Group commit per note: while a transaction for the note runs, updates that arrive wait and
 * then go into the next transaction together (one lock, one state-vector read, one permission
 * read, one note row write), instead of one transaction each queueing behind the other
 * (docs/decisions/038-fewer-statements-and-indexes.md). Each still resolves only after its
 * transaction committed, and each fails on its own (`update_incomplete`, `forbidden`) without
 * failing the others; a database error fails the whole group.
 * @throws NoteEditRefusedError (forbidden) when the member may not edit the note
 * @throws MissingDependenciesError (update_incomplete) when the update would not apply fully
 * @throws AppError forbidden (new structs under another member's client id), not_found
 */
export function appendNoteUpdate(noteId: string, userId: string, update: Uint8Array): Promise<StoredEdit> {
  return new Promise((resolve, reject) => {
    const item = { userId, update, resolve, reject };
    const queue = waiting.get(noteId);
    if (queue) return void queue.push(item);
    waiting.set(noteId, []);
    void storeGroup(noteId, [item]);
  });
}

async function storeGroup(noteId: string, group: QueuedUpdate[]): Promise<void> {
  try {
    const { failures, pending, roles, lastVersionAt } = await prisma.$transaction((tx) => storeUpdatesIn(tx, noteId, group, { checkEditors: true }));
    group.forEach((item, i) => (failures[i] ? item.reject(failures[i]) : item.resolve({ pending, role: roles[i]!, lastVersionAt })));
  } catch (error) {
    for (const item of group) item.reject(error);
  }
  const queue = waiting.get(noteId) ?? [];
  if (queue.length === 0) return void waiting.delete(noteId);
  const next = queue.splice(0, MAX_GROUP);
  void storeGroup(noteId, next);
}

/**
 * `appendNoteUpdate` inside the caller's transaction (a restore stores its update and its
 * version together). Also records who wrote it (`recordAuthorship`) and keeps the note's
 * state vector.
 * @throws MissingDependenciesError (update_incomplete) when the update would not apply fully
 * @throws AppError forbidden (new structs under another member's client id), not_found
 */
export async function appendNoteUpdateIn(tx: Prisma.TransactionClient, noteId: string, userId: string, update: Uint8Array): Promise<number> {
  const { failures, pending } = await storeUpdatesIn(tx, noteId, [{ userId, update }]);
  if (failures[0]) throw failures[0];
  return pending;
}

/**
 * Stores updates of one note in order, in the caller's transaction: each is checked against
 * what is stored so far (the earlier ones included). A refused update (an `AppError`, raised
 * before it wrote anything) is reported in `failures` at its index; any other error is thrown.
 * With `checkEditors`, an update whose sender may not edit the note now is refused
 * (`NoteEditRefusedError`); `roles` has each sender's note role as read (null without the check).
 */
async function storeUpdatesIn(
  tx: Prisma.TransactionClient,
  noteId: string,
  updates: { userId: string; update: Uint8Array }[],
  options: { checkEditors?: boolean } = {},
): Promise<{ failures: (AppError | null)[]; pending: number; roles: (NoteRole | null)[]; lastVersionAt: Date | null }> {
  const clientIds = new Set<bigint>();
  for (const { update } of updates) for (const client of Y.parseUpdateMeta(update).from.keys()) clientIds.add(BigInt(client));
  const locked = await lockNote(tx, noteId, options.checkEditors ? [...new Set(updates.map((u) => u.userId))] : [], [...clientIds]);
  let known = locked.known;
  const editors = options.checkEditors ? locked.editors : null;
  let changed = false;
  const failures: (AppError | null)[] = [];
  const roles: (NoteRole | null)[] = [];
  for (const { userId, update } of updates) {
    try {
      const editor = editors?.get(userId);
      roles.push(editor?.role ?? null);
      if (editors && !editor?.allowed) throw new NoteEditRefusedError(editor?.role ?? null);
      if (missingDependencies(known, update)) {
        // The kept vector could lag a writer that stored updates without it: ask the document itself.
        known = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(await loadNoteStateIn(tx, noteId)));
        changed = true;
        if (missingDependencies(known, update)) throw new MissingDependenciesError(Y.encodeStateVector(known));
      }
      const stored = await recordAuthorship(tx, noteId, userId, update, locked.owners);
      // Nothing left once what the server already holds is trimmed off: nothing to store.
      if (!isEmptyUpdate(stored)) {
        // Raw: the hot path's fixed-shape statements skip Prisma 6's per-call query compilation.
        await tx.$executeRaw`INSERT INTO note_updates (note_id, user_id, data) VALUES (${noteId}, ${userId}, ${Buffer.from(stored)})`;
        for (const [client, clock] of Y.parseUpdateMeta(stored).to) if (clock > (known.get(client) ?? 0)) known.set(client, clock);
        changed = true;
      }
      failures.push(null);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failures.push(error);
    }
  }
  // The count in the same statement (it sees this transaction's inserts).
  const count = Prisma.sql`(SELECT count(*)::int FROM note_updates WHERE note_id = ${noteId}) AS pending`;
  const [{ pending }] = changed
    ? await tx.$queryRaw<{ pending: number }[]>`UPDATE notes SET updated_at = ${new Date()}, state_vector = ${Buffer.from(Y.encodeStateVector(known))} WHERE id = ${noteId} RETURNING ${count}`
    : await tx.$queryRaw<{ pending: number }[]>`SELECT ${count}`;
  return { failures, pending, roles, lastVersionAt: locked.lastVersionAt };
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
 * `known`: the owners of the update's client ids as the caller already read them under the note's
 * row lock (client id → member id; a group reads them once for all its updates), kept up to date
 * with the ones recorded here; without it they are read here.
 * @throws AppError forbidden (new structs under a client id of another member)
 */
export async function recordAuthorship(
  tx: Prisma.TransactionClient,
  noteId: string,
  userId: string,
  received: Uint8Array,
  known?: Map<bigint, string>,
): Promise<Uint8Array> {
  let update = received;
  let decoded = Y.decodeUpdate(update);
  let clients = [...new Set(decoded.structs.map((s) => BigInt(s.id.client)))];
  if (clients.length) {
    const owners = known
      ? clients.flatMap((clientId) => (known.has(clientId) ? [{ clientId, userId: known.get(clientId)! }] : []))
      : await tx.$queryRaw<{ clientId: bigint; userId: string }[]>`
          SELECT client_id AS "clientId", user_id AS "userId" FROM note_clients WHERE note_id = ${noteId} AND client_id = ANY(${clients})`;
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
    const owned = new Set(owners.map((o) => o.clientId));
    const fresh = clients.filter((client) => !owned.has(client));
    if (fresh.length) {
      await tx.$executeRaw`INSERT INTO note_clients (note_id, client_id, user_id) VALUES ${Prisma.join(fresh.map((client) => Prisma.sql`(${noteId}, ${client}, ${userId})`))} ON CONFLICT DO NOTHING`;
      for (const client of fresh) known?.set(client, userId);
    }
  }
  const ranges: [number, number, number][] = [];
  for (const [client, items] of decoded.ds.clients) for (const item of items) ranges.push([client, item.clock, item.len]);
  if (ranges.length) await tx.$executeRaw`INSERT INTO note_deletions (note_id, user_id, ranges) VALUES (${noteId}, ${userId}, ${JSON.stringify(ranges)}::jsonb)`;
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

/** The y-protocols "sync step 1" message carrying an encoded state vector (asks for what is beyond it). */
export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
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
