/**
 * The digest scan (every tick): members whose digest is due — 08:00 in their time zone, daily,
 * or on Mondays for weekly (the default), since their last digest or since they joined — are
 * claimed in batches (`FOR UPDATE SKIP LOCKED`, so two processes never take the same member),
 * their period moves on, and a digest email is queued for each one with something new; a
 * member with nothing new gets none. The claim and the queued emails commit together.
 */
import type { Locale } from "@prisma/client";
import { prisma } from "~/db.server";
import { logger } from "~/utils/logger.server";
import { digestFacts } from "./digest-content.server";
import { queueEmail } from "./outbox.server";

const BATCH = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

interface DueMember {
  id: string;
  email: string;
  locale: Locale;
  region_id: string | null;
  time_zone: string | null;
  region_slug: string | null;
  region_country: string | null;
  frequency: "daily" | "weekly";
  since: Date;
  slot: Date;
}

/**
 * The zone in SQL, as `regionTimeZone` (app/utils/dates.ts) gives it: the member's own, else
 * Wyoming America/Denver, other U.S. regions America/New_York, Chinese regions Asia/Shanghai.
 */
const ZONE_SQL = `COALESCE(u.time_zone, CASE WHEN r.country = 'CN' THEN 'Asia/Shanghai' WHEN r.slug = 'wyoming' THEN 'America/Denver' WHEN r.id IS NOT NULL THEN 'America/New_York' ELSE 'UTC' END)`;

/**
 * The latest 08:00 (daily) or Monday 08:00 (weekly) in the member's zone that is not in the
 * future, as an instant (PostgreSQL's tz database; daylight saving included).
 */
const SLOT_SQL = `(
  CASE WHEN u.digest_frequency = 'daily' THEN
    CASE WHEN (now() AT TIME ZONE z.zone) >= date_trunc('day', now() AT TIME ZONE z.zone) + interval '8 hours'
      THEN date_trunc('day', now() AT TIME ZONE z.zone) + interval '8 hours'
      ELSE date_trunc('day', now() AT TIME ZONE z.zone) - interval '16 hours' END
  ELSE
    CASE WHEN (now() AT TIME ZONE z.zone) >= date_trunc('week', now() AT TIME ZONE z.zone) + interval '8 hours'
      THEN date_trunc('week', now() AT TIME ZONE z.zone) + interval '8 hours'
      ELSE date_trunc('week', now() AT TIME ZONE z.zone) - interval '7 days' + interval '8 hours' END
  END) AT TIME ZONE z.zone`;

/** Claims up to `limit` members whose digest is due and moves their period on. */
async function claimDue(tx: Parameters<Parameters<typeof prisma.$transaction>[0]>[0], limit: number): Promise<DueMember[]> {
  return tx.$queryRawUnsafe<DueMember[]>(
    `WITH due AS (
       SELECT u.id, ${SLOT_SQL} AS slot, COALESCE(u.last_digest_at, u.created_at) AS since
       FROM users u LEFT JOIN regions r ON r.id = u.region_id
       CROSS JOIN LATERAL (SELECT ${ZONE_SQL} AS zone) z
       WHERE u.digest_frequency <> 'off' AND u.deactivated_at IS NULL AND u.email_bouncing_at IS NULL
         AND (u.suspended_until IS NULL OR u.suspended_until < now()) AND u.id <> 'deleted-member'
         AND ${SLOT_SQL} > COALESCE(u.last_digest_at, u.created_at)
       ORDER BY u.id
       LIMIT $1
       FOR UPDATE OF u SKIP LOCKED
     )
     UPDATE users u SET last_digest_at = due.slot
     FROM due
     WHERE u.id = due.id
     RETURNING u.id, u.email, u.locale, u.region_id, u.time_zone, u.digest_frequency AS frequency, due.since, due.slot,
       (SELECT slug FROM regions WHERE id = u.region_id) AS region_slug, (SELECT country::text FROM regions WHERE id = u.region_id) AS region_country`,
    limit,
  );
}

/**
 * One scan: claims due members batch by batch and queues their digests.
 * @returns how many were due and how many digests were queued
 */
export async function runDigestScan(options: { batch?: number } = {}): Promise<{ due: number; queued: number }> {
  let due = 0;
  let queued = 0;
  for (;;) {
    const batch = await prisma.$transaction(
      async (tx) => {
        const members = await claimDue(tx, options.batch ?? BATCH);
        let made = 0;
        for (const m of members) {
          // A first digest, or one after a long pause, covers one period at most.
          const periodMs = m.frequency === "daily" ? DAY_MS : 7 * DAY_MS;
          const since = new Date(Math.max(new Date(m.since).getTime(), new Date(m.slot).getTime() - periodMs));
          const user = { id: m.id, regionId: m.region_id, timeZone: m.time_zone, region: m.region_slug ? { slug: m.region_slug, country: m.region_country ?? "US" } : null };
          const facts = await digestFacts(user, { since, until: new Date(m.slot) });
          const anything = facts.newThreads.length + facts.busy.length + facts.watched.length + facts.caseStudies.length + facts.notes.length > 0;
          if (!anything) continue;
          await queueEmail(tx, {
            kind: "digest",
            userId: m.id,
            to: m.email,
            locale: m.locale,
            payload: { frequency: m.frequency, since: since.toISOString(), until: new Date(m.slot).toISOString() },
          });
          made++;
        }
        return { claimed: members.length, made };
      },
      { timeout: 120_000 },
    );
    due += batch.claimed;
    queued += batch.made;
    if (batch.claimed < (options.batch ?? BATCH)) break;
  }
  if (due > 0) logger.info({ event: "email.digests", due, queued }, "digests queued");
  return { due, queued };
}
