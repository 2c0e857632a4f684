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
