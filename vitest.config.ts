/**
 * Vitest: unit tests next to the code (`app/**\/*.test.ts`) and integration tests against real
 * PostgreSQL, Redis and the built server (`tests/integration`). Standalone on purpose: it must
 * not load vite.config.ts and its Remix plugin.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: { alias: { "~": path.join(root, "app") } },
  test: {
    include: ["app/**/*.test.ts", "bench/lib/**/*.test.ts", "tests/integration/**/*.test.ts"],
    exclude: ["**/node_modules/**", "build/**", "tests/e2e/**"],
    environment: "node",
    globalSetup: ["tests/helpers/global-setup.ts"],
    setupFiles: ["tests/helpers/setup.ts"],
    pool: "forks",
    // Each integration file spawns one or two servers; on a small CI machine two files at a
    // time keeps them from starving each other.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});
