/**
 * "Nothing was stored": a fingerprint of every table a thread, reply, flag or moderation
 * command can write (row count and an md5 of all rows), taken before and after a refused
 * command. Sessions are left out on purpose: presenting the cookie of a suspended member
 * deletes that session, which is the point of suspension, not a write by the command.
 */
import type { PrismaClient } from "@prisma/client";

export const DOMAIN_TABLES = [
  "users",
  "threads",
  "replies",
  "reply_revisions",
  "thread_reads",
  "thread_watches",
  "category_watches",
  "notifications",
  "flags",
  "staff_actions",
] as const;

export type Fingerprint = Record<(typeof DOMAIN_TABLES)[number], string>;

export async function fingerprint(db: PrismaClient): Promise<Fingerprint> {
  const sql = DOMAIN_TABLES.map(
    (table) => `SELECT '${table}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM ${table} t`,
  ).join(" UNION ALL ");
  const rows = await db.$queryRawUnsafe<{ name: string; rows: number; hash: string }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.rows} rows, md5 ${r.hash}`])) as Fingerprint;
}

/**
 * Columns a background worker changes on its own while a test runs — the outbox's delivery state,
 * rendered parts and the single-use link it drops once sent. "Nothing was stored" compares only the
 * columns an event writes, so a delivery finishing mid-test is not taken for a write.
 */
const WRITTEN_BY_EVENTS: Record<string, string> = {
  email_outbox: "id, kind, user_id, to_address, locale, ref_id, gather_key, created_at",
};

/** The column list to fingerprint for a table, or undefined for all of its columns. */
export function rowsOf(table: string): string | undefined {
  return WRITTEN_BY_EVENTS[table];
}
