/**
 * One socket event per command (app/realtime/commands.ts). Each handler is as thin as a route:
 * re-read the member (roles and suspensions change while a socket is open), run the command
 * through the same model function as HTTP, acknowledge the result or the error code.
 */
import { runCommand } from "~/models/commands.server";
import { findActor } from "~/models/users.server";
import { commandNames } from "~/realtime/commands";
import type { AckResult } from "~/realtime/events";
import { isAppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import type { AppSocket } from "./threads";

export function registerCommandHandlers(socket: AppSocket) {
  for (const name of commandNames) {
    socket.on(name, async (input: unknown, ack: (result: AckResult<{ result: unknown }>) => void) => {
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
    });
  }
}
