-- CreateEnum
CREATE TYPE "WatchLevel" AS ENUM ('watching', 'tracking', 'normal', 'muted');

-- CreateEnum
CREATE TYPE "NotificationType" AS ENUM ('reply', 'mention', 'reply_to_you', 'reply_hidden', 'reply_unhidden', 'thread_moved', 'thread_deleted', 'flag_outcome');

-- CreateEnum
CREATE TYPE "FlagReason" AS ENUM ('off_topic', 'inappropriate', 'spam', 'other');

-- CreateEnum
CREATE TYPE "FlagStatus" AS ENUM ('pending', 'agreed', 'disagreed', 'ignored');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "suspended_reason" TEXT,
ADD COLUMN     "suspended_until" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "threads" ADD COLUMN     "deleted_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_post_number" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "locked_at" TIMESTAMPTZ(3),
ADD COLUMN     "pinned_at" TIMESTAMPTZ(3),
ADD COLUMN     "pinned_until" TIMESTAMPTZ(3),
ADD COLUMN     "slow_mode_seconds" INTEGER NOT NULL DEFAULT 0;


-- AlterTable (hand-edited: existing plain-text replies are converted, not dropped)
ALTER TABLE "replies" ADD COLUMN     "content" JSONB,
ADD COLUMN     "deleted_at" TIMESTAMPTZ(3),
ADD COLUMN     "edit_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "edited_at" TIMESTAMPTZ(3),
ADD COLUMN     "hidden_at" TIMESTAMPTZ(3),
ADD COLUMN     "hidden_reason" TEXT,
ADD COLUMN     "post_number" INTEGER,
ADD COLUMN     "reply_to_id" TEXT,
ADD COLUMN     "text" TEXT;

-- Plain text → ProseMirror JSON: blank lines separate paragraphs, single newlines become hard
-- breaks (the same rule app/editor/plain-text.ts applies to text posted without JavaScript).
UPDATE "replies" r SET
  "text" = r."body",
  "content" = jsonb_build_object('type', 'doc', 'content', COALESCE((
    SELECT jsonb_agg(
      CASE WHEN btrim(para.p) = '' THEN jsonb_build_object('type', 'paragraph')
      ELSE jsonb_build_object('type', 'paragraph', 'content', (
        SELECT jsonb_agg(piece ORDER BY line.n, piece_order)
        FROM regexp_split_to_table(btrim(para.p, E'\n'), E'\n') WITH ORDINALITY AS line(l, n),
        LATERAL (
          SELECT jsonb_build_object('type', 'hardBreak') AS piece, 0 AS piece_order WHERE line.n > 1
          UNION ALL
          SELECT jsonb_build_object('type', 'text', 'text', line.l), 1 WHERE line.l <> ''
        ) pieces
      )) END
      ORDER BY para.n)
    FROM regexp_split_to_table(replace(r."body", E'\r', ''), E'\n[ \t]*\n') WITH ORDINALITY AS para(p, n)
    WHERE btrim(para.p, E' \t\n') <> ''
  ), jsonb_build_array(jsonb_build_object('type', 'paragraph'))));

-- Number existing replies per thread in order of creation.
UPDATE "replies" r SET "post_number" = numbered.n
FROM (SELECT id, row_number() OVER (PARTITION BY thread_id ORDER BY created_at, id) AS n FROM "replies") numbered
WHERE numbered.id = r.id;

ALTER TABLE "replies" ALTER COLUMN "content" SET NOT NULL,
ALTER COLUMN "text" SET NOT NULL,
ALTER COLUMN "post_number" SET NOT NULL,
DROP COLUMN "body";

UPDATE "threads" t SET "last_post_number" = COALESCE((SELECT max(post_number) FROM "replies" r WHERE r.thread_id = t.id), 0);

-- CreateTable
CREATE TABLE "reply_revisions" (
    "id" TEXT NOT NULL,
    "reply_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "text" TEXT NOT NULL,
    "editor_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reply_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "thread_reads" (
    "user_id" TEXT NOT NULL,
    "thread_id" TEXT NOT NULL,
    "last_read_post_number" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "thread_reads_pkey" PRIMARY KEY ("user_id","thread_id")
);

-- CreateTable
CREATE TABLE "thread_watches" (
    "user_id" TEXT NOT NULL,
    "thread_id" TEXT NOT NULL,
    "level" "WatchLevel" NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "thread_watches_pkey" PRIMARY KEY ("user_id","thread_id")
);

-- CreateTable
CREATE TABLE "category_watches" (
    "user_id" TEXT NOT NULL,
    "category_key" TEXT NOT NULL,
    "level" "WatchLevel" NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "category_watches_pkey" PRIMARY KEY ("user_id","category_key")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" "NotificationType" NOT NULL,
    "thread_id" TEXT,
    "reply_id" TEXT,
    "actor_id" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "data" JSONB,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flags" (
    "id" TEXT NOT NULL,
    "reply_id" TEXT NOT NULL,
    "flagger_id" TEXT NOT NULL,
    "reason" "FlagReason" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "status" "FlagStatus" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_id" TEXT,

    CONSTRAINT "flags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_actions" (
    "id" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "staff_actions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reply_revisions_reply_id_revision_key" ON "reply_revisions"("reply_id", "revision");

-- CreateIndex
CREATE INDEX "thread_watches_thread_id_level_idx" ON "thread_watches"("thread_id", "level");

-- CreateIndex
CREATE INDEX "category_watches_category_key_level_idx" ON "category_watches"("category_key", "level");

-- CreateIndex
CREATE INDEX "notifications_user_id_updated_at_idx" ON "notifications"("user_id", "updated_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_read_at_idx" ON "notifications"("user_id", "read_at");

-- CreateIndex
CREATE INDEX "flags_status_reply_id_idx" ON "flags"("status", "reply_id");

-- CreateIndex
CREATE UNIQUE INDEX "flags_reply_id_flagger_id_key" ON "flags"("reply_id", "flagger_id");

-- CreateIndex
CREATE INDEX "staff_actions_created_at_idx" ON "staff_actions"("created_at");

-- CreateIndex
CREATE INDEX "threads_last_activity_at_idx" ON "threads"("last_activity_at");

-- CreateIndex
CREATE INDEX "replies_author_id_created_at_idx" ON "replies"("author_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "replies_thread_id_post_number_key" ON "replies"("thread_id", "post_number");

-- AddForeignKey
ALTER TABLE "replies" ADD CONSTRAINT "replies_reply_to_id_fkey" FOREIGN KEY ("reply_to_id") REFERENCES "replies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_revisions" ADD CONSTRAINT "reply_revisions_reply_id_fkey" FOREIGN KEY ("reply_id") REFERENCES "replies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_revisions" ADD CONSTRAINT "reply_revisions_editor_id_fkey" FOREIGN KEY ("editor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "thread_reads" ADD CONSTRAINT "thread_reads_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "thread_reads" ADD CONSTRAINT "thread_reads_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "thread_watches" ADD CONSTRAINT "thread_watches_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "thread_watches" ADD CONSTRAINT "thread_watches_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "category_watches" ADD CONSTRAINT "category_watches_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_reply_id_fkey" FOREIGN KEY ("reply_id") REFERENCES "replies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flags" ADD CONSTRAINT "flags_reply_id_fkey" FOREIGN KEY ("reply_id") REFERENCES "replies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flags" ADD CONSTRAINT "flags_flagger_id_fkey" FOREIGN KEY ("flagger_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flags" ADD CONSTRAINT "flags_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_actions" ADD CONSTRAINT "staff_actions_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-added: one unread coalescing row per (member, thread) for reply notifications, and one
-- mention / reply-to-you notification per (member, reply). Prisma cannot express partial
-- unique indexes; `migrate diff` between schema files leaves them alone.
CREATE UNIQUE INDEX "notifications_unread_reply_per_thread" ON "notifications"("user_id", "thread_id") WHERE "type" = 'reply' AND "read_at" IS NULL;
CREATE UNIQUE INDEX "notifications_once_per_reply" ON "notifications"("user_id", "reply_id", "type") WHERE "type" IN ('mention', 'reply_to_you');
