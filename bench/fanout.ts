/**
 * P1 fan-out: how long a new reply takes to reach every open page of a thread through the
 * product's real path (HTTP form action → transaction → publish after commit → Socket.IO room),
 * beside a bare `io.to(room).emit(...)` of an identical payload from the same server to the same
 * sockets, in one run with the two kinds of event interleaved. Target: p99 ≤ 1.2 × bare.
 *
 *   npm run bench:fanout          BENCH_SCALE=smoke|small|full (default full)
 *
 * Replies are posted by several members in turn (POSTERS), as a browser without JavaScript
 * would: the form POST, then a GET of whatever address the answer redirects to. The real rate
 * limit (10 replies a member a minute) stays on. A reply is recognised on the sockets by its
 * unique text, so nothing depends on the shape of the redirect.
 *
 * Latency = the client's receipt time − the event's `committedAt`, both read as
 * `performance.timeOrigin + performance.now()` (epoch ms) in their own process on this machine.
 *
 * Environment: TEST_DATABASE_URL (admin connection; a scratch database is created and dropped),
 * TEST_REDIS_URL (when set the server uses the Socket.IO Redis adapter; BENCH_REDIS=0 turns that
 * off), BENCH_CLIENTS, BENCH_EVENTS, BENCH_GAP_MS (250).
 */
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ReplyView, ServerToClientEvents } from "~/realtime/events";
import { makeMembers, startApp, type AppProcess } from "./lib/app";
import { atScale, figure, inBatches, log, now, printTable, runBenchmark, scratchDatabase, sleep, stats, waitFor } from "./lib/harness";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? atScale({ smoke: 50, small: 1000, full: 1000 }));
const EVENTS = Number(process.env.BENCH_EVENTS ?? atScale({ smoke: 5, small: 15, full: 40 }));
const WARMUP = atScale({ smoke: 1, small: 3, full: 3 });
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 250);
/** Enough posters that none reaches the limit of 10 replies a minute at one post per GAP_MS × 2. */
const POSTERS = 12;
const CONNECT_BATCH = 50;
const EVENT_TIMEOUT_MS = 20_000;
const redisUrl = process.env.BENCH_REDIS === "0" ? undefined : process.env.TEST_REDIS_URL || undefined;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

runBenchmark("fanout", { deadlineMs: atScale({ smoke: 60_000, small: 300_000, full: 600_000 }) }, async ({ onCleanup }) => {
  const db = await scratchDatabase("fanout");
  onCleanup(db.drop);
  const server: AppProcess = await startApp({ databaseUrl: db.url, redisUrl });
  onCleanup(server.stop);
  const base = server.base;
  log(`server ${base} (Socket.IO adapter: ${redisUrl ? "Redis" : "in-memory"})`);

  const members = await makeMembers(db.url, CLIENTS + POSTERS);
  const { prisma, disconnectPrisma } = await import("~/db.server");
  onCleanup(disconnectPrisma);
  const thread = await prisma.thread.findFirstOrThrow({ select: { id: true } });
  const readers = members.slice(0, CLIENTS);
  const posters = members.slice(CLIENTS);

  const sockets: ClientSocket[] = [];
  onCleanup(() => sockets.forEach((s) => s.disconnect()));
  const latencies = new Map<string, number[]>();
  const idByText = new Map<string, string>();
  let template: ReplyView | undefined;
  let lastPresenceAt = now();
  let lastViewers = 0;
  const connectStart = Date.now();
  await inBatches(readers, CONNECT_BATCH, async ({ cookie }) => {
    const socket: ClientSocket = io(base, {
      transports: ["websocket"],
      extraHeaders: { Cookie: cookie, Origin: base },
      reconnection: false,
      forceNew: true,
      timeout: 20_000,
    });
    sockets.push(socket);
    socket.on("reply:created", ({ reply, committedAt }) => {
      const latency = now() - committedAt;
      if (!idByText.has(reply.text)) idByText.set(reply.text, reply.id);
      template ??= reply;
      const list = latencies.get(reply.id);
      if (list) list.push(latency);
      else latencies.set(reply.id, [latency]);
    });
    socket.on("presence:update", ({ viewers }) => {
      lastPresenceAt = now();
      lastViewers = viewers;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (error) => reject(new Error(`socket connect failed: ${error.message}`)));
    });
    const joined = await socket.timeout(30_000).emitWithAck("thread:join", { threadId: thread.id });
    if (!joined.ok) throw new Error(`thread:join refused: ${joined.error}`);
  });
  // Each join broadcasts a presence update to the room; let that settle before measuring.
  await waitFor(() => now() - lastPresenceAt > 1000, 120_000, "presence updates to settle");
  log(`${sockets.length} sockets connected and joined in ${((Date.now() - connectStart) / 1000).toFixed(1)} s; the room reports ${lastViewers} viewers`);

  const collect = (id: string) => waitFor(() => (latencies.get(id)?.length ?? 0) >= CLIENTS, EVENT_TIMEOUT_MS, `event ${id} to reach ${CLIENTS} clients`);

  // The product's path: the reply form, then its redirect, as a browser without JavaScript.
  let posted = 0;
  const postReply = async (): Promise<string> => {
    const n = posted++;
    const poster = posters[n % posters.length];
    const text = `Benchmark reply ${n}: how Gillette and Datong retrain their workforce.`;
    const headers = { Origin: base, Cookie: poster.cookie };
    const response = await fetch(`${base}/threads/${thread.id}`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ body: text }),
      redirect: "manual",
    });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || !location) throw new Error(`the reply form answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    await waitFor(() => idByText.has(text), EVENT_TIMEOUT_MS, `reply ${n} to reach a client`);
    const id = idByText.get(text)!;
    await collect(id);
    // Then the page the form redirects to (after the fan-out, so that page's rendering is not
    // counted against the broadcast it would otherwise overlap with).
    const page = await fetch(new URL(location, base), { headers });
    if (!page.ok) throw new Error(`the reply form's redirect to ${location} answered ${page.status}`);
    await page.arrayBuffer();
    return id;
  };
  // The anchor: a bare emit, from the same server to the same room, of a payload identical to a
  // reply the product broadcast (same author, body and size; only the id differs).
  let emittedBare = 0;
  const bareEmit = async (): Promise<string> => {
    const seq = emittedBare++;
    const id = `bare${String(seq).padStart(4, "0")}${template!.id.slice(8)}`; // same length as a real id
    await server.bareEmit(thread.id, { ...template!, id, text: `${template!.text} ${id}` });
    return id;
  };

  // After the warm-up events, HTTP and bare events alternate, so both see the same conditions
  // (a second phase run after a first measured slower on this machine, whichever mode it was).
  type Mode = "http" | "bare";
  const schedule: { mode: Mode; measured: boolean }[] = [];
  for (let i = 0; i < WARMUP; i++) schedule.push({ mode: "http", measured: false });
  for (let i = 0; i < WARMUP; i++) schedule.push({ mode: "bare", measured: false });
  for (let i = 0; i < EVENTS; i++) schedule.push({ mode: "http", measured: true }, { mode: "bare", measured: true });
  const results: Record<Mode, number[]> = { http: [], bare: [] };
  const delivered: Record<Mode, number> = { http: 0, bare: 0 };
  for (const step of schedule) {
    await sleep(GAP_MS);
    const id = step.mode === "http" ? await postReply() : await bareEmit();
    await collect(id);
    if (step.measured) {
      results[step.mode].push(...latencies.get(id)!);
      delivered[step.mode] += latencies.get(id)!.length;
    }
  }

  const http = stats(results.http);
  const bare = stats(results.bare);
  printTable(
    `P1 fan-out: commit → reply:created on ${CLIENTS} open thread pages (${EVENTS} events each, adapter ${redisUrl ? "Redis" : "in-memory"}), ms`,
    ["path", "p50", "p99", "mean", "max", "delivered"],
    [
      ["HTTP form action (POST /threads/:id)", http.p50, http.p99, http.mean, http.max, `${delivered.http}/${EVENTS * CLIENTS}`],
      ["bare io.to(room).emit", bare.p50, bare.p99, bare.mean, bare.max, `${delivered.bare}/${EVENTS * CLIENTS}`],
    ],
  );
  const anchorLabel = `bare io.to(room).emit, same payload, same ${CLIENTS} sockets`;
  return [
    figure("p1-fanout", "p99", "ms", http.p99, bare.p99, { target: 1.2, anchorLabel }),
    figure("p1-fanout", "p50", "ms", http.p50, bare.p50, { anchorLabel }),
  ];
});
