-- AlterTable
ALTER TABLE "case_study_comments" ADD COLUMN     "language" "Locale" NOT NULL DEFAULT 'en';

-- AlterTable
ALTER TABLE "note_comments" ADD COLUMN     "language" "Locale" NOT NULL DEFAULT 'en';

-- CreateTable
CREATE TABLE "comment_translations" (
    "id" TEXT NOT NULL,
    "case_study_comment_id" TEXT,
    "note_comment_id" TEXT,
    "language" "Locale" NOT NULL,
    "text" TEXT NOT NULL,
    "kind" "TranslationKind" NOT NULL,
    "translator_id" TEXT,
    "source_text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "comment_translations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "comment_translations_translator_id_idx" ON "comment_translations"("translator_id");

-- CreateIndex
CREATE UNIQUE INDEX "comment_translations_case_study_comment_id_language_key" ON "comment_translations"("case_study_comment_id", "language");

-- CreateIndex
CREATE UNIQUE INDEX "comment_translations_note_comment_id_language_key" ON "comment_translations"("note_comment_id", "language");

-- AddForeignKey
ALTER TABLE "comment_translations" ADD CONSTRAINT "comment_translations_case_study_comment_id_fkey" FOREIGN KEY ("case_study_comment_id") REFERENCES "case_study_comments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comment_translations" ADD CONSTRAINT "comment_translations_note_comment_id_fkey" FOREIGN KEY ("note_comment_id") REFERENCES "note_comments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comment_translations" ADD CONSTRAINT "comment_translations_translator_id_fkey" FOREIGN KEY ("translator_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Exactly one comment per translation.
ALTER TABLE "comment_translations" ADD CONSTRAINT "comment_translations_one_comment"
  CHECK (("case_study_comment_id" IS NULL) <> ("note_comment_id" IS NULL));

-- Backfill: the language comments are written in (rule of app/utils/language.ts primaryLanguage).
UPDATE "case_study_comments" SET "language" = 'zh'
WHERE length(regexp_replace("text", '[^\u3400-\u4dbf\u4e00-\u9fff]', '', 'g')) / 1.6
    > (SELECT count(*) FROM regexp_matches("text", '[A-Za-z][A-Za-z''’-]*[A-Za-z]', 'g'));
UPDATE "note_comments" SET "language" = 'zh'
WHERE length(regexp_replace("body", '[^\u3400-\u4dbf\u4e00-\u9fff]', '', 'g')) / 1.6
    > (SELECT count(*) FROM regexp_matches("body", '[A-Za-z][A-Za-z''’-]*[A-Za-z]', 'g'));
