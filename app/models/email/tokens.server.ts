/**
 * Tokens that travel in emails.
 *
 * - Single-use secrets (password reset, email change): 32 random bytes, base64url, of which only
 *   the SHA-256 is stored (the same rule as sessions and invitations).
 * - Signed tokens (one-click unsubscribe, reply-by-email addresses): an HMAC-SHA256 over what
 *   they say, with a key made once per deployment and kept in `app_secrets`, so every app
 *   process verifies what another signed. Nothing is stored per token; changing the key
 *   invalidates them all.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { prisma } from "~/db.server";
import { getSingleton, setSingleton } from "~/utils/singleton.server";

const KEY_NAME = "email-signing-key";

/** A fresh single-use token (32 random bytes, base64url). */
export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 hex of a token, as stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Makes the signing key if the deployment has none (at start-up, before any request: of two
 * processes starting together, one inserts and both read the same row).
 */
export async function ensureSigningKey(): Promise<void> {
  await prisma.$executeRaw`INSERT INTO app_secrets (name, value) VALUES (${KEY_NAME}, ${randomBytes(32).toString("hex")}) ON CONFLICT (name) DO NOTHING`;
  await signingKey();
}

async function signingKey(): Promise<Buffer> {
  const cached = getSingleton<Buffer>("email:signing-key");
  if (cached) return cached;
  const row = await prisma.appSecret.findUnique({ where: { name: KEY_NAME } });
  if (!row) throw new Error("the email signing key is missing: the server makes it at start-up");
  const key = Buffer.from(row.value, "hex");
  setSingleton("email:signing-key", key);
  return key;
}

/** A lower-case base32 HMAC of `message` (lower case survives mail systems that fold case). */
async function sign(message: string, length = 26): Promise<string> {
  const mac = createHmac("sha256", await signingKey()).update(message).digest();
  return encodeBase32LowerCaseNoPadding(mac).slice(0, length);
}

async function verify(message: string, signature: string, length = 26): Promise<boolean> {
  const expected = Buffer.from(await sign(message, length));
  const given = Buffer.from(signature.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The kinds of email a member can turn off, each with one switch (RFC 8058 "exactly that kind"). */
export const UNSUBSCRIBE_KINDS = ["mentions", "replies", "watching", "notes", "case_studies", "digest", "reminders"] as const;
export type UnsubscribeKind = (typeof UNSUBSCRIBE_KINDS)[number];

/** `<userId>.<kind>.<signature>`: turns off one kind of email for one member. */
export async function unsubscribeToken(userId: string, kind: UnsubscribeKind): Promise<string> {
  return `${userId}.${kind}.${await sign(`unsubscribe:${userId}:${kind}`)}`;
}

/** @returns the member and kind, or null when the token is malformed or its signature wrong */
export async function readUnsubscribeToken(token: string): Promise<{ userId: string; kind: UnsubscribeKind } | null> {
  const match = /^([a-z0-9]{1,40})\.([a-z_]{1,20})\.([a-z2-7]{26})$/.exec(token);
  if (!match) return null;
  const [, userId, kind, signature] = match;
  if (!(UNSUBSCRIBE_KINDS as readonly string[]).includes(kind)) return null;
  if (!(await verify(`unsubscribe:${userId}:${kind}`, signature))) return null;
  return { userId, kind: kind as UnsubscribeKind };
}

/** How long a reply-by-email address is accepted after its email was written. */
export const REPLY_TOKEN_DAYS = 90;

/**
 * The token of a reply-by-email address, `reply+<token>@<domain>`: the id of the outbox row it
 * was sent in (which knows the member and the thread) and a signature, lower case, 51
 * characters, so the local part stays within RFC 5321's 64.
 */
export async function replyToken(emailId: string): Promise<string> {
  return `${emailId}-${await sign(`reply:${emailId}`)}`;
}

/** @returns the outbox row id, or null when malformed or forged */
export async function readReplyToken(token: string): Promise<string | null> {
  const match = /^([a-z0-9]{1,30})-([a-z2-7]{26})$/.exec(token.toLowerCase());
  if (!match) return null;
  return (await verify(`reply:${match[1]}`, match[2])) ? match[1] : null;
}
