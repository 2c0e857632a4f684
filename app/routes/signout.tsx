import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { serializeClearedSessionCookie } from "~/http/auth.server";
import { invalidateSession } from "~/models/sessions.server";
import { logger } from "~/utils/logger.server";

/** Sign-out is a POST only (no state change through GET): deletes the row, clears the cookie. */
export async function action({ context }: ActionFunctionArgs) {
  if (context.auth) {
    await invalidateSession(context.auth.sessionId);
    logger.info({ event: "auth.signout", userId: context.auth.user.id }, "member signed out");
  }
  return redirect("/", { headers: { "Set-Cookie": serializeClearedSessionCookie(context.secure) } });
}

export async function loader() {
  return redirect("/");
}
