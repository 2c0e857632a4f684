/**
 * P3's anchor: a minimal Remix route returning HTML of a given size, served by Remix's own
 * request handler (`@remix-run/express`) from a one-route server build, with no other
 * middleware. `GET /?bytes=N` answers a page whose body is N bytes (±1 for multi-byte text):
 * route matching, a loader, React server rendering and the response, which is the floor any
 * Remix page of that size stands on. It runs in the benchmark server's process on its own port.
 */
import http from "node:http";
import express from "express";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";

/** Cached filler paragraphs per size, so the anchor's loader does no more work than a lookup. */
const fillers = new Map<number, string[]>();

function paragraphs(bytes: number): string[] {
  let cached = fillers.get(bytes);
  if (cached) return cached;
  const overhead = "<!DOCTYPE html><html lang=\"en\"><head><meta charSet=\"utf-8\"/><title>anchor</title></head><body><main></main></body></html>".length;
  const sentence = "Coal regions in the United States and China retrain workers, repurpose mines and plan new industries. ";
  cached = [];
  let left = Math.max(0, bytes - overhead);
  while (left > 0) {
    const text = sentence.repeat(8).slice(0, Math.max(1, left - 7));
    cached.push(text);
    left -= text.length + 7; // <p></p>
  }
  fillers.set(bytes, cached);
  return cached;
}

function Page({ paragraphs: items }: { paragraphs: string[] }) {
  return createElement(
    "html",
    { lang: "en" },
    createElement("head", null, createElement("meta", { charSet: "utf-8" }), createElement("title", null, "anchor")),
    createElement("body", null, createElement("main", null, ...items.map((p, i) => createElement("p", { key: i }, p)))),
  );
}

const build = {
  mode: "production",
  basename: undefined,
  publicPath: "/build/",
  assetsBuildDirectory: "build/anchor",
  future: {},
  isSpaMode: false,
  entry: {
    module: {
      default: (_request: Request, status: number, headers: Headers, context: { staticHandlerContext: { loaderData: Record<string, { paragraphs: string[] }> } }) => {
        const data = context.staticHandlerContext.loaderData.root;
        headers.set("Content-Type", "text/html; charset=utf-8");
        return new Response("<!DOCTYPE html>" + renderToString(createElement(Page, data)), { status, headers });
      },
    },
  },
  routes: {
    root: {
      id: "root",
      path: "",
      module: {
        loader: ({ request }: { request: Request }) => ({ paragraphs: paragraphs(Math.min(Number(new URL(request.url).searchParams.get("bytes")) || 1000, 5_000_000)) }),
        default: () => null,
      },
    },
  },
  assets: {
    entry: { module: "/build/entry.js", imports: [] },
    routes: { root: { id: "root", path: "", module: "/build/root.js", hasLoader: true, hasAction: false, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false, imports: [] } },
    url: "/build/manifest.js",
    version: "anchor",
  },
} as unknown as ServerBuild;

/** Starts the anchor on 127.0.0.1 and a free port. */
export async function startAnchorServer(): Promise<{ port: number; close(): Promise<void> }> {
  const app = express();
  app.disable("x-powered-by");
  app.all("*", createRequestHandler({ build, mode: "production" }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
