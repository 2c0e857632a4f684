-- CreateEnum
CREATE TYPE "TranslationDisplay" AS ENUM ('translated', 'original', 'both');

-- AlterEnum



ALTER TYPE "NotificationType" ADD VALUE 'translation_outdated';
ALTER TYPE "NotificationType" ADD VALUE 'translation_requested';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "follows_translations" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "translation_display" "TranslationDisplay" NOT NULL DEFAULT 'translated';

-- AlterTable
ALTER TABLE "dialogues" ADD COLUMN     "allow_machine_translation" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "threads" ADD COLUMN     "title_language" "Locale" NOT NULL DEFAULT 'en',
ADD COLUMN     "title_translation_requested_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "replies" ADD COLUMN     "language" "Locale" NOT NULL DEFAULT 'en',
ADD COLUMN     "translation_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "translation_requested_by_id" TEXT;

-- CreateTable
CREATE TABLE "reply_translations" (
    "id" TEXT NOT NULL,
    "reply_id" TEXT NOT NULL,
    "language" "Locale" NOT NULL,
    "content" JSONB NOT NULL,
    "text" TEXT NOT NULL,
    "kind" "TranslationKind" NOT NULL,
    "translator_id" TEXT,
    "source_revision" INTEGER NOT NULL,
    "attribution_level" "AttributionLevel" NOT NULL DEFAULT 'on_record',
    "participant_number" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reply_translations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "thread_title_translations" (
    "thread_id" TEXT NOT NULL,
    "language" "Locale" NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "TranslationKind" NOT NULL,
    "translator_id" TEXT,
    "source_title" TEXT NOT NULL,
    "attribution_level" "AttributionLevel" NOT NULL DEFAULT 'on_record',
    "participant_number" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "thread_title_translations_pkey" PRIMARY KEY ("thread_id","language")
);

-- CreateIndex
CREATE INDEX "reply_translations_translator_id_idx" ON "reply_translations"("translator_id");

-- CreateIndex
CREATE UNIQUE INDEX "reply_translations_reply_id_language_key" ON "reply_translations"("reply_id", "language");

-- CreateIndex
CREATE INDEX "thread_title_translations_translator_id_idx" ON "thread_title_translations"("translator_id");

-- CreateIndex
CREATE INDEX "replies_created_at_idx" ON "replies"("created_at");

-- CreateIndex
CREATE INDEX "replies_translation_requested_at_idx" ON "replies"("translation_requested_at");

-- AddForeignKey
ALTER TABLE "replies" ADD CONSTRAINT "replies_translation_requested_by_id_fkey" FOREIGN KEY ("translation_requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_translations" ADD CONSTRAINT "reply_translations_reply_id_fkey" FOREIGN KEY ("reply_id") REFERENCES "replies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_translations" ADD CONSTRAINT "reply_translations_translator_id_fkey" FOREIGN KEY ("translator_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "thread_title_translations" ADD CONSTRAINT "thread_title_translations_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "thread_title_translations" ADD CONSTRAINT "thread_title_translations_translator_id_fkey" FOREIGN KEY ("translator_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Backfill: the language each reply and title is written in, by the same rule as
-- app/utils/language.ts primaryLanguage (Han characters, 1.6 to a word, against Latin words).
UPDATE "replies" SET "language" = 'zh'
WHERE length(regexp_replace("text", '[^\u3400-\u4dbf\u4e00-\u9fff]', '', 'g')) / 1.6
    > (SELECT count(*) FROM regexp_matches("text", '[A-Za-z][A-Za-z''’-]*[A-Za-z]', 'g'));
UPDATE "threads" SET "title_language" = 'zh'
WHERE length(regexp_replace("title_en", '[^\u3400-\u4dbf\u4e00-\u9fff]', '', 'g')) / 1.6
    > (SELECT count(*) FROM regexp_matches("title_en", '[A-Za-z][A-Za-z''’-]*[A-Za-z]', 'g'));
