/**
 * The authorisation matrix over HTTP (`POST /api/commands/<name>`): a signed-out visitor, a
 * member, a suspended member, a moderator and an admin × every thread, reply, flag and
 * moderation command. Allowed cells check what was stored and broadcast; refused cells check
 * the error code and HTTP status, that no table changed and that nothing reached a socket
 * watching the thread. The table is in tests/helpers/authorisation-matrix.ts.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandNames } from "~/realtime/commands";
import { CONTENT_MATRIX, runContentCell } from "../helpers/authorisation-matrix-content";
import { apiCommand } from "../helpers/commands";
import {
  ACTOR_LABELS,
  closeWorld,
  expectedOutcome,
  MATRIX,
  runCell,
  setUpWorld,
  type ActorName,
  type World,
} from "../helpers/authorisation-matrix";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { openPrisma } from "../helpers/factories";
import { languageCookie } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

const ACTORS: ActorName[] = ["visitor", "member", "suspended", "moderator", "admin"];

describe("commands over HTTP", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    world = await setUpWorld(db, server);
  });

  afterAll(async () => {
    closeWorld(world);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  for (const row of MATRIX) {
    describe(`${row.command} on ${row.on}`, () => {
      for (const actor of ACTORS) {
        const expected = expectedOutcome(row, actor, "http");
        const verdict = expected === "ok" ? "is allowed" : `is refused with ${expected}`;
        it(`by ${ACTOR_LABELS[actor]} ${verdict}`, () => runCell(world, row, actor, "http"));
      }
    });
  }

  for (const row of CONTENT_MATRIX) {
    describe(`${row.command} on ${row.on}`, () => {
      for (const actor of ACTORS) {
        const expected = expectedOutcome({ expected: row.expected } as Parameters<typeof expectedOutcome>[0], actor, "http");
        const verdict = expected === "ok" ? "is allowed" : `is refused with ${expected}`;
        it(`by ${ACTOR_LABELS[actor]} ${verdict}`, () => runContentCell(world, row, actor, "http"));
      }
    });
  }

  it("has a row for every command", () => {
    const covered = new Set([...MATRIX, ...CONTENT_MATRIX].map((row) => row.command));
    expect(commandNames.filter((name) => !covered.has(name))).toEqual([]);
  });

  it("answers an unknown command with 404 command_unknown, in the reader's language", async () => {
    const member = world.actors.member.session!;
    expect(await apiCommand(server.url, "thread.explode", {}, { cookie: member.cookie })).toMatchObject({
      code: "command_unknown",
      status: 404,
      message: "There is no such action.",
    });
    expect(await apiCommand(server.url, "thread.explode", {}, { cookie: member.cookie, lngCookie: await languageCookie(server.url, "zh") })).toMatchObject({
      code: "command_unknown",
      message: "没有这个操作。",
    });
  });

  it("answers a body that is not JSON with 400 body_malformed, and a GET with 405", async () => {
    const member = world.actors.member.session!;
    const url = new URL("/api/commands/thread.watch", server.url);
    const malformed = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: `${member.cookie}; ${await languageCookie(server.url, "zh")}`, origin: new URL(server.url).origin },
      body: "{ not json",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ ok: false, error: { code: "body_malformed", message: "无法读取请求内容：请发送 JSON 或表单数据。" } });
    const get = await fetch(url, { headers: { cookie: member.cookie } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.json()).toMatchObject({ ok: false, error: { code: "method_not_allowed" } });
  });

  it("refuses a command without the site's Origin with 403, even from a member", async () => {
    const member = world.actors.member.session!;
    const response = await fetch(new URL("/api/commands/thread.watch", server.url), {
      method: "POST",
      headers: { "content-type": "application/json", cookie: member.cookie },
      body: JSON.stringify({ threadId: "x", level: "muted" }),
    });
    expect(response.status).toBe(403);
  });
});
