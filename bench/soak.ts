/**
 * R6 soak: M members, S signed-in sockets spread over 10 threads, replies posted through the
 * command API (POST /api/commands/reply.create) at R a second by members in turn (the real rate
 * limit on) for D minutes. Every socket must receive every reply of its thread exactly once
 * (missing and duplicate deliveries are counted); per minute: delivery p50/p99 (commit →
 * receipt) and POST p99; every 30 s the server's heap after a forced GC (--expose-gc), whose
 * slope must be flat. The anchor of each figure is the run's own start (first minute, first
 * heap sample), so "ratio" says how far the end drifted from it; deliveries are compared with
 * the number expected. Smoke posts for 12 s (the 20 s kept the whole run over 30 s here).
 *
 *   npm run bench:soak            BENCH_SCALE=smoke|small|full (full: 1,000 members, 500 sockets, 10/s, 8 min)
 *
 * Environment: TEST_DATABASE_URL, TEST_REDIS_URL (Redis adapter when set; BENCH_REDIS=0 off),
 * BENCH_MINUTES.
 */
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "~/realtime/events";
import { insertThreadWithReplies } from "./lib/content";
import { makeMembers, startApp } from "./lib/app";
import { atScale, figure, inBatches, log, now, printTable, runBenchmark, scratchDatabase, sleep, stats } from "./lib/harness";

const MEMBERS = atScale({ smoke: 100, small: 1000, full: 1000 });
const SOCKETS = atScale({ smoke: 50, small: 500, full: 500 });
const THREADS = 10;
const RATE = 10;
const MINUTES = Number(process.env.BENCH_MINUTES ?? atScale({ smoke: 12 / 60, small: 2, full: 8 }));
/** A "minute" of the per-minute table (a third of the run at smoke scale). */
const BUCKET_MS = Math.min(60_000, (MINUTES * 60_000) / 3);
const HEAP_EVERY_MS = atScale({ smoke: 5_000, small: 30_000, full: 30_000 });
const redisUrl = process.env.BENCH_REDIS === "0" ? undefined : process.env.TEST_REDIS_URL || undefined;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return den ? num / den : 0;
}

runBenchmark("soak", { deadlineMs: MINUTES * 60_000 + atScale({ smoke: 40_000, small: 240_000, full: 300_000 }) }, async ({ onCleanup }) => {
  const db = await scratchDatabase("soak");
  onCleanup(db.drop);
  const app = await startApp({ databaseUrl: db.url, redisUrl, exposeGc: true });
  onCleanup(app.stop);
  const members = await makeMembers(db.url, MEMBERS);
  const { prisma, disconnectPrisma } = await import("~/db.server");
  onCleanup(disconnectPrisma);
  const threads: string[] = [];
  for (let t = 0; t < THREADS; t++) threads.push(await insertThreadWithReplies(prisma, [members[t].id], 1, `Soak thread ${t + 1}`));

  // Sockets: the first S members, socket i on thread i % 10.
  const sockets: ClientSocket[] = [];
  onCleanup(() => sockets.forEach((s) => s.disconnect()));
  const received: Map<string, number>[] = [];
  const deliveries: { at: number; latency: number }[] = [];
  await inBatches(members.slice(0, SOCKETS), 50, async ({ cookie }, i) => {
    const socket: ClientSocket = io(app.base, { transports: ["websocket"], extraHeaders: { Cookie: cookie, Origin: app.base }, reconnection: false, forceNew: true, timeout: 30_000 });
    sockets[i] = socket;
    const seen = (received[i] = new Map());
    socket.on("reply:created", ({ reply, committedAt }) => {
      const t = now();
      seen.set(reply.id, (seen.get(reply.id) ?? 0) + 1);
      deliveries.push({ at: t, latency: t - committedAt });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (error) => reject(new Error(`socket connect failed: ${error.message}`)));
    });
    const joined = await socket.timeout(30_000).emitWithAck("thread:join", { threadId: threads[i % THREADS] });
    if (!joined.ok) throw new Error(`thread:join refused: ${joined.error}`);
  });
  log(`${SOCKETS} sockets on ${THREADS} threads; posting ${RATE}/s for ${(MINUTES * 60).toFixed(0)} s`);
  await sleep(1500);

  const posted = new Map<string, string>(); // reply id → thread id
  const posts: { at: number; ms: number }[] = [];
  const heap: [number, number][] = [];
  const start = now();
  let failures = 0;
  let n = 0;
  const sampleHeap = async () => heap.push([(now() - start) / 60_000, (await app.memory()).heapUsed / 2 ** 20]);
  await sampleHeap();
  const heapTimer = setInterval(() => void sampleHeap(), HEAP_EVERY_MS);
  const inFlight = new Set<Promise<void>>();
  while (now() - start < MINUTES * 60_000) {
    const due = start + (n * 1000) / RATE;
    if (due > now()) await sleep(due - now());
    const i = n++;
    const threadId = threads[i % THREADS];
    const poster = members[i % MEMBERS];
    const sentAt = now();
    const p = fetch(`${app.base}/api/commands/reply.create`, {
      method: "POST",
      headers: { Origin: app.base, Cookie: poster.cookie, "Content-Type": "application/json" },
      body: JSON.stringify({ threadId, body: `Soak reply ${i}: what the transition fund pays for.`, idempotencyKey: randomUUID() }),
    })
      .then(async (response) => {
        const body = (await response.json()) as { ok: boolean; result?: { id: string }; error?: { code: string } };
        posts.push({ at: sentAt, ms: now() - sentAt });
        if (!body.ok) {
          failures++;
          if (failures <= 5) log(`post ${i} refused: ${response.status} ${body.error?.code}`);
          return;
        }
        posted.set(body.result!.id, threadId);
      })
      .catch(() => void failures++)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  await sleep(2000); // the last deliveries
  clearInterval(heapTimer);
  await sampleHeap();

  // Exactly once: for every socket, every reply posted to its thread.
  let expected = 0;
  let missing = 0;
  let duplicates = 0;
  const byThread = new Map<string, string[]>();
  for (const [id, t] of posted) byThread.set(t, [...(byThread.get(t) ?? []), id]);
  sockets.forEach((_, i) => {
    for (const id of byThread.get(threads[i % THREADS]) ?? []) {
      expected++;
      const count = received[i].get(id) ?? 0;
      if (count === 0) missing++;
      if (count > 1) duplicates += count - 1;
    }
  });

  const buckets = Math.ceil((MINUTES * 60_000) / BUCKET_MS);
  const rows: (string | number)[][] = [];
  const perBucket = Array.from({ length: buckets }, (_, b) => {
    const from = start + b * BUCKET_MS;
    const to = from + BUCKET_MS;
    const d = stats(deliveries.filter((x) => x.at >= from && x.at < to).map((x) => x.latency));
    const p = stats(posts.filter((x) => x.at >= from && x.at < to).map((x) => x.ms));
    const h = heap.filter(([m]) => m * 60_000 >= b * BUCKET_MS && m * 60_000 < (b + 1) * BUCKET_MS).map(([, mb]) => mb);
    rows.push([`${((b * BUCKET_MS) / 60_000).toFixed(1)}–${(((b + 1) * BUCKET_MS) / 60_000).toFixed(1)} min`, d.n, d.p50, d.p99, p.n, p.p99, h.length ? Math.max(...h) : NaN]);
    return { d, p };
  });
  const heapSlope = slope(heap);
  printTable(`R6 soak: ${MEMBERS} members, ${SOCKETS} sockets on ${THREADS} threads, ${RATE} replies/s for ${(MINUTES * 60).toFixed(0)} s (adapter ${redisUrl ? "Redis" : "in-memory"})`, ["period", "deliveries", "p50 ms", "p99 ms", "posts", "POST p99 ms", "heap after GC MB"], rows);
  console.log(`\n  posted ${posted.size} (refused ${failures}); deliveries ${expected - missing} of ${expected} expected, ${missing} missing, ${duplicates} duplicates; heap slope ${heapSlope.toFixed(2)} MB/min over ${heap.length} samples`);
  if (!posted.size) throw new Error("no reply was posted");

  const first = perBucket[0];
  const last = perBucket[perBucket.length - 1];
  const heapFirst = heap[0][1];
  const heapLast = heap[heap.length - 1][1];
  return [
    figure("r6-soak", "missing_or_duplicate", "", missing + duplicates + failures, expected, { target: 0, anchorLabel: "deliveries expected (ratio: share lost, doubled or refused)" }),
    figure("r6-soak", "delivery_p99", "ms", last.d.p99, first.d.p99, { anchorLabel: "same run, first period", note: `first-period p50 ${first.d.p50.toFixed(1)} ms` }),
    figure("r6-soak", "post_p99", "ms", last.p.p99, first.p.p99, { anchorLabel: "same run, first period" }),
    figure("r6-soak", "heap_after_gc", "MB", heapLast, heapFirst, { target: 1.2, anchorLabel: "same run, first sample", note: `slope ${heapSlope.toFixed(2)} MB/min` }),
  ];
});
