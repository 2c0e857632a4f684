/**
 * The typed Socket.IO contract shared by the server (`server/sockets`) and the browser
 * (`app/realtime/socket.client.ts`), as in Socket.IO's TypeScript guide:
 * `Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>`.
 */
import type { ErrorCode } from "~/utils/errors";
import type { CommandInput, CommandName } from "./commands";

/**
 * A reply's author as one reader may see them. Under the Chatham House Rule a reader who may not
 * learn the author gets `id`, `displayName` and `region` null and only `participant`, the
 * author's stable number in the thread ("Participant 3"); staff get the name with `staffOnly`.
 */
export interface ReplyAuthor {
  id: string | null;
  displayName: string | null;
  region: { slug: string; nameEn: string; nameZh: string } | null;
  /** The pseudonym's number when the reply is held under the Chatham House Rule or off the record. */
  participant: number | null;
  /** The name is shown to this reader only because they are staff. */
  staffOnly: boolean;
}

export type AttributionLevelName = "on_record" | "chatham_house" | "off_the_record";

/**
 * A reply's translation into the other language (docs/decisions/040-translations-of-replies.md).
 * `translator`: who wrote it, under the same attribution rules as authors (null for a machine
 * translation, or a translator whose account was deleted). `outdated`: the original was edited
 * after it was made.
 */
export interface TranslationView {
  language: "en" | "zh";
  html: string;
  text: string;
  kind: "human" | "machine";
  translator: ReplyAuthor | null;
  outdated: boolean;
  updatedAt: string;
}

/** A reply as every channel shows it. `html` is rendered on the server from ProseMirror JSON. */
export interface ReplyView {
  id: string;
  threadId: string;
  postNumber: number;
  html: string;
  text: string;
  createdAt: string;
  editedAt: string | null;
  /** Set only for readers allowed to see a hidden reply (staff, its author). */
  hidden: { reason: string } | null;
  /** `authorName` null with `participant` set: the answered speaker's pseudonym. */
  replyTo: { id: string; postNumber: number; authorName: string | null; participant: number | null } | null;
  author: ReplyAuthor;
  /** The level the reply is shown under. */
  attribution: AttributionLevelName;
  /** The language the reply is written in. */
  language: "en" | "zh";
  /** Its translation into the other language, if any (at most one per language). */
  translations: TranslationView[];
  /** Someone asked for a translation that is not there yet. */
  translationRequested: boolean;
  /**
   * The thread's change number of this reply's latest change (created, edited, hidden,
   * unhidden). A page keeps the highest it has applied per reply and ignores older ones.
   */
  changeSeq: number;
}

/** One change to a thread's replies, as the reader may see it. */
export type ThreadChange =
  | { kind: "upsert"; reply: ReplyView }
  /** Deleted, or hidden from this reader. */
  | { kind: "removed"; replyId: string; changeSeq: number };

/**
 * The catch-up read after a reconnect: every change after the page's change number, oldest
 * first (docs/decisions/014-catch-up-after-reconnect.md). `upTo`: every change up to this
 * number is included or was already seen. `reload`: too many to send; reload the page's data.
 */
export interface ThreadCatchUp {
  upTo: number;
  changes: ThreadChange[];
  reload: boolean;
}

/** A member viewing a thread, as the server knows them from their session. */
export interface Viewer {
  id: string;
  name: string;
  role: SiteRole;
  color: string;
}

export interface ThreadState {
  threadId: string;
  dialogueId: string | null;
  locked: boolean;
  pinned: boolean;
  slowModeSeconds: number;
  deleted: boolean;
}

export type AckResult<T = object> = ({ ok: true } & T) | { ok: false; error: ErrorCode; message?: string };
export type Ack<T = object> = (result: AckResult<T>) => void;

export interface ServerToClientEvents {
  /** A reply was committed in a thread whose room this socket joined. `committedAt` is epoch ms. */
  "reply:created": (payload: { reply: ReplyView; committedAt: number }) => void;
  /** A reply's content changed (edit). */
  "reply:updated": (payload: { reply: ReplyView }) => void;
  /** A reply left the public view (deleted or hidden); drop it. */
  "reply:removed": (payload: { threadId: string; replyId: string; changeSeq: number }) => void;
  /** Lock, pin, slow mode, move or delete changed the thread. */
  "thread:updated": (payload: ThreadState) => void;
  /** Something changed in a thread of a category this socket follows (lists refresh their counts). */
  "category:activity": (payload: { categoryKey: string; threadId: string }) => void;
  /** The member's unread notification count changed. */
  "notifications:count": (payload: { unread: number }) => void;
  /** This tab's session was ended; the server disconnects the socket right after. */
  "session:ended": () => void;
  /**
   * How many distinct members have the thread open, across all app processes, and who the
   * first of them are (names and roles from their sessions, never from a client).
   */
  "presence:update": (payload: { threadId: string; viewers: number; people: Viewer[] }) => void;
  /** A y-protocols sync message (step 1, step 2 or update) for a note this socket joined. */
  "doc:sync": (payload: { noteId: string; message: Uint8Array }) => void;
  /**
   * A y-protocols awareness update (carets, selections) from another member of the note; each
   * state's `user` is the server's NotePresence for the member who sent it.
   */
  "doc:awareness": (payload: { noteId: string; update: Uint8Array }) => void;
  /** The member's role on a note changed (null: removed; the socket has left the note's room). */
  "doc:role": (payload: { noteId: string; role: NoteRoleName | null }) => void;
  /** A comment thread on the note was opened, replied to, resolved, reopened, edited or deleted. */
  "noteComment:changed": (payload: { noteId: string; threadId: string }) => void;
  /** A comment on the case study was posted or deleted (the page reloads its comments). */
  "caseStudyComment:changed": (payload: { caseStudyId: string }) => void;
  /**
   * Cross-process delivery (Redis) was interrupted ("degraded": pages say live updates are
   * unavailable) or is back ("live": pages catch up from the database).
   */
  "realtime:status": (payload: { state: "live" | "degraded" }) => void;
}

export type NoteRoleName = "owner" | "editor" | "commenter" | "viewer";

/**
 * A person in a note as the server describes them (app/models/note-presence.server.ts): the
 * `user` field of every awareness state the relay passes on, whatever the client sent.
 */
export interface NotePresence {
  id: string;
  name: string;
  role: NoteRoleName;
  /** "moderator" or "admin" for site staff, from their session. */
  staff: "moderator" | "admin" | null;
  color: string;
}

type CommandEvents = {
  [N in CommandName]: (input: CommandInput<N>, ack: Ack<{ result: unknown }>) => void;
};

export interface ClientToServerEvents extends CommandEvents {
  /**
   * Joins `thread:<id>` (read permission checked). With `since` (the page's change number) the
   * ack carries the catch-up read: every change after it.
   */
  "thread:join": (payload: { threadId: string; since?: number }, ack: Ack<{ viewers: number; people: Viewer[]; catchUp?: ThreadCatchUp }>) => void;
  "thread:leave": (payload: { threadId: string }, ack?: Ack) => void;
  "category:join": (payload: { categoryKey: string }, ack: Ack) => void;
  "category:leave": (payload: { categoryKey: string }, ack?: Ack) => void;
  /** Joins `caseStudy:<id>` (read permission checked) to hear of new and deleted comments. */
  "caseStudy:join": (payload: { caseStudyId: string }, ack: Ack) => void;
  "caseStudy:leave": (payload: { caseStudyId: string }, ack?: Ack) => void;
  /** The member's unread notification count now (the badge catches up after a reconnect). */
  "notifications:fetch": (payload: Record<string, never>, ack: Ack<{ unread: number }>) => void;
  /**
   * Joins `doc:<noteId>` (read permission checked); the ack gives the member's role and how
   * others see them (`me`: the `user` the relay stamps on their awareness states).
   */
  "doc:join": (payload: { noteId: string }, ack: Ack<{ role: NoteRoleName; maxUpdateBytes: number; me: NotePresence }>) => void;
  /**
   * A y-protocols sync message. Step 1 is answered in the ack (`replies`: step 2, then the
   * server's own step 1); step 2 and updates are stored, then relayed, then acknowledged.
   */
  "doc:sync": (payload: { noteId: string; message: Uint8Array }, ack: Ack<{ replies: Uint8Array[] }>) => void;
  "doc:awareness": (payload: { noteId: string; update: Uint8Array }) => void;
  "doc:leave": (payload: { noteId: string }, ack?: Ack) => void;
}

export interface InterServerEvents {
  ping: () => void;
}

export interface SocketData {
  userId: string;
  sessionId: string;
  /** From the session at the handshake: what others are shown (presence, carets). */
  displayName: string;
  role: SiteRole;
  /** The member's interface language, for the few messages the server words itself. */
  locale: "en" | "zh";
}

export type SiteRole = "member" | "moderator" | "admin";

export const docRoom = (noteId: string) => `doc:${noteId}`;
/** The largest Yjs update one message may carry (a 2 MB paste fits; Socket.IO allows 5 MB). */
export const MAX_DOC_UPDATE_BYTES = 4 * 1024 * 1024;
export const threadRoom = (threadId: string) => `thread:${threadId}`;
/** Staff sockets in a thread also join this room: the names the Chatham House Rule withholds reach them only. */
export const staffThreadRoom = (threadId: string) => `thread-staff:${threadId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const categoryRoom = (categoryKey: string) => `category:${categoryKey}`;
export const caseStudyRoom = (caseStudyId: string) => `caseStudy:${caseStudyId}`;
/** `dialogue:<id>` for a dialogue's threads, `network` for the general category. */
export const categoryKeyOf = (dialogueId: string | null) => (dialogueId ? `dialogue:${dialogueId}` : "network");
