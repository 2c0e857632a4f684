/**
 * Unit tests only (pure modules, no database, no browser):
 *   npx vitest run --config vitest.config.unit.ts
 * Kept apart from vite.config.ts, whose Remix plugin does not belong in a test run.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.ts"],
    environment: "node",
  },
});
