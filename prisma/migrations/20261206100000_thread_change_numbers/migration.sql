-- AlterTable
ALTER TABLE "threads" ADD COLUMN     "change_seq" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "replies" ADD COLUMN     "change_seq" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "replies_thread_id_change_seq_idx" ON "replies"("thread_id", "change_seq");

-- Hand-added: existing replies count as changed once each, in post order, so a page loaded
-- before this migration catches up from its last post number like any other.
UPDATE "replies" SET "change_seq" = "post_number";
UPDATE "threads" SET "change_seq" = "last_post_number";
