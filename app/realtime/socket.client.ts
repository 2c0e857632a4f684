/**
 * The tab's one Socket.IO connection, created on first use. WebSocket transport only, so a
 * load balancer needs no sticky sessions (see README, "Scaling"). The session cookie
 * authenticates it at the handshake.
 */
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "./events";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: ClientSocket | null = null;
/** The page is already going somewhere (a form posted as a document, e.g. deleting the account). */
let leaving = false;

/** A handshake refused because the database was busy is tried again after this long (plus jitter). */
const BUSY_RETRY_MS = 2000;

/** The tab's socket (created on first use). */
export function getSocket(): ClientSocket {
  if (!socket) {
    const created: ClientSocket = io({ transports: ["websocket"], withCredentials: true });
    socket = created;
    window.addEventListener("beforeunload", () => (leaving = true));
    // The session ended (sign-out elsewhere, "sign out everywhere", suspension): reload so the
    // page shows the signed-out state at once instead of an editor whose posts would fail —
    // unless this page is already on its way to the answer of the request that ended it.
    created.on("session:ended", () => {
      if (!leaving) window.location.reload();
    });
    // A handshake refused by middleware is not retried by Socket.IO itself; one refused only
    // because the database was busy (server/sockets/index.ts) is worth another try.
    created.on("connect_error", (error) => {
      if (error.message !== "overloaded") return;
      setTimeout(() => {
        if (!created.connected && !created.active) created.connect();
      }, BUSY_RETRY_MS * (1 + Math.random()));
    });
  }
  return socket;
}
