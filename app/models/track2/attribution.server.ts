/**
 * Attribution levels (docs/decisions/025-attribution-levels.md): who may learn who said what in a
 * thread. The Chatham House Rule (https://www.chathamhouse.org/about-us/chatham-house-rule):
 * "participants are free to use the information received, but neither the identity nor the
 * affiliation of the speaker(s), nor that of any other participant, may be revealed". Off the
 * record adds that the words themselves stay on the page.
 *
 * A thread follows its dialogue's level unless staff set its own. Each reply records the level it
 * was written under; it is shown under the stricter of that and the thread's current level, so
 * loosening a thread never reveals an earlier author and tightening it hides everyone at once.
 * Pure functions: every presenter (pages, socket events, search, notifications, email) asks here.
 */
import type { AttributionLevel } from "@prisma/client";
import type { ReplyAuthor } from "~/realtime/events";

export const ATTRIBUTION_LEVELS = ["on_record", "chatham_house", "off_the_record"] as const satisfies readonly AttributionLevel[];

const RANK: Record<AttributionLevel, number> = { on_record: 0, chatham_house: 1, off_the_record: 2 };

/** The stricter of two levels. */
export function stricter(a: AttributionLevel, b: AttributionLevel): AttributionLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/** A thread's level now: its own, else its dialogue's, else on the record. */
export function threadLevel(thread: { attributionLevel: AttributionLevel | null; dialogue?: { attributionLevel: AttributionLevel } | null }): AttributionLevel {
  return thread.attributionLevel ?? thread.dialogue?.attributionLevel ?? "on_record";
}

/** The level a reply is shown under: what it was written under, tightened by the thread's now. */
export function replyLevel(written: AttributionLevel, threadNow: AttributionLevel): AttributionLevel {
  return stricter(written, threadNow);
}

/** True when the level keeps speakers anonymous (Chatham House and off the record). */
export function isPseudonymous(level: AttributionLevel): boolean {
  return level !== "on_record";
}

/** Who is reading: a member (their id and whether they are staff), or a room broadcast (`null`). */
export interface Reader {
  id: string | null;
  staff: boolean;
}

/** Everyone in a room: the view that names no one a member may not see. */
export const ROOM: Reader = { id: null, staff: false };

/**
 * How an author appears to a reader under a level: `named` (on the record, or the reader wrote
 * it), `staff_only` (staff see the name, marked as visible to staff only) or `pseudonym`.
 */
export function authorVisibility(reader: Reader, authorId: string, level: AttributionLevel): "named" | "staff_only" | "pseudonym" {
  if (!isPseudonymous(level)) return "named";
  if (reader.id !== null && reader.id === authorId) return "named";
  return reader.staff ? "staff_only" : "pseudonym";
}

/** True when content under this level may leave the page (search, digests, email text, exports). */
export function contentMayLeavePage(level: AttributionLevel): boolean {
  return level !== "off_the_record";
}

/**
 * A reply's author as one reader sees it under `level`: the pseudonym alone (no id, name or
 * region) when they may not learn it; else the author, with the pseudonym's number when the level
 * keeps speakers anonymous and `staffOnly` when only their being staff shows the name.
 */
export function presentAuthor<A extends { id: string; displayName: string }>(
  reader: Reader,
  author: A & { region?: ReplyAuthor["region"] },
  participantNumber: number,
  level: AttributionLevel,
): ReplyAuthor | (A & { participant: number | null; staffOnly: boolean }) {
  const seen = authorVisibility(reader, author.id, level);
  if (seen === "pseudonym") return { id: null, displayName: null, region: null, participant: participantNumber, staffOnly: false };
  return { ...author, participant: isPseudonymous(level) ? participantNumber : null, staffOnly: seen === "staff_only" };
}
