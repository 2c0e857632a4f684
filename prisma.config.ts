/**
 * Prisma CLI configuration. `engine: "js"` with the pg driver adapter keeps the CLI free of
 * the Rust schema engine, which cannot be downloaded here (see ../shared/VERSIONS.md).
 * The CLI is used only for `prisma generate` and `prisma migrate diff`; migrations are applied
 * by our own runner (server/migrate.ts).
 */
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

process.env.PRISMA_CLI_DATABASE_URL ??=
  process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  async adapter() {
    return new PrismaPg({ connectionString: process.env.PRISMA_CLI_DATABASE_URL });
  },
});
