/**
 * Cutting text people wrote for excerpts, snippets, notifications, subjects and lists. A cut
 * falls only between user-perceived characters (extended grapheme clusters, Unicode UAX #29, via
 * `Intl.Segmenter`): never inside a surrogate pair (half an emoji), a combining sequence (é as
 * e + U+0301), a ZWJ emoji family or a flag. Lengths are in UTF-16 code units, like JavaScript's
 * `length` and the database limits that use it.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
/** A grapheme cluster longer than this many code units is cut through (abusive "zalgo" text). */
const LONGEST_CLUSTER = 64;
export const ELLIPSIS = "…";

/**
 * The longest prefix of `text` of at most `max` code units that ends on a grapheme boundary.
 * @param max a non-negative integer
 */
export function cutAtGrapheme(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  let end = 0;
  // Boundaries up to `max` need only what follows them closely: segment a prefix, not the text.
  for (const { index, segment } of graphemes.segment(text.slice(0, max + LONGEST_CLUSTER))) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/**
 * `text` in at most `max` code units: as it is when it fits; otherwise cut on a grapheme
 * boundary, trailing spaces dropped, and an ellipsis (counted in `max`) added.
 * @param max at least 1
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${cutAtGrapheme(text, Math.max(0, max - ELLIPSIS.length)).trimEnd()}${ELLIPSIS}`;
}

/**
 * The part of `text` from code unit `start` to `end`, both moved inwards to grapheme boundaries
 * (start forward, end backward), for a snippet around a match. Empty (at the first boundary
 * after `start`) when no whole character lies between them.
 */
export function sliceAtGraphemes(text: string, start: number, end: number): { text: string; start: number; end: number } {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  let first = from;
  if (from > 0) {
    // The boundary at or after `from`: segment from a little earlier so `from` is in context.
    const base = Math.max(0, from - LONGEST_CLUSTER);
    first = to;
    for (const { index } of graphemes.segment(text.slice(base, to + LONGEST_CLUSTER))) {
      if (base + index >= from) {
        first = base + index;
        break;
      }
    }
  }
  if (first >= to) return { text: "", start: first, end: first };
  const piece = cutAtGrapheme(text.slice(first), to - first);
  return { text: piece, start: first, end: first + piece.length };
}
