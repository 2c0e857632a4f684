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
import { PrismaClient, type Prisma } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
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

/** The pg pool under each client made here (for `readRows`). */
const pools = new WeakMap<object, pg.Pool>();

export function createPrismaClient(connectionString: string): PrismaClient {
  const settings = databaseSettings();
  // The pool is ours so that `readRows` can use it too; the adapter still ends it on $disconnect.
  const pool = new pg.Pool({ connectionString, max: settings.poolSize, connectionTimeoutMillis: settings.transactionWaitMs });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({ adapter, transactionOptions: { maxWait: settings.transactionWaitMs, timeout: settings.transactionTimeoutMs } });
  pools.set(client, pool);
  return client;
}

function sharedClient(): PrismaClient {
  return singleton("prisma", () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app through server/index.ts or set it.");
    return createPrismaClient(url);
  });
}

export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = sharedClient();
    const value = Reflect.get(client, property);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/**
 * The rows of one read, sent straight to the client's pg pool: for the fixed-shape statements
 * every page view sends (the session, the thread, a page of replies, the reader's state, title
 * translations). `prisma.$queryRaw` with the same SQL costs ≈ 0.35–0.65 ms of CPU per statement
 * in Prisma's request pipeline and row decoding, the pool ≈ 0.07–0.14 ms
 * (docs/decisions/043-where-each-benchmark-stands.md).
 *
 * Values are pg's: `timestamptz` → Date, `json`/`jsonb` parsed, `int4` → number, `bytea` →
 * Buffer, `text[]` → string[]; but `int8` and `numeric` arrive as strings and arrays of enums
 * unparsed, so cast those in the SQL (`::int`, `::text`, `::text[]`). Outside a transaction only:
 * given a client without a pool of its own (a transaction's), the read goes through its
 * `$queryRaw` on the transaction's connection. Errors are pg's (a pool wait past
 * DATABASE_TRANSACTION_WAIT_MS is "timeout exceeded when trying to connect": `isOverload`).
 * @param db the client whose pool to use (default: the shared one)
 */
export async function readRows<T>(query: Prisma.Sql, db: Pick<PrismaClient, "$queryRaw"> = prisma): Promise<T[]> {
  const pool = pools.get(db === prisma ? sharedClient() : db);
  if (!pool) return db.$queryRaw<T[]>(query);
  return (await pool.query(query.text, query.values)).rows as T[];
}

/** Closes the shared client's pool (on shutdown). */
export async function disconnectPrisma(): Promise<void> {
  const store = globalThis as unknown as { __crnSingletons?: Map<string, unknown> };
  const client = store.__crnSingletons?.get("prisma") as PrismaClient | undefined;
  if (client) {
    store.__crnSingletons!.delete("prisma");
    await client.$disconnect();
  }
}
