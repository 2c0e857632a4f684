/**
 * Express + Remix + Socket.IO on one `http.Server`.
 *
 * Request pipeline: security headers (helmet, CSP with a per-request nonce) → static files →
 * Origin check on every non-GET → session cookie validation (once) → Remix, which receives
 * the member through load context. Development serves through Vite in middleware mode;
 * production serves `build/`.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import helmet from "helmet";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { authenticateCookieHeader } from "~/auth.server";
import { isLang, type Lang } from "~/i18n/config";
import { getFixedT, localeCookie } from "~/i18n/i18n.server";
import { logger } from "~/utils/logger.server";
import { isOverload, logOverload, RETRY_AFTER_SECONDS } from "~/utils/overload.server";
import { isAllowedOrigin } from "./origin";
import { attachSockets } from "./sockets/index";
import { serveUpload } from "./uploads";

export interface AppServerOptions {
  mode: "production" | "development";
  /** Origins allowed for non-GET requests and socket handshakes; null → the site's own. */
  allowedOrigins: string[] | null;
  redisUrl?: string;
  /** Trust X-Forwarded-* from a reverse proxy (sets req.secure from X-Forwarded-Proto). */
  trustProxy: boolean;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The reader's language outside Remix: the `lng` cookie, else Accept-Language. */
async function requestLang(req: express.Request): Promise<Lang> {
  const fromCookie = await localeCookie.parse(req.headers.cookie ?? null).catch(() => null);
  if (isLang(fromCookie)) return fromCookie;
  return req.acceptsLanguages("en", "zh") === "zh" ? "zh" : "en";
}

/**
 * The answer to a request refused because the database is too busy (app/utils/overload.server.ts):
 * 503 with Retry-After, the API's `{ ok: false, error }` under /api/, a short page otherwise,
 * in the reader's language, and one log line.
 */
async function refuseOverloaded(req: express.Request, res: express.Response, error: unknown): Promise<void> {
  logOverload(error, { channel: "http", method: req.method, path: req.path });
  const lang = await requestLang(req);
  const message = (await getFixedT(lang))("errors.overloaded");
  res.status(503).set("Retry-After", String(RETRY_AFTER_SECONDS));
  if (req.path.startsWith("/api/")) {
    res.json({ ok: false, error: { code: "overloaded", message, field: "" } });
    return;
  }
  const escaped = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  res.type("html").send(`<!doctype html><html lang="${lang === "zh" ? "zh-CN" : "en"}"><meta charset="utf-8"><title>503</title><h1>503</h1><p>${escaped}</p></html>`);
}

export async function createAppServer(options: AppServerOptions) {
  const app = express();
  const httpServer = http.createServer(app);
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", true);

  const vite =
    options.mode === "development"
      ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true, hmr: { server: httpServer } } }))
      : undefined;

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "script-src": vite
            ? ["'self'", "'unsafe-inline'"]
            : ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          "connect-src": ["'self'", ...(vite ? ["ws:"] : [])],
          "img-src": ["'self'", "data:"],
          "frame-ancestors": ["'none'"],
          "upgrade-insecure-requests": null,
        },
      },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      strictTransportSecurity: options.trustProxy,
    }),
  );

  if (vite) {
    app.use(vite.middlewares);
  } else {
    app.use("/assets", express.static(path.resolve("build/client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.resolve("build/client"), { maxAge: "1h" }));
  }

  // Uploaded images, with their own headers (helmet's page CSP replaced by default-src 'none').
  // POST /uploads is a Remix resource route (app/routes/uploads.ts), behind the Origin check.
  app.get("/uploads/:id", serveUpload);

  // A NUL byte can name no page (and PostgreSQL cannot compare text with it): 404, not a 500.
  app.use((req, res, next) => {
    if (!/%00/i.test(req.originalUrl)) return next();
    res.status(404).type("text/plain").send("Not found / 未找到");
  });

  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (isAllowedOrigin(req.headers.origin, req.headers.host, req.secure, options.allowedOrigins)) return next();
    logger.warn({ event: "http.bad_origin", origin: req.headers.origin ?? null, path: req.path }, "non-GET request from another origin refused");
    res.status(403).type("text/plain").send("Forbidden: cross-origin request refused / 拒绝跨站请求");
  });

  app.use(async (req, res, next) => {
    try {
      const { auth, setCookie } = await authenticateCookieHeader(req.headers.cookie, req.secure);
      res.locals.auth = auth;
      if (setCookie) res.append("Set-Cookie", setCookie);
      next();
    } catch (error) {
      if (isOverload(error)) return refuseOverloaded(req, res, error);
      next(error);
    }
  });

  const build = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild);

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: options.mode,
      getLoadContext: (req, res) => ({
        auth: res.locals.auth ?? null,
        nonce: res.locals.cspNonce,
        secure: req.secure,
        clientIp: req.ip ?? "",
        userAgent: req.get("user-agent") ?? "",
      }),
    }),
  );

  // Anything that escaped the handlers: overload is a 503 like everywhere else; the rest a
  // logged 500 without the stack in the answer.
  app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    if (isOverload(error)) return void refuseOverloaded(req, res, error);
    logger.error({ err: error, method: req.method, path: req.path }, "request failed");
    res.status(500).type("text/plain").send("Unexpected Server Error");
  });

  const sockets = await attachSockets(httpServer, {
    allowedOrigins: options.allowedOrigins,
    redisUrl: options.redisUrl,
    trustProxy: options.trustProxy,
  });

  return {
    app,
    httpServer,
    io: sockets.io,
    /** Starts listening; resolves with the bound port. */
    listen(port: number, host?: string): Promise<number> {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve((httpServer.address() as { port: number }).port));
      });
    },
    async close() {
      await sockets.close();
      httpServer.closeAllConnections?.();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await vite?.close();
    },
  };
}
