/**
 * Spawns the built server (`node build/server.js`, NODE_ENV=production, PORT=0,
 * PUBLIC_URL=http://localhost:0, i.e. the bound port) and waits for its "listening" line. `stop()` sends SIGTERM and waits for the process to exit.
 *
 * Needs a fresh `npm run build` (`npm test` builds first).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./env";

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  /** External PostgreSQL; leave out to let the server start its embedded one. */
  databaseUrl?: string;
  /** Enables the Socket.IO Redis adapter. */
  redisUrl?: string;
  /** Extra environment; a value of `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
  /** How long to wait for the listening line (default 90 s). */
  timeoutMs?: number;
}

export interface RunningServer {
  /** e.g. http://localhost:41234 */
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process exits (on its own or after `stop`). */
  exited: Promise<ExitInfo>;
  /** SIGTERM, then waits for exit (SIGKILL after `timeoutMs`, default 30 s). */
  stop(timeoutMs?: number): Promise<ExitInfo>;
}

/** The server exited (or hung) before it was listening. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly exit: ExitInfo | null,
    readonly output: string,
  ) {
    super(`${message}\n--- server output ---\n${output.slice(-4000)}`);
    this.name = "ServerStartError";
  }
}

const LISTENING = /Coal Regions Network listening on (\S+) \(port (\d+)\)/;

const running = new Set<ChildProcess>();

/** Every server this test file started (tests/helpers/setup.ts checks their logs afterwards). */
export const startedServers: { output(): string }[] = [];

/** The log line server/index.ts writes for a promise rejected with no handler. */
export const UNHANDLED_REJECTION = /"event":"process\.unhandled_rejection"/;
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function childEnv(options: StartOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("VITEST") || key === "NODE_OPTIONS") delete env[key];
  }
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.EMBEDDED_PG_DIR;
  delete env.ALLOWED_ORIGINS;
  delete env.PUBLIC_URL;
  // Production needs PUBLIC_URL; port 0 there means "the port the server bound" (server/config.ts).
  Object.assign(env, { NODE_ENV: "production", PORT: "0", LOG_LEVEL: "warn", PUBLIC_URL: "http://localhost:0" });
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const entry = path.join(repoRoot, "build", "server.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first.`);

  const child = spawn(process.execPath, [entry], { cwd: repoRoot, env: childEnv(options), stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  const listening = new Promise<{ url: string; port: number }>((resolve, reject) => {
    let settled = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = LISTENING.exec(output);
      if (match && !settled) {
        settled = true;
        resolve({ url: match[1], port: Number(match[2]) });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (error) => {
      if (!settled) (settled = true), reject(new ServerStartError(`could not spawn the server: ${error.message}`, null, output));
    });
    void exited.then((exit) => {
      // Let the last output arrive before reporting.
      setImmediate(() => {
        if (!settled) (settled = true), reject(new ServerStartError(`the server exited before listening (code ${exit.code}, signal ${exit.signal})`, exit, output));
      });
    });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill("SIGKILL");
      reject(new ServerStartError(`the server was not listening after ${options.timeoutMs ?? 90_000} ms`, null, output));
    }, options.timeoutMs ?? 90_000);
    timer.unref();
  });

  startedServers.push({ output: () => output });
  const { url, port } = await listening;
  return {
    url,
    port,
    process: child,
    output: () => output,
    exited,
    async stop(timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
}

/** The one-time first-admin sign-up link the server prints on a database with no admin. */
export function firstAdminLink(output: string): string | null {
  return /(https?:\/\/\S+\/signup\?invitation=[A-Za-z0-9_-]+)/.exec(output)?.[1] ?? null;
}
