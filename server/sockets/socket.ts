/** The server's socket type: the typed events both ways and what the handshake put in `socket.data`. */
import type { Socket } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "~/realtime/events";

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
