/** Signing in through the real HTTP form, to get real session cookies. */
import { expect } from "vitest";
import { findSetCookie, postForm } from "./http";

export const SESSION_COOKIE = "crn_session";

export interface SignedIn {
  /** A Cookie header value: `crn_session=<id>.<secret>`. */
  cookie: string;
  /** The cookie's value, `<id>.<secret>`. */
  token: string;
  sessionId: string;
  secret: string;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<SignedIn> {
  const response = await postForm(baseUrl, "/signin", { email, password, redirectTo: "/" });
  expect(response.status, `sign-in as ${email} failed: ${response.body.slice(0, 300)}`).toBe(302);
  const cookie = findSetCookie(response, SESSION_COOKIE);
  expect(cookie, "sign-in set no session cookie").toBeDefined();
  const token = cookie!.value;
  const [sessionId, secret] = token.split(".");
  return { cookie: `${SESSION_COOKIE}=${token}`, token, sessionId, secret };
}
