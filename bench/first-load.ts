/**
 * First load: each main page loaded cold (a fresh browser context: no cache, no service
 * worker) in Chromium at 375 × 812 px, reporting the JavaScript and CSS it transferred — the
 * bytes on the wire (the app server compresses them when the browser accepts it), the decoded
 * size, and gzip level 6 of the decoded bytes (the budget's measure, the same whatever the
 * server sends) — and the time to the largest contentful paint, beside a static HTML
 * file of the same content (the page's own HTML with its scripts taken out, its stylesheets
 * kept) served by the same server from build/client. Budget (issue 13): at most 200 KB of
 * compressed JavaScript on pages without an editor.
 *
 *   npm run bench:first-load      BENCH_SCALE=smoke|small|full (loads per page: 1, 3, 5; median;
 *                                 smoke loads only home and a thread)
 *
 * Environment: TEST_DATABASE_URL (admin connection; a scratch database is created and
 * dropped), CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser } from "playwright-core";
import { insertThreadWithReplies } from "./lib/content";
import { makeMembers, startApp } from "./lib/app";
import { atScale, benchScale, figure, log, printTable, ROOT, runBenchmark, scratchDatabase, stats } from "./lib/harness";
import type { BenchResult } from "./lib/results";

const LOADS = atScale({ smoke: 1, small: 3, full: 5 });
const BUDGET_KB = 200;

interface Load {
  lcp: number;
  js: Sizes;
  css: Sizes;
  html: string;
}

/** Decoded bytes, gzip level 6 of them, and what crossed the wire (compressed when the server did). */
interface Sizes {
  raw: number;
  gzip: number;
  wire: number;
}

async function coldLoad(browser: Browser, url: string, cookie: { name: string; value: string; url: string } | null, keepHtml: boolean): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  try {
    if (cookie) await context.addCookies([cookie]);
    const page = await context.newPage();
    const bodies: Promise<Sizes & { type: string }>[] = [];
    page.on("response", (response) => {
      const type = response.request().resourceType();
      if (type !== "script" && type !== "stylesheet") return;
      bodies.push(
        Promise.all([response.body(), response.request().sizes()]).then(
          ([b, sizes]) => ({ type, raw: b.length, gzip: gzipSync(b, { level: 6 }).length, wire: sizes.responseBodySize }),
          () => ({ type, raw: 0, gzip: 0, wire: 0 }),
        ),
      );
    });
    await page.addInitScript(() => {
      (window as unknown as { __lcp: number }).__lcp = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) (window as unknown as { __lcp: number }).__lcp = entry.startTime;
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    const response = await page.goto(url, { waitUntil: "networkidle" });
    if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}`);
    await page.waitForTimeout(300);
    const lcp = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp);
    const html = keepHtml ? await page.evaluate(() => "<!DOCTYPE html>" + document.documentElement.outerHTML) : "";
    const all = await Promise.all(bodies);
    const sum = (type: string) => all.filter((b) => b.type === type).reduce((s, b) => ({ raw: s.raw + b.raw, gzip: s.gzip + b.gzip, wire: s.wire + b.wire }), { raw: 0, gzip: 0, wire: 0 });
    return { lcp, js: sum("script"), css: sum("stylesheet"), html };
  } finally {
    await context.close();
  }
}

/** The page's server HTML with every script and module preload taken out, stylesheets kept. */
function staticCopy(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script>/gi, "")
    .replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, "");
}

runBenchmark("first-load", { deadlineMs: atScale({ smoke: 90_000, small: 300_000, full: 600_000 }) }, async ({ onCleanup }) => {
  const db = await scratchDatabase("firstload");
  onCleanup(db.drop);
  const app = await startApp({ databaseUrl: db.url });
  onCleanup(app.stop);
  const [reader, ...authors] = await makeMembers(db.url, 6);
  const { prisma, disconnectPrisma } = await import("~/db.server");
  onCleanup(disconnectPrisma);
  const threadId = await insertThreadWithReplies(prisma, authors.map((a) => a.id), 40);
  const staticDir = path.join(ROOT, "build", "client", "__bench");
  mkdirSync(staticDir, { recursive: true });
  onCleanup(() => rmSync(staticDir, { recursive: true, force: true }));

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium" });
  onCleanup(() => browser.close());
  const cookie = { name: "crn_session", value: reader.cookie.split("=")[1], url: app.base };
  const pages = [
    { name: "home", path: "/", signedIn: false, editor: false },
    { name: "sign-in", path: "/signin", signedIn: false, editor: false },
    { name: "sign-up", path: "/signup", signedIn: false, editor: false },
    { name: "regions", path: "/regions", signedIn: true, editor: false },
    { name: "thread", path: `/threads/${threadId}`, signedIn: true, editor: true },
  ].filter((p) => benchScale() !== "smoke" || p.name === "home" || p.name === "thread");
  const rows: (string | number)[][] = [];
  const results: BenchResult[] = [];
  for (const p of pages) {
    // The static twin: what the server sent for this page, scripts removed.
    const served = await (await fetch(app.base + p.path, { headers: p.signedIn ? { cookie: reader.cookie } : {} })).text();
    writeFileSync(path.join(staticDir, `${p.name}.html`), staticCopy(served));
    const ours: Load[] = [];
    const anchor: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      ours.push(await coldLoad(browser, app.base + p.path, p.signedIn ? cookie : null, false));
      anchor.push(await coldLoad(browser, `${app.base}/__bench/${p.name}.html`, null, false));
    }
    const lcp = stats(ours.map((l) => l.lcp));
    const lcpAnchor = stats(anchor.map((l) => l.lcp));
    const js = ours[0].js;
    const css = ours[0].css;
    rows.push([p.name + (p.editor ? " (editor)" : ""), js.wire / 1024, js.raw / 1024, js.gzip / 1024, css.wire / 1024, css.gzip / 1024, lcp.p50, lcpAnchor.p50]);
    log(`${p.name}: JS ${(js.wire / 1024).toFixed(1)} KB on the wire (${(js.raw / 1024).toFixed(1)} KB decoded, ${(js.gzip / 1024).toFixed(1)} KB gzip), CSS ${(css.wire / 1024).toFixed(1)} KB on the wire; LCP ${lcp.p50.toFixed(0)} ms vs static ${lcpAnchor.p50.toFixed(0)} ms`);
    results.push(figure(`first-load.${p.name}`, "lcp", "ms", lcp.p50, lcpAnchor.p50, { anchorLabel: "static HTML of the same content, same server" }));
    results.push(
      figure(`first-load.${p.name}`, "js_gzip", "KB", js.gzip / 1024, BUDGET_KB, {
        target: p.editor ? undefined : 1,
        anchorLabel: `budget ${BUDGET_KB} KB of compressed JavaScript${p.editor ? " (not applied: a page with an editor)" : ""}`,
        note: `${(js.wire / 1024).toFixed(0)} KB on the wire, ${(js.raw / 1024).toFixed(0)} KB decoded`,
      }),
    );
  }
  printTable(`First load: cold, Chromium at 375 px, ${LOADS} load(s) per page (KB; LCP median ms)`, ["page", "JS wire", "JS decoded", "JS gzip", "CSS wire", "CSS gzip", "LCP", "LCP static"], rows);
  return results;
});
