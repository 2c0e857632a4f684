/**
 * The co-editing relay: y-protocols sync and awareness messages for `doc:<noteId>` rooms over
 * the tab's one socket. Small named steps, as in Hocuspocus: authorise, load, persist,
 * broadcast, snapshot (compaction). No Y.Doc is kept in memory (docs/decisions/009-coediting.md):
 * step 1 is answered from PostgreSQL, and every update from an editor is stored, then relayed
 * (through the Redis adapter when there are several processes), then acknowledged, so an
 * acknowledged update survives a crash and "saved" in the editor is true. An update that needs
 * changes the server never got is neither stored nor acknowledged: the sender is asked to sync
 * again (its answer fills the gap and is acknowledged).
 */
import type { NoteRole } from "@prisma/client";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { z } from "~/utils/validation";
import {
  appendNoteUpdate,
  isEmptyUpdate,
  loadNoteDoc,
  maybeCompact,
  MissingDependenciesError,
  NoteEditRefusedError,
  type StoredEdit,
  syncStep1Message,
  syncUpdateMessage,
} from "~/models/note-docs.server";
import { maybeAutoVersion } from "~/models/note-history.server";
import {
  awarenessClocks,
  awarenessRemoval,
  CLIENT_IDS_PER_SOCKET,
  mayUseClientId,
  notePresence,
  stampAwarenessUpdate,
} from "~/models/note-presence.server";
import { noteActorAndResource } from "~/models/notes.server";
import { can } from "~/policy.server";
import { docRoom, MAX_DOC_UPDATE_BYTES, type AckResult, type NotePresence } from "~/realtime/events";
import { isAppError, type ErrorCode } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { isOverload, overloaded } from "~/utils/overload.server";
import type { EventHandlers } from "./router";
import type { AppSocket } from "./socket";

const noteId = z.string().min(1).max(40);
/** Binary payloads arrive as Buffer (Node) or ArrayBuffer/Uint8Array. */
const binary = z.custom<Uint8Array | ArrayBuffer>((v) => v instanceof Uint8Array || v instanceof ArrayBuffer).transform((v) => new Uint8Array(v as ArrayBuffer));
const joinPayload = z.object({ noteId });
const syncPayload = z.object({ noteId, message: binary });
const awarenessPayload = z.object({ noteId, update: binary });

type Fail = { ok: false; error: ErrorCode; message?: string };
const fail = (error: ErrorCode, message?: string): Fail => ({ ok: false, error, message });

/** The error code to acknowledge for a failure: its own, `overloaded` for a busy database, else `validation`. */
function failureCode(error: unknown, context: Record<string, unknown>): ErrorCode {
  if (isAppError(error)) return error.code;
  if (isOverload(error)) return overloaded(error, { channel: "socket", ...context }).code;
  return "validation";
}

/** The member's current role, re-read from the database (it can change while a socket is open). */
async function authorise(userId: string, id: string, action: "note.read" | "note.edit") {
  const { actor, resource } = await noteActorAndResource(userId, id);
  return { allowed: can(actor, action, resource), role: resource.role };
}

/** Answers a client's step 1: the updates it lacks (step 2), then the server's state vector (step 1). */
async function load(id: string, decoder: decoding.Decoder): Promise<Uint8Array[]> {
  const doc = await loadNoteDoc(id);
  try {
    const step2 = encoding.createEncoder();
    syncProtocol.readSyncStep1(decoder, step2, doc);
    const step1 = encoding.createEncoder();
    syncProtocol.writeSyncStep1(step1, doc);
    return [encoding.toUint8Array(step2), encoding.toUint8Array(step1)];
  } finally {
    doc.destroy();
  }
}

/**
 * Stores an editor's update durably, re-checking in the same transaction that they may edit
 * (resolves after commit), and schedules compaction if due.
 * @throws NoteEditRefusedError, MissingDependenciesError, AppError (see appendNoteUpdate)
 */
async function persist(id: string, userId: string, update: Uint8Array): Promise<StoredEdit> {
  const stored = await appendNoteUpdate(id, userId, update);
  maybeCompact(id, stored.pending);
  return stored;
}

/** Others are shown this member's role in the note as last read (it can change while they edit). */
function keepRole(socket: AppSocket, noteId: string, role: NoteRole | null): void {
  const joined = sessions.get(socket)?.notes.get(noteId);
  if (joined && role) joined.presence = { ...joined.presence, role };
}

/** Relays a stored update to everyone else in the room, on every process. */
function broadcast(socket: AppSocket, id: string, update: Uint8Array): void {
  socket.to(docRoom(id)).emit("doc:sync", { noteId: id, message: syncUpdateMessage(update) });
}

/** Per note this socket joined: how others see this member, the Yjs client ids it may speak for (checked once each) or may not, and the last awareness clock relayed for each. */
interface JoinedNote {
  presence: NotePresence;
  owned: Set<number>;
  refused: Set<number>;
  clocks: Map<number, number>;
}

/**
 * A socket's co-editing state, made on its first doc event (most sockets never open a note, and
 * pay nothing). `awareness`: awareness updates are relayed in the order they came, though
 * checking a new client id waits on the database.
 */
interface DocSession {
  notes: Map<string, JoinedNote>;
  awareness: Promise<void>;
}
const sessions = new WeakMap<AppSocket, DocSession>();

function sessionOf(socket: AppSocket): DocSession {
  let session = sessions.get(socket);
  if (!session) sessions.set(socket, (session = { notes: new Map(), awareness: Promise.resolve() }));
  return session;
}

/** Relays an awareness update with the server's presence stamped on it (see note-presence.server.ts). */
async function relayAwareness(socket: AppSocket, noteId: string, received: Uint8Array): Promise<void> {
  const joined = sessions.get(socket)?.notes.get(noteId);
  if (!joined || !socket.rooms.has(docRoom(noteId))) return;
  const clocks = awarenessClocks(received);
  if (!clocks) return;
  for (const id of clocks.keys()) {
    if (joined.owned.has(id) || joined.refused.has(id)) continue;
    const mine = joined.owned.size < CLIENT_IDS_PER_SOCKET && (await mayUseClientId(noteId, id, socket.data.userId));
    (mine ? joined.owned : joined.refused).add(id);
    if (!mine) logger.warn({ event: "doc.awareness_refused", noteId, userId: socket.data.userId, clientId: id }, "awareness for another member's client id dropped");
  }
  // The name, roles and colour others see are the server's, whatever the client wrote.
  const update = stampAwarenessUpdate(received, joined.presence, joined.owned);
  if (!update) return;
  // Receivers keep the highest clock they saw for a client (and ignore lower ones).
  for (const [id, clock] of clocks) if (joined.owned.has(id)) joined.clocks.set(id, Math.max(clock, joined.clocks.get(id) ?? 0));
  socket.to(docRoom(noteId)).emit("doc:awareness", { noteId, update });
}

/** Tells the others in the note that this socket's carets are gone. */
function announceDeparture(socket: AppSocket, noteId: string): void {
  const joined = sessions.get(socket)?.notes.get(noteId);
  if (joined?.clocks.size && socket.rooms.has(docRoom(noteId))) {
    socket.to(docRoom(noteId)).emit("doc:awareness", { noteId, update: awarenessRemoval(joined.clocks) });
  }
}

/** A socket is going: its carets leave every note it had open. */
export function leaveDocs(socket: AppSocket): void {
  const session = sessions.get(socket);
  if (session) for (const noteId of session.notes.keys()) announceDeparture(socket, noteId);
}

/** The co-editing events, shared by every socket (server/sockets/router.ts). */
export const docHandlers: Pick<EventHandlers, "doc:join" | "doc:sync" | "doc:awareness" | "doc:leave"> = {
  async "doc:join"(socket, payload, ack) {
    if (typeof ack !== "function") return;
    const parsed = joinPayload.safeParse(payload);
    if (!parsed.success) return ack(fail("validation"));
    try {
      const { allowed, role } = await authorise(socket.data.userId, parsed.data.noteId, "note.read");
      if (!allowed || !role) {
        logger.warn({ event: "authz.refused", userId: socket.data.userId, action: "doc.join", resource: parsed.data.noteId }, "note join refused");
        return ack(fail("not_found"));
      }
      await socket.join(docRoom(parsed.data.noteId));
      const me = await notePresence(socket.data, parsed.data.noteId, role);
      const { notes } = sessionOf(socket);
      const before = notes.get(parsed.data.noteId);
      notes.set(parsed.data.noteId, {
        presence: me,
        owned: before?.owned ?? new Set(),
        refused: before?.refused ?? new Set(),
        clocks: before?.clocks ?? new Map(),
      });
      ack({ ok: true, role, maxUpdateBytes: MAX_DOC_UPDATE_BYTES, me });
    } catch (error) {
      const code = failureCode(error, { event: "doc:join", userId: socket.data.userId });
      if (code === "validation") logger.error({ err: error }, "doc:join failed");
      ack(fail(code));
    }
  },

  async "doc:sync"(socket, payload, ack) {
    const reply = (result: AckResult<{ replies: Uint8Array[] }>) => (typeof ack === "function" ? ack(result) : undefined);
    const parsed = syncPayload.safeParse(payload);
    if (!parsed.success) return reply(fail("validation"));
    const { noteId: id, message } = parsed.data;
    if (!socket.rooms.has(docRoom(id))) return reply(fail("forbidden"));
    if (message.byteLength > MAX_DOC_UPDATE_BYTES + 16) return reply(fail("update_too_large", String(MAX_DOC_UPDATE_BYTES)));
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      if (type === syncProtocol.messageYjsSyncStep1) {
        const { allowed } = await authorise(socket.data.userId, id, "note.read");
        if (!allowed) return reply(fail("forbidden"));
        return reply({ ok: true, replies: await load(id, decoder) });
      }
      if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) return reply(fail("validation"));
      const update = decoding.readVarUint8Array(decoder);
      if (update.byteLength > MAX_DOC_UPDATE_BYTES) return reply(fail("update_too_large", String(MAX_DOC_UPDATE_BYTES)));
      if (isEmptyUpdate(update)) return reply({ ok: true, replies: [] });
      const stored = await persist(id, socket.data.userId, update);
      keepRole(socket, id, stored.role);
      broadcast(socket, id, update);
      // Before the ack, so "saved" also means the automatic version, if one was due, exists
      // (docs/decisions/010-note-history.md); after the broadcast, so others never wait for it.
      await maybeAutoVersion(id, socket.data.userId, stored.lastVersionAt);
      reply({ ok: true, replies: [] });
    } catch (error) {
      if (error instanceof NoteEditRefusedError) {
        // Viewers, commenters and removed members: dropped, not stored, not relayed.
        keepRole(socket, id, error.role);
        logger.warn({ event: "doc.update_refused", userId: socket.data.userId, noteId: id, role: error.role, bytes: message.byteLength }, "note update refused");
        if (!error.role) await socket.leave(docRoom(id));
        return reply(fail("forbidden"));
      }
      if (error instanceof MissingDependenciesError) {
        // Not stored, not relayed, not acknowledged: ask this client for everything beyond what
        // the server holds (sync step 1); its step 2 fills the gap and is acknowledged.
        logger.warn({ event: "doc.update_incomplete", noteId: id, userId: socket.data.userId }, "note update depends on changes the server lacks");
        socket.emit("doc:sync", { noteId: id, message: syncStep1Message(error.stateVector) });
        return reply(fail("update_incomplete"));
      }
      const code = failureCode(error, { event: "doc:sync", noteId: id, userId: socket.data.userId });
      if (code === "validation") logger.warn({ err: error, noteId: id, userId: socket.data.userId }, "doc:sync failed");
      reply(fail(code));
    }
  },

  "doc:awareness"(socket, payload) {
    const parsed = awarenessPayload.safeParse(payload);
    if (!parsed.success || parsed.data.update.byteLength > 64 * 1024) return;
    const { noteId: id, update } = parsed.data;
    const session = sessionOf(socket);
    session.awareness = session.awareness
      .then(() => relayAwareness(socket, id, update))
      .catch((error: unknown) => {
        if (isOverload(error)) overloaded(error, { channel: "socket", event: "doc:awareness", userId: socket.data.userId });
        else logger.warn({ err: error, noteId: id }, "doc:awareness failed");
      });
  },

  async "doc:leave"(socket, payload, ack) {
    const parsed = joinPayload.safeParse(payload);
    if (!parsed.success) return ack?.(fail("validation"));
    // Leaving a note takes this socket's carets out of it for the others.
    announceDeparture(socket, parsed.data.noteId);
    await socket.leave(docRoom(parsed.data.noteId));
    sessions.get(socket)?.notes.delete(parsed.data.noteId);
    ack?.({ ok: true });
  },
};
