/**
 * Redis adapter comparison (docs/decisions/013-redis-streams-adapter.md): the Socket.IO Redis
 * pub/sub adapter (@socket.io/redis-adapter) against the Redis streams adapter
 * (@socket.io/redis-streams-adapter), with Redis commands that wait through about 10 s of
 * reconnection attempts as the app's do, and the streams adapter with commands that fail after
 * one attempt ("streams-fail-fast"), each on a private redis-server and two Socket.IO processes
 * (bench/redis-adapters-server.ts), clients on one process, emits from the other.
 *
 *   npx tsx bench/redis-adapters.ts          (not part of the tests)
 *
 * Three measurements per adapter:
 * 1. fan-out latency: BENCH_CLIENTS clients in one room on process B; BENCH_EVENTS emits from
 *    process A, BENCH_GAP_MS apart; latency = receipt − emit time (epoch ms, one machine);
 * 2. a Redis crash: emits every 20 ms; Redis is SIGKILLed after 1 s and restarted (empty)
 *    0.8 s later, then again for 3 s; how many of the emits each client receives, in order?
 * 3. connection state recovery across processes: a client on B that has received an emit
 *    drops its connection; 10 emits from A; it reconnects to A: recovered? how many replayed?
 *
 * Environment: BENCH_CLIENTS (200), BENCH_EVENTS (200), BENCH_GAP_MS (20).
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { io, type Socket } from "socket.io-client";
import { startProxy } from "../tests/helpers/proxy";
import { startPrivateRedis, type PrivateRedis } from "../tests/helpers/redis";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 20);
const ROOM = "bench-room";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
const log = (line: string) => console.log(`[bench] ${line}`);

interface Proc {
  child: ChildProcess;
  port: number;
  emit(seq: number): void;
  stop(): Promise<void>;
}

async function startProc(adapter: string, redisUrl: string): Promise<Proc> {
  const child = fork(path.join(ROOT, "bench", "redis-adapters-server.ts"), [], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ADAPTER: adapter, REDIS_URL: redisUrl, LOG_LEVEL: "error" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
    child.on("message", (m: { type: string; port?: number }) => m.type === "ready" && resolve(m.port!));
  });
  return {
    child,
    port,
    emit: (seq) => child.send({ type: "emit", seq, room: ROOM }),
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "stop" });
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function connect(port: number): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  await socket.timeout(10_000).emitWithAck("join", ROOM);
  return socket;
}

async function run(adapter: "pubsub" | "streams" | "streams-fail-fast", redis: PrivateRedis) {
  const a = await startProc(adapter, redis.url);
  const b = await startProc(adapter, redis.url);
  const clients: Socket[] = [];
  try {
    for (let i = 0; i < CLIENTS; i += 50) clients.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, () => connect(b.port)))));
    const received = clients.map(() => [] as { seq: number; at: number; sentAt: number }[]);
    clients.forEach((socket, i) => socket.on("tick", (p: { seq: number; sentAt: number }) => received[i]!.push({ seq: p.seq, sentAt: p.sentAt, at: now() })));
    await sleep(500);

    // 1. Fan-out latency (after 10 warm-up emits).
    let seq = 0;
    for (let i = 0; i < 10 + EVENTS; i++) {
      a.emit(++seq);
      await sleep(GAP_MS);
    }
    await sleep(1000);
    const latencies = received.flatMap((list) => list.filter((r) => r.seq > 10).map((r) => r.at - r.sentAt)).sort((x, y) => x - y);
    log(`${adapter}: fan-out to ${CLIENTS} clients on the other process, ${EVENTS} emits: delivered ${latencies.length}/${CLIENTS * EVENTS}, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);

    // 2. A Redis crash in the middle of a stream of emits: a short one and a longer one.
    for (const downMs of [800, 3000]) {
      for (const list of received) list.length = 0;
      const first = seq + 1;
      const total = Math.round((2000 + downMs) / 20);
      const crash = (async () => {
        await sleep(1000);
        await redis.kill();
        await sleep(downMs);
        await redis.restart();
      })();
      for (let i = 0; i < total; i++) {
        a.emit(++seq);
        await sleep(20);
      }
      await crash;
      await sleep(15_000); // long enough for any buffered or retried delivery to land
      const counts = received.map((list) => new Set(list.filter((r) => r.seq >= first).map((r) => r.seq)).size);
      const inOrder = received.every((list) => list.every((r, i) => i === 0 || r.seq > list[i - 1]!.seq));
      const mean = counts.reduce((x, y) => x + y, 0) / counts.length;
      log(`${adapter}: Redis SIGKILLed for ${downMs / 1000} s during ${total} emits (one every 20 ms): per client min ${Math.min(...counts)}, mean ${mean.toFixed(1)}, max ${Math.max(...counts)} of ${total} delivered; in order: ${inOrder}`);
    }

    // 3. Recovery across processes, through a proxy standing in for the load balancer.
    const proxy = await startProxy(b.port);
    const roamer = io(proxy.url, { transports: ["websocket"], forceNew: true, reconnection: false });
    await new Promise<void>((resolve) => roamer.once("connect", () => resolve()));
    await roamer.timeout(10_000).emitWithAck("join", ROOM);
    const got: number[] = [];
    roamer.on("tick", (p: { seq: number }) => got.push(p.seq));
    a.emit(++seq);
    const start = Date.now();
    while (!got.includes(seq) && Date.now() - start < 5000) await sleep(10);
    proxy.cut();
    await new Promise<void>((resolve) => (roamer.disconnected ? resolve() : roamer.once("disconnect", () => resolve())));
    proxy.route(a.port);
    const missedFrom = seq + 1;
    for (let i = 0; i < 10; i++) a.emit(++seq);
    await sleep(1000);
    roamer.connect();
    await new Promise<void>((resolve) => roamer.once("connect", () => resolve()));
    await sleep(1000);
    log(`${adapter}: dropped on B, back on A after 10 emits: recovered ${roamer.recovered}, replayed ${got.filter((s) => s >= missedFrom).length}/10`);
    roamer.close();
    await proxy.close();
  } finally {
    for (const socket of clients) socket.close();
    await Promise.all([a.stop(), b.stop()]);
  }
}

async function main() {
  const redis = await startPrivateRedis();
  try {
    for (const adapter of ["pubsub", "streams-fail-fast", "streams"] as const) await run(adapter, redis);
  } finally {
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
