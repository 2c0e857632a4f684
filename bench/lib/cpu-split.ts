/**
 * Where a page view's CPU goes: a V8 CPU profile's self time grouped into what a page costs
 * (React rendering, Remix, Prisma, the pg driver, i18next, HTTP and streams, GC, the app's own
 * loaders and components), divided by the number of views profiled. bench/thread-page.ts prints
 * it for each page and its anchor with `BENCH_CPU_SPLIT=1` (docs/decisions/043-where-each-benchmark-stands.md).
 */

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The categories, in the order they are printed; "idle" is left out of the split. */
export const CPU_CATEGORIES = ["React rendering", "Remix (matching, loaders' data)", "Prisma (compile, interpret)", "pg driver", "i18next", "app code", "HTTP, streams, Express", "garbage collection", "other"] as const;
export type CpuCategory = (typeof CPU_CATEGORIES)[number] | "idle";

/** The category of one profile frame, from its function name and script URL. */
export function categoryOf(functionName: string, url: string): CpuCategory {
  if (functionName === "(idle)" || functionName === "(program)") return "idle";
  if (functionName === "(garbage collector)") return "garbage collection";
  if (/react-dom|\/react\/|react-router|@remix-run\/react|react-i18next/.test(url)) return "React rendering";
  if (/i18next/.test(url)) return "i18next";
  if (/@prisma|\.prisma|adapter-pg/.test(url) || url.startsWith("wasm")) return "Prisma (compile, interpret)";
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(url)) return "pg driver";
  if (/@remix-run\/(router|server-runtime|node|express)|turbo-stream/.test(url)) return "Remix (matching, loaders' data)";
  if (/\/build\/server\//.test(url)) return "app code";
  if (functionName === "writev" || /node_modules\/(express|compression|helmet|qs|send|serve-static|finalhandler|router)\//.test(url) || /^node:(_http|net|internal\/(streams|webstreams|stream_base|http))/.test(url) || url === "node:events") return "HTTP, streams, Express";
  return "other";
}

/** Milliseconds of CPU per view by category (self time; idle excluded), and their total. */
export function cpuSplit(profile: CpuProfile, views: number): { perView: Record<string, number>; total: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const perView: Record<string, number> = Object.fromEntries(CPU_CATEGORIES.map((c) => [c, 0]));
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const category = categoryOf(node.callFrame.functionName, node.callFrame.url);
    if (category !== "idle") perView[category] += (profile.timeDeltas[i] ?? 0) / 1000 / Math.max(1, views);
  });
  return { perView, total: Object.values(perView).reduce((a, b) => a + b, 0) };
}
