/**
 * The typed Socket.IO contract shared by the server (`server/sockets`) and the browser
 * (`app/realtime/socket.client.ts`), as in Socket.IO's TypeScript guide:
 * `Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>`.
 */
import type { ErrorCode } from "~/utils/errors";

export interface ReplyAuthor {
  id: string;
  displayName: string;
  region: { slug: string; nameEn: string; nameZh: string } | null;
}

/** A reply as every channel shows it; `body` is plain text, paragraphs split by blank lines. */
export interface ReplyView {
  id: string;
  threadId: string;
  body: string;
  createdAt: string;
  author: ReplyAuthor;
}

export type Ack<T = object> = (result: ({ ok: true } & T) | { ok: false; error: ErrorCode }) => void;

export interface ServerToClientEvents {
  /** A reply was committed in a thread whose room this socket joined. `committedAt` is epoch ms. */
  "reply:created": (payload: { reply: ReplyView; committedAt: number }) => void;
  /** How many distinct members have the thread open, across all app processes. */
  "presence:update": (payload: { threadId: string; viewers: number }) => void;
}

export interface ClientToServerEvents {
  "thread:join": (payload: { threadId: string }, ack: Ack<{ viewers: number }>) => void;
  "thread:leave": (payload: { threadId: string }, ack?: Ack) => void;
  /** Same rules as the HTTP reply form: goes through `createReply`. */
  "reply:create": (payload: { threadId: string; body: string }, ack: Ack<{ reply: ReplyView }>) => void;
}

export interface InterServerEvents {
  ping: () => void;
}

export interface SocketData {
  userId: string;
  sessionId: string;
}

export const threadRoom = (threadId: string) => `thread:${threadId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
