/**
 * Runs in every Vitest test file (vitest.config.ts `setupFiles`). After the file's own hooks
 * have stopped its servers, fails the file if any server it started logged an unhandled
 * promise rejection (server/index.ts logs each one instead of exiting): a rejection nobody
 * handles is a bug even when no assertion noticed it.
 */
import { afterAll, expect } from "vitest";
import { startedServers, UNHANDLED_REJECTION } from "./server";

afterAll(() => {
  for (const server of startedServers) {
    const lines = server.output().split("\n").filter((line) => UNHANDLED_REJECTION.test(line));
    expect(lines, "a server logged an unhandled promise rejection").toEqual([]);
  }
});
