/**
 * Socket.IO clients as the browser makes them: WebSocket transport, the session cookie and the
 * page's Origin in the handshake. Waiting is event-driven with generous timeouts; nothing here
 * measures time.
 */
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "~/realtime/events";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const EVENT_TIMEOUT_MS = 10_000;

export interface SocketOptions {
  /** A Cookie header value (`crn_session=…`); leave out for a signed-out client. */
  cookie?: string;
  /** Defaults to the server's own origin; `null` sends none. */
  origin?: string | null;
  /** More handshake headers (e.g. what a reverse proxy adds: X-Forwarded-Proto). */
  headers?: Record<string, string>;
  /**
   * Reconnect by itself after the connection drops, as the browser's socket does (default:
   * no; tests that drop a connection call `socket.connect()` when they want it back).
   */
  reconnection?: boolean;
}

function openSocket(baseUrl: string, options: SocketOptions): ClientSocket {
  const origin = options.origin === undefined ? new URL(baseUrl).origin : options.origin;
  const extraHeaders: Record<string, string> = { ...options.headers };
  if (options.cookie) extraHeaders.cookie = options.cookie;
  if (origin !== null) extraHeaders.origin = origin;
  return io(baseUrl, {
    transports: ["websocket"],
    extraHeaders,
    reconnection: options.reconnection ?? false,
    forceNew: true,
    timeout: EVENT_TIMEOUT_MS,
  });
}

/** Connects and waits for `connect`; rejects with the connect_error. */
export function connectSocket(baseUrl: string, options: SocketOptions): Promise<ClientSocket> {
  const socket = openSocket(baseUrl, options);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Tries to connect and resolves with the connect_error; fails if the connection is accepted. */
export function connectError(baseUrl: string, options: SocketOptions): Promise<Error> {
  const socket = openSocket(baseUrl, options);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.close();
      reject(new Error("the server accepted a connection it should have refused"));
    });
    socket.once("connect_error", (error) => {
      socket.close();
      resolve(error);
    });
  });
}

type JoinAck = Parameters<Parameters<ClientToServerEvents["thread:join"]>[1]>[0];

/** Emits `thread:join` and resolves with the server's ack. */
export function joinThread(socket: ClientSocket, threadId: unknown): Promise<JoinAck> {
  return socket.timeout(EVENT_TIMEOUT_MS).emitWithAck("thread:join", { threadId } as { threadId: string });
}

/** Collects every `event` a socket receives, from now on, and waits for a matching one. */
export class EventRecorder<E extends keyof ServerToClientEvents> {
  readonly events: Parameters<ServerToClientEvents[E]>[0][] = [];
  private waiters: { match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean; resolve: (payload: Parameters<ServerToClientEvents[E]>[0]) => void }[] = [];

  constructor(socket: ClientSocket, event: E) {
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      this.events.push(payload);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(payload)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(payload);
        }
      }
    };
    (socket.on as (event: string, listener: (payload: unknown) => void) => void)(event, listener as (payload: unknown) => void);
  }

  /** The first event (already received or still to come) that matches. */
  waitFor(
    match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
    timeoutMs = EVENT_TIMEOUT_MS,
  ): Promise<Parameters<ServerToClientEvents[E]>[0]> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no matching event within ${timeoutMs} ms; received: ${JSON.stringify(this.events).slice(0, 1000)}`));
      }, timeoutMs);
      const done = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
        clearTimeout(timer);
        resolve(payload);
      };
      this.waiters.push({ match, resolve: done });
    });
  }
}

export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): EventRecorder<E> {
  return new EventRecorder(socket, event);
}

/** Resolves when the socket is disconnected, with the reason. */
export function waitForDisconnect(socket: ClientSocket, timeoutMs = EVENT_TIMEOUT_MS): Promise<string> {
  if (socket.disconnected) return Promise.resolve("already disconnected");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Resolves on the socket's next `connect` (after `socket.connect()` or an automatic reconnect). */
export function waitForConnect(socket: ClientSocket, timeoutMs = EVENT_TIMEOUT_MS): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket not connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function closeSockets(...sockets: (ClientSocket | undefined)[]): void {
  for (const socket of sockets) socket?.close();
}

/** Every server → client event a socket receives from now on (presence counts left out). */
export class AllEvents {
  readonly events: { event: string; payload: unknown }[] = [];
  private waiters: { match: (event: string, payload: unknown) => boolean; resolve: () => void }[] = [];

  constructor(socket: ClientSocket, private readonly ignore: string[] = ["presence:update"]) {
    socket.onAny((event: string, payload: unknown) => {
      if (this.ignore.includes(event)) return;
      this.events.push({ event, payload });
      for (const waiter of [...this.waiters]) {
        if (waiter.match(event, payload)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }

  clear(): void {
    this.events.length = 0;
  }

  /** Resolves with the index of the first matching event (received or still to come). */
  waitFor(match: (event: string, payload: unknown) => boolean, timeoutMs = EVENT_TIMEOUT_MS): Promise<number> {
    const index = this.events.findIndex((e) => match(e.event, e.payload));
    if (index >= 0) return Promise.resolve(index);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no matching event within ${timeoutMs} ms; received: ${JSON.stringify(this.events).slice(0, 1000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(this.events.findIndex((e) => match(e.event, e.payload)));
      };
      this.waiters.push({ match, resolve: done });
    });
  }
}

/** Emits `category:join` (`network` or `dialogue:<id>`) and resolves with the ack. */
export function joinCategory(socket: ClientSocket, categoryKey: string) {
  return socket.timeout(EVENT_TIMEOUT_MS).emitWithAck("category:join", { categoryKey });
}
