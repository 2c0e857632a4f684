/**
 * Structured logging (pino). Authentication events and refused authorisations are logged with
 * who, what and when; never passwords, tokens or cookies (`redact` guards the common keys).
 */
import pino from "pino";
import { singleton } from "./singleton.server";

export const logger = singleton("logger", () =>
  pino({
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
    redact: ["password", "token", "cookie", "*.password", "*.token", "*.cookie", "headers.cookie"],
    base: { pid: process.pid },
  }),
);
