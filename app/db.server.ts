/**
 * The Prisma client, one per process, talking to PostgreSQL through `@prisma/adapter-pg`
 * (`engineType = "client"`: no Rust query engine, see ../shared/VERSIONS.md).
 *
 * Reads `DATABASE_URL` when first used; `server/index.ts` sets it to the embedded
 * PostgreSQL's URL before anything touches the database.
 * @throws Error when `DATABASE_URL` is unset at first use.
 */
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { singleton } from "./utils/singleton.server";

export function createPrismaClient(connectionString: string): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  return new PrismaClient({ adapter });
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
