/**
 * P3 pages: a signed-in member reads a thread of 200 replies (first and last page), /regions,
 * the home page and a case study under autocannon at concurrency 10; each page beside a minimal
 * Remix route returning HTML of the same size from the same process (bench/lib/anchor-route.ts),
 * measured right after it. Target: median ≤ 2.0 × the anchor; aim for a thread page median under
 * 25 ms. Also server CPU per view (from /proc, the server's own process, both sides).
 *
 *   npm run bench:thread-page     BENCH_SCALE=smoke|small|full (default full)
 *
 * Environment: TEST_DATABASE_URL (admin connection; a scratch database is created and dropped),
 * BENCH_SECONDS (seconds per side per page), BENCH_CONNECTIONS (10), BENCH_PAGES (comma list of
 * page names to run, default all), BENCH_CPU_SPLIT=1 (after the measured runs, one more run per
 * side under the V8 profiler, and a table of where a view's CPU goes: bench/lib/cpu-split.ts).
 */
import autocannon from "autocannon";
import { insertThreadWithReplies, replyDoc } from "./lib/content";
import { makeMembers, startApp } from "./lib/app";
import { atScale, benchScale, figure, log, printTable, processCpuMs, runBenchmark, scratchDatabase } from "./lib/harness";
import { CPU_CATEGORIES, cpuSplit } from "./lib/cpu-split";
import type { BenchResult } from "./lib/results";

const SECONDS = Number(process.env.BENCH_SECONDS ?? atScale({ smoke: 1, small: 5, full: 15 }));
const WARMUP = atScale({ smoke: 10, small: 30, full: 50 });
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const REPLIES = 200;

async function load(url: string, cookie?: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: cookie ? { cookie } : {} });
  if (result.non2xx || result.errors || result.timeouts) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  return result;
}

runBenchmark("thread-page", { deadlineMs: atScale({ smoke: 60_000, small: 300_000, full: 900_000 }) }, async ({ onCleanup }) => {
  const db = await scratchDatabase("pages");
  onCleanup(db.drop);
  const server = await startApp({ databaseUrl: db.url });
  onCleanup(server.stop);
  const members = await makeMembers(db.url, 21);
  const { prisma, disconnectPrisma } = await import("~/db.server");
  onCleanup(disconnectPrisma);
  const reader = members[20];
  const threadId = await insertThreadWithReplies(prisma, members.slice(0, 20).map((m) => m.id), REPLIES);

  // A published case study in both languages, through the product's own commands.
  const { runCommand } = await import("~/models/commands.server");
  const actor = { id: members[0].id, role: "member" as const };
  const region = await prisma.region.findFirstOrThrow({ select: { id: true } });
  const body = [0, 1, 2, 3, 4, 5].map((i) => replyDoc(i).text).join("\n\n");
  const { caseStudyId } = (await runCommand("caseStudy.create", actor, { language: "en", title: "Gillette retrains its mine electricians", summary: "Two hundred electricians, one storage plant.", body, regionIds: [region.id], topicIds: [], isPublic: false })) as { caseStudyId: string };
  await runCommand("caseStudy.publish", actor, { caseStudyId, published: true });

  const pages = [
    { name: "thread-first", path: `/threads/${threadId}?after=0` },
    { name: "thread-last", path: `/threads/${threadId}?last=1` },
    { name: "regions", path: "/regions" },
    { name: "home", path: "/" },
    { name: "case-study", path: `/case-studies/${caseStudyId}` },
  ]
    // Smoke: two pages are enough to show the benchmark works.
    .filter((p) => benchScale() !== "smoke" || p.name === "thread-last" || p.name === "regions")
    .filter((p) => !process.env.BENCH_PAGES || process.env.BENCH_PAGES.split(",").includes(p.name));

  const rows: (string | number)[][] = [];
  const results: BenchResult[] = [];
  const splits: { page: string; mine: ReturnType<typeof cpuSplit>; bare: ReturnType<typeof cpuSplit> }[] = [];
  for (const page of pages) {
    const response = await fetch(server.base + page.path, { headers: { cookie: reader.cookie } });
    const html = await response.text();
    if (!response.ok) throw new Error(`${page.path} answered ${response.status}`);
    if (page.name.startsWith("thread") && (html.match(/id="post-\d+"/g)?.length ?? 0) < 20) throw new Error(`${page.path} shows fewer than 20 replies`);
    const bytes = Buffer.byteLength(html);
    const anchorUrl = `http://127.0.0.1:${server.anchorPort}/?bytes=${bytes}`;
    const anchorBytes = Buffer.byteLength(await (await fetch(anchorUrl)).text());

    // Warm-up (JIT, caches, connection pool) for both sides, not measured.
    for (let i = 0; i < WARMUP; i++) {
      await (await fetch(server.base + page.path, { headers: { cookie: reader.cookie } })).arrayBuffer();
      await (await fetch(anchorUrl)).arrayBuffer();
    }
    const cpu0 = await processCpuMs(server.pid);
    const ours = await load(server.base + page.path, reader.cookie);
    const cpu1 = await processCpuMs(server.pid);
    const anchor = await load(anchorUrl);
    const cpu2 = await processCpuMs(server.pid);
    const oursCpu = (cpu1 - cpu0) / ours.requests.total;
    const anchorCpu = (cpu2 - cpu1) / anchor.requests.total;
    rows.push(
      [page.name, page.path.length > 40 ? page.path.slice(0, 37) + "…" : page.path, bytes, ours.requests.average, ours.latency.p50, ours.latency.p99, oursCpu],
      [`  anchor`, "minimal Remix route", anchorBytes, anchor.requests.average, anchor.latency.p50, anchor.latency.p99, anchorCpu],
    );
    const anchorLabel = `minimal Remix route, ${Math.round(anchorBytes / 1024)} KB of HTML`;
    results.push(
      figure(`p3-${page.name}`, "median", "ms", ours.latency.p50, anchor.latency.p50, { target: 2, anchorLabel }),
      figure(`p3-${page.name}`, "p99", "ms", ours.latency.p99, anchor.latency.p99, { anchorLabel }),
      figure(`p3-${page.name}`, "cpu_per_view", "ms", oursCpu, anchorCpu, { anchorLabel }),
    );
    log(`${page.name}: ${ours.requests.average} req/s, median ${ours.latency.p50} ms; anchor ${anchor.requests.average} req/s, median ${anchor.latency.p50} ms`);
    if (process.env.BENCH_CPU_SPLIT === "1") {
      // Profiled apart from the measured runs: the profiler's own cost stays out of the figures.
      const profiled = async (url: string, cookie?: string) => {
        await server.profile(true);
        const run = await load(url, cookie);
        const profile = await server.profile(false);
        if (!profile) throw new Error("the server returned no CPU profile");
        return cpuSplit(profile, run.requests.total);
      };
      const mine = await profiled(server.base + page.path, reader.cookie);
      const bare = await profiled(anchorUrl);
      splits.push({ page: page.name, mine, bare });
    }
  }
  if (splits.length) {
    printTable(
      "Where a view's CPU goes (ms per view, V8 profile self time; ours / anchor)",
      ["category", ...splits.map((s) => s.page)],
      [...CPU_CATEGORIES, "total"].map((c) => [c, ...splits.map((s) => `${(c === "total" ? s.mine.total : s.mine.perView[c]).toFixed(2)} / ${(c === "total" ? s.bare.total : s.bare.perView[c]).toFixed(2)}`)]),
    );
  }
  printTable(
    `P3 pages: signed-in member, autocannon ${CONNECTIONS} connections × ${SECONDS} s per side (thread of ${REPLIES} replies)`,
    ["page", "path", "bytes", "req/s", "median ms", "p99 ms", "CPU ms/view"],
    rows,
  );
  return results;
});
