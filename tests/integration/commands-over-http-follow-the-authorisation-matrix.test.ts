/**
 * The authorisation matrix over HTTP (`POST /api/commands/<name>`): a signed-out visitor, a
 * member, a suspended member, a moderator and an admin × every thread, reply, flag and
 * moderation command. Allowed cells check what was stored and broadcast; refused cells check
 * the error code and HTTP status, that no table changed and that nothing reached a socket
 * watching the thread. The table is in tests/helpers/authorisation-matrix.ts.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  it("answers an unknown command with 404 not_found", async () => {
    const member = world.actors.member.session!;
    expect(await apiCommand(server.url, "thread.explode", {}, { cookie: member.cookie })).toMatchObject({ code: "not_found", status: 404 });
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
