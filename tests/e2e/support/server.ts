/**
 * The app under test: a fresh PostgreSQL database and the built production server
 * (`build/server.js`) on a free port. Used by the Playwright global setup.
 *
 * Environment: TEST_DATABASE_URL (an admin connection used to create and drop the database;
 * default postgresql://postgres@127.0.0.1:5432/postgres), TEST_REDIS_URL (when set, the server
 * runs with the Socket.IO Redis adapter, as in production; E2E_REDIS=0 turns that off),
 * E2E_SERVER_LOG=1 (echo the server's output).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export const adminDatabaseUrl = () =>
  process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

/** The URL of database `name` on the same server as `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a random name; returns its name and URL. */
export async function createDatabase(prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { name, url: databaseUrl(adminDatabaseUrl(), name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export interface RunningServer {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** The last lines the server printed (for failure messages). */
  output(): string;
  /** Every line the server logged for a promise rejected with no handler (server/index.ts). */
  unhandledRejections(): string[];
  stop(): Promise<void>;
}

/**
 * Spawns `node build/server.js` with PORT=0 and resolves once it prints its port.
 * @throws Error (with the server's output) when it exits or is not listening within `timeoutMs`
 */
export async function startServer(options: {
  databaseUrl: string;
  redisUrl?: string;
  entry?: string;
  extraEnv?: Record<string, string>;
  echo?: boolean;
  timeoutMs?: number;
}): Promise<RunningServer> {
  const entry = options.entry ?? path.join(ROOT, "build", "server.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first.`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    // Production needs PUBLIC_URL; port 0 there means "the port the server bound".
    PUBLIC_URL: "http://127.0.0.1:0",
    ...options.extraEnv,
  };
  delete env.REDIS_URL;
  delete env.ALLOWED_ORIGINS;
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;

  const child = spawn(process.execPath, [entry], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const rejections: string[] = [];
  const keep = (chunk: Buffer, stream: NodeJS.WriteStream) => {
    const text = chunk.toString("utf8");
    for (const line of text.split("\n")) {
      if (!line) continue;
      lines.push(line);
      if (line.includes('"event":"process.unhandled_rejection"')) rejections.push(line);
    }
    if (lines.length > 200) lines.splice(0, lines.length - 200);
    if (options.echo) stream.write(text);
  };
  child.stdout!.on("data", (c: Buffer) => keep(c, process.stdout));
  child.stderr!.on("data", (c: Buffer) => keep(c, process.stderr));
  const output = () => lines.join("\n");

  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // Should the test runner itself die without its teardown, take the server with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`The server did not start within ${options.timeoutMs ?? 60_000} ms. Output:\n${output()}`));
    }, options.timeoutMs ?? 60_000);
    const onData = () => {
      const match = /listening on \S+ \(port (\d+)\)/.exec(output());
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (code ${code}) before listening. Output:\n${output()}`));
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    child,
    output,
    unhandledRejections: () => [...rejections],
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
