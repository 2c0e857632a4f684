-- Track 2: attribution levels (the Chatham House Rule), participation decisions, agenda and summary.

CREATE TYPE "AttributionLevel" AS ENUM ('on_record', 'chatham_house', 'off_the_record');
CREATE TYPE "ParticipantRole" AS ENUM ('speaker', 'moderator', 'participant', 'observer', 'interpreter');
ALTER TYPE "ParticipationStatus" ADD VALUE 'waitlisted';
ALTER TYPE "ParticipationStatus" ADD VALUE 'cancelled';
ALTER TYPE "NotificationType" ADD VALUE 'participation_requested';
ALTER TYPE "NotificationType" ADD VALUE 'participation_decided';

ALTER TABLE "dialogues"
  ADD COLUMN "attribution_level" "AttributionLevel" NOT NULL DEFAULT 'on_record',
  ADD COLUMN "capacity" INTEGER,
  ADD COLUMN "summary_en" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "summary_zh" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "summary_note_id" TEXT;
ALTER TABLE "dialogues" ADD CONSTRAINT "dialogues_summary_note_id_fkey" FOREIGN KEY ("summary_note_id") REFERENCES "notes"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- NULL: the thread follows its dialogue's level.
ALTER TABLE "threads" ADD COLUMN "attribution_level" "AttributionLevel";

-- The level a reply was written under, and its author's stable pseudonym number in the thread.
ALTER TABLE "replies"
  ADD COLUMN "attribution_level" "AttributionLevel" NOT NULL DEFAULT 'on_record',
  ADD COLUMN "participant_number" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "thread_participants" (
    "thread_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    CONSTRAINT "thread_participants_pkey" PRIMARY KEY ("thread_id", "user_id")
);
CREATE UNIQUE INDEX "thread_participants_thread_id_number_key" ON "thread_participants"("thread_id", "number");
ALTER TABLE "thread_participants" ADD CONSTRAINT "thread_participants_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing threads: number their authors in order of first reply, so tightening a thread later
-- has a pseudonym for everyone who already spoke.
INSERT INTO "thread_participants" ("thread_id", "user_id", "number")
SELECT thread_id, author_id, row_number() OVER (PARTITION BY thread_id ORDER BY first_at, author_id)
FROM (SELECT thread_id, author_id, min(created_at) AS first_at FROM replies GROUP BY thread_id, author_id) firsts;
UPDATE "replies" r SET "participant_number" = tp."number"
FROM "thread_participants" tp WHERE tp."thread_id" = r."thread_id" AND tp."user_id" = r."author_id";

ALTER TABLE "participation_requests"
  ADD COLUMN "role" "ParticipantRole" NOT NULL DEFAULT 'participant',
  ADD COLUMN "waitlisted_at" TIMESTAMPTZ(3),
  ADD COLUMN "cancelled_at" TIMESTAMPTZ(3);
CREATE INDEX "participation_requests_user_id_idx" ON "participation_requests"("user_id");

CREATE TABLE "dialogue_agenda_items" (
    "id" TEXT NOT NULL,
    "dialogue_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "starts_at" TEXT NOT NULL DEFAULT '',
    "title_en" TEXT NOT NULL DEFAULT '',
    "title_zh" TEXT NOT NULL DEFAULT '',
    "speaker_id" TEXT,
    CONSTRAINT "dialogue_agenda_items_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "dialogue_agenda_items_dialogue_id_position_idx" ON "dialogue_agenda_items"("dialogue_id", "position");
ALTER TABLE "dialogue_agenda_items" ADD CONSTRAINT "dialogue_agenda_items_dialogue_id_fkey" FOREIGN KEY ("dialogue_id") REFERENCES "dialogues"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dialogue_agenda_items" ADD CONSTRAINT "dialogue_agenda_items_speaker_id_fkey" FOREIGN KEY ("speaker_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
