/**
 * P5 memory: N idle signed-in sockets, each joined to one of 10 threads, held by the product's
 * server; heap and RSS per connection (after a forced GC, before and after connecting) beside a
 * bare Socket.IO server (bench/lib/bare-server.ts) holding the same number of plain connections
 * joined to rooms, from the same client process. Target: ≤ 1.2 × bare for both.
 *
 *   npm run bench:memory          BENCH_SCALE=smoke|small|full (default full: 10,000 sockets)
 *
 * Environment: TEST_DATABASE_URL (admin connection; a scratch database is created and dropped),
 * BENCH_SOCKETS.
 */
import { io, type Socket } from "socket.io-client";
import { makeMembers, startApp } from "./lib/app";
import { startBare } from "./lib/bare";
import { atScale, figure, inBatches, log, printTable, runBenchmark, scratchDatabase, sleep } from "./lib/harness";

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? atScale({ smoke: 100, small: 2000, full: 10_000 }));
const BATCH = 50;
/** Joins refused as overloaded and retried. */
let overloaded = 0;

/** Opens `cookies.length` sockets to `base`, each joining thread `threadIds[i % 10]`; returns them. */
async function connect(base: string, cookies: (string | undefined)[], threadIds: string[]) {
  const sockets: Socket[] = [];
  await inBatches(cookies, BATCH, async (cookie, i) => {
    const socket = io(base, { transports: ["websocket"], extraHeaders: { Origin: base, ...(cookie ? { Cookie: cookie } : {}) }, reconnection: false, forceNew: true, timeout: 60_000 });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (error) => reject(new Error(`socket connect failed: ${error.message}`)));
    });
    // A busy database answers `overloaded` (retry after 2 s, docs/decisions/015): a client
    // retries, as the browser's room hook does; anything else is a failure.
    for (let attempt = 1; ; attempt++) {
      const joined = (await socket.timeout(60_000).emitWithAck("thread:join", { threadId: threadIds[i % threadIds.length] })) as { ok: boolean; error?: string };
      if (joined.ok) break;
      if (joined.error !== "overloaded" || attempt >= 10) throw new Error(`thread:join refused: ${joined.error}`);
      overloaded++;
      await sleep(2000);
    }
  });
  return sockets;
}

async function measure(name: string, server: { memory(): Promise<{ heapUsed: number; rss: number }> }, open: () => Promise<Socket[]>) {
  await sleep(1000);
  const before = await server.memory();
  const started = Date.now();
  const sockets = await open();
  log(`${name}: ${sockets.length} sockets connected and joined in ${((Date.now() - started) / 1000).toFixed(1)} s (${overloaded} joins refused as overloaded and retried)`);
  await sleep(3000); // presence updates and handshakes settle
  const after = await server.memory();
  for (const s of sockets) s.disconnect();
  return { heap: (after.heapUsed - before.heapUsed) / sockets.length, rss: (after.rss - before.rss) / sockets.length, before, after };
}

runBenchmark("memory", { deadlineMs: atScale({ smoke: 60_000, small: 300_000, full: 900_000 }) }, async ({ onCleanup }) => {
  const db = await scratchDatabase("memory");
  onCleanup(db.drop);
  const app = await startApp({ databaseUrl: db.url, exposeGc: true });
  onCleanup(app.stop);
  const members = await makeMembers(db.url, SOCKETS);
  const { prisma, disconnectPrisma } = await import("~/db.server");
  onCleanup(disconnectPrisma);
  const threads = (await prisma.thread.findMany({ select: { id: true }, take: 10 })).map((t) => t.id);
  log(`${SOCKETS} members with sessions; ${threads.length} threads`);

  const ours = await measure("product", app, () => connect(app.base, members.map((m) => m.cookie), threads));
  await app.stop();
  const bare = await startBare();
  onCleanup(bare.stop);
  const anchor = await measure("bare Socket.IO", bare, () => connect(bare.base, members.map(() => undefined), threads));

  const kb = (b: number) => b / 1024;
  printTable(`P5 memory: ${SOCKETS} idle sockets joined to ${threads.length} threads, per connection after a forced GC`, ["server", "heap KB/socket", "RSS KB/socket", "heap before MB", "heap after MB", "RSS after MB"], [
    ["product (signed-in members)", kb(ours.heap), kb(ours.rss), ours.before.heapUsed / 2 ** 20, ours.after.heapUsed / 2 ** 20, ours.after.rss / 2 ** 20],
    ["bare Socket.IO (plain connections)", kb(anchor.heap), kb(anchor.rss), anchor.before.heapUsed / 2 ** 20, anchor.after.heapUsed / 2 ** 20, anchor.after.rss / 2 ** 20],
  ]);
  const anchorLabel = `bare Socket.IO server, ${SOCKETS} plain connections in rooms`;
  return [
    figure("p5-memory", "heap_per_socket", "KB", kb(ours.heap), kb(anchor.heap), { target: 1.2, anchorLabel }),
    figure("p5-memory", "rss_per_socket", "KB", kb(ours.rss), kb(anchor.rss), { target: 1.2, anchorLabel }),
  ];
});
