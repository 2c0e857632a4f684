/**
 * In production every absolute URL the app writes (canonical, og:url, hreflang alternates,
 * invitation links) comes from PUBLIC_URL, never from the request's Host header; production
 * with an external database refuses to start without PUBLIC_URL, with a clear message, and so
 * does a malformed PUBLIC_URL or a TRUST_PROXY that is not a hop count.
 */
import http from "node:http";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../helpers/auth";
import { createStudy } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma } from "../helpers/factories";
import { ServerStartError, startServer, type RunningServer } from "../helpers/server";

const PUBLIC_URL = "https://coal-regions.example.org";

/** A request with a forged Host header (fetch does not let one set Host). */
function withHost(port: number, path: string, host: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: init.method ?? "GET", headers: { host, ...init.headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once("error", reject);
    req.end(init.body);
  });
}

/** The server must stop before listening; resolves with what it printed. */
async function refusedStart(env: Record<string, string | undefined>, databaseUrl: string): Promise<string> {
  const error = await startServer({ databaseUrl, env, timeoutMs: 60_000 }).then(
    async (server) => {
      await server.stop();
      throw new Error(`the server started with ${JSON.stringify(env)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(ServerStartError);
  return (error as ServerStartError).output;
}

describe("absolute URLs and PUBLIC_URL", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let local: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url, env: { PUBLIC_URL: PUBLIC_URL } });
    local = `http://localhost:${server.port}`;
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("announces the site at PUBLIC_URL", () => {
    expect(server.url).toBe(PUBLIC_URL);
  });

  it("writes canonical, og:url and alternates from PUBLIC_URL whatever the Host header says", async () => {
    const author = await createMember(db);
    const session = await signIn(local, author.email, author.password);
    const id = await createStudy(local, db, session.cookie, { title: "Mine water heat pumps", isPublic: true });
    const page = await withHost(server.port, `/case-studies/${id}`, "evil.example");
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<link rel="canonical" href="${PUBLIC_URL}/case-studies/${id}?lang=en"/>`);
    expect(page.body).toContain(`<meta property="og:url" content="${PUBLIC_URL}/case-studies/${id}?lang=en"/>`);
    expect(page.body).toContain(`hrefLang="en" href="${PUBLIC_URL}/case-studies/${id}?lang=en"`);
    expect(page.body).not.toContain("evil.example");
  });

  it("writes invitation links from PUBLIC_URL whatever the Host header says", async () => {
    const admin = await createMember(db, { role: "admin" });
    const session = await signIn(local, admin.email, admin.password);
    const response = await withHost(server.port, "/admin/invitations", "evil.example", {
      method: "POST",
      body: new URLSearchParams({ role: "member", expiresInDays: "7", note: "" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example", cookie: session.cookie },
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain(`${PUBLIC_URL}/signup?invitation=`);
    expect(response.body).not.toContain("evil.example/signup");
  });

  it("is required in production with an external database: start-up stops with a clear message", async () => {
    const output = await refusedStart({ PUBLIC_URL: undefined }, database.url);
    expect(output).toContain("Configuration error: PUBLIC_URL is not set. In production the site's address must be configured");
  });

  it("must be an http(s) address without a path", async () => {
    expect(await refusedStart({ PUBLIC_URL: "coal-regions.example.org" }, database.url)).toContain("PUBLIC_URL must be the site's address");
    expect(await refusedStart({ PUBLIC_URL: "https://coal-regions.example.org/app?x=1" }, database.url)).toContain("PUBLIC_URL must be an http(s) address with no path");
  });

  it("refuses a TRUST_PROXY that trusts every hop", async () => {
    expect(await refusedStart({ TRUST_PROXY: "true" }, database.url)).toContain("TRUST_PROXY must be the number of reverse proxies in front of the app");
  });
});
