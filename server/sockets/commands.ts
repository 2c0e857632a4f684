/**
 * One socket event per command (app/realtime/commands.ts). Each handler is as thin as a route:
 * re-read the member (roles and suspensions change while a socket is open), run the command
 * through the same model function as HTTP, acknowledge the result or the error code.
 */
import { runCommand } from "~/models/commands.server";
import { findActor } from "~/models/users.server";
import { commandNames, type CommandName } from "~/realtime/commands";
import type { AckResult } from "~/realtime/events";
import { isAppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import type { EventHandlers } from "./router";
import type { AppSocket } from "./socket";

async function handleCommand(name: CommandName, socket: AppSocket, input: unknown, ack: (result: AckResult<{ result: unknown }>) => void) {
  if (typeof ack !== "function") return;
  try {
    const found = await findActor(socket.data.userId);
    const actor = found ? { ...found, sessionId: socket.data.sessionId } : null;
    const result = await runCommand(name, actor, input);
    ack({ ok: true, result });
  } catch (error) {
    if (isAppError(error)) return ack({ ok: false, error: error.code, message: error.message });
    logger.error({ err: error, command: name }, "socket command failed");
    ack({ ok: false, error: "validation" });
  }
}

/** A handler per command event, shared by every socket (server/sockets/router.ts). */
export const commandHandlers = Object.fromEntries(
  commandNames.map((name) => [name, (socket: AppSocket, input: unknown, ack: (result: AckResult<{ result: unknown }>) => void) => handleCommand(name, socket, input, ack)]),
) as Pick<EventHandlers, CommandName>;
