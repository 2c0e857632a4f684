-- Comment threads anchored to a range of a policy note (issue #5, item 8). Hand-written to match
-- prisma/schema.prisma (output of prisma migrate diff), plus CHECKs that bound what the app bounds.

-- CreateTable
CREATE TABLE "note_comment_threads" (
    "id" TEXT NOT NULL,
    "note_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "anchor_start" BYTEA NOT NULL,
    "anchor_end" BYTEA NOT NULL,
    "quote" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_id" TEXT,

    CONSTRAINT "note_comment_threads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "note_comments" (
    "id" TEXT NOT NULL,
    "thread_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "edited_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "note_comments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "note_comment_threads_note_id_created_at_idx" ON "note_comment_threads"("note_id", "created_at");

-- CreateIndex
CREATE INDEX "note_comments_thread_id_created_at_idx" ON "note_comments"("thread_id", "created_at");

-- AddForeignKey
ALTER TABLE "note_comment_threads" ADD CONSTRAINT "note_comment_threads_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_comment_threads" ADD CONSTRAINT "note_comment_threads_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_comment_threads" ADD CONSTRAINT "note_comment_threads_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_comments" ADD CONSTRAINT "note_comments_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "note_comment_threads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_comments" ADD CONSTRAINT "note_comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Bounds the application also checks (defence in depth; Prisma does not model CHECKs).
ALTER TABLE "note_comment_threads" ADD CONSTRAINT "note_comment_threads_anchor_size" CHECK (octet_length("anchor_start") BETWEEN 1 AND 256 AND octet_length("anchor_end") BETWEEN 1 AND 256);
ALTER TABLE "note_comments" ADD CONSTRAINT "note_comments_body_length" CHECK (char_length("body") BETWEEN 1 AND 5000);
