/**
 * Comment anchors on a policy note (browser, server and tests alike): a range of the note's text
 * kept as two Yjs relative positions, so it follows concurrent edits made anywhere in the note.
 *
 * The browser makes them from the editor's selection with y-tiptap's
 * `absolutePositionToRelativePosition(pos, fragment, binding.mapping)` and resolves them back with
 * `relativePositionToAbsolutePosition`; the server (and tests) do the same against a ProseMirror
 * document built from the stored Y.Doc with `initProseMirrorDoc`, using the editor's own schema.
 * On the wire and in the database an anchor is `Y.encodeRelativePosition` bytes (base64 in JSON).
 */
import {
  absolutePositionToRelativePosition,
  initProseMirrorDoc,
  relativePositionToAbsolutePosition,
} from "@tiptap/y-tiptap";
import { fromBase64, toBase64 } from "lib0/buffer";
import * as Y from "yjs";
import { NOTE_FIELD, noteExtensions, noteSchema } from "./note-schema";

export { NOTE_FIELD, noteExtensions, noteSchema };

/** The largest encoded relative position accepted (a real one is 10–40 bytes). */
export const MAX_ANCHOR_BYTES = 256;
/** Base64 of MAX_ANCHOR_BYTES bytes. */
export const MAX_ANCHOR_CHARS = Math.ceil(MAX_ANCHOR_BYTES / 3) * 4;
/** y-tiptap's Y type → ProseMirror node(s) map (a binding's `mapping`). */
export type ProsemirrorMapping = Parameters<typeof absolutePositionToRelativePosition>[2];
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Base64 of `Y.encodeRelativePosition(position)`. */
export function encodeAnchor(position: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(position));
}

/**
 * Decodes an anchor; null when it is not well-formed base64, larger than MAX_ANCHOR_BYTES, does
 * not decode as a relative position, or does not re-encode to the same bytes (trailing junk).
 */
export function decodeAnchor(value: string | Uint8Array): Y.RelativePosition | null {
  let bytes: Uint8Array;
  if (typeof value === "string") {
    if (value.length === 0 || value.length > MAX_ANCHOR_CHARS || !BASE64.test(value)) return null;
    try {
      bytes = fromBase64(value);
    } catch {
      return null;
    }
  } else {
    bytes = value;
  }
  if (bytes.length === 0 || bytes.length > MAX_ANCHOR_BYTES) return null;
  try {
    const position = Y.decodeRelativePosition(bytes);
    if (!position.item && !position.tname && !position.type) return null;
    const again = Y.encodeRelativePosition(position);
    if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) return null;
    return position;
  } catch {
    return null;
  }
}

/** The two anchors of the ProseMirror range `from`–`to` (from < to) of a bound editor. */
export function anchorsFromRange(fragment: Y.XmlFragment, mapping: ProsemirrorMapping, from: number, to: number) {
  return {
    anchorStart: encodeAnchor(absolutePositionToRelativePosition(from, fragment, mapping)),
    anchorEnd: encodeAnchor(absolutePositionToRelativePosition(to, fragment, mapping)),
  };
}

/**
 * Where a comment's range is now, as ProseMirror positions; null when the commented text was
 * removed (an end no longer resolves, or the range collapsed to nothing).
 */
export function resolveAnchorRange(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  mapping: ProsemirrorMapping,
  start: Y.RelativePosition,
  end: Y.RelativePosition,
): { from: number; to: number } | null {
  const from = relativePositionToAbsolutePosition(doc, fragment, start, mapping);
  const to = relativePositionToAbsolutePosition(doc, fragment, end, mapping);
  if (from === null || to === null || from >= to) return null;
  return { from, to };
}

/**
 * Resolves anchors against a whole Y.Doc (the stored note, on the server; a test client's doc):
 * for each pair, the range and the text it covers now, or null when that text was removed.
 */
export function resolveAnchorsInDoc(
  doc: Y.Doc,
  anchors: { start: Uint8Array | string; end: Uint8Array | string }[],
): ({ from: number; to: number; text: string } | null)[] {
  const fragment = doc.getXmlFragment(NOTE_FIELD);
  const { doc: pmDoc, mapping } = initProseMirrorDoc(fragment, noteSchema());
  return anchors.map(({ start, end }) => {
    const a = decodeAnchor(start);
    const b = decodeAnchor(end);
    if (!a || !b) return null;
    const range = resolveAnchorRange(doc, fragment, mapping, a, b);
    if (!range || range.to > pmDoc.content.size) return null;
    const text = pmDoc.textBetween(range.from, range.to, "\n");
    return text.length ? { ...range, text } : null;
  });
}
