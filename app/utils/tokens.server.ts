/**
 * Secrets that go out in links (invitations, calendar feeds, and later email links): random, and
 * stored only as their SHA-256, so a copy of the database gives no working link.
 */
import { createHash, randomBytes } from "node:crypto";

/** A new secret of `bytes` random bytes (32 by default: 256 bits), URL-safe (base64url). */
export function newSecretToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256 of a token, hex: what is stored and looked up. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
