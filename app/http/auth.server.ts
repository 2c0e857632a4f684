/**
 * The one way to get the signed-in member. `server/app.ts` validates the session cookie once per
 * request (`authenticateRequest`) and hands the result to Remix as load context; loaders and
 * actions call `getActor` / `requireUser`. Sockets use `authenticateCookieHeader` at the handshake.
 *
 * Cookie (DESIGN.md, Lucia's guide): HttpOnly, SameSite=Lax, Path=/, and over HTTPS also
 * Secure with the `__Host-` prefix; Max-Age follows the sliding 30-day expiry.
 */
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parse, serialize } from "cookie";
import { can, type Actor } from "~/policy.server";
import { safeRedirectPath } from "~/utils/safe-redirect";
import { validateSessionToken, type SessionUser, type ValidatedSession } from "~/models/sessions.server";

export const sessionCookieName = (secure: boolean) => (secure ? "__Host-crn_session" : "crn_session");

export function readSessionToken(cookieHeader: string | undefined | null, secure: boolean): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[sessionCookieName(secure)];
}

export function serializeSessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(sessionCookieName(secure), token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

export function serializeClearedSessionCookie(secure: boolean): string {
  return serialize(sessionCookieName(secure), "", { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: 0 });
}

export interface RequestAuth {
  user: SessionUser;
  sessionId: string;
  /** The unread count read with the session (GET requests: the root loader shows it). */
  unreadNotifications?: number;
}

/**
 * Validates the request's session cookie.
 * @returns the auth (or null) and any Set-Cookie header to send (refresh or clear)
 */
export async function authenticateCookieHeader(
  cookieHeader: string | undefined,
  secure: boolean,
  options: { withUnreadCount?: boolean } = {},
): Promise<{ auth: RequestAuth | null; setCookie: string | null; validated: ValidatedSession | null }> {
  const token = readSessionToken(cookieHeader, secure);
  if (!token) return { auth: null, setCookie: null, validated: null };
  const validated = await validateSessionToken(token, options);
  if (!validated) return { auth: null, setCookie: serializeClearedSessionCookie(secure), validated: null };
  return {
    auth: { user: validated.user, sessionId: validated.session.id, unreadNotifications: validated.unreadNotifications },
    setCookie: validated.refreshed ? serializeSessionCookie(token, validated.session.expiresAt, secure) : null,
    validated,
  };
}

export function getActor(context: AppLoadContext): Actor | null {
  const user = context.auth?.user;
  return user ? { id: user.id, role: user.role, suspendedUntil: user.suspendedUntil, sessionId: context.auth?.sessionId } : null;
}

export function getUser(context: AppLoadContext): SessionUser | null {
  return context.auth?.user ?? null;
}

/**
 * @throws a redirect to /signin (with `redirectTo`) when signed out
 */
export function requireUser(context: AppLoadContext, request: Request): SessionUser {
  const user = getUser(context);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/signin?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
}

/**
 * The gate of every `/admin/...` page: signed-out readers are sent to sign in; anyone signed in
 * but not an active admin gets 404, so the admin area does not even show that it exists.
 * @throws a redirect to /signin, or a 404 Response
 */
export function requireAdmin(context: AppLoadContext, request: Request): SessionUser {
  const user = requireUser(context, request);
  if (!can(getActor(context), "member.list")) throw new Response("Not found", { status: 404 });
  return user;
}

/**
 * A same-site path to return to after sign-in, the language switch or any form with a
 * `redirectTo`; anything else (in any form a browser may read it) becomes `fallback`. The rules
 * are in app/utils/safe-redirect.ts (OWASP Unvalidated Redirects; CWE-601).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  return safeRedirectPath(to, fallback);
}
