/**
 * The tab's one Socket.IO connection, created on first use. WebSocket transport only, so a
 * load balancer needs no sticky sessions (see README, "Scaling"). The session cookie
 * authenticates it at the handshake.
 */
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "./events";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: ClientSocket | null = null;

export function getSocket(): ClientSocket {
  if (!socket) {
    socket = io({ transports: ["websocket"], withCredentials: true });
    // The session ended (sign-out elsewhere, "sign out everywhere", suspension): reload so the
    // page shows the signed-out state at once instead of an editor whose posts would fail.
    socket.on("session:ended", () => window.location.reload());
  }
  return socket;
}
