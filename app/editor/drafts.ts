/**
 * Unsent reply drafts, kept in the browser's localStorage so a reload, a language switch (which
 * reloads the page) or a closed tab does not lose what was typed, as Discourse keeps composer
 * drafts. One draft per key (e.g. `reply:<threadId>`), as `{ doc, savedAt }` (ProseMirror JSON,
 * epoch ms); drafts older than DRAFT_MAX_AGE_MS are dropped when read. Storage can be full or
 * disabled (private windows): every function then quietly does nothing.
 */
import type { JSONContent } from "@tiptap/core";

/** A week, in milliseconds. */
export const DRAFT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const PREFIX = "crn:draft:v1:";

/** The saved draft for `key`, or null (none, expired, unreadable, or no storage). */
export function readDraft(key: string): JSONContent | null {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as { doc?: JSONContent; savedAt?: number };
    if (!parsed.doc || parsed.doc.type !== "doc" || typeof parsed.savedAt !== "number" || Date.now() - parsed.savedAt > DRAFT_MAX_AGE_MS) {
      window.localStorage.removeItem(PREFIX + key);
      return null;
    }
    return parsed.doc;
  } catch {
    return null;
  }
}

/** Saves the draft for `key`; `null` (an empty editor) removes it. */
export function writeDraft(key: string, doc: JSONContent | null): void {
  try {
    if (doc === null) window.localStorage.removeItem(PREFIX + key);
    else window.localStorage.setItem(PREFIX + key, JSON.stringify({ doc, savedAt: Date.now() }));
  } catch {
    // Full or disabled storage: the draft is simply not kept.
  }
}

/** Forgets the draft for `key` (after it was posted, or when the member discards it). */
export function discardDraft(key: string): void {
  writeDraft(key, null);
}
