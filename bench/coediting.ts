/**
 * P2 co-editing: E editors type into one note at R updates a second each for D seconds over
 * the product's relay (authorise, store in PostgreSQL, relay, acknowledge: server/sockets/docs.ts),
 * beside a bare y-protocols relay over the same Socket.IO transport with no persistence
 * (bench/lib/bare-server.ts), driven by the same client code in the same run. Figures: relay
 * latency (sender's emit → every other editor's receipt, one clock) p50/p99, and server CPU per
 * update (from /proc, the server process). Target: both ≤ 1.2 × bare. Also printed: SQL statements
 * the product sends per message (as bench/lib/app-server.ts counts them; steadier than CPU).
 *
 *   npm run bench:coediting       BENCH_SCALE=smoke|small|full (default full: 20 × 5/s × 60 s)
 *
 * Each editor keeps a Y.Doc, types words into its own paragraph of the note's "default"
 * XmlFragment (as Tiptap's Collaboration extension stores it) and applies what others send. Like
 * the product's NoteProvider, an editor has one update in flight and merges what it typed
 * meanwhile into its next message, on both sides; latency runs from that message's emit, so
 * the product's wait for storage before acknowledging shows as fewer, larger messages.
 *
 * Environment: TEST_DATABASE_URL (admin connection; a scratch database is created and dropped).
 */
import { createHash } from "node:crypto";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { io, type Socket } from "socket.io-client";
import { makeMembers, startApp } from "./lib/app";
import { startBare } from "./lib/bare";
import { atScale, figure, log, now, printTable, processCpuMs, runBenchmark, scratchDatabase, sleep, stats, waitFor } from "./lib/harness";

const EDITORS = 20;
const RATE = 5;
const SECONDS = Number(process.env.BENCH_SECONDS ?? atScale({ smoke: 3, small: 20, full: 60 }));
const WORDS = ["coal", "transition", "煤炭", "转型", "workforce", "retraining", "复垦", "Gillette", "大同", "grid"];

const key = (update: Uint8Array) => createHash("sha1").update(update).digest("base64");

/** `statements`: SQL statements the server has sent so far (the product's; none for the bare relay). */
async function run(name: string, base: string, noteId: string, cookies: (string | undefined)[], serverPid: number, statements: () => Promise<number> = async () => 0) {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  /** Local updates acknowledged / refused (a merged message counts each update it carries). */
  let acked = 0;
  let refused = 0;
  let messages = 0;
  const typedInFlight = new Map<number, number>();
  const editors = await Promise.all(
    cookies.map(async (cookie, e) => {
      const socket: Socket = io(base, { transports: ["websocket"], extraHeaders: { Origin: base, ...(cookie ? { Cookie: cookie } : {}) }, reconnection: false, forceNew: true });
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", (error) => reject(new Error(`socket connect failed: ${error.message}`)));
      });
      const joined = (await socket.timeout(30_000).emitWithAck("doc:join", { noteId })) as { ok: boolean; error?: string };
      if (!joined.ok) throw new Error(`${name}: doc:join refused: ${joined.error}`);
      const doc = new Y.Doc();
      socket.on("doc:sync", ({ message }: { message: ArrayBuffer }) => {
        const decoder = decoding.createDecoder(new Uint8Array(message));
        const type = decoding.readVarUint(decoder);
        if (type !== syncProtocol.messageYjsUpdate && type !== syncProtocol.messageYjsSyncStep2) return;
        const update = decoding.readVarUint8Array(decoder);
        const at = sent.get(key(update));
        if (at !== undefined) latencies.push(now() - at);
        Y.applyUpdate(doc, update, "remote");
      });
      // Sync step 1 → the note as stored (step 2) before typing.
      const step1 = encoding.createEncoder();
      syncProtocol.writeSyncStep1(step1, doc);
      const synced = (await socket.timeout(30_000).emitWithAck("doc:sync", { noteId, message: encoding.toUint8Array(step1) })) as { ok: boolean; replies?: ArrayBuffer[]; error?: string };
      if (!synced.ok) throw new Error(`${name}: sync refused: ${synced.error}`);
      for (const reply of synced.replies ?? []) {
        const decoder = decoding.createDecoder(new Uint8Array(reply));
        if (decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep2) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), "remote");
      }
      // As the product's NoteProvider: one update in flight at a time, what accumulates meanwhile
      // merged into the next (the server needs an update's dependencies stored first).
      const queue: Uint8Array[] = [];
      let inFlight = false;
      const flush = () => {
        if (inFlight || queue.length === 0) return;
        const update = queue.length === 1 ? queue[0] : Y.mergeUpdates(queue);
        typedInFlight.set(e, queue.length);
        queue.length = 0;
        inFlight = true;
        const out = encoding.createEncoder();
        syncProtocol.writeUpdate(out, update);
        sent.set(key(update), now());
        messages++;
        socket
          .timeout(30_000)
          .emitWithAck("doc:sync", { noteId, message: encoding.toUint8Array(out) })
          .then(
            (r: { ok: boolean; error?: string }) => {
              if (r.ok) acked += typedInFlight.get(e)!;
              else {
                refused += typedInFlight.get(e)!;
                log(`${name}: update refused: ${r.error}`);
              }
            },
            () => (refused += typedInFlight.get(e)!),
          )
          .finally(() => {
            inFlight = false;
            flush();
          });
      };
      doc.on("update", (update: Uint8Array, origin: unknown) => {
        if (origin === "remote") return;
        queue.push(update);
        flush();
      });
      const paragraph = new Y.XmlElement("paragraph");
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      doc.getXmlFragment("default").insert(0, [paragraph]);
      return { socket, doc, text, e };
    }),
  );
  await waitFor(() => acked + refused >= EDITORS, 30_000, `${name}: the editors' first paragraphs to be acknowledged`);
  await sleep(500);
  latencies.length = 0;
  acked = refused = messages = 0;
  const statementsStart = await statements();
  const cpuStart = await processCpuMs(serverPid);
  const started = now();
  let typed = 0;
  // Each editor types every 1000/RATE ms, staggered so the updates spread over the second.
  const timers = editors.map(({ text, e }) =>
    setTimeout(() => {
      const typing = setInterval(() => {
        text.insert(text.length, WORDS[(typed++ + e) % WORDS.length] + " ");
      }, 1000 / RATE);
      timers2.push(typing);
    }, (e * 1000) / RATE / EDITORS),
  );
  const timers2: NodeJS.Timeout[] = [];
  await sleep(SECONDS * 1000);
  timers.forEach(clearTimeout);
  timers2.forEach(clearInterval);
  await waitFor(() => acked + refused >= typed, 180_000, `${name}: every update to be acknowledged`);
  await waitFor(() => latencies.length >= messages * (EDITORS - 1), 10_000, `${name}: every update to reach every other editor`).catch((e) => log(String(e)));
  const cpu = (await processCpuMs(serverPid)) - cpuStart;
  const sql = (await statements()) - statementsStart;
  const seconds = (now() - started) / 1000;
  for (const { socket, doc } of editors) {
    socket.disconnect();
    doc.destroy();
  }
  if (refused) throw new Error(`${name}: ${refused} updates refused`);
  const s = stats(latencies);
  log(`${name}: ${typed} updates in ${messages} messages in ${seconds.toFixed(1)} s, ${latencies.length}/${messages * (EDITORS - 1)} receipts, p99 ${s.p99.toFixed(1)} ms, CPU ${(cpu / typed).toFixed(2)} ms/update, ${(sql / messages).toFixed(2)} SQL statements/message`);
  return { ...s, updates: typed, messages, receipts: latencies.length, cpuPerUpdate: cpu / typed, statementsPerMessage: sql / messages };
}

runBenchmark("coediting", { deadlineMs: atScale({ smoke: 60_000, small: 300_000, full: 600_000 }) }, async ({ onCleanup }) => {
  const db = await scratchDatabase("coediting");
  onCleanup(db.drop);
  const app = await startApp({ databaseUrl: db.url });
  onCleanup(app.stop);
  const members = await makeMembers(db.url, EDITORS);
  const { prisma, disconnectPrisma } = await import("~/db.server");
  onCleanup(disconnectPrisma);
  const { runCommand } = await import("~/models/commands.server");
  const owner = { id: members[0].id, role: "member" as const };
  const region = await prisma.region.findFirstOrThrow({ select: { id: true } });
  const { noteId } = (await runCommand("note.create", owner, { title: "Benchmark note: a shared retraining plan", regionIds: [region.id] })) as { noteId: string };
  // Written directly: noteMember.add would also queue an invitation email per editor.
  await prisma.noteMember.createMany({ data: members.slice(1).map((m) => ({ noteId, userId: m.id, role: "editor" as const })) });

  const ours = await run("product", app.base, noteId, members.map((m) => m.cookie), app.pid, async () => (await app.memory()).statements);
  const bare = await startBare();
  onCleanup(bare.stop);
  const anchor = await run("bare relay", bare.base, noteId, members.map(() => undefined), bare.pid);

  printTable(`P2 co-editing: ${EDITORS} editors × ${RATE} updates/s × ${SECONDS} s on one note`, ["relay", "updates", "messages", "receipts", "p50 ms", "p99 ms", "max ms", "server CPU ms/update", "SQL/message"], [
    ["product (stored before relay)", ours.updates, ours.messages, ours.receipts, ours.p50, ours.p99, ours.max, ours.cpuPerUpdate, ours.statementsPerMessage],
    ["bare y-protocols relay (memory)", anchor.updates, anchor.messages, anchor.receipts, anchor.p50, anchor.p99, anchor.max, anchor.cpuPerUpdate, "-"],
  ]);
  const anchorLabel = "bare y-protocols relay over Socket.IO, no persistence";
  return [
    figure("p2-coediting", "p99", "ms", ours.p99, anchor.p99, { target: 1.2, anchorLabel }),
    figure("p2-coediting", "cpu_per_update", "ms", ours.cpuPerUpdate, anchor.cpuPerUpdate, { target: 1.2, anchorLabel }),
    figure("p2-coediting", "p50", "ms", ours.p50, anchor.p50, { anchorLabel }),
  ];
});
