-- CreateEnum
CREATE TYPE "CaseStudyStatus" AS ENUM ('draft', 'published');

-- CreateEnum
CREATE TYPE "TranslationKind" AS ENUM ('original', 'human', 'machine');

-- CreateEnum
CREATE TYPE "SearchKind" AS ENUM ('case_study', 'thread', 'reply', 'note');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "bio" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "name_chinese" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "name_latin" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "title" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "threads" ADD COLUMN     "case_study_id" TEXT;

-- CreateTable
CREATE TABLE "topics" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "name_zh" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "topics_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_studies" (
    "id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "status" "CaseStudyStatus" NOT NULL DEFAULT 'draft',
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "endorsement_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "case_studies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_study_versions" (
    "id" TEXT NOT NULL,
    "case_study_id" TEXT NOT NULL,
    "language" "Locale" NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "content" JSONB NOT NULL,
    "text" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "translation" "TranslationKind" NOT NULL DEFAULT 'original',
    "outdated" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_study_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_study_regions" (
    "case_study_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,

    CONSTRAINT "case_study_regions_pkey" PRIMARY KEY ("case_study_id","region_id")
);

-- CreateTable
CREATE TABLE "case_study_topics" (
    "case_study_id" TEXT NOT NULL,
    "topic_id" TEXT NOT NULL,

    CONSTRAINT "case_study_topics_pkey" PRIMARY KEY ("case_study_id","topic_id")
);

-- CreateTable
CREATE TABLE "case_study_comments" (
    "id" TEXT NOT NULL,
    "case_study_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "edited_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "case_study_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endorsements" (
    "case_study_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "endorsements_pkey" PRIMARY KEY ("case_study_id","user_id")
);

-- CreateTable
CREATE TABLE "uploads" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "original_name" TEXT NOT NULL DEFAULT '',
    "width" INTEGER,
    "height" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "uploads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "search_documents" (
    "id" TEXT NOT NULL,
    "kind" "SearchKind" NOT NULL,
    "ref_id" TEXT NOT NULL,
    "case_study_id" TEXT,
    "thread_id" TEXT,
    "languages" TEXT[],
    "region_ids" TEXT[],
    "countries" TEXT[],
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "title_tokens" TEXT NOT NULL,
    "body_tokens" TEXT NOT NULL,
    "author_id" TEXT,
    "published" BOOLEAN NOT NULL DEFAULT true,
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_documents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "topics_slug_key" ON "topics"("slug");

-- CreateIndex
CREATE INDEX "case_studies_status_published_at_idx" ON "case_studies"("status", "published_at");

-- CreateIndex
CREATE UNIQUE INDEX "case_study_versions_case_study_id_language_key" ON "case_study_versions"("case_study_id", "language");

-- CreateIndex
CREATE INDEX "case_study_regions_region_id_idx" ON "case_study_regions"("region_id");

-- CreateIndex
CREATE INDEX "case_study_topics_topic_id_idx" ON "case_study_topics"("topic_id");

-- CreateIndex
CREATE INDEX "case_study_comments_case_study_id_created_at_idx" ON "case_study_comments"("case_study_id", "created_at");

-- CreateIndex
CREATE INDEX "search_documents_thread_id_idx" ON "search_documents"("thread_id");

-- CreateIndex
CREATE INDEX "search_documents_case_study_id_idx" ON "search_documents"("case_study_id");

-- CreateIndex
CREATE UNIQUE INDEX "search_documents_kind_ref_id_key" ON "search_documents"("kind", "ref_id");

-- AddForeignKey
ALTER TABLE "threads" ADD CONSTRAINT "threads_case_study_id_fkey" FOREIGN KEY ("case_study_id") REFERENCES "case_studies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_studies" ADD CONSTRAINT "case_studies_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_study_versions" ADD CONSTRAINT "case_study_versions_case_study_id_fkey" FOREIGN KEY ("case_study_id") REFERENCES "case_studies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_study_versions" ADD CONSTRAINT "case_study_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_study_regions" ADD CONSTRAINT "case_study_regions_case_study_id_fkey" FOREIGN KEY ("case_study_id") REFERENCES "case_studies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_study_regions" ADD CONSTRAINT "case_study_regions_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_study_topics" ADD CONSTRAINT "case_study_topics_case_study_id_fkey" FOREIGN KEY ("case_study_id") REFERENCES "case_studies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_study_topics" ADD CONSTRAINT "case_study_topics_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "topics"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_study_comments" ADD CONSTRAINT "case_study_comments_case_study_id_fkey" FOREIGN KEY ("case_study_id") REFERENCES "case_studies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_study_comments" ADD CONSTRAINT "case_study_comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endorsements" ADD CONSTRAINT "endorsements_case_study_id_fkey" FOREIGN KEY ("case_study_id") REFERENCES "case_studies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endorsements" ADD CONSTRAINT "endorsements_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-added (Prisma cannot model these): full-text and trigram search over search_documents.
-- title_tokens/body_tokens hold Intl.Segmenter words plus Chinese character bigrams, separated
-- by spaces, so the 'simple' configuration indexes them as they are (app/models/search.server.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE "search_documents" ADD COLUMN "tsv" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', "title_tokens"), 'A') || setweight(to_tsvector('simple', "body_tokens"), 'B')
) STORED;

CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING GIN ("tsv");
CREATE INDEX "search_documents_title_trgm_idx" ON "search_documents" USING GIN ("title" gin_trgm_ops);
CREATE INDEX "search_documents_body_trgm_idx" ON "search_documents" USING GIN ("body" gin_trgm_ops);

-- The starting topics (issue #4); admins edit them afterwards.
INSERT INTO "topics" ("id", "slug", "name_en", "name_zh", "position") VALUES
  (gen_random_uuid()::text, 'economic-diversification', 'Economic diversification', '经济多元化', 0),
  (gen_random_uuid()::text, 'workforce-transition', 'Workforce transition', '劳动力转型', 1),
  (gen_random_uuid()::text, 'clean-energy', 'Clean energy', '清洁能源', 2),
  (gen_random_uuid()::text, 'climate-finance', 'Climate finance', '气候融资', 3),
  (gen_random_uuid()::text, 'carbon-capture-methane', 'Carbon capture and methane', '碳捕集与甲烷', 4),
  (gen_random_uuid()::text, 'community-just-transition', 'Community and just transition', '社区与公正转型', 5),
  (gen_random_uuid()::text, 'role-of-business', 'Role of business', '企业的作用', 6),
  (gen_random_uuid()::text, 'policy-governance', 'Policy and governance', '政策与治理', 7)
ON CONFLICT ("slug") DO NOTHING;
