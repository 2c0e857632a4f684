-- Issue 13, P4: pages that read a whole large table (docs/decisions/038-fewer-statements-and-indexes.md).

-- CreateIndex
-- The member directory (ORDER BY display_name, id LIMIT 25) walks this index instead of sorting
-- every member.
CREATE INDEX "users_display_name_id_idx" ON "users"("display_name", "id");

-- Hand-added (Prisma cannot model a partial index): the thread list's pinned threads
-- (WHERE pinned_at IS NOT NULL ORDER BY pinned_at DESC) are a handful of rows in a small index,
-- never a scan of every thread.
CREATE INDEX "threads_pinned_at_idx" ON "threads"("pinned_at" DESC) WHERE "pinned_at" IS NOT NULL;
