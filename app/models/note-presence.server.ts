/**
 * Who a person is in a note's list of people and on their caret (issue #11, item 7): the name
 * and site role from their session, their role in the note, and a colour the server assigns,
 * distinct within the note. The relay stamps this on every awareness update it passes on
 * (server/sockets/docs.ts), so a client cannot show itself as someone else or as staff, and two
 * people's carets never share a colour. Version history uses the same colours.
 */
import type { NoteRole } from "@prisma/client";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { prisma } from "~/db.server";
import { colourAt } from "~/editor/colours";
import type { NotePresence, SiteRole } from "~/realtime/events";

/**
 * Each member's colour in the note, numbered by when they were added (the owner first), then
 * any `others` (former members who appear in the history), by id. Stable while the members are.
 */
export async function noteColours(noteId: string, others: Iterable<string> = []): Promise<Map<string, string>> {
  const members = await prisma.noteMember.findMany({ where: { noteId }, orderBy: [{ createdAt: "asc" }, { userId: "asc" }], select: { userId: true } });
  const order = members.map((m) => m.userId);
  const known = new Set(order);
  order.push(...[...new Set(others)].filter((id) => !known.has(id)).sort());
  return new Map(order.map((id, index) => [id, colourAt(index)]));
}

/**
 * The member as others in the note see them.
 * @param session who the socket belongs to (from the session, SocketData)
 */
export async function notePresence(session: { userId: string; displayName: string; role: SiteRole }, noteId: string, role: NoteRole): Promise<NotePresence> {
  const colours = await noteColours(noteId, [session.userId]);
  return {
    id: session.userId,
    name: session.displayName,
    role,
    staff: session.role === "member" ? null : session.role,
    color: colours.get(session.userId)!,
  };
}

/** At most this many Yjs client ids per socket and note (a page that rebuilds its editor gets a new one). */
export const CLIENT_IDS_PER_SOCKET = 8;

/**
 * The client ids an awareness update (y-protocols: count, then per state id, clock, JSON)
 * speaks for, with their clocks; null if malformed.
 */
export function awarenessClocks(update: Uint8Array): Map<number, number> | null {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const clocks = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      clocks.set(clientId, decoding.readVarUint(decoder));
      decoding.readVarString(decoder);
    }
    return clocks;
  } catch {
    return null;
  }
}

/**
 * The awareness update saying these clients left (each state null at its last clock, which
 * y-protocols applies as a removal): sent for a socket that disconnects without saying so (a
 * closed tab, a reload, a lost network), so its caret does not linger for awareness's 30 s.
 */
export function awarenessRemoval(clocks: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clocks.size);
  for (const [clientId, clock] of clocks) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, "null");
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Whether `userId` may speak for Yjs client id `clientId` in the note: not when the id already
 * wrote to the note as another member (note_clients, first writer wins), so no one can move or
 * rename another person's caret.
 */
export async function mayUseClientId(noteId: string, clientId: number, userId: string): Promise<boolean> {
  const owner = await prisma.noteClient.findUnique({ where: { noteId_clientId: { noteId, clientId: BigInt(clientId) } }, select: { userId: true } });
  return !owner || owner.userId === userId;
}

/**
 * An awareness update as the relay passes it on: only the states of client ids in `allowed`,
 * each with its `user` replaced by `presence` (a state set to null, someone leaving, passes as
 * it is). Returns null when nothing is left or the update is malformed.
 */
export function stampAwarenessUpdate(update: Uint8Array, presence: NotePresence, allowed: ReadonlySet<number>): Uint8Array | null {
  const states: { clientId: number; clock: number; json: string }[] = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state: unknown = JSON.parse(decoding.readVarString(decoder));
      if (!allowed.has(clientId)) continue;
      if (state === null) states.push({ clientId, clock, json: "null" });
      else if (typeof state === "object" && !Array.isArray(state)) states.push({ clientId, clock, json: JSON.stringify({ ...state, user: presence }) });
    }
  } catch {
    return null;
  }
  if (!states.length) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, states.length);
  for (const { clientId, clock, json } of states) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}
