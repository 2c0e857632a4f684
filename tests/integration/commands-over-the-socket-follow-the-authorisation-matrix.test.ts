/**
 * The authorisation matrix over the socket (one event per command, answered by an ack): the
 * same table as over HTTP (tests/helpers/authorisation-matrix.ts) for every actor that can hold
 * a socket. A signed-out visitor and a suspended member cannot connect at all; a member
 * suspended while their socket was open has every command refused as `suspended`, because each
 * socket command re-reads the member. The socket's reads (joining a thread with its catch-up,
 * following a case study, the badge count) follow their own rows (ROOM_MATRIX).
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandNames } from "~/realtime/commands";
import { CONTENT_MATRIX, runContentCell } from "../helpers/authorisation-matrix-content";
import {
  ACTOR_LABELS,
  closeWorld,
  expectedOutcome,
  MATRIX,
  ROOM_MATRIX,
  runCell,
  runRoomCell,
  setUpWorld,
  type ActorName,
  type World,
} from "../helpers/authorisation-matrix";
import { signIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, suspendInDatabase } from "../helpers/factories";
import { startServer, type RunningServer } from "../helpers/server";
import { connectError } from "../helpers/sockets";

const ACTORS: ActorName[] = ["member", "suspended", "moderator", "admin"];

describe("commands over the socket", () => {
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

  it("cannot be sent by a signed-out visitor, who cannot connect", async () => {
    expect((await connectError(server.url, {})).message).toBe("unauthenticated");
  });

  it("cannot be sent by a suspended member, who cannot connect with a session from before the suspension", async () => {
    const member = await createMember(db);
    const session = await signIn(server.url, member.email, member.password);
    await suspendInDatabase(db, member.id);
    expect((await connectError(server.url, { cookie: session.cookie })).message).toBe("unauthenticated");
    // …and whose session is gone for good.
    expect(await db.session.count({ where: { userId: member.id } })).toBe(0);
  });

  for (const row of ROOM_MATRIX) {
    describe(`${row.event} on ${row.on}`, () => {
      for (const actor of ACTORS as Exclude<ActorName, "visitor">[]) {
        const expected = row.expected[actor];
        const verdict = expected === "ok" ? "is allowed" : `is refused with ${expected}`;
        it(`by ${ACTOR_LABELS[actor]} ${verdict}`, () => runRoomCell(world, row, actor));
      }
    });
  }

  for (const row of MATRIX) {
    describe(`${row.command} on ${row.on}`, () => {
      for (const actor of ACTORS) {
        const expected = expectedOutcome(row, actor, "socket");
        const verdict = expected === "ok" ? "is allowed" : `is refused with ${expected}`;
        it(`by ${ACTOR_LABELS[actor]} ${verdict}`, () => runCell(world, row, actor, "socket"));
      }
    });
  }

  for (const row of CONTENT_MATRIX) {
    describe(`${row.command} on ${row.on}`, () => {
      for (const actor of ACTORS) {
        const expected = expectedOutcome({ expected: row.expected } as Parameters<typeof expectedOutcome>[0], actor, "socket");
        const verdict = expected === "ok" ? "is allowed" : `is refused with ${expected}`;
        it(`by ${ACTOR_LABELS[actor]} ${verdict}`, () => runContentCell(world, row, actor, "socket"));
      }
    });
  }

  it("has a row for every command", () => {
    const covered = new Set([...MATRIX, ...CONTENT_MATRIX].map((row) => row.command));
    expect(commandNames.filter((name) => !covered.has(name))).toEqual([]);
  });
});
