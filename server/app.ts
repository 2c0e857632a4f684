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
import type { TLSSocket } from "node:tls";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { authenticateCookieHeader } from "~/http/auth.server";
import { logger } from "~/utils/logger.server";
import { isSecureRequest, resolvePublicUrl } from "./config";
import { isLang, type Lang } from "~/i18n/config";
import { getFixedT, localeCookie } from "~/i18n/i18n.server";
import { isOverload, logOverload, RETRY_AFTER_SECONDS } from "~/utils/overload.server";
import { isAllowedOrigin } from "./origin";
import { attachSockets } from "./sockets/index";
import { serveUpload } from "./uploads";

export interface AppServerOptions {
  mode: "production" | "development";
  /** Origins allowed for non-GET requests and socket handshakes; null → the site's own. */
  allowedOrigins: string[] | null;
  redisUrl?: string;
  /**
   * How many reverse proxies stand in front of the app (TRUST_PROXY): exactly that many hops of
   * X-Forwarded-For and X-Forwarded-Proto are believed (server/config.ts).
   */
  trustProxyHops: number;
  /** PUBLIC_URL as configured (port 0: the bound port); null → http://localhost:<port>. */
  publicUrl: URL | null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** What the app server compresses: HTML, JavaScript and CSS. */
const COMPRESSED_TYPES = /^(text\/html|text\/css|text\/javascript|application\/javascript)\b/i;

/** `POST /email/unsubscribe/<token>` (RFC 8058), which may come multipart and from anywhere. */
function isOneClickUnsubscribe(req: express.Request): boolean {
  return req.method === "POST" && req.path.startsWith("/email/unsubscribe/");
}

/** A page form's body: url-encoded, or empty (a POST with no fields, such as "sign out"). */
function isFormRequest(contentType: string | undefined): boolean {
  if (!contentType) return true;
  return /^application\/x-www-form-urlencoded(\s*;|$)/i.test(contentType.trim());
}

/** The most of an unread request body that is read and dropped to keep its connection open. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * A response can be sent before its request body was read (a redirect to sign in, a refused
 * Origin, an upload refused from its Content-Length). Remix's body stream then holds the rest
 * back, which blocks the kept-alive connection: the client's next request on it hangs until the
 * keep-alive timeout and fails, and a client still sending gets no answer. So once the response
 * is sent, the rest of the body is read and dropped (RFC 9112 §9.3: a server that answers early
 * should keep reading); past DRAIN_LIMIT_BYTES the connection is closed instead.
 */
function drainUnreadBodies(req: express.Request, res: express.Response, next: express.NextFunction): void {
  res.on("finish", () => {
    if (req.complete || req.destroyed) return;
    // The route is done with the body: take its readers off, and discard what is left.
    req.removeAllListeners("data");
    let drained = 0;
    req.on("data", (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_LIMIT_BYTES) req.socket.destroy();
    });
    req.resume();
  });
  next();
}

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
  // A hop count, never `true`: req.ip is the address the outermost trusted proxy saw.
  if (options.trustProxyHops > 0) app.set("trust proxy", options.trustProxyHops);
  /** The site's origin, known once listening (absolute URLs never come from the Host header). */
  let siteUrl = resolvePublicUrl(options.publicUrl, 0);

  const vite =
    options.mode === "development"
      ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true, hmr: { server: httpServer } } }))
      : undefined;

  app.use((req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.locals.secure = isSecureRequest(req.headers, (req.socket as TLSSocket).encrypted === true, options.trustProxyHops);
    next();
  });
  app.use(drainUnreadBodies);
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
      strictTransportSecurity: options.trustProxyHops > 0,
    }),
  );

  // Pages, scripts and styles leave compressed when the browser accepts it: every page needs
  // ≈ 465 KB of JavaScript, ≈ 155 KB compressed. Only those types: downloads, uploads and data
  // keep their own encoding and streaming.
  app.use(compression({ filter: (req, res) => COMPRESSED_TYPES.test(String(res.getHeader("Content-Type") ?? "")) && compression.filter(req, res) }));

  if (vite) {
    app.use(vite.middlewares);
  } else {
    app.use("/assets", express.static(path.resolve("build/client/assets"), { immutable: true, maxAge: "1y" }));
    // Only names with an extension can be files here (favicon.ico, locales/*.json): a page's
    // path skips the file-system look-up that found nothing on every page view.
    const publicFiles = express.static(path.resolve("build/client"), { maxAge: "1h" });
    app.use((req, res, next) => (/\.[^/]*$/.test(req.path) ? publicFiles(req, res, next) : next()));
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
    // RFC 8058 one-click unsubscribe: mail providers POST from their own servers, with no Origin
    // and no cookie; the signed token in the path is the authority, and all it can do is turn
    // one kind of email off for its own member.
    if (isOneClickUnsubscribe(req)) return next();
    if (isAllowedOrigin(req.headers.origin, req.headers.host, res.locals.secure === true, options.allowedOrigins)) return next();
    logger.warn({ event: "http.bad_origin", origin: req.headers.origin ?? null, path: req.path }, "non-GET request from another origin refused");
    res.status(403).type("text/plain").send("Forbidden: cross-origin request refused / 拒绝跨站请求");
  });

  // Pages take their forms url-encoded (HTML forms and Remix's <Form> both send that); the JSON
  // API and uploads read their own bodies. Anything else would make an action's formData() throw.
  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method) || req.path.startsWith("/api/commands/") || req.path === "/uploads" || isOneClickUnsubscribe(req)) return next();
    if (isFormRequest(req.headers["content-type"])) return next();
    logger.warn({ event: "http.bad_content_type", contentType: req.headers["content-type"] ?? null, path: req.path }, "page form with another content type refused");
    res.status(415).type("text/plain").send("Unsupported Media Type: send the form as application/x-www-form-urlencoded / 不支持的表单格式");
  });

  app.use(async (req, res, next) => {
    try {
      // A GET's pages show the unread badge (the root loader): read it with the session, in the
      // same statement. Not for other methods: an action may change it before loaders run.
      const { auth, setCookie } = await authenticateCookieHeader(req.headers.cookie, res.locals.secure === true, { withUnreadCount: SAFE_METHODS.has(req.method) });
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
        secure: res.locals.secure === true,
        clientIp: req.ip ?? "",
        publicUrl: siteUrl,
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
    trustProxyHops: options.trustProxyHops,
  });

  return {
    app,
    httpServer,
    io: sockets.io,
    /** Starts listening; resolves with the bound port. */
    listen(port: number, host?: string): Promise<number> {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          const bound = (httpServer.address() as { port: number }).port;
          siteUrl = resolvePublicUrl(options.publicUrl, bound);
          resolve(bound);
        });
      });
    },
    /** The site's origin (PUBLIC_URL, resolved once listening). */
    publicUrl: () => siteUrl,
    async close() {
      await sockets.close();
      httpServer.closeAllConnections?.();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await vite?.close();
    },
  };
}
