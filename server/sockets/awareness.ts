/**
 * Carets and presence leave with their socket. The relay keeps no awareness state, so when a
 * tab closes without saying goodbye — or the server ends a session (sign-out everywhere,
 * suspension, deactivation, account deletion, password change) — the others would keep its
 * caret and name until y-protocols' 30-second timeout. This remembers which awareness client
 * ids (and clocks) each socket announced per note, and when the socket disconnects or leaves
 * the note, tells the room those clients are gone (state `null`, as y-protocols'
 * `removeAwarenessStates` encodes it).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { docRoom } from "~/realtime/events";
import type { AppSocket } from "./threads";

/** socket → note id → awareness client id → last clock seen. */
const announced = new WeakMap<AppSocket, Map<string, Map<number, number>>>();

/**
 * Records the clients an awareness update from this socket speaks for (ignores a malformed one;
 * the relay forwards it unchanged either way).
 */
export function rememberAwareness(socket: AppSocket, noteId: string, update: Uint8Array): void {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > 64) return;
    let notes = announced.get(socket);
    if (!notes) announced.set(socket, (notes = new Map()));
    let clients = notes.get(noteId);
    if (!clients) notes.set(noteId, (clients = new Map()));
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      if (state === "null") clients.delete(clientId);
      else if (clients.size < 16) clients.set(clientId, clock);
    }
  } catch {
    // Not an awareness update: nothing to remember.
  }
}

/** An awareness update removing these clients: each with its last clock and the state `null`. */
function removalUpdate(clients: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clients.size);
  for (const [clientId, clock] of clients) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock + 1);
    encoding.writeVarString(encoder, "null");
  }
  return encoding.toUint8Array(encoder);
}

/** Tells the note's room (or every note's, without `noteId`) that this socket's carets are gone. */
export function forgetAwareness(socket: AppSocket, noteId?: string): void {
  const notes = announced.get(socket);
  if (!notes) return;
  for (const [id, clients] of notes) {
    if (noteId !== undefined && id !== noteId) continue;
    if (clients.size > 0) socket.to(docRoom(id)).emit("doc:awareness", { noteId: id, update: removalUpdate(clients) });
    notes.delete(id);
  }
}
