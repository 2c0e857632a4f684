/** Hand-made y-protocols messages, for tests that forge what a client sends. */
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";

/** A y-protocols "update" sync message carrying `update`. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}
