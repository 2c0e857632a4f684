/**
 * Redis clients that cannot take the process down (DESIGN.md, "Faults are expected").
 *
 * - Every client, and every duplicate a library makes of it (the Socket.IO adapter makes two),
 *   has an `error` listener. ioredis emits an error on every failed reconnection attempt; we log
 *   one structured line when a client goes down and one when it is back, not one per attempt.
 * - Every promise a command returns gets a no-op rejection handler attached, so a library that
 *   fires a command without awaiting it (the Socket.IO Redis streams adapter does so for the
 *   SET of a disconnected socket's session, its PUBLISH of ephemeral messages and SUBSCRIBE)
 *   never produces an unhandled rejection while Redis is down. Whoever awaits the promise still
 *   receives the error: attaching a handler does not swallow it for other handlers.
 */
import { Redis, type RedisOptions } from "ioredis";
import { logger } from "./logger.server";

export interface GuardedRedis {
  /** The client to hand to libraries (commands never reject unhandled). */
  client: Redis;
  /** True while the connection is ready for commands. */
  isUp(): boolean;
  /** Calls `listener(up)` whenever the client goes down or comes back; returns an unsubscribe. */
  onChange(listener: (up: boolean) => void): () => void;
  /** Sends QUIT (after the commands already queued) and stops reconnecting. */
  close(): Promise<void>;
}

const noop = () => {};

/** Attaches a no-op rejection handler to any promise `value` is, and returns `value` unchanged. */
function markHandled<T>(value: T): T {
  if (value && typeof (value as { catch?: unknown }).catch === "function" && typeof (value as { then?: unknown }).then === "function") {
    (value as unknown as Promise<unknown>).catch(noop);
  }
  return value;
}

/**
 * Wraps a client so every command's promise is marked handled, and gives each duplicate the same
 * treatment plus its own error listener.
 */
function guard(client: Redis, name: string): Redis {
  watch(client, name);
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      if (property === "duplicate") {
        return (...args: Parameters<Redis["duplicate"]>) => guard(target.duplicate(...args), `${name}:duplicate`);
      }
      return (...args: unknown[]) => markHandled((value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}

/** Logs a client going down once (not once per reconnection attempt) and coming back. */
function watch(client: Redis, name: string): void {
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ event: "redis.down", client: name, err: { message: error.message, code: (error as { code?: string }).code } }, "Redis unreachable; retrying");
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info({ event: "redis.up", client: name }, "Redis reachable again");
  });
}

/**
 * A Redis client for `url` that never crashes the process (see the module comment).
 * `name` appears in the log lines. `options` are ioredis options; by default a command waits
 * for at most one reconnection attempt (`maxRetriesPerRequest: 1`) and then fails, so nothing
 * queues up without bound while Redis is away.
 */
export function createRedis(url: string, name: string, options: RedisOptions = {}): GuardedRedis {
  const raw = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  const client = guard(raw, name);
  const listeners = new Set<(up: boolean) => void>();
  let up = raw.status === "ready";
  const set = (next: boolean) => {
    if (next === up) return;
    up = next;
    for (const listener of listeners) {
      try {
        listener(up);
      } catch (error) {
        logger.error({ event: "redis.listener_failed", client: name, err: error }, "Redis health listener failed");
      }
    }
  };
  raw.on("ready", () => set(true));
  raw.on("close", () => set(false));
  raw.on("end", () => set(false));
  return {
    client,
    isUp: () => up && raw.status === "ready",
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await raw.quit().catch(() => raw.disconnect());
    },
  };
}
