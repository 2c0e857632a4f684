-- CreateIndex
CREATE INDEX "search_documents_created_at_idx" ON "search_documents"("created_at" DESC);


-- Hand-added (Prisma cannot model these), see app/models/search.server.ts:
-- the title's own tsvector, so "the title matches every term" is an index lookup instead of a
-- ts_filter() per matching row, and title matches are never lost when a term is too common to
-- rank every match;
ALTER TABLE "search_documents" ADD COLUMN "title_tsv" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "title_tokens")) STORED;
CREATE INDEX "search_documents_title_tsv_idx" ON "search_documents" USING GIN ("title_tsv");
-- signed-out readers search public, published case studies only: a small partial index.
CREATE INDEX "search_documents_public_tsv_idx" ON "search_documents" USING GIN ("tsv") WHERE "kind" = 'case_study' AND "published" AND "is_public";
