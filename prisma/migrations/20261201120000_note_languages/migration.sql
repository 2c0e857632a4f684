-- Policy notes get a language (existing notes are English) and an optional linked translation:
-- a symmetric pair, each note pointing at the other (kept so by app/models/notes.server.ts),
-- at most one partner per note (unique index).

-- AlterTable
ALTER TABLE "notes" ADD COLUMN     "language" "Locale" NOT NULL DEFAULT 'en',
ADD COLUMN     "translation_id" TEXT;

-- A note is never its own translation.
ALTER TABLE "notes" ADD CONSTRAINT "notes_translation_not_self" CHECK ("translation_id" IS NULL OR "translation_id" <> "id");

-- CreateIndex
CREATE UNIQUE INDEX "notes_translation_id_key" ON "notes"("translation_id");

-- AddForeignKey
ALTER TABLE "notes" ADD CONSTRAINT "notes_translation_id_fkey" FOREIGN KEY ("translation_id") REFERENCES "notes"("id") ON DELETE SET NULL ON UPDATE CASCADE;
