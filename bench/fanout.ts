/**
 * Fan-out benchmark: how long a new reply takes to reach 1,000 open thread pages, through the
 * product's real path (HTTP form action → transaction → publish after commit → Socket.IO room)
 * compared with a bare `io.to(room).emit(...)` of an identical payload from the same server.
 *
 *   npm run bench:fanout          (builds first; not part of the tests)
 *
 * Latency = the client's receipt time − the event's `committedAt`, both read as
 * `performance.timeOrigin + performance.now()` (epoch ms) in their own process on this machine.
 *
 * Environment: TEST_DATABASE_URL (admin connection; a fresh `crn_bench_<random>` database is
 * created and dropped; default postgresql://postgres@127.0.0.1:5432/postgres), TEST_REDIS_URL
 * (when set the server uses the Socket.IO Redis adapter; BENCH_REDIS=0 turns that off),
 * BENCH_CLIENTS (1000), BENCH_EVENTS (30), BENCH_GAP_MS (250), BENCH_TIMEOUT_MS (300000),
 * BENCH_ORDER (interleaved | sequential | bare-first).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ReplyView, ServerToClientEvents } from "~/realtime/events";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 30);
const WARMUP = 3;
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 250);
const DEADLINE_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 300_000);
const ORDER = process.env.BENCH_ORDER ?? "interleaved";
const CONNECT_BATCH = 50;
const EVENT_TIMEOUT_MS = 20_000;

const adminUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.BENCH_REDIS === "0" ? undefined : process.env.TEST_REDIS_URL || undefined;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`[bench] ${line}`);

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

async function inBatches<T>(items: T[], size: number, run: (item: T, index: number) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map((item, j) => run(item, i + j)));
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function summarise(perEvent: Map<string, number[]>) {
  const all = [...perEvent.values()].flat().sort((a, b) => a - b);
  const lastArrivals = [...perEvent.values()].map((l) => Math.max(...l)).sort((a, b) => a - b);
  return {
    delivered: all.length,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all[all.length - 1],
    mean: all.reduce((s, x) => s + x, 0) / all.length,
    lastP50: percentile(lastArrivals, 50),
  };
}

/** Starts bench/fanout-server.ts as a child; resolves with its port and an IPC helper. */
async function startServer(databaseUrl: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" };
  delete env.REDIS_URL;
  delete env.ALLOWED_ORIGINS;
  if (redisUrl) env.REDIS_URL = redisUrl;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "fanout-server.ts")], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const emitted = new Map<number, () => void>();
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the bench server did not start within 60 s")), 60_000);
    child.on("message", (message: { type: string; port?: number; seq?: number; message?: string }) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve(message.port!);
      } else if (message.type === "emitted") {
        emitted.get(message.seq!)?.();
        emitted.delete(message.seq!);
      } else if (message.type === "error") {
        clearTimeout(timer);
        reject(new Error(`bench server failed: ${message.message}`));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited (code ${code}) before it was ready`));
    });
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    port,
    bareEmit(seq: number, threadId: string, reply: ReplyView): Promise<void> {
      return new Promise((resolve) => {
        emitted.set(seq, resolve);
        child.send({ type: "bare-emit", seq, threadId, reply });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: "stop" });
      else child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const dbName = `crn_bench_${randomBytes(5).toString("hex")}`;
  const dbUrl = (() => {
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    return url.toString();
  })();
  const sockets: ClientSocket[] = [];
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let dbCreated = false;
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const s of sockets) s.disconnect();
      await server?.stop().catch((e) => log(`stopping the server: ${e}`));
      const { disconnectPrisma } = await import("~/db.server");
      await disconnectPrisma().catch(() => {});
      if (dbCreated) await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((e) => log(`dropping ${dbName}: ${e}`));
    })());
  const deadline = setTimeout(() => {
    console.error(`[bench] gave up after ${DEADLINE_MS / 1000} s`);
    void cleanup().finally(() => process.exit(2));
  }, DEADLINE_MS);
  deadline.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

  try {
    await adminQuery(`CREATE DATABASE "${dbName}"`);
    dbCreated = true;
    log(`database ${dbName}`);
    server = await startServer(dbUrl);
    const base = `http://127.0.0.1:${server.port}`;
    log(`server ${base} (Socket.IO adapter: ${redisUrl ? "Redis" : "in-memory"})`);

    // Members and sessions, written directly (an argon2 sign-in each would only slow the set-up).
    process.env.DATABASE_URL = dbUrl;
    const { prisma } = await import("~/db.server");
    const { createSession } = await import("~/models/sessions.server");
    const { hashPassword } = await import("~/utils/password.server");
    const { newId } = await import("~/utils/ids.server");
    const passwordHash = await hashPassword(`bench-${randomBytes(8).toString("hex")}`);
    const members = Array.from({ length: CLIENTS + 1 }, (_, i) => ({
      id: newId(),
      email: `bench-${i}@example.org`,
      passwordHash,
      displayName: i === CLIENTS ? "Bench Poster" : `Bench Reader ${i}`,
      organisation: "Benchmark",
      locale: "en" as const,
      // The poster is a moderator: staff are exempt from the 10-replies-a-minute limit.
      role: i === CLIENTS ? ("moderator" as const) : ("member" as const),
    }));
    await prisma.user.createMany({ data: members });
    const tokens: string[] = new Array(members.length);
    await inBatches(members, 10, async (m, i) => {
      tokens[i] = (await createSession(m.id, { userAgent: "bench" })).token;
    });
    const thread = await prisma.thread.findFirstOrThrow({ select: { id: true } });
    const posterCookie = `crn_session=${tokens[CLIENTS]}`;
    log(`${CLIENTS} readers and 1 poster with sessions (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // Every reader: one WebSocket-only connection, joined to the thread's room.
    const latencies = new Map<string, number[]>();
    /** Reply ids by post number (the reply form redirects to `#post-<number>`). */
    const idByPost = new Map<number, string>();
    let lastPresenceAt = now();
    let lastViewers = 0;
    const connectStart = Date.now();
    await inBatches(tokens.slice(0, CLIENTS), CONNECT_BATCH, async (token) => {
      const socket: ClientSocket = io(base, {
        transports: ["websocket"],
        extraHeaders: { Cookie: `crn_session=${token}`, Origin: base },
        reconnection: false,
        forceNew: true,
        timeout: 20_000,
      });
      sockets.push(socket);
      socket.on("reply:created", ({ reply, committedAt }) => {
        const latency = now() - committedAt;
        idByPost.set(reply.postNumber, reply.id);
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

    // The product's path: POST /threads/<id> (the reply form), as a browser without JS would.
    let posted = 0;
    const postReply = async (): Promise<string> => {
      const response = await fetch(`${base}/threads/${thread.id}`, {
        method: "POST",
        headers: { Origin: base, Cookie: posterCookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ body: `Benchmark reply ${posted++}: how Gillette and Datong retrain their workforce.` }),
        redirect: "manual",
      });
      const location = response.headers.get("location") ?? "";
      const postNumber = Number(/#post-(\d+)$/.exec(location)?.[1]);
      if (response.status !== 302 || !postNumber) throw new Error(`the reply form answered ${response.status} ${location}: ${await response.text()}`);
      await waitFor(() => idByPost.has(postNumber), EVENT_TIMEOUT_MS, `post #${postNumber} to reach a client`);
      return idByPost.get(postNumber)!;
    };
    // The baseline: a bare emit, from the same server to the same room, of a payload identical to
    // a reply the product broadcast (same author, body and size; only the id differs).
    const firstId = await postReply();
    await collect(firstId);
    const { listReplies } = await import("~/models/replies.server");
    const page = await listReplies({ id: members[CLIENTS].id, role: "member" }, thread.id, { last: true });
    const template: ReplyView = page.replies.find((r) => r.id === firstId)!;
    let emittedBare = 0;
    const bareEmit = async (): Promise<string> => {
      const seq = emittedBare++;
      const id = `bare${String(seq).padStart(4, "0")}${template.id.slice(8)}`; // same length as a real id
      await server!.bareEmit(seq, thread.id, { ...template, id });
      return id;
    };

    // The schedule: after the warm-up events of each mode, HTTP and bare events alternate, so both
    // modes see the same conditions. Two phases in a row (BENCH_ORDER=sequential: all HTTP, then
    // all bare; bare-first: the reverse) measured the second phase slower on this machine,
    // whichever mode it was, which would masquerade as a difference between the modes.
    type Mode = "http" | "bare";
    const phase = (mode: Mode) => Array.from({ length: WARMUP + EVENTS }, (_, i) => ({ mode, measured: i >= WARMUP }));
    const schedule =
      ORDER === "sequential"
        ? [...phase("http"), ...phase("bare")]
        : ORDER === "bare-first"
          ? [...phase("bare"), ...phase("http")]
          : [...phase("http").slice(0, WARMUP), ...phase("bare").slice(0, WARMUP), ...phase("http").slice(WARMUP).flatMap((h) => [h, { mode: "bare" as Mode, measured: true }])];
    const httpResults = new Map<string, number[]>();
    const bareResults = new Map<string, number[]>();
    for (const step of schedule) {
      await sleep(GAP_MS);
      const id = step.mode === "http" ? await postReply() : await bareEmit();
      await collect(id);
      if (step.measured) (step.mode === "http" ? httpResults : bareResults).set(id, latencies.get(id)!);
    }

    const http = summarise(httpResults);
    const bare = summarise(bareResults);
    const cpus = os.cpus();
    const fmt = (x: number) => `${x.toFixed(2)} ms`;
    const line = (label: string, s: ReturnType<typeof summarise>) =>
      `${label.padEnd(38)} p50 ${fmt(s.p50).padStart(10)}   p99 ${fmt(s.p99).padStart(10)}   mean ${fmt(s.mean).padStart(10)}   max ${fmt(s.max).padStart(10)}   last client p50 ${fmt(s.lastP50).padStart(10)}   (${s.delivered}/${EVENTS * CLIENTS} delivered)`;
    console.log("");
    console.log("Socket.IO fan-out: commit → reply:created on every open thread page");
    console.log(`machine   ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} at start`);
    console.log(`setup     ${CLIENTS} socket.io-client sockets (WebSocket) in one thread room, all in one client process; server and clients share the machine;`);
    console.log(`          adapter ${redisUrl ? "Redis" : "in-memory"}; ${EVENTS} events per mode after ${WARMUP} warm-up events, ${GAP_MS} ms apart, order ${ORDER}; latency = receipt − committedAt`);
    console.log(line("HTTP form action (POST /threads/:id)", http));
    console.log(line("bare io.to(room).emit", bare));
    console.log(`ratio     HTTP / bare: p50 ${(http.p50 / bare.p50).toFixed(2)}×, p99 ${(http.p99 / bare.p99).toFixed(2)}×`);
    console.log(`total     ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log("");
  } finally {
    await cleanup();
    clearTimeout(deadline);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[bench] ${(error as Error)?.stack ?? error}`);
    process.exit(1);
  },
);
