-- AlterTable
ALTER TABLE "replies" ADD COLUMN     "idempotency_key" TEXT;

-- AlterTable
ALTER TABLE "case_study_comments" ADD COLUMN     "idempotency_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "replies_author_id_idempotency_key_key" ON "replies"("author_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "case_study_comments_author_id_idempotency_key_key" ON "case_study_comments"("author_id", "idempotency_key");

