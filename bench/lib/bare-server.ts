/**
 * The bare anchors for P2 and P5, started as a child process by bench/lib/bare.ts: a plain
 * Socket.IO server (WebSocket only, as the product) with no authentication, no database and no
 * adapter, that
 *  - accepts plain connections and joins a socket to a room on `thread:join` (P5's anchor);
 *  - relays y-protocols sync messages for `doc:<id>` rooms with one in-memory Y.Doc per room and
 *    no persistence, the way y-websocket's example server does (P2's anchor): step 1 answered
 *    from memory, an update applied, broadcast to the room, acknowledged.
 * Event names and payloads are the product's, so the same client code drives both.
 * IPC in: { type: "memory", seq } | { type: "stop" }; out: { type: "ready", port } | { type: "memory", seq, heapUsed, rss }.
 */
import http from "node:http";
import { Server } from "socket.io";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

const send = (message: object) => process.send?.(message);
const httpServer = http.createServer();
const io = new Server(httpServer, { transports: ["websocket"], serveClient: false });
const docs = new Map<string, Y.Doc>();
const docFor = (id: string) => {
  let doc = docs.get(id);
  if (!doc) docs.set(id, (doc = new Y.Doc()));
  return doc;
};

io.on("connection", (socket) => {
  socket.on("thread:join", async (payload: { threadId: string }, ack?: (r: object) => void) => {
    await socket.join(`thread:${payload.threadId}`);
    ack?.({ ok: true });
  });
  socket.on("doc:join", async (payload: { noteId: string }, ack?: (r: object) => void) => {
    await socket.join(`doc:${payload.noteId}`);
    ack?.({ ok: true, role: "editor", maxUpdateBytes: 4 * 1024 * 1024, me: null });
  });
  socket.on("doc:sync", (payload: { noteId: string; message: Uint8Array }, ack?: (r: object) => void) => {
    const doc = docFor(payload.noteId);
    const decoder = decoding.createDecoder(new Uint8Array(payload.message));
    const type = decoding.readVarUint(decoder);
    if (type === syncProtocol.messageYjsSyncStep1) {
      const step2 = encoding.createEncoder();
      syncProtocol.readSyncStep1(decoder, step2, doc);
      const step1 = encoding.createEncoder();
      syncProtocol.writeSyncStep1(step1, doc);
      return ack?.({ ok: true, replies: [encoding.toUint8Array(step2), encoding.toUint8Array(step1)] });
    }
    const update = decoding.readVarUint8Array(decoder);
    Y.applyUpdate(doc, update);
    const out = encoding.createEncoder();
    syncProtocol.writeUpdate(out, update);
    socket.to(`doc:${payload.noteId}`).emit("doc:sync", { noteId: payload.noteId, message: encoding.toUint8Array(out) });
    ack?.({ ok: true, replies: [] });
  });
});

process.on("message", (message: { type: string; seq?: number }) => {
  if (message.type === "stop") {
    io.close();
    process.exit(0);
  }
  if (message.type === "memory") {
    global.gc?.();
    global.gc?.();
    const m = process.memoryUsage();
    send({ type: "memory", seq: message.seq, heapUsed: m.heapUsed, rss: m.rss });
  }
});
process.on("disconnect", () => process.exit(0));
httpServer.listen(0, "127.0.0.1", () => send({ type: "ready", port: (httpServer.address() as { port: number }).port }));
