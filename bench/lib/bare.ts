/** Starts bench/lib/bare-server.ts (the bare Socket.IO anchors) as a child process with --expose-gc. */
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./harness";

export interface BareProcess {
  port: number;
  pid: number;
  base: string;
  /** heapUsed and rss (bytes) after a forced GC. */
  memory(): Promise<{ heapUsed: number; rss: number }>;
  stop(): Promise<void>;
}

export async function startBare(): Promise<BareProcess> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", path.join(ROOT, "bench", "lib", "bare-server.ts")], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, (m: { heapUsed: number; rss: number }) => void>();
  let seq = 0;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the bare server did not start within 60 s")), 60_000);
    child.on("message", (m: { type: string; port?: number; seq?: number; heapUsed: number; rss: number }) => {
      if (m.type === "ready") {
        clearTimeout(timer);
        resolve(m.port!);
      } else if (m.type === "memory") {
        waiting.get(m.seq!)?.(m);
        waiting.delete(m.seq!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the bare server exited (code ${code})`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    port,
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    memory: () =>
      new Promise((resolve) => {
        const n = seq++;
        waiting.set(n, resolve);
        child.send({ type: "memory", seq: n });
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: "stop" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
