/**
 * Sign-in sessions, as Lucia's current guide (lucia-auth.com, "Basic session API") lays them out:
 * the cookie holds `<id>.<secret>`; `id` is a random public identifier, `secret` 32 random bytes
 * (base32); only SHA-256(secret) is stored and compared in constant time. Expiry slides:
 * 30 days from the last use, written at most once an hour.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { Prisma, type Role, type Locale, type TranslationDisplay } from "@prisma/client";
import { prisma, readRows } from "~/db.server";
import { publish } from "~/realtime/publish.server";
import { cutAtGrapheme } from "~/utils/text";
import { regionTimeZone } from "~/utils/dates";
import { unreadNotificationCountSql } from "./notifications.server";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const SESSION_REFRESH_INTERVAL_MS = 60 * 60 * 1000;

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  locale: Locale;
  regionId: string | null;
  suspendedUntil: Date | null;
  /** The member's time zone: their setting, else their region's (`regionTimeZone`). */
  timeZone: string;
  /** How they read replies translated into their language (docs/decisions/040-translations-of-replies.md). */
  translationDisplay: TranslationDisplay;
  /** Languages their profile lists (bilingual members see the translation queue's count). */
  languages: string[];
}

export interface ValidatedSession {
  session: { id: string; expiresAt: Date };
  user: SessionUser;
  /** True when the expiry moved and the cookie must be re-sent. */
  refreshed: boolean;
  /** The member's unread notifications, when asked for (`withUnreadCount`). */
  unreadNotifications?: number;
}

/** The session, its member and their region (and the unread count) as one row. */
interface SessionRow {
  id: string;
  secretHash: Uint8Array;
  expiresAt: Date;
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  locale: Locale;
  regionId: string | null;
  suspendedUntil: Date | null;
  deactivatedAt: Date | null;
  timeZone: string | null;
  translationDisplay: TranslationDisplay;
  languages: string[];
  regionSlug: string | null;
  regionCountry: string | null;
  unread: number | null;
}

function randomBase32(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/**
 * Creates a session row and returns the token for the cookie (never stored).
 * @returns token `<id>.<secret>` and the expiry
 */
export async function createSession(
  userId: string,
  meta: { userAgent?: string; ipAddress?: string } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const id = randomBase32(15);
  const secret = randomBase32(32);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await prisma.session.create({
    data: {
      id,
      secretHash: Buffer.from(hashSecret(secret)),
      userId,
      expiresAt,
      userAgent: cutAtGrapheme(meta.userAgent ?? "", 300),
      ipAddress: cutAtGrapheme(meta.ipAddress ?? "", 64),
    },
  });
  return { token: `${id}.${secret}`, expiresAt };
}

/**
 * Checks a cookie token. Deletes the row when expired. Slides the expiry when the last
 * refresh is over an hour old.
 * @returns the session and user, or null when the token is malformed, unknown, wrong or expired
 */
export async function validateSessionToken(
  token: string | undefined | null,
  options: { withUnreadCount?: boolean } = {},
): Promise<ValidatedSession | null> {
  if (!token) return null;
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 128) return null;
  // One statement on every request (a page's loaders wait for it): session ⋈ member ⋈ region,
  // and the unread count for the header's badge when the caller will show it.
  const rows = await readRows<SessionRow>(Prisma.sql`
    SELECT s.id, s.secret_hash AS "secretHash", s.expires_at AS "expiresAt", u.id AS "userId", u.email,
      u.display_name AS "displayName", u.role::text AS role, u.locale::text AS locale, u.region_id AS "regionId",
      u.suspended_until AS "suspendedUntil", u.deactivated_at AS "deactivatedAt", u.time_zone AS "timeZone",
      u.translation_display::text AS "translationDisplay", u.languages,
      g.slug AS "regionSlug", g.country::text AS "regionCountry",
      ${options.withUnreadCount ? unreadNotificationCountSql(Prisma.sql`u.id`) : Prisma.sql`NULL::int`} AS unread
    FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN regions g ON g.id = u.region_id
    WHERE s.id = ${id}`);
  const row = rows[0];
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.secretHash))) return null;
  const now = Date.now();
  // A suspended or deactivated member's sessions are deleted then; this guards any that slipped through.
  if (row.expiresAt.getTime() <= now || (row.suspendedUntil && row.suspendedUntil.getTime() > now) || row.deactivatedAt) {
    await prisma.session.deleteMany({ where: { id } });
    return null;
  }
  let expiresAt = row.expiresAt;
  let refreshed = false;
  const lastRefresh = row.expiresAt.getTime() - SESSION_TTL_MS;
  if (now - lastRefresh >= SESSION_REFRESH_INTERVAL_MS) {
    expiresAt = new Date(now + SESSION_TTL_MS);
    refreshed = true;
    await prisma.session.updateMany({ where: { id }, data: { expiresAt, lastSeenAt: new Date(now) } });
  }
  const region = row.regionSlug ? { slug: row.regionSlug, country: row.regionCountry ?? "" } : null;
  const user: SessionUser = {
    id: row.userId,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    locale: row.locale,
    regionId: row.regionId,
    suspendedUntil: row.suspendedUntil,
    timeZone: row.timeZone || regionTimeZone(region),
    translationDisplay: row.translationDisplay,
    languages: row.languages,
  };
  return { session: { id: row.id, expiresAt }, user, refreshed, ...(row.unread === null ? {} : { unreadNotifications: row.unread }) };
}

/** Deletes one session (sign-out) and tells that session's open sockets to disconnect. */
export async function invalidateSession(sessionId: string): Promise<void> {
  const row = await prisma.session.findUnique({ where: { id: sessionId }, select: { userId: true } });
  await prisma.session.deleteMany({ where: { id: sessionId } });
  if (row) publish({ type: "session.revoked", userId: row.userId, sessionIds: [sessionId] });
}

/** Deletes one of a member's sessions by id; false when it is not theirs. */
export async function invalidateOwnSession(userId: string, sessionId: string): Promise<boolean> {
  const { count } = await prisma.session.deleteMany({ where: { id: sessionId, userId } });
  if (count > 0) publish({ type: "session.revoked", userId, sessionIds: [sessionId] });
  return count > 0;
}

/**
 * Ends every session of a member but one (the one a password change came from): deletes them
 * and disconnects their sockets.
 * @returns how many ended
 */
export async function invalidateOtherSessions(userId: string, keepSessionId: string | undefined): Promise<number> {
  const others = await prisma.session.findMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) }, select: { id: true } });
  if (others.length === 0) return 0;
  const ids = others.map((s) => s.id);
  await prisma.session.deleteMany({ where: { id: { in: ids } } });
  publish({ type: "session.revoked", userId, sessionIds: ids });
  return ids.length;
}

/** "Sign out everywhere": deletes all of a member's sessions and disconnects their sockets. */
export async function invalidateAllSessions(userId: string): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { userId } });
  publish({ type: "session.revoked", userId, sessionIds: "all" });
  return count;
}

/** The member's live sessions, newest first, for the settings page. */
export function listSessions(userId: string) {
  return prisma.session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true, ipAddress: true },
  });
}
