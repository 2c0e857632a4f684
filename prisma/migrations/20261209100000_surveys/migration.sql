
-- CreateEnum
CREATE TYPE "SurveyAudience" AS ENUM ('all_members', 'regions', 'dialogue', 'public_link');

-- CreateEnum
CREATE TYPE "SurveyQuestionType" AS ENUM ('single_choice', 'multiple_choice', 'scale', 'number', 'short_text', 'long_text', 'region');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationType" ADD VALUE 'survey_opened';
ALTER TYPE "NotificationType" ADD VALUE 'survey_closing';

-- AlterEnum
ALTER TYPE "EmailKind" ADD VALUE 'survey_announcement';

-- CreateTable
CREATE TABLE "surveys" (
    "id" TEXT NOT NULL,
    "title_en" TEXT NOT NULL DEFAULT '',
    "title_zh" TEXT NOT NULL DEFAULT '',
    "intro_en" TEXT NOT NULL DEFAULT '',
    "intro_zh" TEXT NOT NULL DEFAULT '',
    "single_language" "Locale",
    "audience" "SurveyAudience" NOT NULL DEFAULT 'all_members',
    "dialogue_id" TEXT,
    "public_token" TEXT,
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "shares_results" BOOLEAN NOT NULL DEFAULT false,
    "opens_at" TIMESTAMPTZ(3),
    "closes_at" TIMESTAMPTZ(3),
    "opened_at" TIMESTAMPTZ(3),
    "announced_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    "created_by_id" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "surveys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_regions" (
    "survey_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,

    CONSTRAINT "survey_regions_pkey" PRIMARY KEY ("survey_id","region_id")
);

-- CreateTable
CREATE TABLE "survey_questions" (
    "id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "type" "SurveyQuestionType" NOT NULL,
    "prompt_en" TEXT NOT NULL DEFAULT '',
    "prompt_zh" TEXT NOT NULL DEFAULT '',
    "help_en" TEXT NOT NULL DEFAULT '',
    "help_zh" TEXT NOT NULL DEFAULT '',
    "section_en" TEXT NOT NULL DEFAULT '',
    "section_zh" TEXT NOT NULL DEFAULT '',
    "required" BOOLEAN NOT NULL DEFAULT false,
    "options" JSONB NOT NULL DEFAULT '[]',
    "min_value" DOUBLE PRECISION,
    "max_value" DOUBLE PRECISION,

    CONSTRAINT "survey_questions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_responses" (
    "id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "user_id" TEXT,
    "region_id" TEXT,
    "country" "Country",
    "locale" "Locale" NOT NULL DEFAULT 'en',
    "answers" JSONB NOT NULL DEFAULT '{}',
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3),

    CONSTRAINT "survey_responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_drafts" (
    "survey_id" TEXT NOT NULL,
    "respondent_key" TEXT NOT NULL,
    "answers" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_drafts_pkey" PRIMARY KEY ("survey_id","respondent_key")
);

-- CreateTable
CREATE TABLE "survey_receipts" (
    "survey_id" TEXT NOT NULL,
    "respondent_key" TEXT NOT NULL,

    CONSTRAINT "survey_receipts_pkey" PRIMARY KEY ("survey_id","respondent_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "surveys_public_token_key" ON "surveys"("public_token");

-- CreateIndex
CREATE INDEX "surveys_opened_at_closes_at_idx" ON "surveys"("opened_at", "closes_at");

-- CreateIndex
CREATE INDEX "survey_questions_survey_id_position_idx" ON "survey_questions"("survey_id", "position");

-- CreateIndex
CREATE INDEX "survey_responses_survey_id_submitted_at_idx" ON "survey_responses"("survey_id", "submitted_at");

-- CreateIndex
CREATE UNIQUE INDEX "survey_responses_survey_id_user_id_key" ON "survey_responses"("survey_id", "user_id");

-- AddForeignKey
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_dialogue_id_fkey" FOREIGN KEY ("dialogue_id") REFERENCES "dialogues"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_regions" ADD CONSTRAINT "survey_regions_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_regions" ADD CONSTRAINT "survey_regions_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_drafts" ADD CONSTRAINT "survey_drafts_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_receipts" ADD CONSTRAINT "survey_receipts_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

