/**
 * Starts the product (bench/lib/app-server.ts) as a child process on a free port, against a
 * given database, and talks to its benchmark hooks over IPC. Also makes signed-in members fast
 * (rows and sessions written directly: an argon2 sign-in each would only slow the set-up).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { ReplyView } from "~/realtime/events";
import type { CpuProfile } from "./cpu-split";
import { inBatches, ROOT } from "./harness";

export interface AppProcess {
  port: number;
  /** P3's minimal Remix route (bench/lib/anchor-route.ts), in the same process. */
  anchorPort: number;
  pid: number;
  base: string;
  bareEmit(threadId: string, reply: ReplyView): Promise<void>;
  /** heapUsed and rss (bytes) after a forced GC (needs `exposeGc`), and SQL statements sent so far. */
  memory(): Promise<{ heapUsed: number; rss: number; statements: number }>;
  /** Starts (on) or ends a capture of every SQL statement the server sends; resolves with the previous capture. */
  capture(on: boolean): Promise<{ text: string; values: unknown[] }[]>;
  /** Starts (on) or ends a V8 CPU profile of the server; ending resolves with it. */
  profile(on: boolean): Promise<CpuProfile | null>;
  stop(): Promise<void>;
}

/**
 * Starts the app server; rejects when it does not start within 120 s. BENCH_CPU_PROF=<dir>
 * writes a V8 CPU profile of the server there when it stops (read it with
 * `npx tsx bench/lib/profile-summary.ts <file>` or Chrome DevTools).
 */
export async function startApp(options: { databaseUrl: string; redisUrl?: string; exposeGc?: boolean; seed?: boolean; env?: NodeJS.ProcessEnv }): Promise<AppProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATABASE_URL: options.databaseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...options.env };
  delete env.REDIS_URL;
  delete env.ALLOWED_ORIGINS;
  delete env.PUBLIC_URL;
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  if (options.seed === false) env.BENCH_SEED = "0";
  const child: ChildProcess = spawn(process.execPath, [...(options.exposeGc ? ["--expose-gc"] : []), ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), "--import", "tsx", path.join(ROOT, "bench", "lib", "app-server.ts")], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several shapes, typed by `ask`
  const waiting = new Map<number, (message: any) => void>();
  let seq = 0;
  const ports = await new Promise<{ port: number; anchorPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the bench server did not start within 120 s")), 120_000);
    child.on("message", (message: { type: string; port?: number; anchorPort?: number; seq?: number; message?: string; heapUsed?: number; rss?: number }) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve({ port: message.port!, anchorPort: message.anchorPort! });
      } else if (message.type === "emitted" || message.type === "memory" || message.type === "captured" || message.type === "profiled") {
        waiting.get(message.seq!)?.(message);
        waiting.delete(message.seq!);
      } else if (message.type === "error") {
        clearTimeout(timer);
        reject(new Error(`bench server failed: ${message.message}`));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited (code ${code}) before it was ready`));
    });
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const ask = <T>(message: object) =>
    new Promise<T>((resolve) => {
      const n = seq++;
      waiting.set(n, resolve as (m: unknown) => void);
      child.send({ ...message, seq: n });
    });
  return {
    ...ports,
    pid: child.pid!,
    base: `http://127.0.0.1:${ports.port}`,
    bareEmit: (threadId, reply) => ask<void>({ type: "bare-emit", threadId, reply }),
    capture: (on) => ask<{ statements: { text: string; values: unknown[] }[] }>({ type: "capture", on }).then((m) => m.statements),
    memory: () => ask<{ heapUsed: number; rss: number; statements: number }>({ type: "memory" }),
    profile: (on) => ask<{ profile: CpuProfile | null }>({ type: "profile", on }).then((m) => m.profile),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: "stop" });
      else child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * `count` members (role member, English, one password hash shared) with a session each, written
 * through the product's own models against `databaseUrl`. Sets process.env.DATABASE_URL.
 */
export async function makeMembers(databaseUrl: string, count: number, prefix = "bench") {
  process.env.DATABASE_URL = databaseUrl;
  const { prisma } = await import("~/db.server");
  const { createSession } = await import("~/models/sessions.server");
  const { hashPassword } = await import("~/utils/password.server");
  const { newId } = await import("~/utils/ids.server");
  const passwordHash = await hashPassword(`bench-${randomBytes(8).toString("hex")}`);
  const members = Array.from({ length: count }, (_, i) => ({
    id: newId(),
    email: `${prefix}-${i}@example.org`,
    passwordHash,
    displayName: `Bench Member ${i}`,
    organisation: "Benchmark",
    locale: "en" as const,
    role: "member" as const,
  }));
  for (let i = 0; i < members.length; i += 1000) await prisma.user.createMany({ data: members.slice(i, i + 1000) });
  const cookies: string[] = new Array(members.length);
  await inBatches(members, 20, async (m, i) => {
    cookies[i] = `crn_session=${(await createSession(m.id, { userAgent: "bench" })).token}`;
  });
  return members.map((m, i) => ({ id: m.id, cookie: cookies[i] }));
}
