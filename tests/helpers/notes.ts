/**
 * Policy-note test clients: the app's own NoteProvider around a Y.Doc, on a socket.io-client
 * connection with the member's session cookie and the site's Origin, as a browser connects;
 * plus hand-made y-protocols messages for tests that forge what a client sends.
 */
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { NOTE_FIELD } from "~/editor/note-schema";
import { NoteProvider } from "~/realtime/note-provider";
import { connectSocket, type ClientSocket } from "./sockets";

/** A y-protocols "update" sync message carrying `update`. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export interface NoteClient {
  doc: Y.Doc;
  provider: NoteProvider;
  socket: ClientSocket;
  /** The note's body (the fragment the editor binds to). */
  fragment: Y.XmlFragment;
  close(): void;
}

/**
 * Opens the note for the member with `cookie` and resolves once synced. Pass `socket` to use one
 * already connected (e.g. with an event recorder attached before the sync).
 */
export async function openNoteClient(baseUrl: string, cookie: string, noteId: string, options: { socket?: ClientSocket } = {}): Promise<NoteClient> {
  const socket = options.socket ?? (await connectSocket(baseUrl, { cookie }));
  const doc = new Y.Doc();
  const provider = new NoteProvider(socket, noteId, doc);
  await provider.whenSynced();
  return { doc, socket, provider, fragment: doc.getXmlFragment(NOTE_FIELD), close: () => (provider.destroy(), socket.close(), doc.destroy()) };
}

/** Waits (polling every 20 ms, at most 10 s) until `check()` holds; `what` names it in the timeout error. */
export async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A paragraph holding `text`, as Tiptap's Collaboration writes it. */
export function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}
