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

export function getSocket(): ClientSocket {
  if (!socket) {
    socket = io({ transports: ["websocket"], withCredentials: true });
    window.addEventListener("beforeunload", () => (leaving = true));
    // The session ended (sign-out elsewhere, "sign out everywhere", suspension): reload so the
    // page shows the signed-out state at once instead of an editor whose posts would fail —
    // unless this page is already on its way to the answer of the request that ended it.
    socket.on("session:ended", () => {
      if (!leaving) window.location.reload();
    });
  }
  return socket;
}
