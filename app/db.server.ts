/**
 * The Prisma client, one per process, talking to PostgreSQL through `@prisma/adapter-pg`
 * (`engineType = "client"`: no Rust query engine, see ../shared/VERSIONS.md).
 *
 * Reads `DATABASE_URL` when first used; `server/index.ts` sets it to the embedded
 * PostgreSQL's URL before anything touches the database.
 * @throws Error when `DATABASE_URL` is unset at first use.
 *
 * Pool and waiting (issue #11, "overload degrades honestly"; README, "Running under load"):
 * - DATABASE_POOL_SIZE (10): connections per process.
 * - DATABASE_TRANSACTION_WAIT_MS (5000): how long a query or a transaction waits for a free
 *   connection (pg-pool's `connectionTimeoutMillis` and Prisma's `maxWait`). Past it the request
 *   is refused with 503 and `Retry-After` (app/utils/overload.server.ts), never a 500.
 * - DATABASE_TRANSACTION_TIMEOUT_MS (5000, Prisma's default): the longest an interactive
 *   transaction may run; past it Prisma rolls it back (also answered 503).
 */
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { singleton } from "./utils/singleton.server";

/**
 * A positive whole number from the environment, or `fallback` when unset.
 * @throws Error naming the variable when it is set to anything else
 */
function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return value;
}

/** The pool and transaction settings from the environment (see the module comment). */
export function databaseSettings() {
  return {
    poolSize: positiveInt("DATABASE_POOL_SIZE", 10),
    transactionWaitMs: positiveInt("DATABASE_TRANSACTION_WAIT_MS", 5000),
    transactionTimeoutMs: positiveInt("DATABASE_TRANSACTION_TIMEOUT_MS", 5000),
  };
}

export function createPrismaClient(connectionString: string): PrismaClient {
  const settings = databaseSettings();
  const adapter = new PrismaPg({ connectionString, max: settings.poolSize, connectionTimeoutMillis: settings.transactionWaitMs });
  return new PrismaClient({ adapter, transactionOptions: { maxWait: settings.transactionWaitMs, timeout: settings.transactionTimeoutMs } });
}

export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = singleton("prisma", () => {
      const url = process.env.DATABASE_URL;
      if (!url) throw new Error("DATABASE_URL is not set: start the app through server/index.ts or set it.");
      return createPrismaClient(url);
    });
    const value = Reflect.get(client, property);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** Closes the shared client's pool (on shutdown). */
export async function disconnectPrisma(): Promise<void> {
  const store = globalThis as unknown as { __crnSingletons?: Map<string, unknown> };
  const client = store.__crnSingletons?.get("prisma") as PrismaClient | undefined;
  if (client) {
    store.__crnSingletons!.delete("prisma");
    await client.$disconnect();
  }
}
